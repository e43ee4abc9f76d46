"""Review UI and export benchmark (`python -m benchmarks.ui`, one JSON document on stdout).

1. Case list with 10,000 cases: time from navigation start until the first page of rows
   is in the DOM and painted (target < 500 ms); also the nearest-deadline sort, cold (every
   case's deadlines computed) and warm (cached).
2. Case page with 200 evidence items, thumbnails warm: until the gallery is rendered and
   every thumbnail in view has loaded (target < 800 ms); the cold first visit (200
   thumbnails generated) is reported too.
3. Export of a 100 MB case (`GET /cases/{id}/export`: hashing, ZIP, signed manifest,
   report.pdf via Chromium) (target < 10 s), with `verify-bundle`, against a baseline
   measured in the same run: sha256 of the same bytes plus a plain stored ZIP of them.

Medians of several runs. Everything runs in a temp data dir on loopback.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from aiohttp import web

from helper.app import create_app
from helper.config import load_settings
from helper.models import Artifact, EvidenceCategory, EvidenceKind, Order
from helper.state import STORE

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
CASES = int(os.environ.get("BENCH_CASES", "10000"))
EVIDENCE = int(os.environ.get("BENCH_EVIDENCE", "200"))
EXPORT_MB = int(os.environ.get("BENCH_EXPORT_MB", "100"))

PAINT_PROBE = """
(() => {
  const mark = (name, test) => {
    const check = () => {
      if (window[name] === undefined && test()) {
        requestAnimationFrame(() => { window[name] = performance.now(); });
        return true;
      }
      return false;
    };
    const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
    document.addEventListener("DOMContentLoaded", () => {
      observer.observe(document.documentElement, { childList: true, subtree: true });
      check();
    });
  };
  mark("__listPaint", () => document.querySelectorAll("table.cases tbody tr").length > 0);
  mark("__galleryPaint", () => document.querySelectorAll(".gallery .tile").length > 0);
})();
"""


VERIFIED = ("(() => document.querySelector('[data-testid=case-integrity] [data-integrity=verified],"
            " [data-testid=case-integrity] [data-integrity=altered]') ? performance.now() : false)()")


def _order(i: int) -> Order:
    oid = str(4_000_000_000_000_000_000 + i)
    shops = ["好物数码旗舰店", "天猫超市", "潮流服饰小店", "家居生活馆", "母婴优选"]
    return Order.model_validate({
        "order_id": oid, "platform": "tmall" if i % 3 == 0 else "taobao",
        "shop_name": shops[i % len(shops)], "seller_nick": f"seller{i % 97}",
        "created_at": "2025-10-01T10:00:00+08:00", "paid_at": "2025-10-01T10:01:00+08:00",
        "shipped_at": "2025-10-02T10:00:00+08:00",
        "received_at": f"2025-{10 + i % 2:02d}-{1 + i % 28:02d}T12:00:00+08:00",
        "status_text": "交易成功", "actual_fee": f"{10 + i % 500}.00",
        "items": [{"sub_order_id": oid, "title": f"商品 {i} 无线蓝牙耳机 降噪版", "quantity": 1,
                   "unit_price": f"{10 + i % 500}.00"}],
    })


def _png(seed: int, width: int = 1280, height: int = 2400) -> bytes:
    from PIL import Image, ImageDraw

    rnd = random.Random(seed)
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    for y in range(0, height, 80):
        draw.rectangle((20, y + 10, rnd.randint(200, width - 20), y + 60),
                       fill=(rnd.randint(0, 255), rnd.randint(0, 255), rnd.randint(0, 255)))
    buf = io.BytesIO()
    img.save(buf, "PNG", compress_level=1)
    return buf.getvalue()


def _artifact(store: Any, data: bytes, role: str, media: str, name: str) -> Artifact:
    ref = store.blobs.put_bytes(data)
    return Artifact(role=role, sha256=ref.sha256, size=ref.size, media_type=media, filename=name)


class Helper:
    def __init__(self, data_dir: Path) -> None:
        self.settings = load_settings(data_dir, secrets_backend="file")
        self.app = create_app(self.settings)
        self.runner: web.AppRunner | None = None
        self.port = 0

    async def start(self) -> None:
        self.runner = web.AppRunner(self.app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = self.runner.addresses[0][1]

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()

    @property
    def store(self) -> Any:
        return self.app[STORE]

    def login_ticket(self) -> str:
        from helper.sessions import SESSIONS

        ticket, _ = self.app[SESSIONS].new_ticket()
        return f"http://127.0.0.1:{self.port}/login?ticket={ticket}"


async def seed_cases(store: Any, n: int) -> None:
    """Set-up, not measured: 500 orders per transaction."""
    for start in range(0, n, 500):
        await store.cases.upsert_many([_order(i) for i in range(start, min(n, start + 500))])


async def _poll(page: Any, expression: str, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = await page.evaluate(expression)
        if value:
            return value
        await asyncio.sleep(0.02)
    raise TimeoutError(expression)


async def baseline_paint(helper: Helper, browser: Any) -> float:
    """The cheapest page the helper serves (the log-in page: HTML + CSS, no script, no data),
    first contentful paint, median — this machine's floor in the same run."""
    context = await browser.new_context(viewport={"width": 1360, "height": 900})
    page = await context.new_page()
    fcps = []
    for _ in range(RUNS):
        await page.goto("about:blank")
        await page.goto(f"http://127.0.0.1:{helper.port}/")
        fcps.append(await _poll(page, "performance.getEntriesByName('first-contentful-paint')[0]?.startTime"))
    await context.close()
    return statistics.median(fcps)


async def _logged_in(helper: Helper, browser: Any) -> tuple[Any, Any, float]:
    """A fresh context logged in through the one-time URL, with the reminders (fetched
    after first paint and kept 5 minutes per tab) already loaded; returns their wait too."""
    context = await browser.new_context(viewport={"width": 1360, "height": 900})
    await context.add_init_script(PAINT_PROBE)
    page = await context.new_page()
    await page.goto(helper.login_ticket())
    await _poll(page, "window.__listPaint")
    t = time.monotonic()
    await _poll(page, "document.body.dataset.remindersLoaded", timeout=300)
    return context, page, time.monotonic() - t


async def bench_list(helper: Helper, browser: Any) -> dict[str, Any]:
    t = time.monotonic()
    await seed_cases(helper.store, CASES)
    seed_s = time.monotonic() - t
    context, page, reminders_s = await _logged_in(helper, browser)
    base = f"http://127.0.0.1:{helper.port}/"
    paints, fcps = [], []
    for _ in range(RUNS):
        await page.goto("about:blank")
        await page.goto(base)
        paints.append(await _poll(page, "window.__listPaint"))
        fcps.append(await page.evaluate(
            "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null"))
    rows = await page.evaluate("document.querySelectorAll('table.cases tbody tr').length")
    total = await page.evaluate("document.querySelector('[data-testid=count]').textContent")
    # nearest-deadline sort: the first request computes every case's deadlines
    sort_ms = []
    for _ in range(RUNS):
        await page.goto("about:blank")
        await page.goto(base + "#/?sort=deadline")
        sort_ms.append(await _poll(page, "window.__listPaint"))
    await context.close()
    floor = await baseline_paint(helper, browser)
    return {
        "baseline_static_page_fcp_ms": round(floor, 1),
        "ratio_to_baseline": round(statistics.median(paints) / floor, 2),
        "cases": CASES, "seed_s": round(seed_s, 1), "rows_rendered": rows, "count_text": total,
        "reminders_banner_after_paint_s": round(reminders_s, 2),
        "first_paint_ms": {"median": round(statistics.median(paints), 1),
                           "runs": [round(x, 1) for x in paints]},
        "first_contentful_paint_ms": round(statistics.median([f for f in fcps if f is not None]), 1)
        if any(f is not None for f in fcps) else None,
        "target_ms": 500, "meets_target": statistics.median(paints) < 500,
        "deadline_sort_ms": {"cold": round(sort_ms[0], 1),
                             "warm_median": round(statistics.median(sort_ms[1:]), 1) if len(sort_ms) > 1 else None},
    }


async def bench_case_page(helper: Helper, browser: Any) -> dict[str, Any]:
    store = helper.store
    case, _, _ = await store.cases.upsert(_order(10_000_000))
    t = time.monotonic()
    for i in range(EVIDENCE):
        shot = _artifact(store, _png(i), "screenshot", "image/png", f"page-{i}.png")
        await store.evidence.add(case.id, kind=EvidenceKind.url_capture, category=EvidenceCategory.listing_snapshot,
                           title=f"商品页面存证 {i}", artifacts=[shot],
                           metadata={"url": f"https://item.taobao.com/item.htm?id={i}"})
    seed_s = time.monotonic() - t
    context, page, reminders_s = await _logged_in(helper, browser)
    url = f"http://127.0.0.1:{helper.port}/#/case/{case.id}"
    visible_loaded = (
        "(() => { const imgs = [...document.querySelectorAll('.gallery img')];"
        " if (imgs.length < %d) return false;"
        " const seen = imgs.filter(i => { const r = i.getBoundingClientRect();"
        " return r.top < innerHeight && r.bottom > 0; });"
        " return seen.every(i => i.complete && i.naturalWidth > 0) ? performance.now() : false; })()" % EVIDENCE)
    # cold: the first visit generates the thumbnails in view (and the rest as they scroll in)
    t = time.monotonic()
    await page.goto("about:blank")
    await page.goto(url)
    cold_visible = await _poll(page, visible_loaded)
    # generate them all (scroll through), so the warm runs are warm
    await page.evaluate("document.querySelectorAll('.gallery img').forEach(i => i.loading = 'eager')")
    await _poll(page, "[...document.querySelectorAll('.gallery img')].every(i => i.complete && i.naturalWidth > 0)")
    cold_all_s = time.monotonic() - t
    await _poll(page, VERIFIED, timeout=300)
    gallery, visible, verified = [], [], []
    for _ in range(RUNS):
        await page.goto("about:blank")
        await page.goto(url)
        gallery.append(await _poll(page, "window.__galleryPaint"))
        visible.append(await _poll(page, visible_loaded))
        # the integrity badges (GET /verify re-hashes every file) come after the thumbnails;
        # wait for them so the next run starts with a quiet helper
        verified.append(await _poll(page, VERIFIED, timeout=300))
    tiles = await page.evaluate("document.querySelectorAll('.gallery .tile').length")
    await context.close()
    floor = await baseline_paint(helper, browser)
    return {
        "baseline_static_page_fcp_ms": round(floor, 1),
        "ratio_to_baseline": round(statistics.median(visible) / floor, 2),
        "evidence_items": EVIDENCE, "seed_s": round(seed_s, 1), "tiles": tiles,
        "reminders_banner_after_paint_s": round(reminders_s, 2),
        "warm_gallery_rendered_ms": round(statistics.median(gallery), 1),
        "warm_visible_thumbnails_loaded_ms": {"median": round(statistics.median(visible), 1),
                                              "runs": [round(x, 1) for x in visible]},
        "integrity_badges_ms": round(statistics.median(verified), 1),
        "cold_visible_thumbnails_loaded_ms": round(cold_visible, 1),
        "cold_all_200_thumbnails_s": round(cold_all_s, 2),
        "target_ms": 800, "meets_target": statistics.median(visible) < 800,
    }


async def bench_export(helper: Helper, tmp: Path) -> dict[str, Any]:
    import aiohttp

    from helper.bundle import verify_bundle

    store = helper.store
    case, _, _ = await store.cases.upsert(_order(20_000_000))
    chunk = 10 * 1024 * 1024
    files = []
    rnd = random.Random(7)
    for i in range(EXPORT_MB // 10):
        data = rnd.randbytes(chunk)  # incompressible, like video
        art = _artifact(store, data, "original", "video/mp4", f"unboxing-{i}.mp4")
        files.append(store.blobs.path(art.sha256))
        await store.evidence.add(case.id, kind=EvidenceKind.upload, category=EvidenceCategory.unboxing_video,
                           title=f"开箱视频 {i}", artifacts=[art])
    for i in range(5):
        art = _artifact(store, _png(1000 + i), "screenshot", "image/png", f"shot-{i}.png")
        files.append(store.blobs.path(art.sha256))
        await store.evidence.add(case.id, kind=EvidenceKind.url_capture, category=EvidenceCategory.listing_snapshot,
                           title=f"截图 {i}", artifacts=[art])
    total = sum(p.stat().st_size for p in files)

    def baseline() -> float:
        t = time.monotonic()
        with zipfile.ZipFile(tmp / "baseline.zip", "w") as zf:
            for p in files:
                digest = hashlib.sha256()
                with p.open("rb") as src, zf.open(p.name, "w", force_zip64=True) as dst:
                    while block := src.read(1 << 20):
                        digest.update(block)
                        dst.write(block)
        (tmp / "baseline.zip").unlink()
        return time.monotonic() - t

    token_store_client, token = await store.clients.create("bench")
    exports, verifies, baselines, sizes = [], [], [], []
    async with aiohttp.ClientSession() as session:
        for _ in range(max(3, RUNS // 2)):
            baselines.append(await asyncio.to_thread(baseline))
            t = time.monotonic()
            async with session.get(f"http://127.0.0.1:{helper.port}/api/v1/cases/{case.id}/export",
                                   headers={"Authorization": f"Bearer {token}"}) as r:
                assert r.status == 200, await r.text()
                out = tmp / "bundle.zip"
                with out.open("wb") as fh:
                    async for block in r.content.iter_chunked(1 << 20):
                        fh.write(block)
            exports.append(time.monotonic() - t)
            sizes.append(out.stat().st_size)
            t = time.monotonic()
            check = await asyncio.to_thread(verify_bundle, out)
            verifies.append(time.monotonic() - t)
            assert check.ok, check.problems
            out.unlink()
    med = statistics.median(exports)
    return {
        "evidence_bytes": total, "bundle_bytes": sizes[0],
        "export_s": {"median": round(med, 2), "runs": [round(x, 2) for x in exports]},
        "verify_bundle_s": round(statistics.median(verifies), 2),
        "baseline_hash_and_zip_s": round(statistics.median(baselines), 2),
        "ratio_to_baseline": round(med / statistics.median(baselines), 2),
        "target_s": 10, "meets_target": med < 10,
    }


async def main() -> dict[str, Any]:
    from playwright.async_api import async_playwright

    from tests.support.browser import CHROMIUM_ARGS, system_chromium

    result: dict[str, Any] = {"benchmark": "ui", "runs": RUNS, "cpu_count": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="tousu-bench-ui-") as tmp_name:
        tmp = Path(tmp_name)
        helper = Helper(tmp / "data")
        await helper.start()
        try:
            async with async_playwright() as pw:
                browser = await pw.chromium.launch(executable_path=system_chromium(), headless=True,
                                                   args=CHROMIUM_ARGS)
                try:
                    result["case_list"] = await bench_list(helper, browser)
                    result["case_page"] = await bench_case_page(helper, browser)
                finally:
                    await browser.close()
            result["export"] = await bench_export(helper, tmp)
        finally:
            await helper.stop()
    return result


if __name__ == "__main__":
    out = asyncio.run(main())
    json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
    print()
