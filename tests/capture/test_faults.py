"""Faults end in a clear job error or a `partial` capture; the helper keeps serving and no
half-written artifact becomes visible."""

from __future__ import annotations

import asyncio
import os
import signal

from aiohttp import web

from tests.capture.conftest import CaptureEnv


async def _healthy(env: CaptureEnv) -> None:
    assert (await env.api.json("GET", "/health"))["name"] == "tousu-helper"
    assert not any(env.store.blobs.tmp.iterdir()), "a half-written blob was left behind"


async def test_page_that_never_finishes_loading_is_captured_partial(env: CaptureEnv) -> None:
    env.service.settings.capture.navigation_timeout_s = 3

    async def never(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/html; charset=utf-8"})
        await response.prepare(request)
        await response.write("<!doctype html><meta charset=utf-8><title>一直在加载</title>"
                             "<h1>商品页面正在加载</h1>".encode())
        for _ in range(600):
            await asyncio.sleep(0.1)
            try:
                await response.write(b" ")
            except (ConnectionError, RuntimeError):
                break
        return response

    env.site.route("item.taobao.com", "/capture-never.htm", never)
    job = await env.wait((await env.capture({"url": "https://item.taobao.com/capture-never.htm"}))["id"])
    assert job["state"] == "done", job
    assert job["evidence_status"] == "partial"
    ev = await env.evidence(job["evidence_id"])
    assert ev["status"] == "partial"
    assert any(r.startswith("navigation_timeout") for r in ev["metadata"]["partial_reasons"])
    assert "商品页面正在加载" in (await env.artifact(ev["id"], "html")).decode()
    assert {"html", "mhtml", "capture_log"} <= {a["role"] for a in ev["artifacts"]}
    await _healthy(env)


async def test_server_that_sends_nothing_fails_the_job(env: CaptureEnv) -> None:
    env.service.settings.capture.navigation_timeout_s = 2

    async def silent(request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(8)
        return web.Response(text="too late")

    env.site.route("item.taobao.com", "/capture-silent.htm", silent)
    job = await env.wait((await env.capture({"url": "https://item.taobao.com/capture-silent.htm"}))["id"])
    assert job["state"] == "failed" and job["error"]["code"] == "navigation_timeout", job
    assert (await env.api.json("GET", f"/cases/{env.case_id}/evidence"))["evidence"] == []
    await _healthy(env)


async def test_40_mb_page_ends_partial_or_with_a_clear_error(env: CaptureEnv) -> None:
    cap = env.service.settings.capture
    cap.navigation_timeout_s, cap.capture_timeout_s = 10, 25
    row = "<div>第{:06d}行 商品描述 无线蓝牙耳机 降噪版 官方正品 七天无理由退货</div>\n"
    body = ("<!doctype html><meta charset=utf-8><title>超大页面</title>"
            + "".join(row.format(i) for i in range(500_000))).encode()
    assert len(body) > 40 * 1024 * 1024

    async def huge(request: web.Request) -> web.Response:
        return web.Response(body=body, content_type="text/html", charset="utf-8")

    env.site.route("item.taobao.com", "/capture-huge.htm", huge)
    started = asyncio.get_running_loop().time()
    job = await env.wait((await env.capture({"url": "https://item.taobao.com/capture-huge.htm"}))["id"],
                         timeout=120)
    # the capture budget is 25 s; the margin is for serving 40 MB through this process
    assert asyncio.get_running_loop().time() - started < 60, job
    if job["state"] == "failed":
        assert job["error"]["code"] and job["error"]["message"]
    else:
        assert job["evidence_status"] == "partial", job
        ev = await env.evidence(job["evidence_id"])
        assert ev["metadata"]["partial_reasons"] or any(
            a["role"] == "capture_log" for a in ev["artifacts"])
    await _healthy(env)


async def test_browser_killed_before_commit_is_restarted_and_the_capture_retried(env: CaptureEnv) -> None:
    hits = 0
    first_hit = asyncio.Event()

    async def slow_once(request: web.Request) -> web.Response:
        nonlocal hits
        hits += 1
        if hits == 1:
            first_hit.set()
            await asyncio.sleep(3)
        return web.Response(content_type="text/html", charset="utf-8",
                            text="<!doctype html><title>重试</title><p>第二次加载成功</p>")

    env.site.route("item.taobao.com", "/capture-crash.htm", slow_once)
    job = await env.capture({"url": "https://item.taobao.com/capture-crash.htm"})
    await asyncio.wait_for(first_hit.wait(), 30)
    pid = env.service.manager.browser_pid()
    assert pid
    os.kill(pid, signal.SIGKILL)
    job = await env.wait(job["id"])
    assert job["state"] == "done" and job["evidence_status"] == "complete", job
    assert env.service.manager.launches == 2
    ev = await env.evidence(job["evidence_id"])
    assert "第二次加载成功" in (await env.artifact(ev["id"], "html")).decode()
    await _healthy(env)


async def test_browser_killed_after_commit_leaves_a_partial_capture(env: CaptureEnv) -> None:
    rows = "".join(f"<div style='height:40px'>订单行 {i} 商品 ¥{i}.00</div>" for i in range(1500))

    async def tall(request: web.Request) -> web.Response:
        return web.Response(content_type="text/html", charset="utf-8",
                            text=f"<!doctype html><title>很长的页面</title>{rows}")

    env.site.route("buyertrade.taobao.com", "/capture-tall.htm", tall)
    job = await env.capture({"url": "https://buyertrade.taobao.com/capture-tall.htm"})
    for _ in range(3000):
        current = env.service.jobs.get(job["id"])
        if current.stage in ("screenshot", "pdf") or current.state.value in ("done", "failed"):
            break
        await asyncio.sleep(0.005)
    assert current.state.value == "acknowledged", current
    os.kill(env.service.manager.browser_pid(), signal.SIGKILL)
    job = await env.wait(job["id"])
    assert job["state"] == "done" and job["evidence_status"] == "partial", job
    ev = await env.evidence(job["evidence_id"])
    assert ev["status"] == "partial"
    log = (await env.artifact(ev["id"], "capture_log")).decode()
    assert "browser_crashed" in log
    # the helper keeps serving and the next capture gets a fresh browser
    job2 = await env.wait((await env.capture({"url": "https://item.taobao.com/capture-item.htm"}))["id"])
    assert job2["state"] == "done" and job2["evidence_status"] == "complete", job2
    await _healthy(env)
