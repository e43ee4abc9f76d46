"""Evidence uploads (photos, video, chat exports), listing, and content download.

Uploads stream into the blob store while being hashed — a 500 MB video never sits in
memory — and the evidence row is written only after every byte is safely on disk.
"""

from __future__ import annotations

import asyncio
from typing import Annotated
from urllib.parse import quote

from aiohttp import BodyPartReader, web
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from helper.api.captures import CAPTURE
from helper.api.multipart import chunks, form_parts, invalid_upload, part_filename, read_field
from helper.api.routes import MiB, Route, json_response, parse_query, validation_error
from helper.bidi import strip_bidi
from helper.errors import ApiError, not_found
from helper.models import Artifact, EvidenceCategory, EvidenceKind, EvidenceList
from helper.state import SETTINGS, STORE
from helper.uploads import SNIFF_BYTES, default_category, sanitize_filename, sniff_media_type

INLINE_TYPES = ("image/", "video/", "audio/", "text/plain")
"""Shown in place; anything else is a download. Never PDFs: the browser's PDF viewer runs
their JavaScript (the review UI shows PDF pages as images instead)."""
CONTENT_TYPES = ("image/*", "video/*", "audio/*", "application/pdf", "text/*",
                 "multipart/related", "*/*")
"""What `content` serves: the type sniffed from the stored bytes, which may be any."""
MAX_FILES = 100
"""Files per upload: each becomes an evidence record and an audit entry."""


class UploadFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category: EvidenceCategory | None = None
    title: Annotated[str, StringConstraints(max_length=200)] | None = None


class ContentQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,32}$")] | None = None


async def upload(request: web.Request) -> web.Response:
    store = request.app[STORE]
    case_id = request.match_info["case_id"]
    await store.cases.get(case_id)
    limit = request.app[SETTINGS].upload_max_mb * MiB
    fields: dict[str, str] = {}
    files: list[tuple[Artifact, str]] = []
    received = 0
    async for part in form_parts(request):
        filename = part_filename(part)
        if filename is None and part.name != "file":
            if part.name not in UploadFields.model_fields:
                raise ApiError(422, "invalid_request", _unknown_part(part.name))
            fields[part.name] = await read_field(part)
            continue
        if len(files) == MAX_FILES:
            raise ApiError(422, "too_many_files",
                           f"at most {MAX_FILES} files per upload; send the rest in another upload")
        artifact, received = await _store_part(request, part, filename, received, limit)
        files.append((artifact, filename or ""))
    if not files:
        raise invalid_upload("no file in the upload; send one or more `file` parts")
    try:
        meta = UploadFields.model_validate(fields)
    except ValidationError as exc:
        raise validation_error(exc) from None
    records = [
        await store.evidence.add(
            case_id, kind=EvidenceKind.upload,
            category=meta.category or default_category(artifact.media_type),
            title=meta.title or artifact.filename, artifacts=[artifact],
            metadata={"original_filename": original[:300]})
        for artifact, original in files
    ]
    await _seal(request, case_id)
    return json_response(EvidenceList(evidence=records), status=201)


async def _seal(request: web.Request, case_id: str) -> None:
    """Seal the case manifest through the capture service, so the upload is covered like a
    capture: signed in commit order and, when the buyer agreed, timestamped. The evidence
    is already committed and audited; the service logs a signing failure and `verify`
    reports it."""
    await request.app[CAPTURE].service.seal(case_id)


def _unknown_part(name: str | None) -> str:
    what = "a form part without a name" if name is None else f"{name} is not a known field"
    return f"{what}; send files as `file` parts, and optionally the fields `category` and `title`"


async def _store_part(request: web.Request, part: BodyPartReader, filename: str | None,
                      received: int, limit: int) -> tuple[Artifact, int]:
    blobs = request.app[STORE].blobs
    writer = await asyncio.to_thread(blobs.writer)
    head = b""
    try:
        async for chunk in chunks(part):
            received += len(chunk)
            if received > limit:
                raise ApiError(413, "body_too_large",
                               f"the upload is larger than {limit // MiB} MB (setting upload_max_mb)")
            if len(head) < SNIFF_BYTES:
                head += chunk[: SNIFF_BYTES - len(head)]
            await asyncio.to_thread(writer.write, chunk)
        if writer.size == 0:
            raise invalid_upload(f"the file {filename or '(no name)'!r} is empty")
        ref = await asyncio.to_thread(writer.commit)
    finally:
        writer.discard()
    stored_name = sanitize_filename(filename)
    return Artifact(role="original", sha256=ref.sha256, size=ref.size,
                    media_type=sniff_media_type(head, stored_name), filename=stored_name), received


async def list_evidence(request: web.Request) -> web.Response:
    case_id = request.match_info["case_id"]
    return json_response(EvidenceList(evidence=await request.app[STORE].evidence.list(case_id)))


async def content(request: web.Request) -> web.StreamResponse:
    store = request.app[STORE]
    evidence_id = request.match_info["evidence_id"]
    query = parse_query(request, ContentQuery)
    evidence = await store.evidence.get(evidence_id)
    if evidence is None:
        raise not_found("evidence", evidence_id)
    artifacts = {a.role: a for a in evidence.artifacts}
    artifact = artifacts.get(query.role) if query.role else evidence.artifacts[0]
    if artifact is None:
        raise ApiError(404, "not_found",
                       f"evidence {evidence_id} has no {query.role!r} artifact (has: {', '.join(artifacts)})")
    path = store.blobs.path(artifact.sha256)
    if not path.is_file():
        raise ApiError(410, "blob_missing",
                       f"the stored file for {evidence_id}/{artifact.role} is missing; run `tousu-helper verify`")
    disposition = "inline" if artifact.media_type.startswith(INLINE_TYPES) else "attachment"
    return web.FileResponse(path, headers={
        "Content-Type": artifact.media_type,
        "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(strip_bidi(artifact.filename))}",
        "Content-Security-Policy": "sandbox; default-src 'none'; img-src 'self'; media-src 'self'",
        "X-Content-Type-Options": "nosniff",
        "X-Content-SHA256": artifact.sha256,
    })


ROUTES = [
    Route("POST", "/cases/{case_id}/evidence", upload,
          "Upload photos, video or chat exports (multipart: file…, category?, title?)",
          body=UploadFields, body_kind="multipart", max_body=4096 * MiB, response=EvidenceList,
          status=201),
    Route("GET", "/cases/{case_id}/evidence", list_evidence, "The case's evidence records",
          response=EvidenceList),
    Route("GET", "/evidence/{evidence_id}/content", content,
          "The stored bytes of one artifact (default: the first)", query=ContentQuery,
          media_type="application/octet-stream", media_types=CONTENT_TYPES,
          other_statuses=(206, 304, 410, 412, 416)),
]
