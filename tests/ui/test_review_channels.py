"""The review UI offers the case's draft per channel in the escalation order (卖家 → 平台 →
12315 → 消协 → 法院) and lists the sentences the engine left out, in real Chromium."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api, sample_order
from tests.ui.conftest import login_url

pytestmark = pytest.mark.browser


async def test_channels_in_order_and_the_sentences_left_out(api: Api, page: Any) -> None:
    order_id = "4865640015090004803"
    case_id = (await api.json("POST", "/orders", expect=201, json=sample_order(
        order_id, received_at="2025-11-10T12:00:00+08:00")))["case"]["id"]
    await api.json("POST", f"/cases/{case_id}/draft", expect=201, json={
        "complaint_type": "quality_problem", "demand": {"kind": "return_refund"},
        "facts": [{"date": "2025-11-10", "text": "收到耳机后左耳没有声音。"},
                  {"date": "2025-11-11", "text": "你们就是骗子，黑心商家。"}]})
    await page.goto(await login_url(api))
    await page.locator(f"a[data-testid=case-link]:has-text('{order_id}')").click()
    bar = page.locator("[data-testid=channels]")
    await bar.wait_for()
    buttons = bar.locator("button")
    assert [await b.get_attribute("data-channel") for b in await buttons.all()] == [
        "seller", "platform", "regulator", "association", "court"]
    assert await bar.locator("button[data-channel=platform]").get_attribute("aria-pressed") == "true"
    withheld = await page.locator("[data-testid=withheld]").inner_text()
    assert "你们就是骗子，黑心商家。" in withheld and "商品与描述不符，我认为存在误导。" in withheld
    assert "骗子" not in await page.locator("[data-testid=draft-text]").inner_text()

    await bar.locator("button[data-channel=regulator]").click()
    await page.locator("[data-testid=draft-text]:has-text('一、投诉人')").wait_for()
    await page.locator("[data-testid=channels] button[data-channel=regulator][aria-pressed=true]").wait_for()
    assert (await api.json("GET", f"/cases/{case_id}/drafts/latest"))["channel"] == "regulator"
    assert page.dialogs == []
