"""`GET /cases/{id}/export`: the signed ZIP bundle (see helper/export.py), streamed.

The bundle is built into a temp file in the data dir (it can be hundreds of MB), streamed
to the client, then removed. The report PDF is rendered by the capture service's warm
browser when the capture module is wired in, else by a browser launched for it.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any

from aiohttp import web

from helper.api.routes import Route
from helper.errors import ApiError, not_found
from helper.state import SECRETS, SETTINGS, STORE
from helper.store import CaseNotFound


def _capture_manager(app: web.Application) -> Any:
    """The capture module's warm browser manager, when there is one (it may be wrapped in
    a lazy holder with `.service`); None means launch a browser for the report."""
    try:
        from helper.api.captures import CAPTURE
    except ImportError:
        return None
    holder = app.get(CAPTURE)
    service = getattr(holder, "service", holder)
    manager = getattr(service, "manager", None)
    return manager if manager is not None and hasattr(manager, "new_context") else None


async def export(request: web.Request) -> web.StreamResponse:
    from helper.api.ui import THUMBNAILS
    from helper.export import ExportError, _find_browser, _thumbnail_fn, build_bundle, html_to_pdf

    app = request.app
    case_id = request.match_info["case_id"]
    try:
        case = app[STORE].get_case(case_id)
    except CaseNotFound:
        raise not_found("case", case_id) from None
    settings = app[SETTINGS]
    manager = _capture_manager(app)
    thumbs = app.get(THUMBNAILS)

    async def render(html: str) -> bytes:
        if manager is not None:
            async with manager.slots:
                return await html_to_pdf(html, manager=manager)
        return await html_to_pdf(html, executable=await asyncio.to_thread(_find_browser, settings))

    thumbnail = _thumbnail_fn(thumbs) if thumbs is not None else None

    async def thumb_async(ev):  # noqa: ANN001, ANN202 - thumbnails are generated in a thread
        return await asyncio.to_thread(thumbnail, ev) if thumbnail else None

    work = settings.data_dir / "exports"
    work.mkdir(parents=True, exist_ok=True)
    tmp_dir = Path(tempfile.mkdtemp(dir=work))
    name = f"tousu-{case.order.order_id}.zip"
    out = tmp_dir / name
    try:
        evidence = app[STORE].list_evidence(case_id)
        uris = {ev.id: await thumb_async(ev) for ev in evidence}
        try:
            result = await build_bundle(app[STORE], app[SECRETS], case_id, out,
                                        thumbnail=lambda ev: uris.get(ev.id), render=render)
        except ExportError as exc:
            raise ApiError(409, "export_failed", str(exc)) from None
        response = web.StreamResponse(headers={
            "Content-Type": "application/zip",
            "Content-Disposition": f'attachment; filename="{name}"',
            "Content-Length": str(result.size),
            "X-Bundle-Files": str(result.files),
        })
        await response.prepare(request)
        with out.open("rb") as fh:
            while chunk := await asyncio.to_thread(fh.read, 1 << 20):
                await response.write(chunk)
        await response.write_eof()
        return response
    finally:
        out.unlink(missing_ok=True)
        tmp_dir.rmdir() if tmp_dir.exists() and not any(tmp_dir.iterdir()) else None


ROUTES = [
    Route("GET", "/cases/{case_id}/export", export,
          "The case as a signed ZIP bundle: manifest.json + signature + public key, complaint.txt, "
          "report.pdf, the evidence files, VERIFY.txt", media_type="application/zip",
          other_statuses=(409,)),
]
