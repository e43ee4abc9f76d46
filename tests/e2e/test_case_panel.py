"""The case panel against the real helper: tab snapshot and 交易快照 captures become
verified evidence, deadlines and the checklist show, the draft comes with warnings."""

from __future__ import annotations

from datetime import timedelta

import pytest

from helper.models import CHINA_TZ, utc_now
from tests.e2e import fixturegen as fx
from tests.e2e.conftest import LIST, wait_for

pytestmark = pytest.mark.browser
PANEL = '[data-tousu-host="panel"]'


async def saved_case(page, helper, order_id: str):  # noqa: ANN001, ANN201
    await page.locator(f'[data-tousu-host="row"] [data-order-id="{order_id}"]').click()
    case_box = page.locator(f'{PANEL} .case[data-order-id="{order_id}"]')
    await case_box.locator('[data-tousu-state="saved"]').wait_for(timeout=10000)
    return case_box, (await helper.store.cases.list(order_id=order_id)).cases[0].id


async def test_tab_snapshot_becomes_verified_evidence(paired, helper) -> None:  # noqa: ANN001
    page = await paired.page(LIST)
    box, case_id = await saved_case(page, helper, fx.TAOBAO_SINGLE)
    await box.locator('[data-tousu-action="capture-tab"]').click()
    await box.locator('[data-tousu-capture-status][data-tousu-state="saved"]').wait_for(timeout=30000)
    evidence = await helper.store.evidence.list(case_id)
    assert [e.kind for e in evidence] == ["tab_snapshot"]
    snap = evidence[0]
    assert snap.category == "order_page"
    html_art = next(a for a in snap.artifacts if a.media_type.startswith("text/html"))
    stored = helper.store.blobs.path(html_art.sha256).read_text(encoding="utf-8")
    # what the buyer saw, ids exact, without our own UI
    assert fx.TAOBAO_SINGLE in stored and "data-tousu-host" not in stored
    # the panel lists it and ticks the checklist
    await box.locator(f'[data-tousu-evidence] li[data-evidence-id="{snap.id}"]').wait_for()
    await box.locator('[data-tousu-checklist] li[data-category="order_page"][data-present="1"]').wait_for()
    # and the archive verifies
    async def condition() -> bool:
        return all(e.status != "pending" for e in await helper.store.evidence.list(case_id))

    await wait_for(condition, timeout=30)
    report = await helper.get(f"/cases/{case_id}/verify", (await paired.storage())["token"])
    assert report["ok"] is True, report


async def test_trade_snapshot_saved_from_the_buyers_own_tab(paired, helper, site) -> None:  # noqa: ANN001
    """The 交易快照 needs the buyer's login: it opens in a tab of theirs, which saves it as a
    tab snapshot of the case (a helper capture could not log in)."""
    page = await paired.page(LIST)
    box, case_id = await saved_case(page, helper, fx.TAOBAO_SINGLE)
    async with paired.ctx.expect_page() as info:
        await box.locator('[data-tousu-action="capture-snapshot"]').click()
    snap = await info.value
    await snap.locator('[data-tousu-host="trade-snapshot"] [data-tousu-snapshot-status][data-tousu-state="saved"]').wait_for(timeout=30000)
    assert "tradeSnap.htm" in snap.url and f"tradeID={fx.TAOBAO_SINGLE}" in snap.url
    await box.locator('[data-tousu-capture-status][data-tousu-state="saved"]').wait_for(timeout=30000)
    ev = await helper.store.evidence.list(case_id)
    assert [e.kind for e in ev] == ["tab_snapshot"] and ev[0].category == "listing_snapshot"
    assert ev[0].metadata["url"] == f"https://buyertrade.taobao.com/trade/detail/tradeSnap.htm?tradeID={fx.TAOBAO_SINGLE}"
    html_art = next(a for a in ev[0].artifacts if a.media_type.startswith("text/html"))
    assert "交易快照" in helper.store.blobs.path(html_art.sha256).read_text(encoding="utf-8")
    await box.locator('[data-tousu-checklist] li[data-category="listing_snapshot"][data-present="1"]').wait_for()
    # the helper's own browser never asked Taobao for it
    assert sum(1 for h, p in site.requests if "tradeSnap" in p) == 1


async def test_deadlines_and_draft_with_warnings(paired, helper, ui) -> None:  # noqa: ANN001
    page = await paired.page(LIST)
    box, _ = await saved_case(page, helper, fx.TMALL_MULTI)
    # the list has no signing date: the panel says what is missing
    await box.locator("[data-tousu-deadlines] li").first.wait_for()
    assert ui("dateAskReceived") in await box.locator("[data-tousu-deadlines]").inner_text()
    # the Tmall detail page adds 成交时间 and 发货时间 to the same case: real deadlines
    page = await paired.page(f"https://trade.tmall.com/detail/orderDetail.htm?bizOrderId={fx.TMALL_MULTI}")
    box, case_id = await saved_case(page, helper, fx.TMALL_MULTI)
    await box.locator("[data-tousu-deadlines] li[data-deadline]").first.wait_for()
    await box.locator('[data-tousu-field="complaint-type"]').select_option("quality_problem")
    await box.locator('[data-tousu-field="demand"]').select_option("return_refund")
    await box.locator('[data-tousu-field="notes"]').fill("11月10日收到耳机，左耳没有声音。卖家是骗子！！！一直不回复。")
    await box.locator('[data-tousu-action="draft"]').click()
    await box.locator('[data-tousu-draft-box][data-tousu-state="drafted"]').wait_for(timeout=20000)
    draft_text = await box.locator("[data-tousu-draft]").inner_text()
    assert fx.TMALL_MULTI in draft_text
    # the buyer's loaded words are highlighted, and warnings are listed
    marks = await box.locator("[data-tousu-notes-lint] mark").all_inner_texts()
    assert any("骗子" in m for m in marks), marks
    assert int(await box.locator("[data-tousu-warnings]").get_attribute("data-tousu-warnings")) >= 1
    # the draft is stored on the case in the helper
    versions = await helper.get(f"/cases/{case_id}/drafts", (await paired.storage())["token"])
    assert len(versions["drafts"]) == 1


async def test_snapshot_while_helper_down_is_queued_then_sent(paired, helper) -> None:  # noqa: ANN001
    page = await paired.page(LIST)
    box, case_id = await saved_case(page, helper, fx.CLOSED)
    await helper.stop()
    await box.locator('[data-tousu-action="capture-tab"]').click()
    await box.locator('[data-tousu-capture-status][data-tousu-state="queued"]').wait_for()
    await helper.start()
    await paired.sw.evaluate("1")
    await page.reload()  # any page contact flushes the queue
    async def condition() -> bool:
        return len(await helper.store.evidence.list(case_id)) == 1

    await wait_for(condition, timeout=30)
    assert (await helper.store.evidence.list(case_id))[0].kind == "tab_snapshot"


async def test_toolbar_snapshot_of_the_open_case(paired, helper) -> None:  # noqa: ANN001
    """The toolbar button's path (headless cannot click the toolbar, so its handler is
    called directly): the tab's DOM reaches the case as a tab snapshot. Without the
    toolbar's user gesture, activeTab is not granted, so there is no screenshot here."""
    page = await paired.page(LIST)
    box, case_id = await saved_case(page, helper, fx.TMALL_MULTI)
    await page.bring_to_front()
    result = await paired.sw.evaluate("""(async () => {
      const [tab] = await chrome.tabs.query({active: true, lastFocusedWindow: true});
      return tousuOnAction(tab);
    })()""")
    assert result["ok"] is True, result
    await box.locator('[data-tousu-capture-status][data-tousu-state="saved"]').wait_for(timeout=30000)
    ev = await helper.store.evidence.list(case_id)
    assert [e.kind for e in ev] == ["tab_snapshot"]


async def test_review_link_opens_the_case_in_the_helper_ui(paired, helper) -> None:  # noqa: ANN001
    page = await paired.page(LIST)
    box, case_id = await saved_case(page, helper, fx.TAOBAO_SINGLE)
    async with paired.ctx.expect_page() as info:
        await box.locator('[data-tousu-action="open-review"]').click()
    ui = await info.value
    await ui.wait_for_load_state()
    await wait_for(lambda: ui.url.startswith(helper.url) and f"#/case/{case_id}" in ui.url, timeout=10)
    await ui.get_by_text(fx.TAOBAO_SINGLE).first.wait_for(timeout=10000)


async def test_badge_counts_reminders(paired, helper) -> None:  # noqa: ANN001
    """The toolbar badge shows how many deadlines/follow-ups the helper reports.

    The fixture's dates are fixed (2025), so the test sends the same order again as
    received five days before now: its 7-day return deadline is then two days
    away (within the 3-day reminder window), whatever today's date is, and the badge must count it."""
    page = await paired.page(f"https://trade.tmall.com/detail/orderDetail.htm?bizOrderId={fx.TMALL_MULTI}")
    await saved_case(page, helper, fx.TMALL_MULTI)
    token = (await paired.storage())["token"]
    received = (utc_now() - timedelta(days=5)).astimezone(CHINA_TZ).isoformat(timespec="seconds")
    await helper.post("/orders", token, {"order_id": fx.TMALL_MULTI, "platform": "tmall",
                                         "received_at": received})
    expected = (await helper.get("/reminders", token))["count"]
    assert expected >= 1, "a case received five days ago has a deadline due"
    badge = await paired.sw.evaluate("tousuUpdateBadge()")
    assert badge["count"] == expected
    assert await paired.sw.evaluate("chrome.action.getBadgeText({})") == str(min(expected, 99))
