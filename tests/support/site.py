"""The fixture site: pages served over HTTPS under their real host names.

Files live in `tests/fixtures/site/<host>/<path>` (e.g.
`buyertrade.taobao.com/trade/itemlist/list_bought_items.htm`); the query string is
ignored unless a test registers its own handler with `site.route(host, path, handler)`.
Chromium reaches it through `--host-resolver-rules` (see `resolver_rules`), so pages,
content scripts and the capture guard all see the real Taobao host names.
"""

from __future__ import annotations

import mimetypes
import ssl
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web

from tests.support.certs import HOST_SUFFIXES, make_cert

SITE_ROOT = Path(__file__).resolve().parent.parent / "fixtures" / "site"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

CHARSET_OVERRIDES = {".htm": "text/html", ".html": "text/html"}


class FixtureSite:
    def __init__(self, workdir: Path, root: Path = SITE_ROOT) -> None:
        self.root = root
        self.workdir = workdir
        self.port = 0
        self.requests: list[tuple[str, str]] = []
        self._routes: dict[tuple[str, str], Handler] = {}
        self._runner: web.AppRunner | None = None

    def route(self, host: str, path: str, handler: Handler) -> None:
        self._routes[(host, path)] = handler

    @property
    def resolver_rules(self) -> str:
        """Chromium `--host-resolver-rules` mapping every test host suffix to this server."""
        return ", ".join(f"MAP *.{s}:443 127.0.0.1:{self.port}, MAP {s}:443 127.0.0.1:{self.port}"
                         for s in HOST_SUFFIXES)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        host = request.host.split(":")[0].lower()
        self.requests.append((host, request.path_qs))
        handler = self._routes.get((host, request.path))
        if handler is not None:
            return await handler(request)
        path = (self.root / host / request.path.lstrip("/")).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            return web.Response(status=404, text=f"fixture not found: {host}{request.path}")
        content_type = CHARSET_OVERRIDES.get(path.suffix) or mimetypes.guess_type(path.name)[0] \
            or "application/octet-stream"
        charset = "gbk" if ".gbk." in path.name else None
        body = path.read_bytes()
        if charset:
            return web.Response(body=body, headers={"Content-Type": f"{content_type}; charset=GBK"})
        return web.Response(body=body, content_type=content_type,
                            charset="utf-8" if content_type.startswith("text/") else None)

    async def start(self) -> FixtureSite:
        cert, key = make_cert(self.workdir)
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(cert, key)
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, ssl_context=ctx)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
