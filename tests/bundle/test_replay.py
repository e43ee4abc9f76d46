"""The exported WACZ replays in ReplayWeb.page (npm `replaywebpage`, served from
tests/fixtures/web/node_modules on loopback) in real Chromium: the archived page's title
and the order id it shows are there in the replay, loaded from the WACZ alone."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from helper.cli import main
from tests.capture.conftest import CaptureEnv
from tests.support.browser import system_chromium

pytestmark = pytest.mark.browser

REPLAY = Path(__file__).resolve().parents[1] / "fixtures" / "web" / "node_modules" / "replaywebpage"
PAGE = "https://trade.taobao.com/capture-replay.htm"
ORDER_ID = "4865640015090004803"
INDEX = f"""<!doctype html><html><head><meta charset="utf-8"><script src="/ui.js"></script></head>
<body><replay-web-page source="/case.wacz" url="{PAGE}" replayBase="/replay/" embed="replayonly"
 style="display:block;width:1200px;height:800px"></replay-web-page></body></html>"""


@pytest.fixture
async def player(tmp_path: Path) -> AsyncIterator[tuple[str, Path]]:
    """ReplayWeb.page's UI and service worker and the WACZ, on a loopback origin (a secure
    context: service workers run)."""
    if not (REPLAY / "sw.js").is_file():
        pytest.fail(f"ReplayWeb.page is not installed at {REPLAY}; scripts/setup --test runs npm ci in "
                    "tests/fixtures/web")
    wacz = tmp_path / "case.wacz"
    app = web.Application()

    async def index(_: web.Request) -> web.Response:
        return web.Response(text=INDEX, content_type="text/html")

    def serve(path: Path, media_type: str) -> object:
        async def handler(_: web.Request) -> web.FileResponse:
            return web.FileResponse(path, headers={"Content-Type": media_type})
        return handler

    app.router.add_get("/", index)
    for where in ("/ui.js", "/replay/ui.js"):
        app.router.add_get(where, serve(REPLAY / "ui.js", "text/javascript"))
    app.router.add_get("/replay/sw.js", serve(REPLAY / "sw.js", "text/javascript"))
    app.router.add_get("/replay/", serve(REPLAY / "index.html", "text/html"))
    app.router.add_get("/case.wacz", serve(wacz, "application/wacz"))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}/", wacz
    await runner.cleanup()


async def test_the_wacz_replays_in_replaywebpage(env: CaptureEnv, player: tuple[str, Path]) -> None:
    from playwright.async_api import async_playwright

    async def page(_: web.Request) -> web.Response:
        return web.Response(content_type="text/html", charset="utf-8", text=(
            "<!doctype html><title>订单详情 - 回放测试</title>"
            f"<h1>订单详情</h1><p id=order>订单号：{ORDER_ID}</p>"
            '<img src="https://img.alicdn.com/capture-red.png" alt="">'))

    env.site.route("trade.taobao.com", "/capture-replay.htm", page)
    job = await env.wait((await env.capture({"url": PAGE}))["id"])
    assert job["state"] == "done", job
    url, wacz = player
    code = await asyncio.to_thread(main, ["export", env.case_id, "-o", str(wacz), "--format", "wacz",
                                          "--data-dir", str(env.service.settings.data_dir)])
    assert code == 0
    requests_before = len(env.site.requests)

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=system_chromium(), args=["--no-sandbox"])
        try:
            context = await browser.new_context()
            tab = await context.new_page()
            messages: list[str] = []
            tab.on("console", lambda m: messages.append(m.text))
            missing: list[str] = []
            context.on("response", lambda r: missing.append(f"{r.status} {r.url}") if r.status >= 400 else None)
            await tab.goto(url)
            archived = None
            for _ in range(300):  # the service worker loads the WACZ, then the archived page
                archived = next((f for f in tab.frames if "capture-replay.htm" in f.url
                                 and "mp_/" in f.url), None)
                if archived is not None and await _text(archived, "#order"):
                    break
                await asyncio.sleep(0.1)
            assert archived is not None, "\n".join([f.url for f in tab.frames] + messages + missing)
            assert await archived.title() == "订单详情 - 回放测试"
            assert await _text(archived, "#order") == f"订单号：{ORDER_ID}"
        finally:
            await browser.close()
    assert len(env.site.requests) == requests_before  # replayed from the WACZ, not the site


async def _text(frame: object, selector: str) -> str | None:
    try:
        return await frame.text_content(selector, timeout=200)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - not loaded yet
        return None
