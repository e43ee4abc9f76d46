"""One draft state per case, the same everywhere: two tabs on one case show the same type,
demand, notes and draft version; reopening keeps them; the review UI shows them; 填入投诉内容
fills the version the buyer looks at and says that a newer one exists."""

from __future__ import annotations

import pytest

from tests.e2e import fixturegen as fx
from tests.e2e.conftest import LIST, wait_for
from tests.e2e.test_case_panel import saved_case
from tests.e2e.test_prefill import PREFILL, form_state

pytestmark = pytest.mark.browser
LOOKED_AT = "11月10日收到耳机，左耳没有声音。"
ELSEWHERE = "这是在别处写的另一版经过。"


async def field(box, name: str) -> str:  # noqa: ANN001
    return await box.locator(f'[data-tousu-field="{name}"]').input_value()


async def test_two_tabs_one_state_reopened_reviewed_and_filled(paired, helper, ui) -> None:  # noqa: ANN001
    token = (await paired.storage())["token"]
    one = await paired.page(LIST)
    a, case_id = await saved_case(one, helper, fx.TAOBAO_SINGLE)
    two = await paired.page(LIST)
    b, _ = await saved_case(two, helper, fx.TAOBAO_SINGLE)
    # chosen in tab one, shown in tab two
    await a.locator('[data-tousu-field="complaint-type"]').select_option("quality_problem")
    await a.locator('[data-tousu-field="demand"]').select_option("return_refund")
    await a.locator('[data-tousu-field="notes"]').fill(LOOKED_AT)
    await a.locator('[data-tousu-field="notes"]').blur()

    async def tab_two_agrees() -> bool:
        return (await field(b, "complaint-type"), await field(b, "demand"), await field(b, "notes")) == (
            "quality_problem", "return_refund", LOOKED_AT)
    await wait_for(tab_two_agrees, timeout=10)
    # a draft made in tab two is the one tab one shows
    await b.locator('[data-tousu-action="draft"]').click()
    await b.locator('[data-tousu-draft-box] [data-tousu-draft-version="1"]').wait_for(timeout=20000)
    await a.locator('[data-tousu-draft-box] [data-tousu-draft-version="1"]').wait_for(timeout=10000)
    assert len((await helper.get(f"/cases/{case_id}/drafts", token))["drafts"]) == 1

    # reopening the case keeps every choice and the version looked at
    three = await paired.page(LIST)
    c, _ = await saved_case(three, helper, fx.TAOBAO_SINGLE)
    await c.locator('[data-tousu-draft-box] [data-tousu-draft-version="1"]').wait_for(timeout=10000)
    assert (await field(c, "complaint-type"), await field(c, "demand"), await field(c, "notes")) == (
        "quality_problem", "return_refund", LOOKED_AT)

    # a newer version made elsewhere (another client): the panel keeps showing version 1 and says so
    await helper.post(f"/cases/{case_id}/draft", token, {"complaint_type": "quality_problem",
                                                        "demand": {"kind": "return_refund"}, "notes": ELSEWHERE})
    four = await paired.page(LIST)
    d, _ = await saved_case(four, helper, fx.TAOBAO_SINGLE)
    await d.locator('[data-tousu-newer-draft="2"]').wait_for(timeout=10000)
    assert await d.locator("[data-tousu-draft-version]").get_attribute("data-tousu-draft-version") == "1"

    # the review UI shows the same choices and the same version
    async with paired.ctx.expect_page() as info:
        await d.locator('[data-tousu-action="open-review"]').click()
    review = await info.value
    state = review.locator('[data-testid="draft-state"]')
    await state.wait_for(timeout=10000)
    text = await state.inner_text()
    assert "质量问题" in text and "退货退款" in text and LOOKED_AT in text and "第 1 版" in text
    assert await review.locator('[data-testid="newer-draft"]').count() == 1

    # the refund form is filled from version 1 (re-fitted to its 200 characters), not version 2
    form = await paired.page(f"https://refund2.taobao.com/dispute/apply.htm?bizOrderId={fx.TAOBAO_SINGLE}")
    await form.get_by_text("补充描述和凭证").wait_for()
    await form.locator(f'{PREFILL} [data-tousu-action="prefill"]').click()
    await form.locator(f'{PREFILL} [data-tousu-prefill-status][data-tousu-state="filled"]').wait_for(timeout=20000)
    notes = await form.locator(f"{PREFILL} [data-tousu-prefill-notes]").inner_text()
    assert ui("prefillVersion", 1) in notes and ui("prefillNewer", 2, 1) in notes
    description = (await form_state(form))["description"]
    assert "左耳没有声音" in description and ELSEWHERE not in description
    refit = await helper.get(f"/cases/{case_id}/drafts/latest", token)
    assert refit["version"] == 3 and refit["form_limit"] == 200 and description == refit["form_text"]
    # and every open tab now shows the re-fitted version the form holds
    await a.locator('[data-tousu-draft-box] [data-tousu-draft-version="3"]').wait_for(timeout=10000)


async def test_sentences_left_out_are_shown_before_a_fill(paired, helper, ui) -> None:  # noqa: ANN001
    """A draft made elsewhere (never shown in the panel) that leaves out a sentence of the
    buyer's is not filled; once the panel has shown it, with the sentence listed, it is."""
    token = (await paired.storage())["token"]
    page = await paired.page(LIST)
    box, case_id = await saved_case(page, helper, fx.TAOBAO_SINGLE)
    await helper.post(f"/cases/{case_id}/draft", token, {"complaint_type": "quality_problem", "demand": {"kind": "return_refund"},
                                                        "notes": LOOKED_AT + "卖家是骗子！！！一直不回复。"})
    form = await paired.page(f"https://refund2.taobao.com/dispute/apply.htm?bizOrderId={fx.TAOBAO_SINGLE}")
    await form.get_by_text("补充描述和凭证").wait_for()
    await form.locator(f'{PREFILL} [data-tousu-action="prefill"]').click()
    refused = form.locator(f'{PREFILL} [data-tousu-prefill-status][data-tousu-state="error"]')
    await refused.wait_for(timeout=20000)
    assert await refused.inner_text() == ui("err_draft_unseen")
    assert (await form_state(form))["description"] == ""
    # the buyer looks at it in the panel: the left-out sentence is listed, and the fill goes ahead
    await box.locator('[data-tousu-field="notes"]').fill(LOOKED_AT + "卖家是骗子！！！一直不回复。")
    await box.locator('[data-tousu-action="draft"]').click()
    withheld = box.locator("[data-tousu-withheld]")
    await withheld.wait_for(timeout=20000)
    assert "卖家是骗子" in await withheld.inner_text()
    await form.locator(f'{PREFILL} [data-tousu-action="prefill"]').click()
    await form.locator(f'{PREFILL} [data-tousu-prefill-status][data-tousu-state="filled"]').wait_for(timeout=20000)
    description = (await form_state(form))["description"]
    assert "左耳没有声音" in description and "骗子" not in description
