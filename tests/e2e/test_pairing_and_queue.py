"""Options-page pairing with a code from the daemon, the connection diagnosis, and the
offline queue (helper down → click → helper up → the case arrives)."""

from __future__ import annotations

import socket

import pytest
from aiohttp import web

from tests.e2e import fixturegen as fx
from tests.e2e.conftest import LIST, free_port, wait_for

pytestmark = pytest.mark.browser
PANEL = '[data-tousu-host="panel"]'


async def test_pairing_through_options_page(browser, helper) -> None:  # noqa: ANN001
    page = await browser.page(browser.options_url)
    await page.locator('#status:not([data-tousu-state="unknown"])').wait_for()
    # default URL, nothing there
    await page.fill('[data-tousu-field="helper-url"]', helper.url)
    await page.fill('[data-tousu-field="pairing-code"]', "WRONG-CODE")
    await page.click('[data-tousu-action="pair"]')
    await page.locator('#status[data-tousu-state="pair_failed"]').wait_for()
    assert "配对码" in await page.locator("#hint").inner_text() or "pairing code" in await page.locator("#hint").inner_text()

    await page.fill('[data-tousu-field="pairing-code"]', helper.pairing_code())
    await page.click('[data-tousu-action="pair"]')
    await page.locator('[data-tousu-state="paired"]').first.wait_for()
    # zh_CN when Chromium has its Chinese locale (scripts/setup installs chromium-l10n)
    status = await page.locator("#status").inner_text()
    assert any(w in status for w in ("已配对", "Paired"))
    stored = await browser.storage()
    assert stored["helperUrl"] == helper.url and stored["token"]
    client = next(c for c in await helper.store.clients.list() if "扩展" in c.name)

    # the token is revoked on the helper side → the diagnosis says so
    await helper.store.clients.revoke(client.id)
    await page.click('[data-tousu-action="check"]')
    await page.locator('#status[data-tousu-state="token_revoked"]').wait_for()
    status = await page.locator("#status").inner_text()
    assert any(w in status for w in ("重新配对", "pair again"))


async def test_diagnosis_not_running_and_wrong_program(browser) -> None:  # noqa: ANN001
    page = await browser.page(browser.options_url)
    port = free_port()
    await page.fill('[data-tousu-field="helper-url"]', f"http://127.0.0.1:{port}")
    await page.click('[data-tousu-action="check"]')
    await page.locator('#status[data-tousu-state="not_running"]').wait_for()
    assert "tousu-helper serve" in await page.locator("#hint").inner_text()

    # some other program on the port
    other = web.Application()

    async def hello(_r: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})
    other.router.add_get("/{tail:.*}", hello)
    runner = web.AppRunner(other)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        await page.click('[data-tousu-action="check"]')
        await page.locator('#status[data-tousu-state="wrong_program"]').wait_for()
        await page.fill('[data-tousu-field="pairing-code"]', "123456")
        await page.click('[data-tousu-action="pair"]')
        await page.locator('#status[data-tousu-state="wrong_program"]').wait_for()
    finally:
        await runner.cleanup()


async def test_helper_down_click_then_up_case_arrives(paired, helper) -> None:  # noqa: ANN001
    await helper.stop()
    page = await paired.page(LIST)
    await page.locator(f'[data-tousu-host="row"] [data-order-id="{fx.TAOBAO_SINGLE}"]').click()
    await page.locator(f'{PANEL} .case[data-order-id="{fx.TAOBAO_SINGLE}"] [data-tousu-state="queued"]').wait_for()
    queued = (await paired.storage())["queue"]
    assert [q["order_id"] for q in queued] == [fx.TAOBAO_SINGLE]
    assert queued[0]["body"]["items"][0]["sub_order_id"] == fx.TAOBAO_SINGLE
    # a tab snapshot made while the helper is down waits behind its order
    await helper.start()
    await page.locator(f'{PANEL} .case[data-order-id="{fx.TAOBAO_SINGLE}"] [data-tousu-state="saved"]').wait_for(timeout=15000)
    cases = await helper.store.cases.list(order_id=fx.TAOBAO_SINGLE)
    assert cases.total == 1
    assert (await helper.store.cases.get(cases.cases[0].id)).order.items[0].sub_order_id == fx.TAOBAO_SINGLE
    assert (await paired.storage()).get("queue") == []


async def test_queue_survives_a_closed_tab(paired, helper) -> None:  # noqa: ANN001
    """The buyer clicks, closes the tab; the worker sends the order when the helper is back."""
    await helper.stop()
    page = await paired.page(LIST)
    await page.locator(f'[data-tousu-host="row"] [data-order-id="{fx.CLOSED}"]').click()
    await page.locator(f'{PANEL} [data-tousu-state="queued"]').first.wait_for()
    await page.close()
    await helper.start()
    # any later contact with the worker flushes (the alarm is the backstop)
    await paired.sw.evaluate("1")
    opts = await paired.page(paired.options_url)
    await opts.locator('[data-tousu-state="paired"]').first.wait_for()
    async def condition() -> bool:
        return (await helper.store.cases.list(order_id=fx.CLOSED)).total == 1

    await wait_for(condition, timeout=15)
