"""Extension benchmark: real Chromium with the extension, the real helper, fixture pages.

Prints one JSON document:
- `click_to_case_saved_ms`: from the click on a row's 投诉助手 button to the panel showing
  `[data-tousu-state="saved"]` (content script → service worker → POST /orders → reply),
  measured inside the page with performance.now(), on a heavy legacy list page (50 orders
  plus ~2 MB of page markup, like the real 已买到的宝贝). Target p95 < 300 ms.
  `baseline_fetch_ms` is the same POST /orders made directly from the service worker,
  measured in the same run, so the ratio shows what the page → worker hop costs.
- `content_script_main_thread_ms`: main-thread JavaScript time of the extension's content
  scripts on a 50-order page load (V8 sampling profiler over CDP, 100 µs interval,
  inclusive time of frames from our scripts); median of several fresh loads. Target < 50 ms.
  On a shared, loaded machine the sampled wall time includes descheduled gaps, so
  `content_script_cpu_estimate_ms` caps each sample's share (an approximation of CPU time).
  `page_scripts_ms` is the page's own script time in the same profiles, for scale.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from aiohttp import web

from benchmarks import percentiles
from helper.config import load_settings
from tests.e2e import fixturegen as fx
from tests.e2e.conftest import EXTENSION, LIST, Helper, free_port, install_routes
from tests.support.browser import CHROMIUM_ARGS, system_chromium
from tests.support.site import FixtureSite

CLICKS = 40
LOADS = 9

CLICK_JS = """async (id) => {
  const root = document.querySelector('[data-tousu-host="panel"]').shadowRoot;
  const btn = [...document.querySelectorAll('[data-tousu-host="row"]')]
    .map((h) => h.shadowRoot.querySelector(`[data-order-id="${id}"]`)).find(Boolean);
  const saved = () => root.querySelector(`.case[data-order-id="${id}"] [data-tousu-state="saved"]`);
  const t0 = performance.now();
  btn.click();
  await new Promise((resolve) => {
    if (saved()) return resolve();
    const mo = new MutationObserver(() => { if (saved()) { mo.disconnect(); resolve(); } });
    mo.observe(root, { subtree: true, childList: true, attributes: true });
  });
  return performance.now() - t0;
}"""


def summary(values: list[float]) -> dict[str, Any]:
    cuts = percentiles(values, 50, 95)
    return {"n": len(values), "p50": round(cuts[50], 2), "p95": round(cuts[95], 2),
            "min": round(min(values), 2), "max": round(max(values), 2)}


def heavy_page(n: int = 50) -> str:
    page = fx.heavy_list_page(n)
    filler = "".join(f'<div class="rax-view-v2 filler-{i}"><span>推荐商品 {i}</span>'
                     f'<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt=""><p>{"猜你喜欢 " * 40}</p></div>'
                     for i in range(3000))
    return page.replace("</body>", f'<div id="recommend" style="display:none">{filler}</div></body>')


def inclusive_ms(profile: dict[str, Any], match, cap_us: float | None = None) -> float:  # noqa: ANN001
    """Time of samples whose stack holds a frame from a matching script. With `cap_us`,
    each sample counts at most that long: on a contended machine the gap before a sample
    includes time the thread was descheduled, so capped sums approximate CPU time."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    parent: dict[int, int] = {}
    for n in profile["nodes"]:
        for c in n.get("children", []):
            parent[c] = n["id"]
    ours: dict[int, bool] = {}

    def is_ours(node_id: int) -> bool:
        if node_id in ours:
            return ours[node_id]
        chain, cur, result = [], node_id, False
        while cur is not None:
            if cur in ours:
                result = ours[cur]
                break
            chain.append(cur)
            if match(nodes[cur]["callFrame"].get("url", "")):
                result = True
                break
            cur = parent.get(cur)
        for c in chain:
            ours[c] = result
        return result

    deltas = profile.get("timeDeltas", [])
    total = 0.0
    for sample, delta in zip(profile.get("samples", [])[1:], deltas[1:]):
        if is_ours(sample):
            total += min(delta, cap_us) if cap_us else delta
    return total / 1000.0


async def run() -> dict[str, Any]:
    from playwright.async_api import async_playwright

    tmp = Path(tempfile.mkdtemp(prefix="tousu-bench-ext-"))
    site = await FixtureSite(tmp / "certs").start()
    install_routes(site)
    html = heavy_page(50)

    async def heavy(_r: web.Request) -> web.Response:
        return web.Response(text=html, content_type="text/html", charset="utf-8")
    site.route("buyertrade.taobao.com", "/trade/itemlist/list_bought_items_heavy.htm", heavy)
    settings = load_settings(tmp / "data", secrets_backend="file")
    helper = Helper(settings, free_port())
    await helper.start()
    _client, token = await helper.store.clients.create("bench")
    result: dict[str, Any] = {"benchmark": "extension", "machine": {
        "python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()]},
        "page": {"orders": 50, "html_bytes": len(html.encode())}}
    try:
        async with async_playwright() as pw:
            ctx = await pw.chromium.launch_persistent_context(
                str(tmp / "profile"), executable_path=system_chromium(), headless=True, ignore_https_errors=True,
                args=[f"--disable-extensions-except={EXTENSION}", f"--load-extension={EXTENSION}", *CHROMIUM_ARGS,
                      f"--host-resolver-rules={site.resolver_rules}"])
            try:
                result["browser"] = ctx.browser.version if ctx.browser else None
                sw = ctx.service_workers[0] if ctx.service_workers else await ctx.wait_for_event("serviceworker")
                await sw.evaluate(f"chrome.storage.local.set({json.dumps({'helperUrl': helper.url, 'token': token})})")
                url = LIST.replace("list_bought_items.htm", "list_bought_items_heavy.htm")

                # 1. content-script main-thread cost on page load
                ext_ms, ext_cpu_ms, page_ms, ready_ms = [], [], [], []
                ext_prefix = "chrome-extension://"
                for _ in range(LOADS):
                    page = await ctx.new_page()
                    cdp = await ctx.new_cdp_session(page)
                    await cdp.send("Profiler.enable")
                    await cdp.send("Profiler.setSamplingInterval", {"interval": 100})
                    await cdp.send("Profiler.start")
                    t0 = time.perf_counter()
                    await page.goto(url)
                    await page.locator('[data-tousu-host="panel"] li[data-order-id]').nth(49).wait_for(state="attached")
                    ready_ms.append((time.perf_counter() - t0) * 1000)
                    await page.wait_for_timeout(400)
                    prof = (await cdp.send("Profiler.stop"))["profile"]
                    ext_ms.append(inclusive_ms(prof, lambda u: u.startswith(ext_prefix)))
                    ext_cpu_ms.append(inclusive_ms(prof, lambda u: u.startswith(ext_prefix), cap_us=250))
                    page_ms.append(inclusive_ms(prof, lambda u: u.startswith("https://buyertrade.taobao.com")))
                    await cdp.detach()
                    await page.close()
                result["content_script_main_thread_ms"] = {**summary(ext_ms), "median": round(statistics.median(ext_ms), 2),
                                                           "target_ms": 50}
                result["content_script_cpu_estimate_ms"] = {
                    **summary(ext_cpu_ms), "note": "same profiles, each 100 µs sample counted at most 250 µs "
                    "(descheduled gaps on a loaded machine excluded)"}
                result["page_scripts_ms"] = {"median": round(statistics.median(page_ms), 2)}
                result["load_to_panel_ready_ms"] = summary(ready_ms)

                # 2. click → case saved
                page = await ctx.new_page()
                await page.goto(url)
                await page.locator('[data-tousu-host="panel"] li[data-order-id]').nth(49).wait_for(state="attached")
                ids = await page.eval_on_selector_all('[data-tousu-host="panel"] li[data-order-id]',
                                                      "els => els.map(e => e.getAttribute('data-order-id'))")
                first = await page.evaluate(CLICK_JS, ids[0])
                clicks = []
                for i in range(CLICKS):
                    clicks.append(await page.evaluate(CLICK_JS, ids[(i + 1) % len(ids)]))
                    await page.wait_for_timeout(50)  # let the case panel's follow-up requests settle
                result["click_to_case_saved_ms"] = {**summary(clicks), "first_click": round(first, 2), "target_p95_ms": 300}
                body = json.dumps({"order_id": ids[0], "platform": "taobao"})
                base = await sw.evaluate(f"""async () => {{
                  const out = [];
                  for (let i = 0; i < {CLICKS}; i++) {{
                    const t0 = performance.now();
                    const r = await fetch('{helper.url}/api/v1/orders', {{method: 'POST', headers: {{
                      'Authorization': 'Bearer {token}', 'Content-Type': 'application/json'}}, body: {json.dumps(body)}}});
                    await r.text();
                    out.push(performance.now() - t0);
                  }}
                  return out;
                }}""")
                result["baseline_fetch_ms"] = summary(base)
                result["ratio_p50_click_vs_direct"] = round(result["click_to_case_saved_ms"]["p50"] / max(result["baseline_fetch_ms"]["p50"], 0.01), 2)
            finally:
                await ctx.close()
    finally:
        await helper.stop()
        await site.stop()
    result["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    result["targets_met"] = {
        "click_to_case_saved_p95_lt_300ms": result["click_to_case_saved_ms"]["p95"] < 300,
        "content_script_sampled_median_lt_50ms": result["content_script_main_thread_ms"]["median"] < 50,
        "content_script_cpu_estimate_median_lt_50ms": result["content_script_cpu_estimate_ms"]["p50"] < 50,
    }
    return result


def main() -> None:
    print(json.dumps(asyncio.run(run()), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
