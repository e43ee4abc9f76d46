"""The case panel shows the facts it will complain about — price paid, status, dates, the
items with a picker — and what is claimed follows the chosen items; a date the deadlines
need and the pages did not give is asked in one step and kept as the buyer's word, and a
detail page that shows the dates fills them instead."""

from __future__ import annotations

from datetime import timedelta

import pytest

from helper.models import CHINA_TZ, utc_now
from tests.e2e import fixturegen as fx
from tests.e2e.conftest import LIST, wait_for
from tests.e2e.test_case_panel import PANEL, saved_case

pytestmark = pytest.mark.browser
PAGED = LIST.replace("list_bought_items.htm", "list_bought_items_paged.htm")


async def test_a_multi_item_case_with_the_item_picker(paired, helper) -> None:  # noqa: ANN001
    page = await paired.page(PAGED)
    box, case_id = await saved_case(page, helper, fx.PAGED_BOXES)
    token = (await paired.storage())["token"]
    # the facts: price paid, status, every item with its price and quantity
    facts = box.locator("[data-tousu-facts]")
    await facts.wait_for()
    assert await facts.locator('[data-fact="paid"]').inner_text() == "¥113.00"
    assert await facts.locator('[data-fact="status"]').inner_text() == "卖家已发货"
    picker = box.locator('[data-tousu-field="items"]')
    boxes = picker.locator("input[data-sub-order-id]")
    assert await boxes.evaluate_all("els => els.map(e => [e.dataset.subOrderId, e.checked])") == [
        [fx.PAGED_BOXES_SUBS[0], True], [fx.PAGED_BOXES_SUBS[1], True]]
    assert "¥9.90 × 8" in await picker.inner_text() and "¥33.80 × 1" in await picker.inner_text()
    summary = picker.locator("[data-tousu-items-summary]")

    async def claims(want: str) -> bool:
        return await summary.get_attribute("data-claim") == want
    await wait_for(lambda: claims("113.00"), timeout=10)
    # only the storage boxes: the claim follows (the helper's share of what was paid)
    await picker.locator(f'input[data-sub-order-id="{fx.PAGED_BOXES_SUBS[1]}"]').uncheck()
    await wait_for(lambda: claims("79.20"), timeout=10)
    state = await helper.get(f"/cases/{case_id}/draft-state", token)
    assert state["choices"]["sub_order_ids"] == [fx.PAGED_BOXES_SUBS[0]]
    await box.locator('[data-tousu-field="complaint-type"]').select_option("quality_problem")
    await box.locator('[data-tousu-field="demand"]').select_option("refund_only")
    await box.locator('[data-tousu-action="draft"]').click()
    await box.locator('[data-tousu-draft-box][data-tousu-state="drafted"]').wait_for(timeout=20000)
    draft = await helper.get(f"/cases/{case_id}/drafts/latest", token)
    # the draft names the chosen item, claims what was paid for it, not the whole order
    assert draft["fields"]["amount"] == "79.20"
    assert "桌面收纳盒" in draft["text"] and "免打孔挂钩" not in draft["text"]
    # nothing of "null" leaks into what the panel shows
    assert "null" not in await box.locator("[data-tousu-draft-box]").inner_text()


async def test_discounts_are_shared_out_over_the_chosen_items(paired, helper) -> None:  # noqa: ANN001
    """Six 波纹管 items priced ¥2177.00 in all, ¥2171.00 paid: one item's claim is its share."""
    page = await paired.page(PAGED)
    box, case_id = await saved_case(page, helper, fx.PAGED_PIPES)
    picker = box.locator('[data-tousu-field="items"]')
    await picker.locator("input[data-sub-order-id]").first.wait_for()  # drawn once the case is read back
    assert await picker.locator("input[data-sub-order-id]").count() == 6
    for sub in fx.PAGED_PIPES_SUBS[:4] + fx.PAGED_PIPES_SUBS[5:]:
        await picker.locator(f'input[data-sub-order-id="{sub}"]').uncheck()
    token = (await paired.storage())["token"]
    expected = (await helper.post(f"/cases/{case_id}/demand-check", token, {
        "complaint_type": "quality_problem", "demand": {"kind": "return_refund"},
        "sub_order_ids": [fx.PAGED_PIPES_SUBS[4]]}))["refund"]
    summary = picker.locator("[data-tousu-items-summary]")

    async def shows() -> bool:
        return await summary.get_attribute("data-claim") == expected
    await wait_for(shows, timeout=10)
    assert 0 < float(expected) < 1170.00  # 39.00 × 30 less its share of the ¥6.00 discount


async def test_the_date_question_and_the_deadlines_it_gives(paired, helper, ui) -> None:  # noqa: ANN001
    page = await paired.page(LIST)
    box, case_id = await saved_case(page, helper, fx.TAOBAO_SINGLE)
    question = box.locator("[data-tousu-deadlines] [data-tousu-date-question]")
    await question.wait_for()
    assert ui("dateAskReceived") in await question.inner_text()
    assert await box.locator("[data-tousu-deadlines] li[data-deadline]").count() == 0
    await question.locator('[data-tousu-action="received-at-yesterday"]').click()
    yesterday = (utc_now().astimezone(CHINA_TZ) - timedelta(days=1)).date()
    assert await question.locator('input[data-tousu-field="received-at"]').input_value() == yesterday.isoformat()
    await question.locator('[data-tousu-action="save-dates"]').click()
    # every deadline is computed from it, and the facts say it is the buyer's word
    await box.locator('[data-tousu-deadlines] li[data-deadline="no_reason_return"]').wait_for(timeout=10000)
    assert await box.locator("[data-tousu-date-question]").count() == 0
    text = await box.locator('[data-tousu-deadlines] li[data-deadline="no_reason_return"]').inner_text()
    assert (yesterday + timedelta(days=7)).isoformat() in text
    assert ui("factStatedByYou") in await box.locator('[data-fact="received"]').inner_text()
    case = await helper.store.cases.get(case_id)
    assert case.order.received_at.date() == yesterday
    assert any(t.kind == "dates_stated" for t in case.timeline)
    state = await helper.store.draft_state.get(case_id)
    assert state.stated.received_at.date() == yesterday


async def test_a_detail_page_fills_the_dates_it_shows(paired, helper, ui) -> None:  # noqa: ANN001
    page = await paired.page(LIST)
    box, _ = await saved_case(page, helper, fx.TMALL_MULTI)
    await box.locator("[data-tousu-date-question]").wait_for()
    page = await paired.page(f"https://trade.tmall.com/detail/orderDetail.htm?bizOrderId={fx.TMALL_MULTI}")
    box, case_id = await saved_case(page, helper, fx.TMALL_MULTI)
    await box.locator("[data-tousu-deadlines] li[data-deadline]").first.wait_for()
    assert await box.locator("[data-tousu-date-question]").count() == 0
    received = await box.locator('[data-fact="received"]').inner_text()
    assert received.startswith("2025-11-02 10:00") and ui("factStatedByYou") not in received
    assert (await box.locator('[data-fact="shipped"]').inner_text()).startswith("2025-10-31 09:15")
    o = (await helper.store.cases.get(case_id)).order
    assert o.received_at.isoformat() == "2025-11-02T10:00:00+08:00" and o.shipped_at.isoformat() == "2025-10-31T09:15:00+08:00"
