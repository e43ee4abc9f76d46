"""Writing a case's bundle: the evidence files, complaint.txt, report.pdf, case.json,
VERIFY.txt, SHA256SUMS, and the signed manifest.json over all of them."""

from __future__ import annotations

import asyncio
import json
import mimetypes
import os
import re
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from helper import __version__
from helper.bundle import layout, texts
from helper.bundle.manifest import BundleManifest
from helper.bundle.pdf import html_to_pdf
from helper.bundle.pdf_sign import sign_report
from helper.bundle.report import render_report_html
from helper.bundle.stamps import export_stamps, report_lines
from helper.bundle.zipwriter import AlteredOnDisk, add_bytes, add_file
from helper.models import Case, Evidence, utc_now
from helper.store.audit import canonical_json

if TYPE_CHECKING:
    from helper.capture.browser import BrowserManager
    from helper.config import EvidenceSettings, Settings
    from helper.secrets import Secrets
    from helper.store import BlobStore, Store
    from helper.thumbnails import Thumbnails


class ExportError(Exception):
    """The bundle cannot be made; the message names the case, evidence item and file."""


@dataclass(frozen=True)
class ExportResult:
    path: Path
    case_id: str
    order_id: str
    files: int
    size: int
    public_key_sha256: str
    seconds: dict[str, float]


def _ext(filename: str, media_type: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()
    if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix):
        return suffix
    return {"image/png": ".png", "image/jpeg": ".jpg", "application/pdf": ".pdf",
            "text/html": ".html", "multipart/related": ".mhtml"}.get(
        media_type, mimetypes.guess_extension(media_type) or ".bin")


def _role_name(role: str) -> str:
    return re.sub(r"[^a-z0-9_-]", "_", role.lower())[:32] or "file"


def evidence_paths(evidence: list[Evidence]) -> dict[tuple[str, str], str]:
    """(evidence id, role) → ASCII path in the bundle (portable across unzip tools)."""
    paths = {}
    for n, ev in enumerate(evidence, start=1):
        folder = f"evidence/{n:03d}-{ev.id}"
        for a in ev.artifacts:
            paths[(ev.id, a.role)] = f"{folder}/{_role_name(a.role)}{_ext(a.filename, a.media_type)}"
    return paths


def check_blobs(blobs: BlobStore, case: Case, evidence: list[Evidence]) -> None:
    """Every artifact's stored file must exist before anything is written, and the bundle
    must fit what `verify-bundle` accepts (layout's limits)."""
    missing = []
    for ev in evidence:
        for a in ev.artifacts:
            if not blobs.path(a.sha256).is_file():
                missing.append(f"evidence {ev.id} ({ev.title!r}): the {a.role} file {a.filename!r} "
                               f"(sha256 {a.sha256[:16]}…) is missing from the archive")
    if missing:
        raise ExportError(f"cannot export case {case.id} (order {case.order.order_id}): "
                          + "; ".join(missing[:10])
                          + (f"; and {len(missing) - 10} more" if len(missing) > 10 else "")
                          + ". Run `tousu-helper verify " + case.id + "` for the full report.")
    files = sum(len(ev.artifacts) for ev in evidence)
    total = sum(a.size for ev in evidence for a in ev.artifacts)
    if files + 12 > layout.MAX_ENTRIES or total > layout.MAX_TOTAL_BYTES:
        raise ExportError(f"cannot export case {case.id}: {files} files, {total / 2**30:.1f} GiB — more "
                          f"than one bundle holds ({layout.MAX_ENTRIES} files, "
                          f"{layout.MAX_TOTAL_BYTES // 2**30} GiB)")


def _thumbnail_uris(thumbs: Thumbnails | None, evidence: list[Evidence]) -> dict[str, str | None]:
    """data: URIs for the report (generated where not cached yet: runs in a thread)."""
    from helper.thumbnails import source_artifact

    uris: dict[str, str | None] = {}
    for ev in evidence:
        artifact = source_artifact(ev) if thumbs is not None else None
        if artifact is None:
            uris[ev.id] = None
            continue
        path = thumbs.cached_path(artifact.sha256)
        if not path.is_file():
            path = thumbs.generate(artifact.sha256)
        uris[ev.id] = thumbs.read_data_uri(path) if path else None
    return uris


async def build_bundle(store: Store, secrets: Secrets, case_id: str, out_path: Path, *,
                       manager: BrowserManager, thumbs: Thumbnails | None = None,
                       evidence_settings: EvidenceSettings | None = None) -> ExportResult:
    """Write the bundle to `out_path` (atomically: a temp file renamed into place).
    report.pdf is rendered by `manager` (the capture browser) and signed with the case
    key. `evidence_settings`: whether report.pdf gets a document timestamp, and the clock
    tolerance the bundle states for its timestamps (default: none, 300 s)."""
    from helper.integrity import case_manifest, public_key_sha256
    from helper.store import CaseNotFound

    timings: dict[str, float] = {}
    t0 = time.monotonic()
    try:
        case = await store.cases.get(case_id)
        evidence = await store.evidence.list(case_id)
        case_man = await case_manifest(store, case_id)
    except CaseNotFound:
        raise ExportError(f"no case {case_id!r}; `tousu-helper cases` lists them") from None
    await asyncio.to_thread(check_blobs, store.blobs, case, evidence)
    key = await asyncio.to_thread(secrets.signing_key)
    fingerprint = public_key_sha256(key.public_key())
    draft_text, draft = await texts.latest_draft_text(store, case_id)
    exported_at = utc_now().isoformat(timespec="seconds")
    paths = evidence_paths(evidence)
    tolerance = evidence_settings.clock_tolerance_s if evidence_settings is not None else 300
    stamps = await export_stamps(store, case_id, evidence, paths, tolerance)
    thumbs_by_id = await asyncio.to_thread(_thumbnail_uris, thumbs, evidence)
    stamp_lines = await asyncio.to_thread(report_lines, store.blobs, evidence)
    timings["prepare"] = round(time.monotonic() - t0, 3)

    t1 = time.monotonic()
    from helper.capture.browser import BrowserUnavailable

    try:
        pdf = await html_to_pdf(render_report_html(case, evidence, paths, thumbs_by_id, draft_text, draft,
                                                   fingerprint, exported_at, stamp_lines, stamps.summary),
                                manager)
    except BrowserUnavailable as exc:
        raise ExportError(f"cannot render {layout.REPORT} for case {case.id}: {exc}") from None
    report = await sign_report(pdf, key, fingerprint, evidence_settings)
    timings["report_pdf"] = round(time.monotonic() - t1, 3)

    t2 = time.monotonic()
    extras = [
        (layout.COMPLAINT, texts.complaint_txt(draft_text, fingerprint).encode(), "text/plain"),
        (layout.REPORT, report.pdf, "application/pdf"),
        (layout.REPORT_SIGNER, report.certificate_pem, "application/pem-certificate-chain"),
        (layout.CASE_JSON, _case_json(case), "application/json"),
        (layout.VERIFY, texts.verify_txt(case, fingerprint, exported_at, out_path.name, stamps).encode(),
         "text/plain"),
        *stamps.files,
    ]
    head = {"format": layout.BUNDLE_FORMAT, "exported_at": exported_at,
            "generator": f"tousu-helper {__version__}", "case_id": case.id,
            "order_id": case.order.order_id, "public_key_sha256": fingerprint,
            "has_draft": draft_text is not None, "case_manifest": case_man, "timestamps": stamps.section,
            "report_signature": {"format": "PAdES (ETSI.CAdES.detached), Ed25519, this bundle's key",
                                 "certificate": layout.REPORT_SIGNER, "document_timestamp": report.timestamp}}
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=out_path.parent, prefix=".export-", suffix=".zip")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        files = await asyncio.to_thread(_write_zip, tmp, store.blobs, evidence, paths, extras, head, key)
        os.replace(tmp, out_path)
    except AlteredOnDisk as exc:
        tmp.unlink(missing_ok=True)
        raise ExportError(str(exc)) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    timings["zip"] = round(time.monotonic() - t2, 3)
    return ExportResult(path=out_path, case_id=case.id, order_id=case.order.order_id, files=files,
                        size=out_path.stat().st_size, public_key_sha256=fingerprint, seconds=timings)


def _case_json(case: Case) -> bytes:
    return json.dumps({"case_id": case.id, "status": case.status.value, "notes": case.notes,
                       "order": case.order.model_dump(mode="json", exclude_none=True),
                       "timeline": [t.model_dump(mode="json") for t in case.timeline]},
                      ensure_ascii=False, indent=2).encode()


def _write_zip(tmp: Path, blobs: BlobStore, evidence: list[Evidence], paths: dict[tuple[str, str], str],
               extras: list[tuple[str, bytes, str]], head: dict[str, Any], key: Any) -> int:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    from helper.integrity import sign_manifest

    entries: list[dict[str, Any]] = []
    with zipfile.ZipFile(tmp, "w", allowZip64=True, compresslevel=6) as zf:
        for ev in evidence:
            for a in ev.artifacts:
                arc = paths[(ev.id, a.role)]
                sha, size = add_file(zf, arc, blobs.path(a.sha256), a.media_type, expected_sha256=a.sha256)
                entries.append({"path": arc, "sha256": sha, "size": size, "media_type": a.media_type,
                                "evidence_id": ev.id, "role": a.role, "original_filename": a.filename})
        for name, data, media in extras:
            sha, size = add_bytes(zf, name, data, media)
            entries.append({"path": name, "sha256": sha, "size": size, "media_type": media})
        sums = "".join(f"{e['sha256']}  {e['path']}\n" for e in entries).encode()
        sha, size = add_bytes(zf, layout.SUMS, sums, "text/plain")
        entries.append({"path": layout.SUMS, "sha256": sha, "size": size, "media_type": "text/plain"})
        manifest = {**head, "files": entries}
        BundleManifest.model_validate(manifest)  # what verify-bundle will require
        add_bytes(zf, layout.MANIFEST, canonical_json(manifest), "application/json")
        add_bytes(zf, layout.SIGNATURE, sign_manifest(manifest, key), "application/octet-stream")
        add_bytes(zf, layout.PUBLIC_KEY, key.public_key().public_bytes(
            Encoding.PEM, PublicFormat.SubjectPublicKeyInfo), "text/plain")
    return len(entries) + 3


def export_case(store: Store, secrets: Secrets, case_id: str, out_path: Path, *,
                settings: Settings | None = None) -> ExportResult:
    """The CLI's entry point: a synchronous export with a capture browser of its own for
    the PDF (closed afterwards)."""
    from helper.capture.browser import BrowserManager
    from helper.config import CaptureSettings
    from helper.models import ComplaintSettings
    from helper.thumbnails import Thumbnails

    thumbs = Thumbnails(settings.data_dir / "thumbs", store.blobs) if settings is not None else None

    async def run() -> ExportResult:
        from helper.draft_refresh import StaleDraft, refresh_stale_draft

        try:
            await refresh_stale_draft(store, case_id, settings.complaint if settings is not None else ComplaintSettings())
        except StaleDraft as exc:
            raise ExportError(str(exc)) from None
        manager = BrowserManager(settings.capture if settings is not None else CaptureSettings())
        try:
            return await build_bundle(store, secrets, case_id, out_path, manager=manager, thumbs=thumbs,
                                      evidence_settings=settings.evidence if settings is not None else None)
        finally:
            await manager.close()

    return asyncio.run(run())
