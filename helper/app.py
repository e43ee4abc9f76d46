"""The aiohttp application factory."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from helper.api import all_routes
from helper.api.captures import setup_capture
from helper.capture.repair import repair_pending
from helper.api.routes import register
from helper.api.ui import setup_ui
from helper.config import Settings
from helper.secrets import LazyBackend, Pairing, Secrets
from helper.security import MIDDLEWARES, extension_origin
from helper.complaint.agenda import Agenda
from helper.state import AGENDA, ALLOWED_ORIGINS, PAIRING, SECRETS, SETTINGS, STORE
from helper.store import Store


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
    register(app, all_routes())
    app[AGENDA] = Agenda(settings.complaint)
    app[STORE] = Store(settings.data_dir, agenda=app[AGENDA].plan)
    app.cleanup_ctx.append(_store_lifetime)
    setup_capture(app)  # evidence capture: jobs, events; the browser starts on first use
    setup_ui(app)  # the review UI at /: pages, sessions, thumbnails
    return app


async def _store_lifetime(app: web.Application) -> AsyncIterator[None]:
    """Open (and migrate) the store before serving, so a broken database stops start-up
    with its reason; finish captures a crash left pending (capture/repair.py); recompute
    the agenda in the background when the rules changed."""
    store = app[STORE]
    await store.open()
    await repair_pending(store, app[SECRETS])  # captures a crash left half-done
    rebuild = asyncio.create_task(store.agenda.rebuild_if_stale(app[AGENDA].fingerprint))
    yield
    rebuild.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await rebuild
    store.close()
