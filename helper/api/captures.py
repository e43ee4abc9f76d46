"""Evidence capture: `POST /cases/{id}/captures` (a URL, or the buyer's tab snapshot).

The answer is a `Job` (202). A tab snapshot's job is already `acknowledged`: the HTML as
received is committed before the response. A URL capture queues; follow it with
`GET /jobs/{id}` or the `GET /events` stream.

`setup_capture` wires the capture service into the app; it starts no browser (the first
capture does), so the daemon's cold start does not pay for Playwright.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from helper.api.routes import MiB, Route, json_response, read_json
from helper.config import Settings
from helper.errors import ApiError, not_found
from helper.models import CaptureRequest, Job
from helper.secrets import Secrets
from helper.state import CLIENT, SECRETS, SETTINGS, STORE
from helper.store import Store

if TYPE_CHECKING:
    from helper.capture.service import CaptureService


class Capture:
    """Builds the capture service on first use: the daemon's cold start imports none of it."""

    def __init__(self, settings: Settings, store: Store, secrets: Secrets) -> None:
        self._args = (settings, store, secrets)
        self._service: CaptureService | None = None

    @property
    def service(self) -> CaptureService:
        if self._service is None:
            from helper.capture.service import CaptureService

            self._service = CaptureService(*self._args)
        return self._service

    def stop_streams(self) -> None:
        if self._service is not None:
            self._service.jobs.close_streams()

    async def close(self) -> None:
        if self._service is not None:
            await self._service.close()


CAPTURE = web.AppKey("capture", Capture)


def setup_capture(app: web.Application) -> None:
    app[CAPTURE] = Capture(app[SETTINGS], app[STORE], app[SECRETS])
    app.on_shutdown.append(_stop_streams)
    app.on_cleanup.insert(0, _close_capture)


async def _stop_streams(app: web.Application) -> None:
    app[CAPTURE].stop_streams()


async def _close_capture(app: web.Application) -> None:
    await app[CAPTURE].close()


async def create_capture(request: web.Request) -> web.Response:
    from helper.capture.guard import GuardError
    from helper.capture.service import CaptureFailed

    case_id = request.match_info["case_id"]
    body = await read_json(request, CaptureRequest)
    service = request.app[CAPTURE].service
    try:
        if body.tab_snapshot is not None:
            client = request.get(CLIENT)
            job = await service.submit_snapshot(case_id, body.tab_snapshot, body.category, body.title,
                                                 client.name if client else None)
        else:
            assert body.url is not None
            job = await service.submit_url(case_id, body.url, body.cookies, body.category, body.title)
    except GuardError as exc:
        raise ApiError(422, "url_forbidden", exc.message, [{"reason": exc.code}]) from None
    except CaptureFailed as exc:
        if exc.code == "not_found":
            raise not_found("case", case_id) from None
        status = 413 if exc.code == "artifact_too_large" else 422
        raise ApiError(status, exc.code, exc.message) from None
    finally:
        body.cookies.clear()
    return json_response(job, status=202)


ROUTES = [
    Route("POST", "/cases/{case_id}/captures", create_capture,
          "Capture evidence: {url, cookies?} (the helper loads the page) or {tab_snapshot} "
          "(the buyer's tab). Answers with the job; tab snapshots are acknowledged at once.",
          body=CaptureRequest, body_kind="json", max_body=64 * MiB, response=Job, status=202),
]
