"""The offline queue when the helper answers but fails: a 5xx (or an answer about pairing or
the helper's state) keeps the item queued — shown in the page panel with the helper's
reason — until the helper takes it; an answer that the item itself is wrong (422) drops
it, and the panel shows the helper's message until the buyer dismisses it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import pytest
from aiohttp import web

from tests.e2e import fixturegen as fx
from tests.e2e.conftest import LIST, wait_for

pytestmark = pytest.mark.browser
PANEL = '[data-tousu-host="panel"]'


@asynccontextmanager
async def answering(port: int, status: int, code: str, message: str) -> AsyncIterator[None]:
    """A stand-in for a helper in trouble on the helper's port: every request gets `status`
    with the helper's error body and its X-Tousu-Helper header (so it is our helper talking)."""
    async def reply(_r: web.Request) -> web.Response:
        return web.json_response({"error": {"code": code, "message": message}}, status=status,
                                 headers={"X-Tousu-Helper": "test"})
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", reply)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield
    finally:
        await runner.cleanup()


async def queued_items(browser) -> list[dict]:  # noqa: ANN001
    return (await browser.storage()).get("queue") or []


def cases_for(helper, order_id: str) -> Callable[[], Awaitable[int]]:  # noqa: ANN001
    async def count() -> int:
        return (await helper.store.cases.list(order_id=order_id)).total
    return count


@pytest.mark.parametrize(("status", "code"), [(503, "store_unavailable"), (401, "token_invalid")])
async def test_item_stays_queued_while_the_helper_fails_then_arrives(paired, helper, status: int, code: str) -> None:  # noqa: ANN001
    await helper.stop()
    async with answering(helper.port, status, code, "数据库暂时不可用"):
        page = await paired.page(LIST)
        await page.locator(f'[data-tousu-host="row"] [data-order-id="{fx.TAOBAO_SINGLE}"]').click()
        await page.locator(f'{PANEL} .case[data-order-id="{fx.TAOBAO_SINGLE}"] [data-tousu-state="queued"]').wait_for()
        queued = await queued_items(paired)
        assert [(q["order_id"], q["last_error"]["status"]) for q in queued] == [(fx.TAOBAO_SINGLE, status)]
        # the panel lists what waits, and why
        item = page.locator(f'{PANEL} [data-tousu-queue] li[data-tousu-state="queued"][data-order-id="{fx.TAOBAO_SINGLE}"]')
        await item.wait_for()
        assert str(status) in await item.inner_text()
        # retrying meets the same answer: the item is still there, not dropped
        await page.locator(f'{PANEL} [data-tousu-action="queue-retry"]').click()

        async def retried() -> bool:
            return any(q["attempts"] >= 2 for q in await queued_items(paired))
        await wait_for(retried, timeout=15)
        assert [q["order_id"] for q in await queued_items(paired)] == [fx.TAOBAO_SINGLE]
        assert (await paired.storage()).get("queueDropped", []) == []
    await helper.start()
    # delivered on its own once the pause is over, while the page waits
    await page.locator(f'{PANEL} .case[data-order-id="{fx.TAOBAO_SINGLE}"] [data-tousu-state="saved"]').wait_for(timeout=60000)
    assert await cases_for(helper, fx.TAOBAO_SINGLE)() == 1
    assert await queued_items(paired) == []
    await page.locator(f"{PANEL} [data-tousu-queue]").wait_for(state="detached")


async def test_item_the_helper_calls_wrong_is_dropped_with_its_message(paired, helper, ui) -> None:  # noqa: ANN001
    await helper.stop()
    page = await paired.page(LIST)
    await page.locator(f'[data-tousu-host="row"] [data-order-id="{fx.CLOSED}"]').click()
    await page.locator(f'{PANEL} .case[data-order-id="{fx.CLOSED}"] [data-tousu-state="queued"]').wait_for()
    async with answering(helper.port, 422, "invalid_order", "订单里没有可以投诉的商品"):
        box = page.locator(f'{PANEL} .case[data-order-id="{fx.CLOSED}"] .state[data-tousu-state="error"]')
        await box.wait_for(timeout=30000)
        # the helper's own words where they are the UI's language, else what its code says
        said = "订单里没有可以投诉的商品" if ui.chinese else ui("err_unknown", "invalid_order")
        assert said in await box.inner_text()
        dropped = page.locator(f'{PANEL} [data-tousu-queue] li[data-tousu-state="dropped"][data-order-id="{fx.CLOSED}"]')
        await dropped.wait_for()
        assert said in await dropped.inner_text()
        assert await queued_items(paired) == []
        assert [(d["order_id"], d["error"]["status"]) for d in (await paired.storage())["queueDropped"]] == [(fx.CLOSED, 422)]
        await dropped.locator('[data-tousu-action="queue-dismiss"]').click()
        await page.locator(f"{PANEL} [data-tousu-queue]").wait_for(state="detached")
        assert (await paired.storage())["queueDropped"] == []
