"""`export --format wacz`: the case's URL captures as a WACZ (Web Archive Collection
Zipped, 1.1.1) that `wacz validate` accepts and ReplayWeb.page opens.

Made with py-wacz, Webrecorder's own tool, from:

* `archive/NNN-<evidence>.warc.gz` — each URL capture's recorded page load, as captured
  (helper/capture/warc.py), byte-identical to the archived artifact, with its environment
  report (`urn:tousu:environment:<evidence>`);
* `archive/tousu-resources.warc.gz` — per capture its full-page screenshot
  (`urn:screenshot:<url>`, as Browsertrix names them), and the sealed case manifest with
  its RFC 3161 token, if any;
* `pages/pages.jsonl` — one page per capture (URL, capture time, title), copied as
  written;
* `logs/` — the environment reports as JSON, listed with their SHA-256 in
  `datapackage.json` like every other file.

Tab snapshots and uploads are not web-archive captures (no HTTP exchanges): they stay in
the ZIP bundle, which remains the signed evidence; the WACZ is for replay.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import shutil
import tempfile
import time
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from helper import __version__
from helper.bundle.write import ExportError, ExportResult
from helper.models import Evidence, EvidenceKind

if TYPE_CHECKING:
    from helper.secrets import Secrets
    from helper.store import BlobStore, Store

RESOURCES = "tousu-resources.warc.gz"


def _captures(evidence: list[Evidence]) -> list[Evidence]:
    return [ev for ev in evidence if ev.kind == EvidenceKind.url_capture
            and any(a.role == "warc" for a in ev.artifacts)]


def _resource(writer: Any, uri: str, data: bytes, media_type: str, date: str | None) -> None:
    writer.write_record(writer.create_warc_record(
        uri, "resource", payload=io.BytesIO(data), length=len(data), warc_content_type=media_type,
        warc_headers_dict={"WARC-Date": date} if date else None))


def _warc_date(iso: str | None) -> str | None:
    from datetime import UTC, datetime

    if not iso:
        return None
    try:
        return datetime.fromisoformat(iso).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return None


def _write_sources(work: Path, blobs: BlobStore, captures: list[Evidence],
                   sealed: dict[str, Any] | None) -> tuple[list[Path], Path, Path]:
    """The WARCs, pages.jsonl and the logs directory py-wacz packs (runs in a thread)."""
    from warcio.warcwriter import WARCWriter

    from helper.timestamps.records import manifest_token

    archive, logs = work / "archive", work / "logs"
    archive.mkdir()
    logs.mkdir()
    warcs = []
    for n, ev in enumerate(captures, start=1):
        art = next(a for a in ev.artifacts if a.role == "warc")
        target = archive / f"{n:03d}-{ev.id}.warc.gz"
        shutil.copyfile(blobs.path(art.sha256), target)
        warcs.append(target)
    resources = archive / RESOURCES
    with resources.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True, warc_version="WARC/1.1")
        writer.write_record(writer.create_warcinfo_record(RESOURCES, {
            "software": f"tousu-helper {__version__}",
            "description": "screenshots of the captures; the sealed case manifest"}))
        for ev in captures:
            meta = ev.metadata or {}
            url, date = meta.get("final_url") or meta.get("requested_url", ""), _warc_date(meta.get("captured_at"))
            shot = next((a for a in ev.artifacts if a.role == "screenshot"), None)
            if shot is not None:
                _resource(writer, f"urn:screenshot:{url}", blobs.path(shot.sha256).read_bytes(), "image/png", date)
            report = json.dumps({"evidence_id": ev.id, "url": url, "captured_at": meta.get("captured_at"),
                                 "environment": meta.get("environment", {})},
                                ensure_ascii=False, indent=1, sort_keys=True).encode()
            (logs / f"environment-{ev.id}.json").write_bytes(report)
        if sealed is not None:
            _resource(writer, f"urn:tousu:case-manifest:{sealed['case_id']}", sealed["manifest_json"].encode(),
                      "application/json", _warc_date(sealed.get("signed_at")))
            token = manifest_token(sealed)
            if token is not None:
                _resource(writer, f"urn:tousu:case-manifest-timestamp:{sealed['case_id']}", token,
                          "application/timestamp-reply", _warc_date(sealed.get("signed_at")))
    warcs.append(resources)
    pages = work / "pages.jsonl"
    lines = [{"format": "json-pages-1.0", "id": "pages", "title": "投诉证据 · captured pages"}]
    for ev in captures:
        meta = ev.metadata or {}
        lines.append({"id": ev.id, "url": meta.get("final_url") or meta.get("requested_url"),
                      "ts": meta.get("captured_at"), "title": meta.get("title") or ev.title})
    pages.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    return warcs, pages, logs


def _pack(out: Path, warcs: list[Path], pages: Path, logs: Path, title: str, description: str,
          main_url: str | None) -> None:
    """py-wacz's `create`, as its command line runs it (it prints progress: silenced)."""
    from wacz.main import main as wacz_main

    args = ["create", "-o", str(out), "-p", str(pages), "-c", "-l", str(logs),
            "--title", title, "--desc", description, *(["--url", main_url] if main_url else []),
            *map(str, warcs)]
    with contextlib.redirect_stdout(io.StringIO()):
        code = wacz_main(args)
    if code not in (0, None):
        raise ExportError(f"py-wacz could not build the WACZ (exit {code})")


async def build_wacz(store: Store, secrets: Secrets, case_id: str, out_path: Path) -> ExportResult:
    """Write the case's WACZ to `out_path` (atomically)."""
    from helper.integrity import public_key_sha256
    from helper.store import CaseNotFound

    t0 = time.monotonic()
    try:
        case = await store.cases.get(case_id)
        evidence = await store.evidence.list(case_id)
    except CaseNotFound:
        raise ExportError(f"no case {case_id!r}; `tousu-helper cases` lists them") from None
    captures = _captures(evidence)
    if not captures:
        raise ExportError(f"case {case_id} has no URL capture with recorded HTTP exchanges (a WARC), so there "
                          "is nothing a web-archive player can replay; tab snapshots and uploads are in the "
                          "ZIP bundle (`--format zip`)")
    sealed = await store.manifests.load(case_id)
    if sealed is not None:
        sealed = {**sealed, "case_id": case_id}
    fingerprint = public_key_sha256((await asyncio.to_thread(secrets.signing_key)).public_key())
    first = captures[0].metadata or {}
    title = f"投诉证据 · 订单 {case.order.order_id} · {case.order.shop_name or ''}".strip(" ·")
    description = (f"tousu-helper {__version__}: {len(captures)} captured page(s) of case {case.id}; "
                   f"the signed evidence bundle is the ZIP export (signing key sha256:{fingerprint})")
    out_path.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=out_path.parent, prefix=".wacz-"))
    try:
        warcs, pages, logs = await asyncio.to_thread(_write_sources, work, store.blobs, captures, sealed)
        packed = work / "out.wacz"
        await asyncio.to_thread(_pack, packed, warcs, pages, logs, title, description,
                                first.get("final_url") or first.get("requested_url"))
        os.replace(packed, out_path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    with zipfile.ZipFile(out_path) as zf:
        files = len(zf.infolist())
    return ExportResult(path=out_path, case_id=case.id, order_id=case.order.order_id, files=files,
                        size=out_path.stat().st_size, public_key_sha256=fingerprint,
                        seconds={"wacz": round(time.monotonic() - t0, 3)})


def export_wacz(store: Store, secrets: Secrets, case_id: str, out_path: Path) -> ExportResult:
    """The CLI's entry point (synchronous)."""
    return asyncio.run(build_wacz(store, secrets, case_id, out_path))
