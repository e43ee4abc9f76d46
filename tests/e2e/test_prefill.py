"""Prefill of real React forms (Fusion Next from npm): by visible labels, into React
state (asserted on the page's state, not on `.value`), within maxLength, never submits."""

from __future__ import annotations

import pytest

from tests.e2e import fixturegen as fx
from tests.e2e.conftest import LIST

pytestmark = pytest.mark.browser
PREFILL = '[data-tousu-host="prefill"]'


async def case_with_draft(paired, helper, order_id: str, request: dict) -> tuple[str, dict]:  # noqa: ANN001
    """File the order from the list page, then draft through the panel like a buyer."""
    page = await paired.page(LIST)
    await page.locator(f'[data-tousu-host="row"] [data-order-id="{order_id}"]').click()
    box = page.locator(f'[data-tousu-host="panel"] .case[data-order-id="{order_id}"]')
    await box.locator('[data-tousu-state="saved"]').wait_for()
    await box.locator('[data-tousu-field="complaint-type"]').select_option(request["complaint_type"])
    await box.locator('[data-tousu-field="demand"]').select_option(request["demand"])
    if request.get("notes"):
        await box.locator('[data-tousu-field="notes"]').fill(request["notes"])
    await box.locator('[data-tousu-action="draft"]').click()
    await box.locator('[data-tousu-draft-box][data-tousu-state="drafted"]').wait_for(timeout=20000)
    await page.close()
    case_id = (await helper.store.cases.list(order_id=order_id)).cases[0].id
    return case_id, await helper.get(f"/cases/{case_id}/drafts/latest", (await paired.storage())["token"])


async def form_state(page) -> dict:  # noqa: ANN001
    return await page.evaluate("window.__fixtureForm")


async def test_refund_form_prefill_into_react_state(paired, helper) -> None:  # noqa: ANN001
    notes = "11月10日收到商品后发现左耳没有声音，重启和重新配对后仍然如此。" * 6
    case_id, draft = await case_with_draft(paired, helper, fx.TAOBAO_SINGLE, {
        "complaint_type": "quality_problem", "demand": "return_refund", "notes": notes})
    page = await paired.page(f"https://refund2.taobao.com/dispute/apply.htm?bizOrderId={fx.TAOBAO_SINGLE}")
    await page.get_by_text("补充描述和凭证").wait_for()
    before = await form_state(page)
    assert before["reason"] is None and before["description"] == ""
    await page.locator(f'{PREFILL} [data-tousu-action="prefill"]').click()
    await page.locator(f'{PREFILL} [data-tousu-prefill-status][data-tousu-state="filled"]').wait_for(timeout=20000)
    state = await form_state(page)
    assert state["service"] == "return_refund"                     # radio group: 我要退货退款
    assert state["reason"] == "r_6"                                 # custom dropdown: 质量问题
    assert state["amount"] == draft["fields"]["amount"] == "47.40"
    # the textarea holds 200 characters at most: the helper re-fitted form_text to it
    assert 0 < len(state["description"]) <= 200
    assert fx.TAOBAO_SINGLE in state["description"]
    assert state["description"].rstrip().endswith(("。", "）", ")", "；")) or len(state["description"]) < 200
    # what the buyer sees agrees with React's state
    assert await page.locator(".next-select").inner_text() == "质量问题"
    assert await page.locator("textarea").input_value() == state["description"]
    assert await page.locator('[data-tousu-filled="1"]').count() == 4
    report = await page.locator(f"{PREFILL} [data-tousu-prefill-report] li.ok").all_inner_texts()
    assert len(report) == 4
    # nothing was submitted
    assert await page.evaluate("window.__fixtureSubmitted.length") == 0
    # undo restores what it can: text back to empty, the radio back to its default
    await page.locator(f'{PREFILL} [data-tousu-action="undo-prefill"]').click()
    await page.locator(f'{PREFILL} [data-tousu-prefill-status][data-tousu-state="undone"]').wait_for()
    state = await form_state(page)
    assert state["description"] == "" and state["amount"] == "47.40" and state["service"] == "refund_only"
    assert await page.locator('[data-tousu-filled="1"]').count() == 0
    assert await page.evaluate("window.__fixtureSubmitted.length") == 0


async def test_complaint_form_prefill_by_main_id(paired, helper) -> None:  # noqa: ANN001
    case_id, draft = await case_with_draft(paired, helper, fx.TMALL_MULTI, {
        "complaint_type": "quality_problem", "demand": "return_refund"})
    page = await paired.page(f"https://rights.taobao.com/complaint/complaint.htm?bizId={fx.TMALL_MULTI}")
    await page.get_by_text("投诉内容", exact=True).wait_for()
    await page.locator(f'{PREFILL} [data-tousu-action="prefill"]').click()
    await page.locator(f'{PREFILL} [data-tousu-prefill-status][data-tousu-state="filled"]').wait_for(timeout=20000)
    state = await form_state(page)
    assert state["reason"] == "商品质量问题"       # picked from the options the page offers
    assert state["expect"] == "退货退款"
    assert state["content"] == draft["form_text"] and len(state["content"]) <= 500
    assert fx.TMALL_MULTI in state["content"]
    assert await page.locator("#cmp-content").input_value() == state["content"]
    assert await page.evaluate("window.__fixtureSubmitted.length") == 0


async def test_refund_form_on_tmall_by_sub_order_id(paired, helper) -> None:  # noqa: ANN001
    await case_with_draft(paired, helper, fx.TMALL_MULTI, {"complaint_type": "not_as_described", "demand": "refund_only"})
    page = await paired.page(f"https://refund2.tmall.com/dispute/disputeRedirect.htm?tradeId={fx.TMALL_SUB_2}")
    await page.get_by_text("补充描述和凭证").wait_for()
    await page.locator(f'{PREFILL} [data-tousu-action="prefill"]').click()
    await page.locator(f'{PREFILL} [data-tousu-prefill-status][data-tousu-state="filled"]').wait_for(timeout=20000)
    state = await form_state(page)
    assert state["reason"] == "r_5"            # 与商品描述不符
    assert state["service"] == "refund_only"   # 我要退款（无需退货）
    assert fx.TMALL_MULTI in state["description"]


async def test_setting_value_alone_does_not_reach_react(paired, helper) -> None:  # noqa: ANN001
    """The fixture is honest: a plain `.value =` leaves React's state untouched."""
    page = await paired.page(f"https://refund2.taobao.com/dispute/apply.htm?bizOrderId={fx.TAOBAO_SINGLE}")
    await page.get_by_text("补充描述和凭证").wait_for()
    await page.evaluate("document.querySelector('textarea').value = 'x'; document.querySelector('textarea').dispatchEvent(new Event('change', {bubbles: true}))")
    assert (await form_state(page))["description"] == ""


async def test_no_case_yet_says_so(paired, helper) -> None:  # noqa: ANN001
    page = await paired.page(f"https://refund2.taobao.com/dispute/apply.htm?bizOrderId={fx.PAGE2_A}")
    await page.locator(f'{PREFILL} [data-tousu-action="prefill"]').click()
    status = page.locator(f'{PREFILL} [data-tousu-prefill-status][data-tousu-state="error"]')
    await status.wait_for()
    assert "已买到的宝贝" in await status.inner_text()
    assert (await form_state(page))["description"] == ""


async def test_after_sales_form_native_controls(paired, helper) -> None:  # noqa: ANN001
    """申请售后 with React-controlled native <select>/<input>/<textarea> and <label for>."""
    _case_id, draft = await case_with_draft(paired, helper, fx.TMALL_MULTI, {
        "complaint_type": "damaged_or_missing", "demand": "return_refund"})
    page = await paired.page(f"https://refund2.taobao.com/dispute/taobaoAfterDisputeRedirect.htm?tradeId={fx.TMALL_SUB_1}")
    await page.get_by_text("补充描述和凭证", exact=True).wait_for()
    await page.locator(f'{PREFILL} [data-tousu-action="prefill"]').click()
    await page.locator(f'{PREFILL} [data-tousu-prefill-status][data-tousu-state="filled"]').wait_for(timeout=20000)
    state = await form_state(page)
    assert state["kind"] == "退货退款"
    assert state["reason"] in ("少件/漏发", "包装/商品破损")
    assert state["amount"] == draft["fields"]["amount"]
    assert 0 < len(state["description"]) <= 300 and fx.TMALL_MULTI in state["description"]
    assert await page.locator("#as-kind").input_value() == "退货退款"
    assert await page.evaluate("window.__fixtureSubmitted.length") == 0
