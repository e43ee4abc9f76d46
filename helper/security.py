"""Security middlewares. The helper listens on 127.0.0.1, which every web page the buyer
opens can also reach, so each request passes, in order:

1. `headers`     — `X-Tousu-Helper: <version>` and hardening headers on every response;
2. `errors`      — every failure becomes `{"error": {"code", "message"}}`;
3. `host_guard`  — Host must be 127.0.0.1/localhost/[::1] with our port (DNS rebinding);
4. `origin_guard`— a browser Origin must be the extension's or our own UI's; CORS for the
                   extension only; cross-site requests without Origin are refused too;
5. `auth`        — a client bearer token on every route but the public ones; admin routes
                   take the local admin token and refuse any browser Origin;
6. `body_rules`  — per-route body size (413) and content type (415).

Each middleware does one thing; the `Route` declaration says what applies where.
"""

from __future__ import annotations

import hmac
import logging

from aiohttp import web
from aiohttp.typedefs import Handler
from pydantic import ValidationError

from helper import __version__
from helper.api.routes import KiB, route_of, validation_error
from helper.sessions import local_port, ui_session_ok
from helper.errors import ApiError, not_found
from helper.diagnose import explain
from helper.store import CaseNotFound
from helper.state import ALLOWED_ORIGINS, CLIENT, CORS_ORIGIN, SECRETS, SETTINGS, STORE

log = logging.getLogger("tousu.security")

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
CORS_HEADERS = "Authorization, Content-Type"
CORS_METHODS = "GET, POST, PATCH, DELETE, OPTIONS"


def extension_origin(extension_id: str) -> str:
    return f"chrome-extension://{extension_id}"


@web.middleware
async def headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        response = exc
    response.headers["X-Tousu-Helper"] = __version__
    if cors_origin := request.get(CORS_ORIGIN):
        response.headers["Access-Control-Allow-Origin"] = cors_origin
        response.headers["Vary"] = "Origin"
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    if request.path.startswith("/api/"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as exc:
        return _error_response(exc)
    except CaseNotFound as exc:  # every route under /cases/{case_id}: one answer, not one per handler
        return _error_response(not_found("case", exc.args[0]))
    except ValidationError as exc:
        return _error_response(validation_error(exc))
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        code = {404: "not_found", 405: "method_not_allowed", 413: "body_too_large"}.get(
            exc.status, "http_error")
        message = {404: f"no such endpoint: {request.method} {request.path}",
                   405: f"{request.method} is not allowed on {request.path}"}.get(exc.status, exc.reason)
        return _error_response(ApiError(exc.status, code, message))
    except Exception as exc:
        if (problem := explain(exc, request.app[SETTINGS].data_dir)) is not None:
            log.error("storage problem on %s %s: %r", request.method, request.path, exc)
            return _error_response(ApiError(problem.status, problem.code, problem.message))
        log.exception("unhandled error on %s %s", request.method, request.path)
        return _error_response(ApiError(500, "internal_error",
                                        "the helper hit an unexpected error; nothing was changed"))


def _error_response(exc: ApiError) -> web.Response:
    response = web.json_response(exc.body(), status=exc.status)
    if exc.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="tousu-helper"'
    return response


@web.middleware
async def host_guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    port = local_port(request)
    allowed = {f"{h}:{port}" for h in LOOPBACK_HOSTS}
    if request.headers.get("Host", "").lower() not in allowed:
        raise ApiError(403, "forbidden_host",
                       "the Host header is not this helper's loopback address; requests through "
                       "other host names (DNS rebinding) are refused")
    return await handler(request)


@web.middleware
async def origin_guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    origin = request.headers.get("Origin")
    extension_origins: frozenset[str] = request.app[ALLOWED_ORIGINS]
    port = local_port(request)
    own_ui = {f"http://{h}:{port}" for h in LOOPBACK_HOSTS}
    if origin is None:
        if request.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site"):
            raise ApiError(403, "forbidden_origin", "cross-site requests are refused")
    elif origin not in extension_origins and origin not in own_ui:
        raise ApiError(403, "forbidden_origin",
                       "this origin may not use the helper; only the 投诉助手 extension and the "
                       "helper's own pages can")
    is_extension = origin in extension_origins
    if is_extension:
        request[CORS_ORIGIN] = origin
    if request.method == "OPTIONS":
        if not is_extension:
            raise ApiError(403, "forbidden_origin", "CORS is only offered to the 投诉助手 extension")
        response = web.Response(status=204)
        response.headers.update({
            "Access-Control-Allow-Methods": CORS_METHODS,
            "Access-Control-Allow-Headers": CORS_HEADERS,
            "Access-Control-Max-Age": "600",
        })
        if request.headers.get("Access-Control-Request-Private-Network") == "true":
            response.headers["Access-Control-Allow-Private-Network"] = "true"
        return response
    return await handler(request)


def _bearer(request: web.Request) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


@web.middleware
async def auth(request: web.Request, handler: Handler) -> web.StreamResponse:
    route = route_of(request)
    if route is None or route.auth == "public":
        return await handler(request)
    token = _bearer(request)
    if token is None:
        if route.auth == "client" and ui_session_ok(request):
            return await handler(request)  # the review UI, same-origin with its session cookie
        raise ApiError(401, "unauthorized",
                       "missing Authorization: Bearer token; pair the extension with `tousu-helper pair`")
    if route.auth == "admin":
        if "Origin" in request.headers or not hmac.compare_digest(token, request.app[SECRETS].admin_token()):
            raise ApiError(403, "forbidden", "this endpoint is for the local tousu-helper command only")
        return await handler(request)
    store = request.app[STORE]
    client = await store.clients.for_token(token)
    if client is None:
        raise ApiError(401, "invalid_token", "this token is unknown or was revoked; pair again")
    await store.clients.touch(client.id)
    request[CLIENT] = client
    return await handler(request)


@web.middleware
async def body_rules(request: web.Request, handler: Handler) -> web.StreamResponse:
    route = route_of(request)
    if route is None or request.method in ("GET", "HEAD", "OPTIONS", "DELETE"):
        return await handler(request)
    length = request.content_length
    if route.body_kind == "none":
        if length:
            raise ApiError(413, "body_too_large", "this endpoint takes no request body")
        return await handler(request)
    if length is not None and length > route.max_body:
        raise ApiError(413, "body_too_large",
                       f"request body is larger than this endpoint accepts ({route.max_body // KiB} KiB)")
    expected = "application/json" if route.body_kind == "json" else "multipart/form-data"
    if request.content_type != expected:
        raise ApiError(415, "unsupported_media_type", f"send the body as {expected}")
    return await handler(request)


MIDDLEWARES = [headers, errors, host_guard, origin_guard, auth, body_rules]
