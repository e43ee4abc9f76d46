"""The review UI's security: one-time login, session cookie only same-origin, strict CSP,
no framing, XSS payloads inert in the UI (with and without CSP) and in report.pdf."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from typing import Any

import pytest
from aiohttp import web

from helper.api.ui import UI_CSP
from tests.conftest import Api, sample_order
from tests.ui.conftest import XSS, login_url, png_bytes, seed_case

pytestmark = pytest.mark.browser


async def _session_cookie(api: Api) -> tuple[str, str]:
    url = await login_url(api)
    ticket_path = url.split(f":{api.port}", 1)[1]
    response = await api.client.get(ticket_path, allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/"
    set_cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in set_cookie and "SameSite=Strict" in set_cookie and "Path=/" in set_cookie
    name, _, rest = set_cookie.partition("=")
    api.client.session.cookie_jar.clear()  # each request below says which cookie it sends
    return name, rest.split(";", 1)[0]


async def raw(api: Api, method: str, path: str, headers: dict[str, str] | None = None, **kw: Any):  # noqa: ANN201
    """A request without the bearer token (what a browser page sends)."""
    return await api.client.request(method, path, headers=headers or {}, **kw)


async def test_login_ticket_is_single_use_and_expires(api: Api) -> None:
    url = await login_url(api)
    path = url.split(f":{api.port}", 1)[1]
    assert url.startswith(f"http://127.0.0.1:{api.port}/login?ticket=")
    first = await raw(api, "GET", path, allow_redirects=False)
    assert first.status == 303
    api.client.session.cookie_jar.clear()
    again = await raw(api, "GET", path, allow_redirects=False)
    assert again.status == 403 and "Set-Cookie" not in again.headers
    assert "登录链接无效" in await again.text()
    forged = await raw(api, "GET", "/login?ticket=" + "A" * 43, allow_redirects=False)
    assert forged.status == 403
    # admin route: the local CLI only (no browser Origin, admin token)
    refused = await raw(api, "POST", "/api/v1/admin/ui-login",
                        headers={"Authorization": f"Bearer {api.token}"})
    assert refused.status == 403  # a client token is not the admin token
    # the extension may ask for a login URL with its own token
    ext = await api.json("POST", "/ui/login", expect=201)
    assert ext["url"].startswith(f"http://127.0.0.1:{api.port}/login?ticket=")


async def test_session_rules(api: Api) -> None:
    seeded = await seed_case(api)
    name, sid = await _session_cookie(api)
    cookie = {"Cookie": f"{name}={sid}"}
    own = f"http://127.0.0.1:{api.port}"

    # no session: the page says how to log in, the API refuses
    page = await raw(api, "GET", "/")
    assert page.status == 401 and "tousu-helper open" in await page.text()
    assert page.headers["Content-Security-Policy"] == UI_CSP
    assert (await raw(api, "GET", "/api/v1/cases")).status == 401
    assert (await raw(api, "GET", f"/ui/thumb/{seeded['photo']}")).status == 401
    assert (await raw(api, "GET", f"/ui/view/{seeded['snapshot']}/html")).status == 401
    assert (await raw(api, "GET", "/", headers={"Cookie": f"{name}=forged"})).status == 401

    # with the session: pages and the API the UI uses
    ok = await raw(api, "GET", "/", headers=cookie)
    assert ok.status == 200
    csp = ok.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe" not in csp
    assert ok.headers["X-Frame-Options"] == "DENY"
    assert (await raw(api, "GET", "/api/v1/ui/cases", headers=cookie)).status == 200
    assert (await raw(api, "GET", f"/api/v1/cases/{seeded['case_id']}", headers=cookie)).status == 200
    patch = await raw(api, "PATCH", f"/api/v1/cases/{seeded['case_id']}",
                      headers={**cookie, "Origin": own}, json={"timeline_note": "已电话联系卖家"})
    assert patch.status == 200

    # a foreign Origin with a valid cookie is refused, for reads and writes
    for origin in ("https://evil.example", "http://127.0.0.1:1", "https://buyertrade.taobao.com", "null"):
        r = await raw(api, "GET", "/api/v1/ui/cases", headers={**cookie, "Origin": origin})
        assert r.status == 403, origin
        w = await raw(api, "PATCH", f"/api/v1/cases/{seeded['case_id']}",
                      headers={**cookie, "Origin": origin}, json={"timeline_note": "csrf"})
        assert w.status == 403, origin
    # cross-site / same-site (another port) navigations and subresources carry the cookie
    # (SameSite=Strict does not separate ports) but not an Origin: Sec-Fetch-Site refuses them
    for site in ("cross-site", "same-site"):
        r = await raw(api, "GET", f"/api/v1/evidence/{seeded['photo']}/content",
                      headers={**cookie, "Sec-Fetch-Site": site})
        assert r.status == 403, site
        assert (await raw(api, "GET", "/", headers={**cookie, "Sec-Fetch-Site": site})).status == 403
    # a write without any Origin is not one of our pages (browsers always send it on PATCH)
    w = await raw(api, "PATCH", f"/api/v1/cases/{seeded['case_id']}", headers=cookie,
                  json={"timeline_note": "no origin"})
    assert w.status == 401
    # the session never opens admin routes
    adm = await raw(api, "POST", "/api/v1/admin/pairing-code", headers={**cookie, "Origin": own})
    assert adm.status in (401, 403)
    # logging out ends the session
    out = await raw(api, "POST", "/logout", headers={**cookie, "Origin": own}, allow_redirects=False)
    assert out.status == 303
    assert (await raw(api, "GET", "/api/v1/ui/cases", headers=cookie)).status == 401
    timeline = (await api.json("GET", f"/cases/{seeded['case_id']}"))["timeline"]
    assert [t["text"] for t in timeline if t["kind"] == "note"] == ["已电话联系卖家"]


async def test_static_assets_and_frames(api: Api) -> None:
    seeded = await seed_case(api)
    name, sid = await _session_cookie(api)
    cookie = {"Cookie": f"{name}={sid}"}
    for asset in ("/ui/app.js", "/ui/style.css"):
        r = await raw(api, "GET", asset)
        assert r.status == 200 and r.headers["Content-Security-Policy"] == UI_CSP
    for bad in ("/ui/..%2Fsecrets.json", "/ui/.env", "/ui/index.html.bak", "/ui/APP.JS"):
        assert (await raw(api, "GET", bad)).status == 404
    view = await raw(api, "GET", f"/ui/view/{seeded['snapshot']}/html", headers=cookie)
    assert view.status == 200
    csp = view.headers["Content-Security-Policy"]
    assert csp.startswith("sandbox;") and "default-src 'none'" in csp and "script-src" not in csp
    assert "frame-ancestors 'self'" in csp and view.headers["X-Frame-Options"] == "SAMEORIGIN"
    body = await view.text()
    assert "存档的商品页面" in body  # GBK decoded
    assert ' href="https://evil.example/"' not in body and 'data-archived-href="https://evil.example/"' in body
    assert ' http-equiv="refresh' not in body and 'data-archived-http-equiv="refresh' in body
    thumb = await raw(api, "GET", f"/ui/thumb/{seeded['report']}", headers=cookie)
    assert thumb.status == 200 and thumb.headers["Content-Type"].startswith("image/svg+xml")


async def test_ui_cannot_be_framed(api: Api, browser: Any) -> None:
    """Another site (here: another local port) frames the UI: the frame stays empty."""
    await seed_case(api)
    other = web.Application()

    async def evil(request: web.Request) -> web.Response:
        return web.Response(text=f'<iframe id="f" src="http://127.0.0.1:{api.port}/"></iframe>'
                                 f'<iframe id="g" src="http://127.0.0.1:{api.port}/api/v1/ui/cases"></iframe>',
                            content_type="text/html")

    other.router.add_get("/", evil)
    runner = web.AppRunner(other)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    context = await browser.new_context()
    try:
        page = await context.new_page()
        url = await login_url(api)
        await page.goto(url)  # logged in: the cookie exists in this browser
        await page.locator("table.cases").wait_for()
        blocked: list[str] = []
        page.on("response", lambda r: blocked.append(f"{r.status} {r.url}") if str(api.port) in r.url else None)
        await page.goto(f"http://127.0.0.1:{port}/")
        await page.wait_for_timeout(800)
        frames = [f for f in page.frames if f != page.main_frame]
        assert len(frames) == 2
        for frame in frames:
            content = ""
            try:
                content = await frame.content()
            except Exception:  # noqa: BLE001 - an error page may refuse access
                pass
            assert "投诉档案" not in content and "case-" not in content, frame.url
    finally:
        await context.close()
        await runner.cleanup()


async def test_xss_payloads_stay_text(api: Api, page: Any, tmp_path) -> None:  # noqa: ANN001
    order = sample_order("5000000000000000001", shop_name=XSS, seller_nick=XSS,
                         status_text=XSS, items=[{"sub_order_id": "5000000000000000001", "title": XSS,
                                                  "sku": XSS}])
    body = await api.json("POST", "/orders", expect=201, json=order)
    case_id = body["case"]["id"]
    await api.json("POST", f"/cases/{case_id}/evidence", expect=201,
                   data={"file": io.BytesIO(png_bytes()), "title": XSS})
    await api.json("PATCH", f"/cases/{case_id}", json={"timeline_note": XSS, "notes": XSS})
    base = f"http://127.0.0.1:{api.port}"
    await page.goto(await login_url(api))
    await page.locator("table.cases tbody tr").first.wait_for()
    cell = await page.locator("table.cases tbody tr td:nth-child(3)").inner_text()
    assert cell == XSS
    await page.goto(f"{base}/#/?q=" + "script")
    await page.locator("table.cases tbody tr").first.wait_for()
    await page.goto(f"{base}/#/case/{case_id}")
    await page.locator("h1[data-testid=case-title]").wait_for()
    await page.locator(".tile .ev-title").wait_for()
    await page.wait_for_timeout(500)
    assert XSS in await page.locator("h1[data-testid=case-title]").inner_text()
    assert XSS in await page.locator("[data-testid=timeline]").inner_text()
    assert await page.locator(".tile .ev-title").inner_text() == XSS
    ev = (await api.json("GET", f"/cases/{case_id}/evidence"))["evidence"][0]
    await page.goto(f"{base}/#/case/{case_id}/evidence/{ev['id']}")
    await page.locator("h1[data-testid=evidence-title]").wait_for()
    assert await page.locator("h1[data-testid=evidence-title]").inner_text() == XSS
    assert page.dialogs == []
    assert await page.evaluate("window.__xss") is None
    assert await page.locator("main img[src='x']").count() == 0
    assert await page.locator("main script").count() == 0

    # the same without CSP: escaping alone keeps them inert
    context = await page.context.browser.new_context(bypass_csp=True)
    try:
        p2 = await context.new_page()
        dialogs: list[str] = []
        p2.on("dialog", lambda d: dialogs.append(d.message))
        await p2.goto(await login_url(api))
        await p2.locator("table.cases tbody tr").first.wait_for()
        await p2.goto(f"{base}/#/case/{case_id}")
        await p2.locator(".tile .ev-title").wait_for()
        await p2.wait_for_timeout(500)
        assert dialogs == [] and await p2.evaluate("window.__xss") is None
    finally:
        await context.close()

    # report.pdf shows the payloads as text
    from pypdf import PdfReader

    response = await api.get(f"/cases/{case_id}/export")
    assert response.status == 200
    data = await response.read()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        pdf = PdfReader(io.BytesIO(zf.read("report.pdf")))
        text = unicodedata.normalize("NFKC", "\n".join(p.extract_text() for p in pdf.pages))
        case_json = zf.read("case.json").decode()
    assert "<script>alert" in text.replace("\n", "") and "onerror" in text
    assert '"shop_name": ' in case_json and "<script>" in case_json  # data stays data


async def test_html_with_media_type_parameters_renders_sandboxed(api: Api, page: Any) -> None:
    """Captures store their HTML as `text/html; charset=utf-8`: it renders in the sandboxed
    frame (scripts off, decoded as stored) like plain text/html — not as source text — and
    so does XHTML."""
    from helper.models import EvidenceCategory, EvidenceKind
    from helper.state import STORE
    from tests.ui.conftest import put

    case_id = (await api.json("POST", "/orders", expect=201,
                              json=sample_order("5000000000000000002")))["case"]["id"]
    store = api.app[STORE]
    copied = ('<html><head><meta charset="gbk"><title>已买到的宝贝</title><script>alert("archived")</script>'
              '</head><body><h1 id="h">已买到的宝贝</h1>'
              '<script>document.getElementById("h").textContent = "SCRIPT RAN"</script></body></html>')
    xhtml = ('<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"><body>'
             '<h1 id="h">交易快照 XHTML</h1><script>alert("xhtml")</script></body></html>')
    ev = await store.evidence.add(
        case_id, kind=EvidenceKind.tab_snapshot, category=EvidenceCategory.order_page, title="订单页快照",
        artifacts=[put(store, copied.encode("utf-8"), "html", "text/html; charset=utf-8", "page.html"),
                   put(store, xhtml.encode("utf-8"), "snapshot", "application/xhtml+xml", "snapshot.xhtml")])
    base = f"http://127.0.0.1:{api.port}"
    await page.goto(await login_url(api))
    await page.locator("table.cases tbody tr").first.wait_for()
    await page.goto(f"{base}/#/case/{case_id}/evidence/{ev.id}")
    for role, heading in (("html", "已买到的宝贝"), ("snapshot", "交易快照 XHTML")):
        tab = page.locator(f"button[data-role={role}]")
        await tab.click()
        assert "charset" not in await tab.inner_text()
        frame = page.locator("iframe[data-testid=viewer-html]")
        assert await frame.get_attribute("sandbox") == ""
        heading_el = page.frame_locator("iframe[data-testid=viewer-html]").locator("#h")
        await heading_el.wait_for()
        assert await heading_el.inner_text() == heading  # rendered, decoded as stored, script off
        assert await page.locator("iframe[data-testid=viewer-text]").count() == 0
        served = await page.evaluate("(u) => fetch(u).then(r => [r.headers.get('content-type'),"
                                     " r.headers.get('content-security-policy')])",
                                     f"/ui/view/{ev.id}/{role}")
        assert served[0] == "text/html; charset=utf-8" and served[1].startswith("sandbox;"), served
    assert page.dialogs == []


async def test_bidi_controls_cannot_disguise_a_name(api: Api, page: Any) -> None:
    """An evidence item titled "invoice\\u202Efdp.exe" (shown as "invoiceexe.pdf" if the
    override stayed) reads "invoicefdp.exe" in the UI, and its files download under names
    without bidi controls."""
    from helper.bidi import BIDI_CONTROLS
    from helper.models import EvidenceCategory, EvidenceKind
    from helper.state import STORE
    from tests.ui.conftest import put

    case_id = (await api.json("POST", "/orders", expect=201,
                              json=sample_order("5000000000000000003")))["case"]["id"]
    store = api.app[STORE]
    controls = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
    ev = await store.evidence.add(
        case_id, kind=EvidenceKind.upload, category=EvidenceCategory.other, title="invoice\u202efdp.exe",
        artifacts=[put(store, png_bytes(), "original", "image/png", f"photo{controls}\u202egnp.exe")],
        metadata={"original_filename": "scan\u2067fdp.exe\u2069"})
    base = f"http://127.0.0.1:{api.port}"
    await page.goto(await login_url(api))
    await page.locator("table.cases tbody tr").first.wait_for()
    await page.goto(f"{base}/#/case/{case_id}")
    tile_title = page.locator(".tile .ev-title")
    await tile_title.wait_for()
    assert await tile_title.inner_text() == "invoicefdp.exe"
    await page.goto(f"{base}/#/case/{case_id}/evidence/{ev.id}")
    heading = page.locator("h1[data-testid=evidence-title]")
    await heading.wait_for()
    assert await heading.inner_text() == "invoicefdp.exe"
    assert await page.title() == "invoicefdp.exe — 投诉助手"
    hashes = await page.locator("[data-testid=hashes]").inner_text()
    metadata = await page.locator("[data-testid=metadata]").inner_text()
    assert "photognp.exe" in hashes and "scanfdp.exe" in metadata
    names = await page.evaluate("() => [...document.querySelectorAll('main [alt], main [download], main [title]')]"
                                ".flatMap(e => [e.alt, e.getAttribute('download'), e.title]).filter(Boolean)")
    assert "photognp.exe" in names and "invoicefdp.exe" in names
    assert not any(BIDI_CONTROLS.search(text) for text in [hashes, metadata, *names])
    async with page.expect_download() as info:
        await page.locator("[data-testid=hashes] a[download]").click()
    assert (await info.value).suggested_filename == "photognp.exe"
    response = await api.get(f"/evidence/{ev.id}/content")
    assert response.headers["Content-Disposition"] == "inline; filename*=UTF-8''photognp.exe"
