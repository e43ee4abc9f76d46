"""The panel is the page: where the page shows order rows, 本页订单 lists exactly those rows,
in page order, each read completely from its DOM and enriched with what the page's data
holds for the same id; data for orders not on screen is not listed. A machine-translated
page reads the same ids, prices and quantities, and its words are marked as translated."""

from __future__ import annotations

import pytest

from tests.e2e import fixturegen as fx
from tests.e2e.conftest import LIST, wait_for

pytestmark = pytest.mark.browser
PANEL = '[data-tousu-host="panel"]'
PAGED = LIST.replace("list_bought_items.htm", "list_bought_items_paged.htm")
TRANSLATED = LIST.replace("list_bought_items.htm", "list_bought_items_translated.htm")


async def panel_ids(page) -> list[str]:  # noqa: ANN001
    return await page.eval_on_selector_all(f"{PANEL} li[data-order-id]", "els => els.map(e => e.getAttribute('data-order-id'))")


async def stored(helper, order_id: str):  # noqa: ANN001, ANN201
    return (await helper.store.cases.get((await helper.store.cases.list(order_id=order_id)).cases[0].id))


async def open_case(page, order_id: str) -> None:  # noqa: ANN001
    await page.locator(f'[data-tousu-host="row"] [data-order-id="{order_id}"]').click()
    await page.locator(f'{PANEL} .case[data-order-id="{order_id}"] [data-tousu-state="saved"]').wait_for(timeout=10000)


async def test_rows_on_screen_are_the_panel_and_are_filed_complete(paired, helper) -> None:  # noqa: ANN001
    page = await paired.page(PAGED)
    expected = [fx.PAGED_PIPES, fx.TMALL_MULTI, fx.PAGED_BOXES]
    await wait_for(lambda: page.locator(f"{PANEL} li[data-order-id]").count(), timeout=10)
    # exactly the rows on screen, in page order: page 1's data (four orders) is not listed
    assert await panel_ids(page) == expected
    assert await page.locator(f"{PANEL} [data-tousu-count]").inner_text() == "3"
    assert fx.TAOBAO_SINGLE not in await page.locator(PANEL).inner_text()

    # a row the data does not cover, read from its DOM: six items, prices, quantities, total
    await open_case(page, fx.PAGED_PIPES)
    o = (await stored(helper, fx.PAGED_PIPES)).order
    assert [i.sub_order_id for i in o.items] == fx.PAGED_PIPES_SUBS
    assert [(i.title, i.unit_price, i.quantity) for i in o.items] == [(t, p, q) for t, p, q, _ in fx.PIPE_ITEMS]
    assert o.items[0].sku == "规格：4分；长度：20cm" and o.items[0].item_id == "650000000001"
    assert (o.actual_fee, o.status_text, o.seller_nick) == ("2171.00", "交易成功", "管材五金")
    assert o.created_at.date().isoformat() == "2025-11-12"
    assert o.items[3].snapshot_url.endswith(f"tradeID={fx.PAGED_PIPES_SUBS[3]}")
    # a row the data covers: the data's shop name and exact ids on top of what the row shows
    await open_case(page, fx.TMALL_MULTI)
    o = (await stored(helper, fx.TMALL_MULTI)).order
    assert o.shop_name == "优品家居天猫旗舰店" and o.platform == "tmall"
    assert [(i.sub_order_id, i.unit_price, i.quantity) for i in o.items] == [(fx.TMALL_SUB_1, "79.14", 2), (fx.TMALL_SUB_2, "28.00", 1)]
    # the 保险服务 line is not goods
    await open_case(page, fx.PAGED_BOXES)
    o = (await stored(helper, fx.PAGED_BOXES)).order
    assert [(i.sub_order_id, i.unit_price, i.quantity) for i in o.items] == [
        (fx.PAGED_BOXES_SUBS[0], "9.90", 8), (fx.PAGED_BOXES_SUBS[1], "33.80", 1)]
    assert o.actual_fee == "113.00" and o.status_text == "卖家已发货"
    assert (await helper.store.cases.list()).total == 3


async def test_paging_on_replaces_the_list(paired) -> None:  # noqa: ANN001
    page = await paired.page(LIST)
    await page.locator(f"{PANEL} li[data-order-id]").nth(3).wait_for(state="attached")
    await page.click("#next-page")
    await page.locator(f'[data-tousu-host="row"] [data-order-id="{fx.PAGE2_B}"]').wait_for()
    await wait_for(lambda: panel_ids(page), timeout=10)
    await wait_for(lambda: page.locator(f"{PANEL} [data-tousu-count]").inner_text(), timeout=10)

    async def two() -> bool:
        return await panel_ids(page) == [fx.PAGE2_A, fx.PAGE2_B]
    await wait_for(two, timeout=10)
    assert await page.locator(f"{PANEL} [data-tousu-count]").inner_text() == "2"


async def test_a_machine_translated_page(paired, helper) -> None:  # noqa: ANN001
    page = await paired.page(TRANSLATED)
    await wait_for(lambda: page.locator(f"{PANEL} li[data-order-id]").count(), timeout=10)
    assert await panel_ids(page) == [fx.PAGED_PIPES, fx.TMALL_MULTI, fx.PAGED_BOXES]
    await open_case(page, fx.PAGED_PIPES)
    case = await stored(helper, fx.PAGED_PIPES)
    o = case.order
    # ids, prices, quantities and the total survive the translation
    assert [i.sub_order_id for i in o.items] == fx.PAGED_PIPES_SUBS
    assert [(i.unit_price, i.quantity) for i in o.items] == [(p, q) for _, p, q, _ in fx.PIPE_ITEMS]
    assert o.actual_fee == "2171.00" and o.created_at.date().isoformat() == "2025-11-12"
    # the words are the translation's, and say so
    assert o.items[0].title == "〔机器翻译〕304 stainless steel bellows 4 points 20cm"
    assert all(i.title.startswith("〔机器翻译〕") for i in o.items)
    assert o.status_text == "〔机器翻译〕Transaction successful"
    # the case notes it, once

    async def noted() -> bool:
        notes = [t.text for t in (await helper.store.cases.get(case.id)).timeline if t.kind == "note"]
        return len(notes) == 1 and "机器翻译" in notes[0]
    await wait_for(noted, timeout=10)
    # where the page's data covers the row, the seller's own words are used (nothing to mark)
    await open_case(page, fx.TMALL_MULTI)
    o = (await stored(helper, fx.TMALL_MULTI)).order
    assert [i.title for i in o.items] == ["纯棉四件套 1.8m床", "记忆棉枕头"]


async def test_new_list_row_read_from_its_dom(paired, helper) -> None:  # noqa: ANN001
    page = await paired.page(LIST.replace("list_bought_items.htm", "list_bought_items_new_cached.htm"))
    await page.locator(f'[data-tousu-host="row"] [data-order-id="{fx.SPA_DOM_MULTI}"]').wait_for()
    assert await panel_ids(page) == [fx.SPA_A, fx.SPA_TMALL, fx.SPA_DOM_ONLY, fx.SPA_DOM_MULTI]
    await open_case(page, fx.SPA_DOM_MULTI)
    o = (await stored(helper, fx.SPA_DOM_MULTI)).order
    assert [(i.sub_order_id, i.unit_price, i.quantity, i.sku) for i in o.items] == [
        (x["sub"], x["price"], x["qty"], x["sku"]) for x in fx.SPA_MULTI_ITEMS]
    assert (o.actual_fee, o.status_text, o.shop_name) == ("113.00", "卖家已发货", "厨房好物店")
    assert o.created_at.isoformat() == "2025-11-02T19:45:00+08:00"
