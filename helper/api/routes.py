"""The route table: one declaration per endpoint, read by the app, the middlewares and OpenAPI.

A `Route` says who may call it (`auth`), what body it takes and how big, and what it
answers; `schemas/openapi.json` is generated from the same declarations, so the
document cannot drift from the server.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypeVar

from aiohttp import web
from pydantic import BaseModel, Field, ValidationError

from helper.errors import ApiError
from helper.models.common import CLIENT_INPUT

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Auth = Literal["public", "client", "admin"]
BodyKind = Literal["none", "json", "multipart"]
M = TypeVar("M", bound=BaseModel)

KiB = 1024
MiB = 1024 * KiB

Offset = Annotated[int, Field(ge=0, le=10**9, description="rows to skip (paging)")]
"""Query models bound paging: SQLite integers stop at 2**63 - 1, and no listing has a
billion rows, so a bigger offset is a client error (422), not an overflow (500)."""


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    handler: Handler
    summary: str
    auth: Auth = "client"
    body: type[BaseModel] | None = None
    """The JSON body's model; for a multipart body, the model of its form fields."""
    body_kind: BodyKind = "none"
    max_body: int = 0
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    media_type: str = "application/json"
    media_types: tuple[str, ...] = ()
    """Further media types of the success body, e.g. `image/*` for stored evidence bytes."""
    other_statuses: tuple[int, ...] = ()
    """What the handler answers beyond `status` and the errors every route has
    (openapi.COMMON_ERRORS): 200 beside 201 for an upsert, 429, 410, 416 …"""
    name: str | None = None
    """The OpenAPI operationId, when the handler serves more than one route."""

    @property
    def operation_id(self) -> str:
        return self.name or self.handler.__name__


PREFIX = "/api/v1"
ROUTE_TABLE = web.AppKey("routes", dict)
"""The registered aiohttp route → its `Route`, for the middlewares and the OpenAPI document.
Keyed by the route object `add_route` returns, so one handler may serve several routes."""


def register(app: web.Application, routes: list[Route]) -> None:
    table: dict[web.AbstractRoute, Route] = app.setdefault(ROUTE_TABLE, {})
    for route in routes:
        table[app.router.add_route(route.method, PREFIX + route.path, route.handler)] = route


def route_of(request: web.Request) -> Route | None:
    return request.app.get(ROUTE_TABLE, {}).get(request.match_info.route)


async def read_body(request: web.Request, limit: int) -> bytes:
    """Read at most `limit` bytes; a larger body is a 413 even without Content-Length."""
    chunks, size = [], 0
    while chunk := await request.content.readany():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, "body_too_large",
                           f"request body is larger than this endpoint accepts ({limit // KiB} KiB)")
        chunks.append(chunk)
    return b"".join(chunks)


async def read_json(request: web.Request, model: type[M]) -> M:
    route = route_of(request)
    limit = route.max_body if route else 64 * KiB
    raw = await read_body(request, limit)
    if not raw.strip():
        raise ApiError(400, "invalid_json", "the request body is empty; send a JSON object")
    try:
        return model.model_validate_json(raw, context={CLIENT_INPUT: True})
    except ValidationError as exc:
        raise validation_error(exc) from None


def parse_query(request: web.Request, model: type[M]) -> M:
    try:
        return model.model_validate(dict(request.query))
    except ValidationError as exc:
        raise validation_error(exc) from None


def _describe(error: dict[str, Any]) -> str:
    where = ".".join(str(p) for p in error["loc"]) or "body"
    if error["type"] == "string_type" and isinstance(error.get("input"), (int, float)) \
            and str(error["loc"][-1]).endswith("id"):
        return (f"{where} must be a string of digits, not a number: long ids lose precision "
                "as JSON numbers (send \"4865640015090004803\", with quotes)")
    if error["type"] == "extra_forbidden":
        return f"{where} is not a known field"
    return f"{where}: {error['msg']}"


def validation_error(exc: ValidationError) -> ApiError:
    errors = exc.errors(include_url=False, include_context=False)
    if errors and errors[0]["type"] == "json_invalid":
        return ApiError(400, "invalid_json", f"the body is not valid JSON ({errors[0]['msg']})")
    details = [{"loc": [str(p) for p in e["loc"]], "type": e["type"], "message": _describe(e)}
               for e in errors[:20]]
    summary = "; ".join(d["message"] for d in details[:3])
    return ApiError(422, "invalid_request", summary, details)


def json_response(model: BaseModel | list[Any] | dict[str, Any], status: int = 200) -> web.Response:
    if isinstance(model, BaseModel):
        text = model.model_dump_json()
    else:
        text = json.dumps(model, ensure_ascii=False)
    return web.Response(text=text, status=status, content_type="application/json")
