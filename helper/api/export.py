"""`GET /cases/{id}/export`: the signed ZIP bundle (see helper/bundle/), or with
`?format=wacz` the case's URL captures as a WACZ web archive (helper/bundle/wacz.py), streamed.

The bundle is built into a temp file in the data dir (it can be hundreds of MB), streamed
to the client, then removed. report.pdf is rendered by the capture service's warm
browser (its `BrowserManager`), the one Chromium the helper runs.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from helper.api.routes import Route, parse_query
from helper.draft_refresh import StaleDraft, refresh_stale_draft
from helper.errors import ApiError
from helper.state import SECRETS, SETTINGS, STORE

if TYPE_CHECKING:
    from helper.capture.browser import BrowserManager

WACZ_MEDIA_TYPE = "application/wacz"


class ExportQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["zip", "wacz"] = Field(default="zip", description=(
        "zip: the signed evidence bundle; wacz: the URL captures as a web archive (ReplayWeb.page)"))


def _capture_manager(app: web.Application) -> BrowserManager:
    """The capture service's browser manager, behind its lazy holder (building the holder's
    service starts no browser; the first capture or export does)."""
    from helper.api.captures import CAPTURE

    return app[CAPTURE].service.manager


async def export(request: web.Request) -> web.StreamResponse:
    from helper.api.ui import THUMBNAILS
    from helper.bundle import ExportError, build_bundle
    from helper.bundle.wacz import build_wacz

    app = request.app
    case_id = request.match_info["case_id"]
    case = await app[STORE].cases.get(case_id)
    wacz = parse_query(request, ExportQuery).format == "wacz"
    if not wacz:  # the bundle carries the draft (complaint.txt, report.pdf); a web archive does not
        try:
            await refresh_stale_draft(app[STORE], case_id, app[SETTINGS].complaint)
        except StaleDraft as exc:
            raise ApiError(409, "draft_stale", str(exc)) from None
    work = app[SETTINGS].data_dir / "exports"
    work.mkdir(parents=True, exist_ok=True)
    tmp_dir = Path(tempfile.mkdtemp(dir=work))
    name = f"tousu-{case.order.order_id}.{'wacz' if wacz else 'zip'}"
    out = tmp_dir / name
    try:
        try:
            if wacz:
                result = await build_wacz(app[STORE], app[SECRETS], case_id, out)
            else:
                result = await build_bundle(app[STORE], app[SECRETS], case_id, out,
                                            manager=_capture_manager(app), thumbs=app.get(THUMBNAILS),
                                            evidence_settings=app[SETTINGS].evidence)
        except ExportError as exc:
            raise ApiError(409, "export_failed", str(exc)) from None
        response = web.StreamResponse(headers={
            "Content-Type": WACZ_MEDIA_TYPE if wacz else "application/zip",
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
          "report.pdf, the evidence files, VERIFY.txt; with format=wacz the URL captures as a WACZ web "
          "archive for replay (409 when the case has none); for the bundle, a draft older than the newest "
          "evidence is made again first (409 draft_stale when it cannot be)", media_type="application/zip",
          media_types=(WACZ_MEDIA_TYPE,), query=ExportQuery, other_statuses=(409,)),
]
