"""Regenerates the README's screenshots (python -m tests.e2e.screenshots): the options page
right after pairing, and the 已买到的宝贝 fixture page with the panel and a case open."""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

from helper.config import load_settings
from tests.e2e import fixturegen as fx
from tests.e2e.conftest import EXTENSION, LIST, Helper, free_port, install_routes, ui_language_env
from tests.support.browser import CHROMIUM_ARGS, system_chromium
from tests.support.site import FixtureSite

DOCS = Path(__file__).resolve().parents[2] / "docs"


async def main() -> None:
    from playwright.async_api import async_playwright

    tmp = Path(tempfile.mkdtemp(prefix="tousu-shots-"))
    site = await FixtureSite(tmp / "certs").start()
    install_routes(site)
    helper = Helper(load_settings(tmp / "data", secrets_backend="file"), free_port())
    await helper.start()
    try:
        async with async_playwright() as pw:
            ctx = await pw.chromium.launch_persistent_context(
                str(tmp / "profile"), executable_path=system_chromium(), headless=True, ignore_https_errors=True,
                viewport={"width": 900, "height": 720}, device_scale_factor=1, locale="zh-CN", env={**os.environ, **ui_language_env("zh-CN")},
                args=[f"--disable-extensions-except={EXTENSION}", f"--load-extension={EXTENSION}", *CHROMIUM_ARGS, "--lang=zh-CN",
                      f"--host-resolver-rules={site.resolver_rules}"])
            try:
                sw = ctx.service_workers[0] if ctx.service_workers else await ctx.wait_for_event("serviceworker")
                ext_id = sw.url.split("/")[2]
                page = await ctx.new_page()
                await page.goto(f"chrome-extension://{ext_id}/options/options.html")
                await page.fill('[data-tousu-field="helper-url"]', helper.url)
                await page.fill('[data-tousu-field="pairing-code"]', helper.pairing_code())
                await page.click('[data-tousu-action="pair"]')
                await page.locator('#status[data-tousu-state="paired"]').wait_for()
                await page.screenshot(path=str(DOCS / "extension-pairing.png"), full_page=True)
                page = await ctx.new_page()
                await page.set_viewport_size({"width": 1280, "height": 800})
                await page.goto(LIST)
                await page.locator(f'[data-tousu-host="row"] [data-order-id="{fx.TAOBAO_SINGLE}"]').click()
                await page.locator('[data-tousu-host="panel"] [data-tousu-state="saved"]').first.wait_for()
                await page.locator('[data-tousu-host="panel"] [data-tousu-deadlines] li').first.wait_for()
                await page.wait_for_timeout(300)
                await page.screenshot(path=str(DOCS / "extension-panel.png"))
            finally:
                await ctx.close()
    finally:
        await helper.stop()
        await site.stop()
    print("wrote", DOCS / "extension-pairing.png", DOCS / "extension-panel.png")


if __name__ == "__main__":
    asyncio.run(main())
