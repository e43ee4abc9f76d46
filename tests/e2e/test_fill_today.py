"""Filling the refund form Taobao serves today (built from the public descriptions, see the
fixture's header): .mod-select-pc dropdowns, 货物状态 before the reasons, a server round
trip and redraw after every pick, the description re-fitted to the page's own 200
characters; then the receipt — what each field shows, confirmed or not, what could not be
filled on the clipboard and marked — and an undo that says exactly what it could not undo.
Assertions are on the form's React state and on what the page shows."""

from __future__ import annotations

import pytest

from tests.e2e import fixturegen as fx
from tests.e2e.test_prefill import PREFILL, case_with_draft, form_state

pytestmark = pytest.mark.browser
TODAY_REFUND = "https://refund2.taobao.com/dispute/applyRouter.htm?bizOrderId={}"
TODAY_AFTER_SALES = "https://refund2.tmall.com/dispute/apply.htm?tradeId={}"
NOTES = "11月10日收到商品后发现左耳没有声音，重启和重新配对后仍然如此。" * 4


async def fill(page) -> None:  # noqa: ANN001
    await page.locator(".mod-select-pc").first.wait_for()
    await page.locator(f'{PREFILL} [data-tousu-action="prefill"]').click()
    await page.locator(f'{PREFILL} [data-tousu-prefill-status][data-tousu-state="filled"]').wait_for(timeout=40000)


async def receipt(page) -> dict[str, str]:  # noqa: ANN001
    return await page.eval_on_selector_all(f"{PREFILL} [data-tousu-receipt] [data-tousu-receipt-field]",
                                           "els => Object.fromEntries(els.map(e => [e.dataset.tousuReceiptField, e.dataset.tousuConfirmed]))")


async def shown(page, title: str) -> str:  # noqa: ANN001
    return await page.evaluate("""(title) => [...document.querySelectorAll('.mod-select-pc')]
      .find(s => s.querySelector('.select-title').textContent.includes(title)).querySelector('.selected-wrap').innerText.trim()""", title)


async def test_todays_refund_form_step_by_step_with_a_receipt_and_undo(paired, helper, ui) -> None:  # noqa: ANN001
    case_id, draft = await case_with_draft(paired, helper, fx.TAOBAO_SINGLE, {
        "complaint_type": "quality_problem", "demand": "return_refund", "notes": NOTES})
    page = await paired.page(TODAY_REFUND.format(fx.TAOBAO_SINGLE))
    await fill(page)
    state = await form_state(page)
    # service type first, then the goods state (shipped and complained about for quality:
    # received), only then the reason the page offers for it; each after its round trip
    assert await page.evaluate("window.__fixtureRoundTrips") == ["service", "goods", "reason", "amount"]
    assert (state["service"], state["goods"], state["reason"]) == ("退货退款", "已收到货", "质量问题")
    assert state["amount"] == draft["fields"]["amount"] == "47.40"
    # the page's own limit (a "0/200" counter, no maxLength): the helper re-fitted the draft
    assert 0 < len(state["description"]) <= 200 and fx.TAOBAO_SINGLE in state["description"]
    assert state["description"].rstrip().endswith(("。", "）", ")", "；"))
    fitted = await helper.get(f"/cases/{case_id}/drafts/latest", (await paired.storage())["token"])
    assert fitted["form_limit"] == 200 and fitted["version"] == draft["version"] + 1
    assert state["description"] == fitted["form_text"]
    # what the buyer sees agrees with React's state
    assert (await shown(page, "服务类型"), await shown(page, "货物状态"), await shown(page, "退款原因")) == ("退货退款", "已收到货", "质量问题")
    assert await page.locator("textarea.desc").input_value() == state["description"]
    # the receipt: every field read back from the page and confirmed
    assert await receipt(page) == {"kind": "1", "goods": "1", "reason": "1", "amount": "1", "description": "1"}
    notes = await page.locator(f"{PREFILL} [data-tousu-prefill-notes]").inner_text()
    assert ui("prefillVersion", draft["version"]) in notes and ui("prefillRefit", 200, fitted["version"], draft["version"]) in notes
    assert await page.evaluate("window.__fixtureSubmitted.length") == 0
    assert "disabled" not in (await page.locator("#submitButtonContainer_1 .button-item").get_attribute("class"))
    # undo: what it can (the text), and it names the dropdowns that had no choice before
    await page.locator(f'{PREFILL} [data-tousu-action="undo-prefill"]').click()
    status = page.locator(f'{PREFILL} [data-tousu-prefill-status][data-tousu-state="undone"]')
    await status.wait_for(timeout=30000)
    assert (await form_state(page))["description"] == ""
    said = await status.inner_text()
    assert all(w in said for w in ("服务类型", "货物状态", "退款原因")) and "2" in said
    assert await page.locator('[data-tousu-filled="1"]').count() == 0
    assert await page.evaluate("window.__fixtureSubmitted.length") == 0


async def test_a_value_the_page_does_not_take_is_copied_and_marked(paired, helper, ui) -> None:  # noqa: ANN001
    """申请售后 for one item of a two-item order drafted for the whole order: the page caps
    the amount at that item's price, the receipt says so, copies the amount and marks it."""
    await case_with_draft(paired, helper, fx.TMALL_MULTI, {"complaint_type": "quality_problem", "demand": "return_refund"})
    await paired.ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin="https://refund2.tmall.com")
    page = await paired.page(TODAY_AFTER_SALES.format(fx.TMALL_SUB_2))
    await fill(page)
    state = await form_state(page)
    assert (state["service"], state["goods"], state["reason"]) == ("退货退款", "已收到货", "质量问题")
    assert state["amount"] == "28.00"  # the server's cap for this item
    got = await receipt(page)
    assert got["amount"] == "0" and got["reason"] == "1" and got["description"] == "1"
    row = page.locator(f'{PREFILL} [data-tousu-receipt-field="amount"]')
    assert await row.get_attribute("data-tousu-copied") == "1" and "28.00" in await row.inner_text()
    assert await page.evaluate("navigator.clipboard.readText()") == "186.28"
    assert await page.locator("#applyRefundFeeInput_1-input").get_attribute("data-tousu-unfilled") == "1"
    notes = await page.locator(f"{PREFILL} [data-tousu-prefill-notes]").inner_text()
    assert ui("prefillWholeOrder", 2) in notes
    assert await page.evaluate("window.__fixtureSubmitted.length") == 0


async def test_undo_puts_back_what_the_buyer_had_picked(paired, helper, ui) -> None:  # noqa: ANN001
    await case_with_draft(paired, helper, fx.TAOBAO_SINGLE, {"complaint_type": "quality_problem", "demand": "return_refund"})
    page = await paired.page(TODAY_REFUND.format(fx.TAOBAO_SINGLE))
    await page.locator(".mod-select-pc").first.wait_for()
    # the buyer had already chosen 仅退款 (the page answers after its round trip)
    await page.locator(".mod-select-pc .selected-wrap").first.click()
    await page.locator(".mod-select-pc .options-item", has_text="仅退款").first.click()
    await page.wait_for_function("window.__fixtureForm && window.__fixtureForm.service === '仅退款'")
    await fill(page)
    assert (await form_state(page))["service"] == "退货退款"
    await page.locator(f'{PREFILL} [data-tousu-action="undo-prefill"]').click()
    status = page.locator(f'{PREFILL} [data-tousu-prefill-status][data-tousu-state="undone"]')
    await status.wait_for(timeout=30000)
    state = await form_state(page)
    # the dropdown is back on the buyer's own pick (through the page, round trip and all)
    assert state["service"] == "仅退款" and await shown(page, "服务类型") == "仅退款"
    assert state["description"] == ""
    said = await status.inner_text()
    # only what had no choice before is named as left for the buyer
    assert "货物状态" in said and "服务类型" not in said
    assert await page.evaluate("window.__fixtureSubmitted.length") == 0
