"""When the page shows orders the translators could not read — a page no translator knows,
order numbers beyond what was read, rows that cannot be matched — the panel says so in
plain words and offers a masked sample of the page, saved as a file on this computer:
ids, dates and amounts kept; names, nicknames, phone numbers and addresses masked;
nothing sent to Taobao or to the helper."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from tests.e2e import fixturegen as fx
from tests.e2e.conftest import LIST

pytestmark = pytest.mark.browser
PANEL = '[data-tousu-host="panel"]'


async def save_sample(page) -> tuple[str, dict[str, Any]]:  # noqa: ANN001
    async with page.expect_download() as info:
        await page.locator(f'{PANEL} [data-tousu-action="save-sample"]').click()
    download = await info.value
    text = Path(await download.path()).read_text(encoding="utf-8")
    await page.locator(f'{PANEL} [data-tousu-sample-status][data-tousu-state="saved"]').wait_for()
    return download.suggested_filename, json.loads(text)


async def test_rows_that_cannot_be_matched_are_reported_with_a_masked_sample(paired, helper, site) -> None:  # noqa: ANN001
    page = await paired.page(LIST.replace("list_bought_items.htm", "list_bought_items_norows.htm"))
    report = page.locator(f'{PANEL} [data-tousu-page-report="rows"]')
    await report.wait_for()
    assert "4" in await report.inner_text()
    requests_before = list(site.requests)
    name, sample = await save_sample(page)
    assert name.startswith("tousu-sample-buyertrade.taobao.com") and name.endswith(".json")
    text = json.dumps(sample, ensure_ascii=False)
    # what a bug report needs: the structure, the ids, the dates and amounts
    for kept in (fx.TAOBAO_SINGLE, fx.TMALL_SUB_1, fx.OLD16, "2025-11-08 03:44:47", "186.28", "x-unknown-layout", "J_bought_main"):
        assert kept in text, kept
    assert sample["translators"] == ["legacy_list", "new_list"] and sample["report"]["kind"] == "rows"
    # what it must not carry: the buyer's nick, sellers' nicks, shop names, the buyer id in links
    for masked in (fx.BUYER_NICK, "好物数码", "优品家居", "老店掌柜", fx.BUYER_ID):
        assert masked not in text, masked
    # the file was made here: nothing went to Taobao, nothing to the helper
    assert site.requests == requests_before
    assert (await helper.store.cases.list()).total == 0


async def test_a_page_no_translator_knows_is_reported(paired, helper, ui) -> None:  # noqa: ANN001
    page = await paired.page(LIST.replace("list_bought_items.htm", "list_bought_items_redesign.htm"))
    report = page.locator(f'{PANEL} [data-tousu-page-report="unknown"]')
    await report.wait_for()
    assert await report.get_attribute("data-tousu-missed") == "2"
    assert ui("reportUnknown") in await report.inner_text()
    _name, sample = await save_sample(page)
    text = json.dumps(sample, ensure_ascii=False)
    assert "4300000000000000001" in text and "4300000000000000002" in text and "orderCard-Qz81" in text
    for masked in ("王小红", "13812345678", "文三路", "杭州", "未来小店", "加湿器"):
        assert masked not in text, masked
    assert (await helper.store.cases.list()).total == 0


async def test_orders_beyond_what_was_read_are_counted(paired, site) -> None:  # noqa: ANN001
    """The blob covers four orders; the page shows a fifth in a layout no translator reads."""
    extra = ('<div class="bought-v3-card"><span>订单号：</span><span>4399999999999999999</span>'
             '<span>新店 · 收货人 李雷 13900000000</span></div>')
    body = fx.legacy_page(fx.PAGE1).replace('<div class="pagination">', extra + '<div class="pagination">')

    async def serve(_r: web.Request) -> web.Response:
        return web.Response(text=body, content_type="text/html", charset="utf-8")
    site.route("buyertrade.taobao.com", "/trade/itemlist/list_bought_items_more.htm", serve)
    page = await paired.page(LIST.replace("list_bought_items.htm", "list_bought_items_more.htm"))
    report = page.locator(f'{PANEL} [data-tousu-page-report="missed"]')
    await report.wait_for()
    assert (await report.get_attribute("data-tousu-read"), await report.get_attribute("data-tousu-missed")) == ("4", "1")
    text = await report.inner_text()
    assert "5" in text and "4" in text and "1" in text
    _name, sample = await save_sample(page)
    dumped = json.dumps(sample, ensure_ascii=False)
    assert "4399999999999999999" in dumped and "李雷" not in dumped and "13900000000" not in dumped


async def test_pages_read_in_full_say_nothing(paired) -> None:  # noqa: ANN001
    page = await paired.page(LIST)
    await page.locator(f'{PANEL} li[data-order-id]').nth(3).wait_for(state="attached")
    await page.locator(f'{PANEL} [data-tousu-page-checked="ok"]').wait_for(state="attached")
    assert await page.locator(f"{PANEL} [data-tousu-page-report]").count() == 0
