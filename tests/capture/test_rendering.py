"""Chinese renders as Chinese (not tofu) in the PNG and the PDF; cookies; the event stream."""

from __future__ import annotations

import asyncio
import json

from aiohttp import web

from tests.capture.conftest import CaptureEnv
from tests.capture.imaging import decode_png, pdf_font_names

CJK = "https://item.taobao.com/capture-cjk.htm"


async def test_chinese_text_renders_in_png_and_pdf(env: CaptureEnv) -> None:
    job = await env.wait((await env.capture({"url": CJK}))["id"])
    assert job["state"] == "done", job
    png = decode_png(await env.artifact(job["evidence_id"], "screenshot"))
    cells = [png.region(i * 100 + 5, 25, i * 100 + 95, 115) for i in range(6)]
    blank = png.region(700, 25, 790, 115)
    for cell in cells:
        assert cell != blank, "a character cell is empty"
    # missing glyphs all draw the same box; six different characters must look different
    assert len(set(cells)) == 6, "Chinese characters render as identical boxes (tofu)"
    fonts = pdf_font_names(await env.artifact(job["evidence_id"], "pdf"))
    assert any("CJK" in f or "Han" in f or "Hei" in f or "Song" in f for f in fonts), fonts


async def test_forwarded_cookies_reach_the_page_and_are_never_stored(env: CaptureEnv) -> None:
    secret = "c00kie-Secret-4bd1f0"

    async def account(request: web.Request) -> web.Response:
        state = "已登录" if request.cookies.get("cookie2") == secret else "未登录"
        return web.Response(content_type="text/html", charset="utf-8",
                            text=f"<!doctype html><title>我的订单</title><p id=s>{state}</p>")

    env.site.route("buyertrade.taobao.com", "/capture-account.htm", account)
    job = await env.capture({"url": "https://buyertrade.taobao.com/capture-account.htm",
                             "cookies": [{"name": "cookie2", "value": secret, "domain": ".taobao.com",
                                          "http_only": True}]})
    assert secret not in json.dumps(job)
    job = await env.wait(job["id"])
    assert job["state"] == "done", job
    ev = await env.evidence(job["evidence_id"])
    assert "已登录" in (await env.artifact(ev["id"], "html")).decode()
    assert ev["metadata"]["cookies_forwarded"] == 1
    # nowhere on disk: not in the database, not in any blob
    data_dir = env.service.settings.data_dir
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path
    # a cookie for a host outside the allowlist is refused
    body = await env.capture({"url": "https://buyertrade.taobao.com/capture-account.htm",
                              "cookies": [{"name": "x", "value": "y", "domain": "evil.example"}]},
                             expect=422)
    assert body["error"]["code"] == "url_forbidden"


async def test_event_stream_reports_job_progress(env: CaptureEnv) -> None:
    response = await env.api.get("/events", params={"case_id": env.case_id})
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/event-stream")
    assert response.headers["X-Tousu-Helper"]
    job = await env.capture({"tab_snapshot": {"url": CJK, "html": "<p>事件流测试</p>"}})
    states = []

    async def read() -> None:
        event = None
        async for raw in response.content:
            line = raw.decode().rstrip("\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: ") and event == "job":
                data = json.loads(line[6:])
                if data["id"] == job["id"]:
                    states.append(data["state"])
                    if data["state"] in ("done", "failed"):
                        return

    await asyncio.wait_for(read(), 60)
    response.close()
    assert states[-1] == "done"
    assert "acknowledged" in states
    assert (await env.api.json("GET", f"/jobs/{job['id']}"))["state"] == "done"
    missing = await env.api.get("/jobs/job-000000000000")
    assert missing.status == 404
