"""Capture benchmark: the helper's URL capture and tab snapshot against bare Playwright.

`python -m benchmarks.capture` (or `scripts/bench capture`) prints one JSON document.
Pages are served by the tests' HTTPS fixture site under real Taobao host names:
- heavy: an order list of ~2 MB HTML and ~10,000 px, 120 rows with locally served images
  (half of them `loading=lazy`) and a large inline JSON blob, as Taobao's pages have;
- light: a short listing page.
Baseline, measured in the same run on the same warm system Chromium: a bare Playwright
script doing navigate (load) + full-page PNG + MHTML (CDP) + PDF in sequence.
Helper, through its real HTTP API on a warm browser:
- acknowledged_s: POST → the job's `acknowledged` server-sent event (evidence row and
  primary hashes committed, manifest signed);
- all_artifacts_s: POST → the `done` event (PNG, PDF and capture log chained);
- tab snapshot (heavy page's HTML posted as the extension would): POST → 202 answer,
  which is sent after the snapshot is committed.
Medians of RUNS runs (baseline and helper interleaved), then ratios. Finally 20 heavy
captures are queued at once and the peak RSS of the whole process tree (helper,
Playwright driver, browser; the in-process fixture server is included) is sampled.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from helper.api.captures import CAPTURE
from helper.app import create_app
from helper.config import load_settings
from helper.state import PAIRING
from tests.conftest import sample_order
from tests.support.browser import CHROMIUM_ARGS, system_chromium
from tests.support.site import FixtureSite

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
HEAVY = "https://buyertrade.taobao.com/trade/itemlist/capture-bench-heavy.htm"
LIGHT = "https://item.taobao.com/capture-item.htm?id=712345678901"
ROWS = 120
QUEUE_SAMPLE_DONE = int(os.environ.get("BENCH_QUEUE_DONE", "4"))
QUEUE_SAMPLE_S = 180.0


def _png(i: int) -> bytes:
    from tests.capture.imaging import make_png

    return make_png(80, 80, ((i * 53) % 256, (i * 97) % 256, (i * 31) % 256))


def heavy_page() -> bytes:
    blob = json.dumps({"mainOrders": [{"id": f"48656400150900{i:05d}", "extra": "数据" * 2500}
                                      for i in range(ROWS)]}, ensure_ascii=False)
    rows = []
    for i in range(ROWS):
        lazy = ' loading="lazy"' if i > ROWS // 2 else ""
        cells = "".join(f'<td class="c{j} tb-td-{i}-{j}" data-spm="d{i}{j}">'
                        f'<span class="label">字段{j}</span><span class="v">值 {i}-{j} 订单详情 商品信息</span></td>'
                        for j in range(12))
        rows.append(
            f'<table class="order-row bought-wrapper-mod__table" data-id="{i}" style="height:80px;'
            f'width:100%"><tr><td><img src="https://img.alicdn.com/capture-bench-{i}.png" width="80" '
            f'height="80"{lazy}></td><td><a href="https://item.taobao.com/item.htm?id={i}">无线蓝牙耳机 '
            f'降噪版 第{i}件 商品标题很长很长</a></td>{cells}<td class="price">¥{i}.40</td></tr></table>')
    html = ("<!DOCTYPE html><html lang=zh-CN><head><meta charset=utf-8><title>已买到的宝贝</title>"
            "<style>body{font-family:sans-serif;margin:0}.order-row{border-bottom:1px solid #eee}"
            "td{font-size:12px;padding:0 4px}</style></head><body><h1>已买到的宝贝</h1>"
            + "".join(rows) + f"<script>var data = {blob};</script></body></html>")
    return html.encode()


def _tree_memory_kib(root: int) -> dict[str, int]:
    """RSS and PSS summed over a process tree. RSS counts the pages Chromium's processes
    share once per process; PSS splits shared pages between them, so it is the honest
    total (smaps_rollup; both are reported)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    totals: dict[str, Any] = {"rss": 0, "pss": 0, "processes": 0, "by_kind": {}}
    stack = [root]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        totals["processes"] += 1
        joined = b" ".join(cmdline).decode(errors="replace")
        if "--type=" in joined:  # Chromium rewrites its argv into one string
            kind = "chromium " + joined.split("--type=", 1)[1].split()[0]
        elif "playwright_chromiumdev_profile" in joined or "chromium" in joined.split(" ", 1)[0]:
            kind = "chromium browser"
        else:
            kind = Path(cmdline[0].decode(errors="replace") or "?").name
        for line in rollup.splitlines():
            key, _, rest = line.partition(":")
            if key in ("Rss", "Pss"):
                totals[key.lower()] += int(rest.split()[0])
                if key == "Pss":
                    totals["by_kind"][kind] = totals["by_kind"].get(kind, 0) + int(rest.split()[0])
    return totals


async def baseline_once(browser: Any, url: str) -> float:
    start = time.perf_counter()
    context = await browser.new_context(viewport={"width": 1280, "height": 800}, ignore_https_errors=True)
    page = await context.new_page()
    await page.goto(url, wait_until="load")
    await page.screenshot(full_page=True)
    cdp = await context.new_cdp_session(page)
    await cdp.send("Page.captureSnapshot", {"format": "mhtml"})
    await page.pdf()
    elapsed = time.perf_counter() - start
    await context.close()
    return elapsed


class Helper:
    def __init__(self, client: TestClient, token: str, app: web.Application, case_id: str) -> None:
        self.client, self.token, self.app, self.case_id = client, token, app, case_id
        self.events: dict[str, dict[str, float]] = {}
        self._stream: asyncio.Task[None] | None = None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    async def listen(self) -> None:
        response = await self.client.get("/api/v1/events", headers=self.headers)
        ready = asyncio.Event()

        async def read() -> None:
            event = None
            ready.set()
            async for raw in response.content:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: ") and event == "job":
                    job = json.loads(line[6:])
                    self.events.setdefault(job["id"], {}).setdefault(job["state"], time.perf_counter())

        self._stream = asyncio.get_running_loop().create_task(read())
        await ready.wait()

    async def post(self, payload: dict[str, Any]) -> tuple[dict[str, Any], float]:
        start = time.perf_counter()
        response = await self.client.post(f"/api/v1/cases/{self.case_id}/captures", json=payload,
                                          headers=self.headers)
        body = await response.json()
        assert response.status == 202, body
        return body, start

    async def wait(self, job_id: str, state: str, timeout: float = 180) -> float:
        deadline = time.perf_counter() + timeout
        while True:
            seen = self.events.get(job_id, {})
            if state in seen:
                return seen[state]
            if "failed" in seen:
                job = await (await self.client.get(f"/api/v1/jobs/{job_id}", headers=self.headers)).json()
                raise RuntimeError(f"capture failed: {job['error']}")
            if time.perf_counter() > deadline:
                raise TimeoutError(job_id)
            await asyncio.sleep(0.005)

    async def url_capture(self, url: str) -> dict[str, Any]:
        job, start = await self.post({"url": url})
        ack = await self.wait(job["id"], "acknowledged")
        done = await self.wait(job["id"], "done")
        final = await (await self.client.get(f"/api/v1/jobs/{job['id']}", headers=self.headers)).json()
        await self.app[CAPTURE].service.idle()  # the next measurement starts from a quiet machine
        assert final["evidence_status"] == "complete", final
        return {"acknowledged_s": ack - start, "all_artifacts_s": done - start,
                "server_timings": final["timings"]}

    async def tab_snapshot(self, url: str, html: str, shot: bytes) -> dict[str, float]:
        job, start = await self.post({"tab_snapshot": {
            "url": url, "title": "已买到的宝贝", "html": html,
            "screenshot_png": base64.b64encode(shot).decode()}})
        acked = time.perf_counter()
        assert job["state"] == "acknowledged"
        done = await self.wait(job["id"], "done")
        return {"acknowledged_s": acked - start, "rendered_s": done - start}


def _progress(*parts: object) -> None:
    print("[bench capture]", *parts, file=sys.stderr, flush=True)


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 3)


async def main() -> dict[str, Any]:
    from playwright.async_api import async_playwright

    work = Path(tempfile.mkdtemp(prefix="tousu-bench-"))
    site = await FixtureSite(work / "certs").start()
    heavy = heavy_page()

    async def heavy_handler(request: web.Request) -> web.Response:
        return web.Response(body=heavy, content_type="text/html", charset="utf-8")

    site.route("buyertrade.taobao.com", "/trade/itemlist/capture-bench-heavy.htm", heavy_handler)
    images = {f"/capture-bench-{i}.png": _png(i) for i in range(ROWS)}

    async def image(request: web.Request) -> web.Response:
        return web.Response(body=images[request.path], content_type="image/png")

    for path in images:
        site.route("img.alicdn.com", path, image)

    settings = load_settings(work / "data", secrets_backend="file")
    chromium = system_chromium()
    settings.capture.browser = chromium
    settings.capture.host_resolver_rules = site.resolver_rules
    settings.capture.ignore_https_errors = True
    settings.capture.concurrency = int(os.environ.get("BENCH_CONCURRENCY", "2"))
    app = create_app(settings)
    client = TestClient(TestServer(app))
    await client.start_server()
    code, _ = app[PAIRING].new_code()
    token = (await (await client.post("/api/v1/pair", json={"code": code, "client_name": "bench"})).json())["token"]
    order = await (await client.post("/api/v1/orders", json=sample_order(),
                                     headers={"Authorization": f"Bearer {token}"})).json()
    helper = Helper(client, token, app, order["case"]["id"])
    await helper.listen()

    pw = await async_playwright().start()
    browser = await pw.chromium.launch(executable_path=chromium, headless=True, args=[
        *CHROMIUM_ARGS, f"--host-resolver-rules={site.resolver_rules}"])
    result: dict[str, Any] = {"benchmark": "capture", "runs": RUNS, "chromium": browser.version,
                              "cpus": os.cpu_count(), "pages": {}}
    try:
        for name, url in (("heavy", HEAVY), ("light", LIGHT)):
            await baseline_once(browser, url)  # warm both: caches, fonts, first-launch costs
            await helper.url_capture(url)
            base, ack, done, stages = [], [], [], []
            for _ in range(RUNS):
                base.append(await baseline_once(browser, url))
                run = await helper.url_capture(url)
                _progress(name, "baseline", round(base[-1], 2), "helper", run)
                ack.append(run["acknowledged_s"])
                done.append(run["all_artifacts_s"])
                stages.append(run["server_timings"])
            b = _median(base)
            result["pages"][name] = {
                "url": url,
                "html_bytes": len(heavy) if name == "heavy" else None,
                "baseline_s": b, "acknowledged_s": _median(ack), "all_artifacts_s": _median(done),
                "acknowledged_ratio": round(_median(ack) / b, 3),
                "all_artifacts_ratio": round(_median(done) / b, 3),
                "server_stage_medians_s": {k: _median([s[k] for s in stages if k in s])
                                           for k in stages[0]},
                "samples": {"baseline_s": [round(x, 3) for x in base],
                            "acknowledged_s": [round(x, 3) for x in ack],
                            "all_artifacts_s": [round(x, 3) for x in done]},
            }
        page_height = await _height(browser, HEAVY)
        result["pages"]["heavy"]["height_px"] = page_height
        await browser.close()
        await pw.stop()

        from tests.capture.imaging import make_png

        shot = make_png(1280, 800, (240, 240, 240))
        html = heavy.decode()
        await helper.tab_snapshot(HEAVY, html, shot)  # warm
        snaps = [await helper.tab_snapshot(HEAVY, html, shot) for _ in range(RUNS)]
        _progress("tab snapshots", snaps)
        result["tab_snapshot_heavy"] = {
            "acknowledged_s": _median([s["acknowledged_s"] for s in snaps]),
            "rendered_s": _median([s["rendered_s"] for s in snaps]),
            "target_acknowledged_s": 1.5,
        }

        # 20 heavy captures queued at once: peak memory of helper + driver + browser
        idle = _tree_memory_kib(os.getpid())
        peak = dict(idle)
        jobs = []
        for _ in range(20):
            job, _ = await helper.post({"url": HEAVY})
            jobs.append(job["id"])
        start = time.perf_counter()

        def finished() -> list[str]:
            return [j for j in jobs if {"done", "failed"} & helper.events.get(j, {}).keys()]

        # sample while the queue is full and captures turn over; the rest are cancelled
        while len(finished()) < QUEUE_SAMPLE_DONE and time.perf_counter() - start < QUEUE_SAMPLE_S:
            now = _tree_memory_kib(os.getpid())
            if now["pss"] > peak["pss"]:
                peak = now
            await asyncio.sleep(0.2)
        failed = [j for j in jobs if "failed" in helper.events.get(j, {})]
        result["queued_20"] = {
            "peak_pss_mib": round(peak["pss"] / 1024, 1), "peak_rss_sum_mib": round(peak["rss"] / 1024, 1),
            "idle_pss_mib": round(idle["pss"] / 1024, 1), "peak_processes": peak["processes"],
            "peak_pss_by_process_kind_mib": {k: round(v / 1024, 1) for k, v in
                                             sorted(peak["by_kind"].items(), key=lambda kv: -kv[1])},
            "target_mib": 1024, "sampled_s": round(time.perf_counter() - start, 2),
            "completed_while_sampling": len(finished()), "failed": len(failed),
            "concurrency": settings.capture.concurrency,
            "note": "whole process tree of this benchmark: helper, fixture site (holds the pages "
                    "in memory), Playwright driver, Chromium",
        }
        _progress("queued", result["queued_20"])
        h = result["pages"]["heavy"]
        result["targets"] = {
            "heavy_acknowledged_le_0.5x_baseline": h["acknowledged_ratio"] <= 0.5,
            "heavy_all_artifacts_le_1.0x_baseline": h["all_artifacts_ratio"] <= 1.0,
            "light_acknowledged_le_0.5x_baseline": result["pages"]["light"]["acknowledged_ratio"] <= 0.5,
            "light_all_artifacts_le_1.0x_baseline": result["pages"]["light"]["all_artifacts_ratio"] <= 1.0,
            "tab_snapshot_heavy_acknowledged_lt_1.5s": result["tab_snapshot_heavy"]["acknowledged_s"] < 1.5,
            "memory_20_queued_lt_1GiB (PSS)": result["queued_20"]["peak_pss_mib"] < 1024,
        }
    finally:
        if helper._stream:
            helper._stream.cancel()
        await client.close()
        await site.stop()
    return result


async def _height(browser: Any, url: str) -> int:
    context = await browser.new_context(viewport={"width": 1280, "height": 800}, ignore_https_errors=True)
    page = await context.new_page()
    await page.goto(url)
    height = await page.evaluate("document.documentElement.scrollHeight")
    await context.close()
    return height


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main()), ensure_ascii=False, indent=2))
    sys.stdout.flush()
