"""Capture progress: `GET /jobs/{id}` and the server-sent-event stream `GET /events`.

`/events` sends `event: job` with the Job as JSON on every change (and the current state
of every unfinished job on connect), a `: keep-alive` comment every 15 s, and ends when
the helper stops. `EventSource` cannot send a bearer token, so the extension reads the
stream with `fetch()` from its service worker. `?case_id=` limits it to one case.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

from aiohttp import web
from pydantic import BaseModel, ConfigDict, StringConstraints

from helper import __version__
from helper.api.captures import CAPTURE
from helper.api.routes import Route, json_response, parse_query
from helper.errors import not_found
from helper.models import Job, JobState
from helper.state import CORS_ORIGIN

KEEPALIVE_S = 15.0


class EventsQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_id: Annotated[str, StringConstraints(pattern=r"^[a-z]+-[0-9a-f]{1,32}$")] | None = None


async def get_job(request: web.Request) -> web.Response:
    job_id = request.match_info["job_id"]
    job = request.app[CAPTURE].service.jobs.get(job_id)
    if job is None:
        raise not_found("job", job_id)
    return json_response(job)


def _event(job: Job) -> bytes:
    return f"id: {job.id}\nevent: job\ndata: {job.model_dump_json()}\n\n".encode()


async def events(request: web.Request) -> web.StreamResponse:
    query = parse_query(request, EventsQuery)
    jobs = request.app[CAPTURE].service.jobs
    queue = jobs.subscribe()
    # The middlewares add headers after the handler returns; a stream is sent before that.
    response = web.StreamResponse(headers={
        "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-store",
        "X-Tousu-Helper": __version__, "X-Content-Type-Options": "nosniff",
        "X-Accel-Buffering": "no"})
    if origin := request.get(CORS_ORIGIN):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"
    try:
        await response.prepare(request)
        await response.write(b"retry: 2000\n\n")
        for job in jobs.active():
            if query.case_id in (None, job.case_id):
                await response.write(_event(job))
        while True:
            try:
                job = await asyncio.wait_for(queue.get(), KEEPALIVE_S)
            except asyncio.TimeoutError:
                await response.write(b": keep-alive\n\n")
                continue
            if job is None:
                break
            if query.case_id in (None, job.case_id):
                await response.write(_event(job))
    except (ConnectionResetError, ConnectionError):
        pass
    finally:
        jobs.unsubscribe(queue)
    return response


ROUTES = [
    Route("GET", "/jobs/{job_id}", get_job, "A capture job's state and timings", response=Job),
    Route("GET", "/events", events,
          "Server-sent events: `event: job` with the Job JSON on every change", query=EventsQuery,
          media_type="text/event-stream"),
]

__all__ = ["ROUTES", "JobState"]
