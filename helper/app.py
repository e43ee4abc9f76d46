"""The aiohttp application factory."""

from __future__ import annotations

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from helper.api import PREFIX, all_routes
from helper.api.captures import setup_capture
from helper.api.routes import ROUTE_KEY
from helper.api.ui import setup_ui
from helper.config import Settings
from helper.secrets import LazyBackend, Pairing, Secrets
from helper.security import MIDDLEWARES, extension_origin
from helper.state import ALLOWED_ORIGINS, PAIRING, SECRETS, SETTINGS, STORE
from helper.store import open_store


class AccessLogger(AbstractAccessLogger):
    """Method, path, status, time — never the query string (it may hold a buyer's search)."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info("%s %s %s %.1fms", request.method, request.path, response.status,
                         time * 1000)


def create_app(settings: Settings, secrets: Secrets | None = None) -> web.Application:
    app = web.Application(middlewares=MIDDLEWARES, client_max_size=1024 * 1024)
    app[SETTINGS] = settings
    app[SECRETS] = secrets or Secrets(LazyBackend(settings.data_dir, settings.secrets_backend),
                                      settings.data_dir)
    app[PAIRING] = Pairing()
    app[ALLOWED_ORIGINS] = frozenset(extension_origin(i) for i in settings.extension_ids)
    for route in all_routes():
        setattr(route.handler, ROUTE_KEY, route)
        app.router.add_route(route.method, PREFIX + route.path, route.handler)
    app[STORE] = open_store(settings.data_dir)
    setup_capture(app)  # evidence capture: jobs, events; the browser starts on first use
    setup_ui(app)  # the review UI at /: pages, sessions, thumbnails
    app.on_cleanup.append(_close_store)
    return app


async def _close_store(app: web.Application) -> None:
    app[STORE].close()
