"""Every translator (extension/sites/*.js) against its own recorded pages: each test case in
the translator's `tests` names a fixture page (and the recorded responses it receives) and
the orders that page must yield; the translator runs in real Chromium on that page, the way
the content scripts run it, and every field the case lists must come out equal."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import EXTENSION
from tests.support.browser import CHROMIUM_ARGS, system_chromium
from tests.support.site import SITE_ROOT, FixtureSite

pytestmark = pytest.mark.browser

SITES = EXTENSION / "sites"
TRANSLATORS = sorted(p.stem for p in SITES.glob("*.js") if p.stem not in ("registry", "fields"))
HARNESS = Path(__file__).with_name("translator_harness.js")
FORM_SCRIPTS = [EXTENSION / "content" / "form_fields.js"]


def differences(expected: Any, actual: Any, where: str = "") -> list[str]:
    """What in `actual` differs from `expected`: listed fields only, lists entry by entry."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where}: expected an object, got {actual!r}"]
        return [d for k, v in expected.items()
                for d in (differences(v, actual[k], f"{where}.{k}") if k in actual else [f"{where}.{k}: missing, expected {v!r}"])]
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{where}: expected {len(expected)} entries, got {actual!r}"]
        return [d for i, (e, a) in enumerate(zip(expected, actual)) for d in differences(e, a, f"{where}[{i}]")]
    return [] if expected == actual else [f"{where}: expected {expected!r}, got {actual!r}"]


@pytest.fixture
async def bare_page(site: FixtureSite) -> AsyncIterator[Any]:
    """A page in plain Chromium (no extension): the translator is injected by the test."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=system_chromium(), headless=True,
                                           args=[*CHROMIUM_ARGS, f"--host-resolver-rules={site.resolver_rules}"])
        try:
            ctx = await browser.new_context(ignore_https_errors=True)
            yield await ctx.new_page()
        finally:
            await browser.close()


async def load(page: Any, url: str, translator: str, wait_for: str | None = None) -> None:
    await page.goto(url)
    if wait_for:
        await page.locator(wait_for).first.wait_for(state="attached")
    scripts = [SITES / "registry.js", SITES / "fields.js", EXTENSION / "content" / "common.js",
               *FORM_SCRIPTS, SITES / f"{translator}.js", HARNESS]
    for script in scripts:
        tag = await page.add_script_tag(content=script.read_text(encoding="utf-8"))
        await tag.evaluate("el => el.remove()")  # content scripts are not among the page's scripts


def recorded(response: dict[str, str]) -> dict[str, str]:
    raw = (SITE_ROOT / response["file"]).read_bytes()
    return {"url": response["url"], "text": raw.decode(response.get("charset", "utf-8"))}


@pytest.mark.parametrize("translator", TRANSLATORS)
async def test_translator_reads_its_recorded_pages(bare_page, translator: str) -> None:  # noqa: ANN001
    page = bare_page
    await load(page, "https://buyertrade.taobao.com/trade/itemlist/list_bought_items.htm", translator)
    cases = await page.evaluate("(id) => TousuHarness.cases(id)", translator)
    assert cases, f"{translator} has no recorded pages"
    for case in cases:
        await load(page, case["page"], translator, case.get("waitFor"))
        if "subOrder" in case:  # a 交易快照: the sub-order it shows
            got = await page.evaluate("(id) => TousuHarness.snapshot(id)", translator)
            assert got == {"detected": True, "subOrder": case["subOrder"]}, case["page"]
            continue
        if "fields" in case:  # a form: its labels find the controls the page has
            got = await page.evaluate("(id) => TousuHarness.fields(id)", translator)
            assert got["detected"], case["page"]
            assert got["found"] == case["fields"], case["page"]
            assert got["maxLength"] == case["maxLength"], case["page"]
            continue
        responses = [recorded(r) for r in case.get("responses", [])]
        got = await page.evaluate("([id, c, r]) => TousuHarness.orders(id, c, r)", [translator, case, responses])
        if case.get("only") != "responses":
            assert got["detected"], f"{translator} does not recognise {case['page']}"
        if "rows" in case:
            assert got["rows"] == case["rows"], case["page"]
        by_id = {o["order_id"]: o for o in got["orders"]}
        assert sorted(by_id) == sorted(o["order_id"] for o in case["orders"]), case["page"]
        problems = [f"{case['page']} {o['order_id']}{d}" for o in case["orders"] for d in differences(o, by_id[o["order_id"]])]
        assert not problems, "\n".join(problems)
