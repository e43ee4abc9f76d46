"""The OpenAPI 3.1 document, built from the route table and the pydantic models."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from helper import __version__
from helper.api.routes import PREFIX, ROUTE_TABLE, Route, json_response
from helper.models import ErrorResponse

REF = "#/components/schemas/{model}"
STATUS_TEXT = {
    200: "OK", 201: "created", 202: "accepted: follow the job",
    206: "the requested byte range (Range request)",
    304: "not modified since the copy the client has (If-None-Match / If-Modified-Since)",
    400: "malformed request", 401: "missing or invalid token",
    403: "forbidden Host, Origin or code", 404: "not found", 409: "the case cannot be exported as it is",
    410: "the stored file is gone; run `tousu-helper verify`",
    412: "precondition failed (If-Match / If-Unmodified-Since)", 413: "body too large",
    415: "wrong content type", 416: "range not satisfiable", 422: "invalid fields",
    429: "too many wrong attempts; wait the seconds the message says",
    500: "unexpected error; nothing was changed",
    503: "storage unavailable (the database is damaged or read-only), or the helper is at its "
         "connection limit; retry later",
    507: "the disk is full; nothing was stored",
}
COMMON_ERRORS = (400, 401, 403, 404, 413, 415, 422, 500, 503)
"""What any route may answer: the middlewares check Host, Origin, token, size and type, and
one connection over the limit is answered 503 (helper/listen.py)."""
STORAGE_ERRORS = (507,)
"""Every client route may answer these too: its token is looked up in the database."""
UPLOAD_FILES = {"type": "array", "minItems": 1,
                "items": {"type": "string", "format": "binary", "minLength": 1},
                "description": "one `file` part per file; its file name is kept, made safe"}
"""The `file` parts of a multipart upload; the other parts are the fields of `Route.body`."""
BODILESS = frozenset({304, 412, 416})
"""Conditional and range answers of a file download: headers only."""


def _form_field(prop: dict[str, Any]) -> dict[str, Any]:
    """A form part is text or absent, never JSON null: drop the `null` of an optional field."""
    kept = [s for s in prop.get("anyOf", []) if s != {"type": "null"}]
    if len(kept) != 1:
        return prop
    return {**{k: v for k, v in prop.items() if k not in ("anyOf", "default")}, **kept[0]}


def _statuses(r: Route) -> list[int]:
    statuses = {r.status, *r.other_statuses, *COMMON_ERRORS}
    if r.auth == "public":
        statuses.discard(401)
    if r.auth == "client":
        statuses.update(STORAGE_ERRORS)
    return sorted(statuses)


def build_openapi(routes: list[Route], prefix: str) -> dict[str, Any]:
    models: set[type[BaseModel]] = {ErrorResponse}
    for r in routes:
        models.update(m for m in (r.body, r.response) if m is not None)
    ordered = sorted(models, key=lambda m: m.__name__)
    keys, defs = models_json_schema(
        [(m, "validation" if any(r.body is m for r in routes) else "serialization") for m in ordered],
        ref_template=REF)
    refs = {m: keys[(m, mode)] for (m, mode) in keys}
    paths: dict[str, dict[str, Any]] = {}
    for r in routes:
        op: dict[str, Any] = {"summary": r.summary, "operationId": r.operation_id}
        if r.auth != "public":
            op["security"] = [{"bearer": []}]
        if r.query is not None:
            schema = r.query.model_json_schema(ref_template=REF)
            op["parameters"] = [
                {"name": name, "in": "query", "required": name in schema.get("required", []),
                 "schema": prop} for name, prop in schema["properties"].items()]
        if "{" in r.path:
            op.setdefault("parameters", []).extend(
                {"name": seg.strip("{}"), "in": "path", "required": True, "schema": {"type": "string"}}
                for seg in r.path.split("/") if seg.startswith("{"))
        if r.body_kind == "multipart":
            fields = defs["$defs"][r.body.__name__]["properties"] if r.body is not None else {}
            fields = {name: _form_field(prop) for name, prop in fields.items()}
            op["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": {
                "type": "object", "required": ["file"], "additionalProperties": False,
                "properties": {"file": UPLOAD_FILES, **fields}}}}}
        elif r.body is not None:
            op["requestBody"] = {"required": True,
                                 "content": {"application/json": {"schema": refs[r.body]}}}
        success: dict[str, Any] = {}
        if r.response is not None:
            success = {r.media_type: {"schema": refs[r.response]}}
        elif r.media_type != "application/json":
            success = {media: {} for media in (r.media_type, *r.media_types)}  # bytes: no schema
        error = {"application/json": {"schema": refs[ErrorResponse]}}
        responses: dict[str, Any] = {}
        for code in _statuses(r):
            answer: dict[str, Any] = {"description": STATUS_TEXT[code]}
            content = success if code < 400 else error
            if content and code not in BODILESS:
                answer["content"] = content
            responses[str(code)] = answer
        op["responses"] = responses
        paths.setdefault(prefix + r.path, {})[r.method.lower()] = op
    return {
        "openapi": "3.1.0",
        "info": {"title": "Tousu Helper local API", "version": __version__,
                 "description": "Local API of the 投诉助手 helper; reachable on 127.0.0.1 only."},
        "servers": [{"url": "http://127.0.0.1:17345"}],
        "paths": paths,
        "components": {"schemas": defs.get("$defs", {}),
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }


async def openapi(request: web.Request) -> web.Response:
    return json_response(build_openapi(list(request.app[ROUTE_TABLE].values()), PREFIX))


ROUTES = [Route("GET", "/openapi.json", openapi, "This document", auth="public")]
