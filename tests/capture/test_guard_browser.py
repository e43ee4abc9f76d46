"""The guard in the real browser: every request, redirects and subresources included."""

from __future__ import annotations

import pytest
from aiohttp import web

from tests.capture.conftest import CaptureEnv


def _redirect(target: str):  # noqa: ANN202
    async def handler(request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(target)
    return handler


@pytest.mark.parametrize(("url", "code"), [
    ("file:///etc/passwd", "invalid_request"),
    ("http://127.0.0.1:17345/api/v1/cases", "url_forbidden"),
    ("https://169.254.169.254/latest/meta-data/", "url_forbidden"),
    ("https://127.0.0.1/", "url_forbidden"),
    ("https://[::1]/", "url_forbidden"),
    ("https://evil.example/capture-landing.htm", "url_forbidden"),
    ("https://user@item.taobao.com/", "url_forbidden"),
    ("https://item.taobao.com:8443/", "url_forbidden"),
])
async def test_forbidden_urls_are_refused_before_any_browser_work(env: CaptureEnv, url: str,
                                                                   code: str) -> None:
    body = await env.capture({"url": url}, expect=422)
    assert body["error"]["code"] == code
    assert env.site.requests == []
    assert env.service._manager is None or env.service._manager.launches == 0  # noqa: SLF001


async def test_redirect_from_allowed_to_forbidden_host_fails_the_job(env: CaptureEnv) -> None:
    env.site.route("item.taobao.com", "/capture-redirect.htm",
                   _redirect("https://evil.example/capture-landing.htm"))
    job = await env.wait((await env.capture({"url": "https://item.taobao.com/capture-redirect.htm"}))["id"])
    assert job["state"] == "failed"
    assert job["error"]["code"] == "redirect_forbidden"
    assert "evil.example" in job["error"]["message"]
    assert ("evil.example", "/capture-landing.htm") not in env.site.requests
    assert [h for h, _ in env.site.requests] == ["item.taobao.com"]
    assert await env.api.json("GET", f"/cases/{env.case_id}/evidence") == {"evidence": []}


async def test_redirect_to_internal_address_is_blocked(env: CaptureEnv) -> None:
    env.site.route("item.taobao.com", "/capture-ssrf.htm",
                   _redirect("http://169.254.169.254/latest/meta-data/"))
    job = await env.wait((await env.capture({"url": "https://item.taobao.com/capture-ssrf.htm"}))["id"])
    assert job["state"] == "failed" and job["error"]["code"] == "redirect_forbidden"


async def test_allowed_redirect_chain_is_recorded(env: CaptureEnv) -> None:
    env.site.route("item.taobao.com", "/capture-moved.htm",
                   _redirect("https://item.taobao.com/capture-item.htm?id=1"))
    job = await env.wait((await env.capture({"url": "https://item.taobao.com/capture-moved.htm"}))["id"])
    assert job["state"] == "done", job
    meta = (await env.evidence(job["evidence_id"]))["metadata"]
    assert meta["redirect_chain"] == ["https://item.taobao.com/capture-moved.htm"]
    assert meta["final_url"] == "https://item.taobao.com/capture-item.htm?id=1"


async def test_subresource_redirect_and_script_navigation_are_blocked(env: CaptureEnv) -> None:
    env.site.route("img.alicdn.com", "/capture-bounce.png",
                   _redirect("https://evil.example/capture-bounced.png"))

    async def page(request: web.Request) -> web.Response:
        return web.Response(content_type="text/html", text="""<!doctype html><meta charset=utf-8>
<title>跳转测试</title><p>页面</p>
<img src="https://img.alicdn.com/capture-bounce.png">
<iframe src="https://evil.example/capture-frame.htm"></iframe>
<script>setTimeout(() => { location.href = "https://evil.example/capture-away.htm"; }, 10);
new WebSocket("wss://evil.example/capture-ws");</script>""")

    env.site.route("item.taobao.com", "/capture-leaky.htm", page)
    job = await env.wait((await env.capture({"url": "https://item.taobao.com/capture-leaky.htm"}))["id"])
    assert job["state"] == "done", job["error"]
    hosts = {h for h, _ in env.site.requests}
    assert "evil.example" not in hosts
    meta = (await env.evidence(job["evidence_id"]))["metadata"]
    assert meta["final_url"] == "https://item.taobao.com/capture-leaky.htm"
    assert any("evil.example" in b for b in meta["network"]["blocked"])
