"""Order pages in real Chromium with the extension: both list generations, detail pages,
exact ids, buttons on rows and in the page panel, click → case stored in the helper."""

from __future__ import annotations

import pytest

from tests.e2e import fixturegen as fx
from tests.e2e.conftest import LIST, wait_for

pytestmark = pytest.mark.browser

PANEL = '[data-tousu-host="panel"]'


async def panel_ids(page) -> list[str]:  # noqa: ANN001
    return await page.eval_on_selector_all(
        f'{PANEL} li[data-order-id]', "els => els.map(e => e.getAttribute('data-order-id'))")


async def row_button_ids(page) -> list[str]:  # noqa: ANN001
    return await page.eval_on_selector_all(
        '[data-tousu-host="row"] [data-tousu-action="open-case"]',
        "els => els.map(e => e.getAttribute('data-order-id'))")


async def expand_panel(page) -> None:  # noqa: ANN001
    if await page.locator(f"{PANEL} .panel.collapsed").count():
        await page.locator(f"{PANEL} .head").click()


async def open_case(page, order_id: str, where: str = "row") -> None:  # noqa: ANN001
    host = '[data-tousu-host="row"]' if where == "row" else PANEL
    if where == "panel":
        await expand_panel(page)
    await page.locator(f'{host} [data-tousu-action="open-case"][data-order-id="{order_id}"]').click()
    await page.locator(f'{PANEL} .case[data-order-id="{order_id}"] [data-tousu-state="saved"]').wait_for(timeout=10000)


async def test_legacy_list_buttons_panel_and_exact_ids(paired, helper) -> None:  # noqa: ANN001
    page = await paired.page(LIST)
    await page.locator(f'{PANEL} li[data-order-id]').nth(3).wait_for(state="attached")
    expected = [fx.TAOBAO_SINGLE, fx.TMALL_MULTI, fx.CLOSED, fx.OLD16]
    assert sorted(await panel_ids(page)) == sorted(expected)
    assert sorted(await row_button_ids(page)) == sorted(expected)
    assert await page.locator(f"{PANEL} [data-tousu-count]").inner_text() == "4"
    # the page itself lost the precision (this is the trap): the extension must not
    rendered = await page.evaluate("window.__renderedIds[1].map(String)")
    assert fx.TMALL_SUB_1 not in rendered

    await open_case(page, fx.TMALL_MULTI)
    cases = helper.store.list_cases(order_id=fx.TMALL_MULTI)
    case = helper.store.get_case(cases.cases[0].id)
    o = case.order
    assert o.order_id == fx.TMALL_MULTI and o.platform == "tmall"
    assert [i.sub_order_id for i in o.items] == [fx.TMALL_SUB_1, fx.TMALL_SUB_2]  # no 保险服务
    first = o.items[0]
    assert (first.quantity, first.unit_price, first.item_id) == (2, "79.14", "634567890123")
    assert first.sku == "颜色：灰色；尺寸：1.8m"
    assert first.snapshot_url == f"https://buyertrade.taobao.com/trade/detail/tradeSnap.htm?tradeID={fx.TMALL_SUB_1}"
    assert o.shop_name == "优品家居天猫旗舰店" and o.seller_nick == "优品家居旗舰店"
    assert o.actual_fee == "186.28" and o.status_text == "交易成功"
    assert o.created_at.isoformat() == "2025-10-30T21:05:11+08:00"
    assert o.detail_url == f"https://trade.tmall.com/detail/orderDetail.htm?bizOrderId={fx.TMALL_MULTI}"

    await open_case(page, fx.TAOBAO_SINGLE, where="panel")
    single = helper.store.list_cases(order_id=fx.TAOBAO_SINGLE).cases
    assert len(single) == 1
    o = helper.store.get_case(single[0].id).order
    assert o.platform == "taobao" and o.items[0].sub_order_id == fx.TAOBAO_SINGLE
    await open_case(page, fx.OLD16)
    assert helper.store.list_cases(order_id=fx.OLD16).total == 1
