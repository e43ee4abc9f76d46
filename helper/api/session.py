"""The login-URL route of the review UI; sessions themselves live in helper/sessions.py."""

from __future__ import annotations

from aiohttp import web

from helper.api.routes import Route, json_response
from helper.models import UiLogin
from helper.sessions import SESSIONS, own_origin


async def new_login(request: web.Request) -> web.Response:
    ticket, expires_at = request.app[SESSIONS].new_ticket()
    return json_response(UiLogin(url=f"{own_origin(request)}/login?ticket={ticket}",
                                 expires_at=expires_at), status=201)


ROUTES = [
    Route("POST", "/admin/ui-login", new_login,
          "One-time login URL for the review UI (local CLI only, admin token)", auth="admin",
          response=UiLogin, status=201),
]
