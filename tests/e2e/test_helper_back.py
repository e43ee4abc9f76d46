"""The helper is simply there: what waited while it was down is sent within seconds of it
coming back and the panel updates without the buyer touching the page; a call that cannot
wait says, in the UI's language, how to start the helper."""

from __future__ import annotations

import pytest

from tests.e2e import fixturegen as fx
from tests.e2e.conftest import LIST
from tests.e2e.test_case_panel import PANEL, saved_case

pytestmark = pytest.mark.browser


async def test_a_queued_snapshot_lands_and_the_panel_says_so(paired, helper, ui) -> None:  # noqa: ANN001
    page = await paired.page(LIST)
    box, case_id = await saved_case(page, helper, fx.CLOSED)
    await helper.stop()
    await box.locator('[data-tousu-action="capture-tab"]').click()
    status = box.locator("[data-tousu-capture-status]")
    await box.locator('[data-tousu-capture-status][data-tousu-state="queued"]').wait_for()
    assert await status.inner_text() == ui("captureQueued")
    await helper.start()
    # no reload, no click: the page keeps asking while something waits (every 2 s)
    await box.locator('[data-tousu-capture-status][data-tousu-state="saved"]').wait_for(timeout=15000)
    assert await status.inner_text() == ui("captureSentLater")
    evidence = await helper.store.evidence.list(case_id)
    assert [e.kind for e in evidence] == ["tab_snapshot"]
    await box.locator(f'[data-tousu-evidence] li[data-evidence-id="{evidence[0].id}"]').wait_for(timeout=10000)
    assert (await paired.storage()).get("queue") == []


async def test_a_queued_order_opens_its_case_when_the_helper_is_back(paired, helper) -> None:  # noqa: ANN001
    await helper.stop()
    page = await paired.page(LIST)
    await page.locator(f'[data-tousu-host="row"] [data-order-id="{fx.TMALL_MULTI}"]').click()
    box = page.locator(f'{PANEL} .case[data-order-id="{fx.TMALL_MULTI}"]')
    await box.locator('[data-tousu-state="queued"]').wait_for()
    await helper.start()
    await box.locator('.state[data-tousu-state="saved"]').wait_for(timeout=15000)
    await box.locator('[data-tousu-field="items"] input[data-sub-order-id]').first.wait_for(timeout=10000)
    assert (await helper.store.cases.list(order_id=fx.TMALL_MULTI)).total == 1


async def test_helper_not_running_names_the_command(paired, helper, ui) -> None:  # noqa: ANN001
    page = await paired.page(LIST)
    box, _ = await saved_case(page, helper, fx.TAOBAO_SINGLE)
    await helper.stop()
    await box.locator('[data-tousu-action="draft"]').click()
    failed = box.locator('[data-tousu-draft-box][data-tousu-state="error"]')
    await failed.wait_for(timeout=20000)
    text = await failed.inner_text()
    assert ui("err_helper_unreachable") in text and "tousu-helper serve" in text
    assert "not running (or the browser blocked" not in text  # never the raw English of the client
