"""The case panel's channel picker (卖家 → 平台 → 12315 → 消协 → 法院, the catalog's order):
a draft per channel; a statutory demand the platform does not award is refused with the
helper's reasons and drafted for 12315 in one click; 填入投诉内容 fills only a platform
draft and offers to copy any other text instead."""

from __future__ import annotations

import pytest

from tests.e2e import fixturegen as fx
from tests.e2e.conftest import LIST
from tests.e2e.test_case_panel import saved_case
from tests.e2e.test_prefill import PREFILL, form_state

pytestmark = pytest.mark.browser
REFUND_FORM = f"https://refund2.taobao.com/dispute/apply.htm?bizOrderId={fx.TAOBAO_SINGLE}"


async def test_picker_lists_the_catalog_channels_and_drafts_for_the_one_chosen(paired, helper, ui) -> None:  # noqa: ANN001
    token = (await paired.storage())["token"]
    page = await paired.page(LIST)
    box, case_id = await saved_case(page, helper, fx.TAOBAO_SINGLE)
    picker = box.locator('[data-tousu-field="channel"]')
    channels = (await helper.get("/catalog", token))["channels"]
    shown = await picker.locator("option").all_inner_texts()
    assert shown == [c["label"] if ui.chinese else ui(f"channel_{c['id']}") for c in channels]
    assert await picker.input_value() == "platform"

    await box.locator('[data-tousu-field="complaint-type"]').select_option("quality_problem")
    await box.locator('[data-tousu-field="demand"]').select_option("return_refund")
    await picker.select_option("seller")
    await box.locator('[data-tousu-action="draft"]').click()
    await box.locator('[data-tousu-draft-box][data-tousu-state="drafted"]').wait_for(timeout=20000)
    assert (await helper.get(f"/cases/{case_id}/drafts/latest", token))["channel"] == "seller"
    # a seller message is not form text: the panel offers to copy it, not to fill it
    offer = box.locator('[data-tousu-not-form="seller"]')
    assert ui("draftNotForm", shown[0]) in await offer.inner_text()
    assert await box.locator('[data-tousu-action="copy-draft"]').is_visible()

    # back to the platform: form text again, with the fill hint and no copy offer
    await picker.select_option("platform")
    await box.locator('[data-tousu-action="draft"]').click()
    await box.locator('[data-tousu-draft-box] [data-tousu-draft-version="2"]').wait_for(timeout=20000)
    assert await box.locator("[data-tousu-not-form]").count() == 0
    assert ui("draftHint") in await box.locator("[data-tousu-draft-box]").inner_text()
    assert (await helper.get(f"/cases/{case_id}/drafts/latest", token))["channel"] == "platform"


async def test_statutory_demand_refused_on_platform_is_drafted_for_12315(paired, helper, ui) -> None:  # noqa: ANN001
    token = (await paired.storage())["token"]
    page = await paired.page(LIST)
    box, case_id = await saved_case(page, helper, fx.TAOBAO_SINGLE)
    await box.locator('[data-tousu-field="complaint-type"]').select_option("counterfeit")
    await box.locator('[data-tousu-field="demand"]').select_option("compensation")
    await box.locator('[data-tousu-field="amount"]').fill("500")  # §55: 3 × 47.40, at least ¥500
    await box.locator('[data-tousu-field="fraud-fact"]').select_option("以假充真")
    await box.locator('[data-tousu-action="draft"]').click()
    await box.locator('[data-tousu-draft-box][data-tousu-state="error"]').wait_for(timeout=20000)
    # the helper's reasons, in the buyer's language
    reasons = await box.locator('[data-tousu-refusal="demand_rejected"] li').all_inner_texts()
    wanted = "第五十五条" if ui.chinese else ui("notice_statutory_not_on_platform")
    assert any(wanted in r for r in reasons), reasons
    assert (await helper.get(f"/cases/{case_id}/drafts", token))["drafts"] == []

    regulator = (await helper.get("/catalog", token))["channels"][2]
    label = regulator["label"] if ui.chinese else ui("channel_regulator")
    button = box.locator('[data-tousu-action="draft-regulator"]')
    assert await button.inner_text() == ui("btnDraftRegulator", label)
    await button.click()
    await box.locator('[data-tousu-draft-box][data-tousu-state="drafted"]').wait_for(timeout=20000)
    draft = await helper.get(f"/cases/{case_id}/drafts/latest", token)
    assert (draft["version"], draft["channel"]) == (1, "regulator")
    assert await box.locator('[data-tousu-field="channel"]').input_value() == "regulator"
    assert "12315" in await box.locator("[data-tousu-draft]").inner_text()
    assert await box.locator('[data-tousu-not-form="regulator"]').is_visible()
    await page.close()

    # 填入投诉内容 on the refund form: a 12315 text is not form text — nothing is filled, copy offered
    form = await paired.page(REFUND_FORM)
    await form.get_by_text("补充描述和凭证").wait_for()
    before = await form_state(form)
    await form.locator(f'{PREFILL} [data-tousu-action="prefill"]').click()
    status = form.locator(f'{PREFILL} [data-tousu-prefill-status][data-tousu-state="not-form"]')
    await status.wait_for(timeout=20000)
    assert ui("prefillNotForm", label) in await status.inner_text()
    await status.locator('[data-tousu-action="copy-draft"]').click()
    await status.locator("[data-tousu-copy-status]").filter(has_text=ui("draftCopied")).wait_for()
    assert await form_state(form) == before
    assert await form.locator("[data-tousu-filled]").count() == 0
