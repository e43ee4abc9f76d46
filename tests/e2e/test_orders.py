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
    cases = await helper.store.cases.list(order_id=fx.TMALL_MULTI)
    case = await helper.store.cases.get(cases.cases[0].id)
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
    single = (await helper.store.cases.list(order_id=fx.TAOBAO_SINGLE)).cases
    assert len(single) == 1
    o = (await helper.store.cases.get(single[0].id)).order
    assert o.platform == "taobao" and o.items[0].sub_order_id == fx.TAOBAO_SINGLE
    await open_case(page, fx.OLD16)
    assert (await helper.store.cases.list(order_id=fx.OLD16)).total == 1


async def test_legacy_gbk_page_and_async_page_two(paired, helper) -> None:  # noqa: ANN001
    page = await paired.page(LIST.replace("list_bought_items.htm", "list_bought_items.gbk.htm"))
    await page.locator(f'{PANEL} li[data-order-id="{fx.GBK_ORDER}"]').wait_for(state="attached")
    await open_case(page, fx.GBK_ORDER)
    o = (await helper.store.cases.get((await helper.store.cases.list(order_id=fx.GBK_ORDER)).cases[0].id)).order
    assert o.items[0].title == "龘靐齉 生僻字毛巾（纯棉）" and o.shop_name == "中文编码测试店"
    assert o.items[0].quantity == 2
    # the same GBK response fetched with fetch(): the hook decodes the declared charset
    await page.click("#next-page-fetch")
    await page.locator(f'{PANEL} li[data-order-id="{fx.PAGE2_A}"]').wait_for(state="attached")
    await open_case(page, fx.PAGE2_A, where="panel")
    o = (await helper.store.cases.get((await helper.store.cases.list(order_id=fx.PAGE2_A)).cases[0].id)).order
    assert o.items[0].title == "数据线 1米 快充" and o.shop_name == "第二页店铺"

    # page 2 arrives from asyncBought.htm in GBK, through the page's own XHR
    page = await paired.page(LIST)
    await page.locator(f'{PANEL} li[data-order-id]').nth(3).wait_for(state="attached")
    await page.click("#next-page")
    await page.locator(f'[data-tousu-host="row"] [data-order-id="{fx.PAGE2_B}"]').wait_for()
    await open_case(page, fx.PAGE2_B)
    o = (await helper.store.cases.get((await helper.store.cases.list(order_id=fx.PAGE2_B)).cases[0].id)).order
    assert o.platform == "tmall" and o.shop_name == "天猫超市"
    assert (o.items[0].title, o.items[0].quantity, o.items[0].sub_order_id) == ("洗衣液 3kg", 2, fx.PAGE2_B)


async def test_rows_that_cannot_be_matched_still_listed(paired, helper) -> None:  # noqa: ANN001
    page = await paired.page(LIST.replace("list_bought_items.htm", "list_bought_items_norows.htm"))
    await page.locator(f'{PANEL} li[data-order-id]').nth(3).wait_for(state="attached")
    assert await row_button_ids(page) == []
    await open_case(page, fx.CLOSED, where="panel")
    o = (await helper.store.cases.get((await helper.store.cases.list(order_id=fx.CLOSED)).cases[0].id)).order
    assert o.status_text == "交易关闭" and o.items[0].sub_order_id == fx.CLOSED


async def test_new_spa_list_from_hooked_mtop_and_dom_fallback(paired, helper, site) -> None:  # noqa: ANN001
    page = await paired.page(LIST.replace("list_bought_items.htm", "list_bought_items_new.htm"))
    for oid in (fx.SPA_A, fx.SPA_TMALL, fx.SPA_DOM_ONLY):
        await page.locator(f'[data-tousu-host="row"] [data-order-id="{oid}"]').wait_for()
    assert sorted(await panel_ids(page)) == sorted([fx.SPA_A, fx.SPA_TMALL, fx.SPA_DOM_ONLY])
    await open_case(page, fx.SPA_TMALL)
    o = (await helper.store.cases.get((await helper.store.cases.list(order_id=fx.SPA_TMALL)).cases[0].id)).order
    assert o.platform == "tmall" and o.actual_fee == "194.28" and o.shop_name == "新版天猫店"
    assert [(i.sub_order_id, i.quantity, i.unit_price) for i in o.items] == [(fx.SPA_TMALL_SUB, 2, "93.14")]
    await open_case(page, fx.SPA_A)
    o = (await helper.store.cases.get((await helper.store.cases.list(order_id=fx.SPA_A)).cases[0].id)).order
    assert o.logistics.company == "中通快递" and o.logistics.tracking_no == "78901234567890"
    assert o.items[0].sku == "轴体：红轴" and o.created_at.isoformat() == "2025-11-20T12:00:01+08:00"
    await open_case(page, fx.SPA_DOM_ONLY)
    o = (await helper.store.cases.get((await helper.store.cases.list(order_id=fx.SPA_DOM_ONLY)).cases[0].id)).order
    assert o.shop_name == "缓存小店" and o.items[0].sub_order_id == fx.SPA_DOM_ONLY
    assert o.items[0].item_id == "730000000009" and o.items[0].unit_price == "88.00"
    # only the page's own requests reached "Taobao": nothing from the extension
    hosts = {h for h, _ in site.requests}
    assert hosts <= {"buyertrade.taobao.com", "h5api.m.taobao.com"}
    assert sum(1 for h, _ in site.requests if h == "h5api.m.taobao.com") == 1


async def test_taobao_detail_page(paired, helper) -> None:  # noqa: ANN001
    page = await paired.page(f"https://trade.taobao.com/trade/detail/trade_item_detail.htm?bizOrderId={fx.TAOBAO_SINGLE}")
    await page.locator(f'[data-tousu-host="row"] [data-order-id="{fx.TAOBAO_SINGLE}"]').wait_for()
    await open_case(page, fx.TAOBAO_SINGLE)
    o = (await helper.store.cases.get((await helper.store.cases.list(order_id=fx.TAOBAO_SINGLE)).cases[0].id)).order
    assert (o.logistics.company, o.logistics.tracking_no) == ("圆通速递", "YT7524689513570")
    assert o.paid_at.isoformat() == "2025-11-08T03:45:10+08:00"
    assert o.shipped_at.isoformat() == "2025-11-09T16:20:00+08:00"
    assert [i.sub_order_id for i in o.items] == [fx.TAOBAO_SINGLE]
    assert o.items[0].snapshot_url.endswith(f"tradeID={fx.TAOBAO_SINGLE}")


async def test_tmall_detail_page(paired, helper) -> None:  # noqa: ANN001
    page = await paired.page(f"https://trade.tmall.com/detail/orderDetail.htm?bizOrderId={fx.TMALL_MULTI}")
    await page.locator(f'[data-tousu-host="row"] [data-order-id="{fx.TMALL_MULTI}"]').wait_for()
    await open_case(page, fx.TMALL_MULTI)
    o = (await helper.store.cases.get((await helper.store.cases.list(order_id=fx.TMALL_MULTI)).cases[0].id)).order
    assert o.platform == "tmall"
    assert (o.logistics.company, o.logistics.tracking_no) == ("顺丰速运", "SF1400238755123")
    assert [i.sub_order_id for i in o.items] == [fx.TMALL_SUB_1, fx.TMALL_SUB_2]
    assert o.received_at.isoformat() == "2025-11-02T10:00:00+08:00"
    assert o.status_text == "交易成功"


async def test_new_detail_page_dom(paired, helper) -> None:  # noqa: ANN001
    page = await paired.page(f"https://trade.taobao.com/trade/detail/trade_order_detail.htm?biz_order_id={fx.SPA_A}")
    await page.locator(f'[data-tousu-host="row"] [data-order-id="{fx.SPA_A}"]').wait_for()
    await open_case(page, fx.SPA_A)
    o = (await helper.store.cases.get((await helper.store.cases.list(order_id=fx.SPA_A)).cases[0].id)).order
    assert (o.logistics.company, o.logistics.tracking_no) == ("中通快递", "78901234567890")
    assert o.paid_at.isoformat() == "2025-11-20T12:01:30+08:00"
    assert o.items[0].sub_order_id == fx.SPA_A


async def test_english_ui(tmp_path, site, helper) -> None:  # noqa: ANN001
    """With an English browser the in-page UI and the options page speak English."""
    from tests.e2e.conftest import launch

    async with launch(tmp_path / "profile-en", site, lang="en-US") as b:
        page = await b.page(LIST)
        button = page.locator(f'[data-tousu-host="row"] [data-order-id="{fx.TAOBAO_SINGLE}"]')
        assert await button.inner_text() == "Complain"
        assert "orders on this page" in await page.locator(f"{PANEL} h2").inner_text()
        opts = await b.page(b.options_url)
        assert await opts.locator("h1").inner_text() == "Tousu Helper · connect to the helper on this computer"
        assert await opts.locator('[data-tousu-action="pair"]').inner_text() == "Pair"


async def test_the_page_finds_no_trace_of_the_translators(paired) -> None:  # noqa: ANN001
    """The hook reads the translators' response patterns in the page's world, then removes
    the registry: the page's own scripts see no extension global."""
    page = await paired.page(LIST.replace("list_bought_items.htm", "list_bought_items_new.htm"))
    await page.locator(f'[data-tousu-host="row"] [data-order-id="{fx.SPA_A}"]').wait_for()
    assert await page.evaluate("typeof window.TousuSites") == "undefined"
    assert await page.evaluate("typeof window.Tousu") == "undefined"
