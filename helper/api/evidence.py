"""Evidence uploads (photos, video, chat exports), listing, and content download.

Uploads stream into the blob store while being hashed — a 500 MB video never sits in
memory — and the evidence row is written only after every byte is safely on disk.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated
from urllib.parse import quote

from aiohttp import BodyPartReader, web
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from helper.api.routes import MiB, Route, json_response, parse_query, validation_error
from helper.errors import ApiError, not_found
from helper.models import Artifact, EvidenceCategory, EvidenceKind, EvidenceList
from helper.state import SECRETS, SETTINGS, STORE
from helper.store import CaseNotFound
from helper.uploads import SNIFF_BYTES, default_category, sanitize_filename, sniff_media_type

log = logging.getLogger("tousu.evidence")
INLINE_TYPES = ("image/", "video/", "audio/", "application/pdf", "text/plain")


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
    try:
        store.get_case(case_id)
    except CaseNotFound:
        raise not_found("case", case_id) from None
    limit = request.app[SETTINGS].upload_max_mb * MiB
    reader = await request.multipart()
    fields: dict[str, str] = {}
    files: list[tuple[Artifact, str]] = []
    received = 0
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader):
            raise ApiError(400, "invalid_upload", "nested multipart bodies are not supported")
        if part.filename is None:
            if part.name not in ("category", "title"):
                raise ApiError(422, "invalid_request", f"{part.name} is not a known field")
            fields[part.name] = (await part.read(decode=True)).decode("utf-8", "replace")
            continue
        artifact, received = await _store_part(request, part, received, limit)
        files.append((artifact, part.filename))
    if not files:
        raise ApiError(400, "invalid_upload", "no file in the upload; send one or more `file` parts")
    try:
        meta = UploadFields.model_validate(fields)
    except ValidationError as exc:
        raise validation_error(exc) from None
    records = [
        store.add_evidence(
            case_id, kind=EvidenceKind.upload,
            category=meta.category or default_category(artifact.media_type),
            title=meta.title or artifact.filename, artifacts=[artifact],
            metadata={"original_filename": original[:300]})
        for artifact, original in files
    ]
    await _seal(request, case_id)
    return json_response(EvidenceList(evidence=records), status=201)


async def _seal(request: web.Request, case_id: str) -> None:
    """Sign the case manifest so the upload is covered like a capture. The evidence is
    already committed and audited: a signing failure is logged, and `verify` reports it."""
    from helper.integrity import seal_case

    try:
        await asyncio.to_thread(seal_case, request.app[STORE], request.app[SECRETS], case_id)
    except Exception:  # noqa: BLE001 - never fail an acknowledged upload
        log.exception("could not sign the manifest of %s", case_id)


async def _store_part(request: web.Request, part: BodyPartReader, received: int,
                      limit: int) -> tuple[Artifact, int]:
    blobs = request.app[STORE].blobs
    writer = await asyncio.to_thread(blobs.writer)
    head = b""
    try:
        while chunk := await part.read_chunk(1 << 20):
            received += len(chunk)
            if received > limit:
                raise ApiError(413, "body_too_large",
                               f"the upload is larger than {limit // MiB} MB (setting upload_max_mb)")
            if len(head) < SNIFF_BYTES:
                head += chunk[: SNIFF_BYTES - len(head)]
            await asyncio.to_thread(writer.write, chunk)
        if writer.size == 0:
            raise ApiError(400, "invalid_upload", f"the file {part.filename!r} is empty")
        ref = await asyncio.to_thread(writer.commit)
    finally:
        writer.discard()
    filename = sanitize_filename(part.filename)
    return Artifact(role="original", sha256=ref.sha256, size=ref.size,
                    media_type=sniff_media_type(head, filename), filename=filename), received


async def list_evidence(request: web.Request) -> web.Response:
    case_id = request.match_info["case_id"]
    try:
        return json_response(EvidenceList(evidence=request.app[STORE].list_evidence(case_id)))
    except CaseNotFound:
        raise not_found("case", case_id) from None


async def content(request: web.Request) -> web.StreamResponse:
    store = request.app[STORE]
    evidence_id = request.match_info["evidence_id"]
    query = parse_query(request, ContentQuery)
    evidence = store.get_evidence(evidence_id)
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
        "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(artifact.filename)}",
        "Content-Security-Policy": "sandbox; default-src 'none'; img-src 'self'; media-src 'self'",
        "X-Content-SHA256": artifact.sha256,
    })


ROUTES = [
    Route("POST", "/cases/{case_id}/evidence", upload,
          "Upload photos, video or chat exports (multipart: file…, category?, title?)",
          body_kind="multipart", max_body=4096 * MiB, response=EvidenceList, status=201),
    Route("GET", "/cases/{case_id}/evidence", list_evidence, "The case's evidence records",
          response=EvidenceList),
    Route("GET", "/evidence/{evidence_id}/content", content,
          "The stored bytes of one artifact (default: the first)", query=ContentQuery,
          media_type="application/octet-stream"),
]
