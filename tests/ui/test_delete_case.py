"""Deleting a case from the review UI: the buyer is asked first; cancelling keeps it,
confirming removes it from the list."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api, sample_order
from tests.ui.conftest import login_url

pytestmark = pytest.mark.browser


async def test_delete_asks_then_removes_the_case(api: Api, browser: Any) -> None:
    keep = (await api.json("POST", "/orders", expect=201, json=sample_order("4300000000000000001")))["case"]
    doomed = (await api.json("POST", "/orders", expect=201, json=sample_order("4300000000000000002")))["case"]
    context = await browser.new_context(locale="zh-CN")
    page = await context.new_page()
    answers, questions = [False, True], []

    async def on_dialog(dialog: Any) -> None:
        questions.append(dialog.message)
        await (dialog.accept() if answers.pop(0) else dialog.dismiss())

    page.on("dialog", on_dialog)
    try:
        await page.goto(await login_url(api))
        await page.goto(f"http://127.0.0.1:{api.port}/#/case/{doomed['id']}")
        button = page.locator('[data-action="delete-case"]')
        await button.click()
        assert "4300000000000000002" in questions[0] and "无法撤销" in questions[0]
        await api.json("GET", f"/cases/{doomed['id']}")  # cancelled: still there
        await button.click()
        rows = page.locator("table.cases tbody tr")
        await page.wait_for_url(f"http://127.0.0.1:{api.port}/#/")
        await rows.first.wait_for()
        assert await rows.count() == 1
        assert "4300000000000000001" in await rows.first.inner_text()
        await api.json("GET", f"/cases/{doomed['id']}", expect=404)
        await api.json("GET", f"/cases/{keep['id']}")
    finally:
        await context.close()
