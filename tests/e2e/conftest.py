"""E2E fixtures: the real helper on a free port, the HTTPS fixture site under the real
host names, and a real Chromium with the extension loaded (a fresh profile per test)."""

from __future__ import annotations

import asyncio
import json
import os
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from helper.app import create_app
from helper.config import Settings, load_settings
from helper.state import PAIRING, STORE
from tests.support.browser import CHROMIUM_ARGS, system_chromium
from tests.support.site import SITE_ROOT, FixtureSite

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "extension"
WEB = ROOT / "tests" / "fixtures" / "web" / "node_modules"
LIST = "https://buyertrade.taobao.com/trade/itemlist/list_bought_items.htm"

# The component library and React, from the npm registry (tests/fixtures/web), served
# under an alicdn-like path so the form pages load them like Taobao's do.
LIBS = {
    "/code/lib/react/18.3.1/umd/react.production.min.js": "react/umd/react.production.min.js",
    "/code/lib/react-dom/18.3.1/umd/react-dom.production.min.js": "react-dom/umd/react-dom.production.min.js",
    "/code/lib/moment/2.30.1/moment.min.js": "moment/min/moment.min.js",
    "/code/lib/alifd__next/1.27.34/next.min.js": "@alifd/next/dist/next.min.js",
    "/code/lib/alifd__next/1.27.34/next.min.css": "@alifd/next/dist/next.min.css",
}


def _file_handler(path: Path, content_type: str, charset: str | None = None,
                  headers: dict[str, str] | None = None):
    async def handler(request: web.Request) -> web.StreamResponse:
        if not path.is_file():
            return web.Response(status=404, text=f"missing {path} (run scripts/setup --test)")
        ct = f"{content_type}; charset={charset}" if charset else content_type
        return web.Response(body=path.read_bytes(), headers={"Content-Type": ct, **(headers or {})})
    return handler


def install_routes(site: FixtureSite) -> None:
    for url, rel in LIBS.items():
        ctype = "text/css" if url.endswith(".css") else "application/javascript"
        site.route("g.alicdn.com", url, _file_handler(WEB / rel, ctype, "utf-8"))
    itemlist = SITE_ROOT / "buyertrade.taobao.com" / "trade" / "itemlist"
    # Pages 2+ of the legacy list: GBK-encoded JSON, as Taobao sends it.
    site.route("buyertrade.taobao.com", "/trade/itemlist/asyncBought.htm",
               _file_handler(itemlist / "asyncBought.gbk.json", "application/json", "GBK"))
    mtop = SITE_ROOT / "h5api.m.taobao.com" / "h5" / "mtop.taobao.order.queryboughtlistv2" / "1.0" / "response.json"
    site.route("h5api.m.taobao.com", "/h5/mtop.taobao.order.queryboughtlistv2/1.0/",
               _file_handler(mtop, "application/json", "utf-8", {
                   "Access-Control-Allow-Origin": "https://buyertrade.taobao.com",
                   "Access-Control-Allow-Credentials": "true"}))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Helper:
    """The real helper app on a fixed free port; stop() then start() is a daemon restart
    (a fresh app on the same data dir, as `tousu-helper serve` would be)."""

    settings: Settings
    port: int
    app: web.Application | None = None
    runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def store(self):  # noqa: ANN201
        return self.app[STORE]

    async def get(self, path: str, token: str) -> Any:
        """A GET on the helper's API as a paired client (for assertions)."""
        import aiohttp

        async with aiohttp.ClientSession() as http, http.get(
                f"{self.url}/api/v1{path}", headers={"Authorization": f"Bearer {token}"}) as r:
            return await r.json()

    async def post(self, path: str, token: str, body: Any) -> Any:
        """A JSON POST on the helper's API as a paired client (to set up a case)."""
        import aiohttp

        async with aiohttp.ClientSession() as http, http.post(
                f"{self.url}/api/v1{path}", json=body,
                headers={"Authorization": f"Bearer {token}"}) as r:
            assert r.status < 300, await r.text()
            return await r.json()

    def pairing_code(self) -> str:
        return self.app[PAIRING].new_code()[0]

    async def start(self) -> None:
        self.app = create_app(self.settings)
        self.runner = web.AppRunner(self.app, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.shutdown()
            await self.runner.cleanup()
            self.runner = None


@pytest.fixture
async def site(tmp_path: Path) -> AsyncIterator[FixtureSite]:
    s = await FixtureSite(tmp_path / "site-certs").start()
    install_routes(s)
    yield s
    await s.stop()


@pytest.fixture
def helper_settings(tmp_path: Path, site: FixtureSite) -> Settings:
    return load_settings(tmp_path / "data", secrets_backend="file", capture={
        "browser": system_chromium(), "host_resolver_rules": site.resolver_rules, "ignore_https_errors": True})


@pytest.fixture
async def helper(helper_settings: Settings) -> AsyncIterator[Helper]:
    h = Helper(helper_settings, free_port())
    await h.start()
    yield h
    await h.stop()


class Browser:
    def __init__(self, ctx, sw, ext_id: str) -> None:  # noqa: ANN001
        self.ctx, self.sw, self.ext_id = ctx, sw, ext_id

    @property
    def options_url(self) -> str:
        return f"chrome-extension://{self.ext_id}/options/options.html"

    async def storage(self) -> dict[str, Any]:
        return await self.sw.evaluate("chrome.storage.local.get(null)")

    async def set_storage(self, values: dict[str, Any]) -> None:
        await self.sw.evaluate(f"chrome.storage.local.set({json.dumps(values)})")

    async def page(self, url: str):  # noqa: ANN201
        page = await self.ctx.new_page()
        await page.goto(url)
        return page


def ui_language_env(lang: str) -> dict[str, str]:
    """On Linux Chromium takes its UI language (chrome.i18n) from the environment, not --lang."""
    posix = lang.replace("-", "_")
    return {"LANGUAGE": posix, "LANG": f"{posix}.UTF-8", "LC_ALL": ""}


@asynccontextmanager
async def launch(profile: Path, site: FixtureSite, lang: str = "zh-CN") -> AsyncIterator[Browser]:
    """Chromium with the extension, a fresh profile, in the buyer's UI language."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        ctx = await pw.chromium.launch_persistent_context(
            str(profile), executable_path=system_chromium(), headless=True, locale=lang,
            env={**os.environ, **ui_language_env(lang)},
            ignore_https_errors=True, viewport={"width": 1280, "height": 900},
            args=[f"--disable-extensions-except={EXTENSION}", f"--load-extension={EXTENSION}",
                  *CHROMIUM_ARGS, f"--lang={lang}", f"--host-resolver-rules={site.resolver_rules}"])
        try:
            sw = ctx.service_workers[0] if ctx.service_workers else await ctx.wait_for_event("serviceworker")
            yield Browser(ctx, sw, sw.url.split("/")[2])
        finally:
            await ctx.close()


# The suite runs once per UI language (the extension follows the browser's, chrome.i18n);
# TOUSU_E2E_LANGS=zh-CN (or en-US) runs one of them.
LANGS = [lang for lang in os.environ.get("TOUSU_E2E_LANGS", "zh-CN,en-US").split(",") if lang]
LOCALES = {"zh-CN": "zh_CN", "en-US": "en"}


@dataclass(frozen=True)
class UiText:
    """The extension's words in one UI language, read from its own _locales: tests assert
    what the buyer reads in the language the browser runs in."""

    lang: str

    def __call__(self, key: str, *subs: object) -> str:
        messages = json.loads((EXTENSION / "_locales" / LOCALES[self.lang] / "messages.json").read_text(encoding="utf-8"))
        text = messages[key]["message"]
        for i, sub in enumerate(subs, start=1):
            text = text.replace(f"${i}", str(sub))
        return text

    @property
    def chinese(self) -> bool:
        return self.lang.startswith("zh")


@pytest.fixture(params=LANGS, ids=lambda lang: lang.split("-")[0])
def ui(request: pytest.FixtureRequest) -> UiText:
    return UiText(request.param)


@pytest.fixture
async def browser(tmp_path: Path, site: FixtureSite, ui: UiText) -> AsyncIterator[Browser]:
    async with launch(tmp_path / "profile", site, lang=ui.lang) as b:
        yield b


@pytest.fixture
async def paired(browser: Browser, helper: Helper) -> Browser:
    """The extension already paired (pairing itself is tested through the options page)."""
    _client, token = await helper.store.clients.create("e2e")
    await browser.set_storage({"helperUrl": helper.url, "token": token})
    return browser


async def wait_for(predicate, timeout: float = 10.0, interval: float = 0.1):  # noqa: ANN001, ANN201
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while True:
        value = predicate()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value
        if loop.time() > end:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(interval)
