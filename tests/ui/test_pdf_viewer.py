"""A PDF with JavaScript, uploaded as evidence, in real Chromium: its script never runs —
not in the review UI's viewer (pages shown as images) nor through /content (a download) —
while the browser itself would run it if the PDF reached its PDF viewer."""

from __future__ import annotations

import io
from typing import Any

import pytest
from aiohttp import web

from tests.conftest import Api
from tests.support.pdfs import make_pdf
from tests.ui.conftest import login_url, seed_case
from tests.ui.support import wait_until

pytestmark = pytest.mark.browser

ALERT = "PDF-SCRIPT-RAN"
ARMED = make_pdf(3, script=f"app.alert('{ALERT}')")
PDF_VIEWER = "chrome-extension://"  # Chromium's PDF viewer is a built-in extension page


def _named(data: bytes, name: str) -> io.BytesIO:
    file = io.BytesIO(data)
    file.name = name  # the multipart part's filename
    return file


def _pdf_frames(page: Any) -> list[str]:
    return [f.url for f in page.frames if f.url.startswith(PDF_VIEWER)]


async def test_the_armed_pdf_runs_in_chromiums_pdf_viewer(page: Any) -> None:
    """Control: served inline to the browser, the same PDF's OpenAction alert fires — so the
    absence of a dialog in the tests below means the script had no chance, not that it fizzled."""
    app = web.Application()

    async def inline(request: web.Request) -> web.Response:
        return web.Response(body=ARMED, content_type="application/pdf")

    app.router.add_get("/doc.pdf", inline)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        await page.goto(f"http://127.0.0.1:{runner.addresses[0][1]}/doc.pdf")
        for _ in range(200):  # up to 10 s: the viewer loads, then runs the OpenAction
            if page.dialogs:
                break
            await page.wait_for_timeout(50)
        assert page.dialogs == [ALERT]
        assert _pdf_frames(page)
    finally:
        await runner.cleanup()


async def test_uploaded_pdf_shows_as_page_images_and_its_script_never_runs(api: Api, page: Any) -> None:
    seeded = await seed_case(api)
    upload = await api.json("POST", f"/cases/{seeded['case_id']}/evidence", expect=201,
                            data={"file": _named(ARMED, "invoice.pdf"), "title": "发票 invoice"})
    ev = upload["evidence"][0]
    assert ev["artifacts"][0]["media_type"] == "application/pdf"
    base = f"http://127.0.0.1:{api.port}"
    pdf_responses: list[str] = []
    page.on("response", lambda r: pdf_responses.append(r.url)
            if r.headers.get("content-type", "").startswith("application/pdf") else None)
    await page.goto(await login_url(api))
    await page.locator("table.cases tbody tr").first.wait_for()

    # the viewer: each page an image the helper rendered, a link to the original
    await page.goto(f"{base}/#/case/{seeded['case_id']}/evidence/{ev['id']}")
    images = page.locator("img[data-testid=viewer-pdf-page]")
    await wait_until(page, "() => document.querySelectorAll('img[data-testid=viewer-pdf-page]').length === 3")
    for i in range(3):
        await images.nth(i).scroll_into_view_if_needed()
        await wait_until(page, "(i) => { const img = document.querySelectorAll('img[data-testid=viewer-pdf-page]')[i];"
                               " return img.complete && img.naturalWidth > 0; }", arg=i)
        natural = await images.nth(i).evaluate("img => [img.naturalWidth, img.naturalHeight]")
        assert natural == [1240, 1755], natural
        assert await images.nth(i).get_attribute("alt") == f"第 {i + 1} 页 · page {i + 1}"
        shown = await images.nth(i).evaluate("img => img.getBoundingClientRect().width")
        assert shown > 300  # fitted to the viewer, not a thumbnail
    original = page.locator("a[data-action=download-original]")
    assert await original.get_attribute("href") == (
        f"/api/v1/evidence/{ev['id']}/content?role=original")
    assert await page.locator("[data-testid=stage] iframe, [data-testid=stage] embed, "
                              "[data-testid=stage] object").count() == 0
    assert _pdf_frames(page) == [] and pdf_responses == []

    # the download link: an attachment, never opened by the PDF viewer
    async with page.expect_download() as info:
        await original.click()
    download = await info.value
    assert download.suggested_filename == "invoice.pdf"
    assert _pdf_frames(page) == []

    # asked for directly, /content is a download too, and /ui/view refuses to frame a PDF
    async with page.expect_download() as info:
        try:
            await page.goto(f"{base}/api/v1/evidence/{ev['id']}/content")
        except Exception as exc:  # noqa: BLE001 - Playwright reports a navigation that became a download
            assert "Download is starting" in str(exc), exc
    await info.value
    response = await page.goto(f"{base}/ui/view/{ev['id']}/original")
    assert response.status == 415 and (await response.json())["error"]["code"] == "not_viewable"
    assert _pdf_frames(page) == []
    assert page.dialogs == []

    # what /content sends: attachment, no sniffing, sandboxed
    content = await api.get(f"/evidence/{ev['id']}/content")
    assert content.status == 200 and await content.read() == ARMED
    assert content.headers["Content-Type"] == "application/pdf"
    assert content.headers["Content-Disposition"].startswith("attachment;")
    assert content.headers["X-Content-Type-Options"] == "nosniff"
    assert content.headers["Content-Security-Policy"].startswith("sandbox")


async def test_long_and_broken_pdfs_in_the_viewer(api: Api, page: Any) -> None:
    seeded = await seed_case(api)
    case_id = seeded["case_id"]
    long_pdf, broken = [
        (await api.json("POST", f"/cases/{case_id}/evidence", expect=201,
                        data={"file": _named(data, name), "title": name}))["evidence"][0]
        for data, name in ((make_pdf(57), "合同.pdf"), (b"%PDF-1.7\n" + b"\0" * 64, "损坏.pdf"))]
    base = f"http://127.0.0.1:{api.port}"
    await page.goto(await login_url(api))
    await page.locator("table.cases tbody tr").first.wait_for()

    await page.goto(f"{base}/#/case/{case_id}/evidence/{long_pdf['id']}")
    await wait_until(page, "() => document.querySelectorAll('img[data-testid=viewer-pdf-page]').length === 50")
    note = await page.locator("[data-testid=viewer-pdf]").inner_text()
    assert "只显示前 50 页，共 57 页" in note
    first = page.locator("img[data-testid=viewer-pdf-page]").first
    await wait_until(page, "() => { const i = document.querySelector('img[data-testid=viewer-pdf-page]');"
                           " return i.complete && i.naturalWidth === 1240; }")
    assert await first.get_attribute("loading") == "lazy"  # 50 pages do not all render at once
    beyond = await page.evaluate("(u) => fetch(u).then(r => r.status)",
                                 f"/ui/pdf/{long_pdf['id']}/original/50")
    assert beyond == 404

    await page.goto(f"{base}/#/case/{case_id}/evidence/{broken['id']}")
    error = page.locator("[data-testid=viewer-pdf] .error")
    await error.wait_for()
    assert "download the original" in await error.inner_text()
    assert await page.locator("a[data-action=download-original]").count() == 1
    assert page.dialogs == []
