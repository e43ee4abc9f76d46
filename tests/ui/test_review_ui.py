"""The review UI in real Chromium: log in with the one-time URL, list, search, filter, open
a case, view every evidence kind, add a timeline note, export — with screenshots checked."""

from __future__ import annotations

import io
from typing import Any

import pytest

from helper.bundle import verify_bundle
from tests.conftest import Api, sample_order
from tests.ui.conftest import login_url, seed_case
from tests.ui.support import check_chinese, check_not_blank, save, wait_until

pytestmark = pytest.mark.browser

OTHER_ORDERS = [
    ("3000000000000000001", {"platform": "tmall", "shop_name": "天猫超市", "seller_nick": "天猫超市",
                             "items": [{"sub_order_id": "3000000000000000001", "title": "有机牛奶 12盒",
                                        "quantity": 2, "unit_price": "59.90"}]}),
    ("3000000000000000002", {"shop_name": "潮流服饰小店", "seller_nick": "潮流",
                             "items": [{"sub_order_id": "3000000000000000002", "title": "羊毛大衣 灰色 L"}]}),
]


async def _login(api: Api, page: Any) -> str:
    base = f"http://127.0.0.1:{api.port}"
    response = await page.goto(await login_url(api))
    assert response.ok
    assert page.url == base + "/", "the ticket must not stay in the address bar"
    return base


async def test_review_flow(api: Api, page: Any, tmp_path) -> None:  # noqa: ANN001
    seeded = await seed_case(api, received_at="2025-11-10T12:00:00+08:00")
    draft = await api.json("POST", f"/cases/{seeded['case_id']}/draft", expect=201, json={
        "complaint_type": "quality_problem", "demand": {"kind": "return_refund"}, "injury": True,
        "facts": [{"date": "2025-11-12", "text": "收到耳机后左耳没有声音，卖家是骗子！！！"}]})
    for order_id, fields in OTHER_ORDERS:
        await api.json("POST", "/orders", expect=201, json=sample_order(order_id, **fields))
    base = await _login(api, page)

    cookies = {c["name"]: c for c in await page.context.cookies()}
    session = cookies[f"tousu_session_{api.port}"]
    assert session["httpOnly"] and session["sameSite"] == "Strict" and session["path"] == "/"
    assert "ticket" not in page.url

    # -- the list ---------------------------------------------------------------------------
    rows = page.locator("table.cases tbody tr")
    await rows.first.wait_for()
    assert await rows.count() == 3
    await page.wait_for_load_state("networkidle")
    shot = await page.screenshot(full_page=True)
    save("list.png", shot)
    check_not_blank(shot)
    await check_chinese(page, "main h1")
    await check_chinese(page, "table.cases tbody tr td:nth-child(3)")

    # search by shop, by item title, by order id
    search = page.locator("input[type=search]")
    for term, expected in [("天猫超市", "3000000000000000001"), ("羊毛", "3000000000000000002"),
                           ("4865640015", seeded["order_id"])]:
        await search.fill(term)
        await search.press("Enter")
        await wait_until(page, "([n, id]) => { const r = document.querySelectorAll('table.cases tbody tr');"
            " return r.length === n && r[0].textContent.includes(id); }", arg=[1, expected])
        assert term in page.url or term in (await page.evaluate("decodeURIComponent(location.hash)"))
    await search.fill("没有这个")
    await search.press("Enter")
    await page.locator("text=没有匹配").wait_for()

    # the nearest deadline first (the others have no dates to count from)
    await page.goto(base + "/#/?sort=deadline")
    await wait_until(page, "() => { const r = document.querySelectorAll('table.cases tbody tr');"
                           " return r.length === 3 && r[0].textContent.includes('4865640015090004803')"
                           " && r[0].querySelector('[data-days-left]'); }")
    assert "诉讼时效" in await rows.first.inner_text() or "天" in await rows.first.inner_text()

    # filter by platform and status
    await search.fill("")
    await page.goto(base + "/#/?platform=tmall")
    await wait_until(page, "() => { const r = document.querySelectorAll('table.cases tbody tr');"
                           " return r.length === 1 && r[0].textContent.includes('天猫超市'); }")
    await page.goto(base + "/#/?status=resolved")
    await page.locator("text=没有找到案件").or_(page.locator("text=还没有案件")).first.wait_for()

    # -- the case page ------------------------------------------------------------------------
    await page.goto(base + "/#/")
    await page.locator(f"a[data-testid=case-link]:has-text('{seeded['order_id']}')").click()
    await page.locator("h1[data-testid=case-title]").wait_for()
    tiles = page.locator(".gallery .tile")
    assert await tiles.count() == 4
    await wait_until(page, "[...document.querySelectorAll('.gallery img')].every(i => i.complete && i.naturalWidth > 0)")
    facts = await page.locator("dl.facts").first.inner_text()
    assert seeded["order_id"] in facts and "好物数码旗舰店" in facts and "¥47.40" in facts
    await page.locator("[data-testid=case-integrity] [data-integrity=verified]").wait_for()
    await page.wait_for_load_state("networkidle")
    shot = await page.screenshot(full_page=True)
    save("case.png", shot)
    check_not_blank(shot)
    await check_chinese(page, "h1[data-testid=case-title]")

    # deadlines and the current draft, its tone warnings, the copy button
    await page.locator("[data-testid=deadlines] li[data-key=quality_limitation]").wait_for()
    draft_box = page.locator("[data-testid=draft-text]")
    await draft_box.wait_for()
    assert draft["text"][:40] in await draft_box.inner_text()
    findings = await page.locator("[data-testid=findings]").inner_text()
    assert "骗子" in findings
    await page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    await page.locator("[data-action=copy-draft]").click()
    assert await page.evaluate("navigator.clipboard.readText()") == draft["text"]

    # add a timeline note (a "called the seller" entry) — keyboard only
    await page.locator("[data-testid=note-form] button:has-text('已电话联系卖家')").click()
    note = page.locator("textarea[name=note]")
    await note.press("End")
    await note.type("卖家承诺三天内答复")
    await note.press("Tab")
    await page.keyboard.press("Enter")
    await page.locator("[data-testid=timeline] li.note:has-text('卖家承诺三天内答复')").wait_for()
    case = await api.json("GET", f"/cases/{seeded['case_id']}")
    assert any(t["kind"] == "note" and "已电话联系卖家" in t["text"] for t in case["timeline"])

    # status change
    await page.select_option("select[name=status]", "submitted")
    await page.locator("[data-testid=timeline] li:has-text('已提交')").wait_for()
    assert (await api.json("GET", f"/cases/{seeded['case_id']}"))["status"] == "submitted"

    # -- the evidence viewer: PNG zoom ---------------------------------------------------------
    requests: list[str] = []  # requests that got an answer (a CSP-blocked one only "fails")
    page.on("response", lambda r: requests.append(r.url))
    failed: dict[str, str] = {}
    page.on("requestfailed", lambda r: failed.__setitem__(r.url, r.failure))
    await page.locator(f".tile[data-evidence-id={seeded['photo']}]").click()
    img = page.locator("[data-testid=viewer-image]")
    await wait_until(page, "document.querySelector('[data-testid=viewer-image]')?.naturalWidth === 800")
    fit = await img.evaluate("i => i.getBoundingClientRect().width")
    await page.locator("[data-action=zoom-in]").click()
    await page.locator("[data-action=zoom-in]").click()
    zoomed = await img.evaluate("i => i.getBoundingClientRect().width")
    assert zoomed > fit * 1.4
    await page.locator(".stage").focus()
    await page.keyboard.press("0")
    assert abs(await img.evaluate("i => i.getBoundingClientRect().width") - fit) < 2
    meta = await page.locator("[data-testid=hashes]").inner_text()
    photo = next(e for e in (await api.json("GET", f"/cases/{seeded['case_id']}/evidence"))["evidence"]
                 if e["id"] == seeded["photo"])
    assert photo["artifacts"][0]["sha256"] in meta

    # PDF: its page as an image the helper rendered, never the browser's PDF viewer (which
    # would run the PDF's JavaScript; tests/ui/test_pdf_viewer.py)
    async with page.expect_response(lambda r: "/ui/pdf/" in r.url and "/original/0?" in r.url) as info:
        await page.goto(f"{base}/#/case/{seeded['case_id']}/evidence/{seeded['report']}")
    response = await info.value
    assert response.status == 200 and response.headers["content-type"] == "image/png"
    assert await page.locator("[data-testid=viewer-pdf] img[data-testid=viewer-pdf-page]").count() == 1
    assert await page.locator("[data-testid=stage] iframe").count() == 0

    # URL capture: screenshot first, then the MHTML archive in the sandboxed frame
    await page.goto(f"{base}/#/case/{seeded['case_id']}/evidence/{seeded['capture']}")
    await wait_until(page, "document.querySelector('[data-testid=viewer-image]')?.naturalWidth === 1280")
    metadata = await page.locator("[data-testid=metadata]").inner_text()
    for fact in ("https://item.taobao.com/item.htm?id=712345678901", "TLS 1.3", "GlobalSign",
                 "140.205.94.189:443", "chromium", "1280×800"):
        assert fact in metadata, fact
    await page.locator("button[data-role=mhtml]").click()
    frame_el = page.locator("iframe[data-testid=viewer-html]")
    assert await frame_el.get_attribute("sandbox") == ""
    frame = page.frame_locator("iframe[data-testid=viewer-html]")
    await frame.locator("#m").wait_for()
    assert await frame.locator("#m").inner_text() == "MHTML 快照 snapshot"
    await wait_until(page, "() => true")  # let the frame settle
    pic_width = await frame.locator("#pic").evaluate("i => i.naturalWidth")
    assert pic_width == 120, "the MHTML's own image is inlined (no network needed)"

    # tab snapshot: archived HTML (GBK) with scripts, a beacon and a meta refresh — all inert
    await page.goto(f"{base}/#/case/{seeded['case_id']}/evidence/{seeded['snapshot']}")
    await page.locator("button[data-role=html]").click()
    frame = page.frame_locator("iframe[data-testid=viewer-html]")
    await frame.locator("#h").wait_for()
    await page.wait_for_timeout(300)
    assert await frame.locator("#h").inner_text() == "存档的商品页面 archived listing"  # script did not run
    assert await frame.locator("#out").get_attribute("href") is None
    assert "pwned" not in await page.title()
    assert not any("beacon=1" in u for u in requests), "the archived page reached the network"
    assert any("beacon=1" in u and "CSP" in f.upper() for u, f in failed.items()), failed
    assert not any("evil.example" in u for u in requests)
    assert page.dialogs == []

    # -- export from the UI ---------------------------------------------------------------------
    await page.goto(f"{base}/#/case/{seeded['case_id']}")
    async with page.expect_download(timeout=60_000) as download_info:
        await page.locator("[data-action=export]").click()
    download = await download_info.value
    target = tmp_path / "from-ui.zip"
    await download.save_as(target)
    check = verify_bundle(target)
    assert check.ok, check.problems
    assert check.case_id == seeded["case_id"] and check.files_checked >= 12
    assert page.dialogs == []


async def test_keyboard_navigation(api: Api, page: Any) -> None:
    seeded = await seed_case(api)
    await _login(api, page)
    await page.locator("table.cases tbody tr").first.wait_for()
    # Tab from the top reaches the skip link, then the search box is reachable, then a case
    await page.keyboard.press("Tab")
    assert await page.evaluate("document.activeElement.dataset.skip !== undefined")
    link = page.locator("a[data-testid=case-link]").first
    await link.focus()
    await page.keyboard.press("Enter")
    await page.locator("h1[data-testid=case-title]").wait_for()
    assert seeded["case_id"] in page.url


async def test_thumbnails_generated_once(api: Api, page: Any) -> None:
    from helper.api.ui import THUMBNAILS

    seeded = await seed_case(api)
    base = await _login(api, page)
    thumbs = api.app[THUMBNAILS]
    calls: list[str] = []
    original = thumbs.generate

    def counting(sha: str):  # noqa: ANN202
        calls.append(sha)
        return original(sha)

    thumbs.generate = counting
    await page.goto(f"{base}/#/case/{seeded['case_id']}")
    await wait_until(page, "[...document.querySelectorAll('.gallery img')].length === 4 && "
                           "[...document.querySelectorAll('.gallery img')].every(i => i.complete && i.naturalWidth > 0)")
    first = len(calls)
    assert first == 3  # photo, capture screenshot, snapshot render; the PDF gets an icon
    await page.reload()
    await wait_until(page, "[...document.querySelectorAll('.gallery img')].length === 4 && "
        "[...document.querySelectorAll('.gallery img')].every(i => i.complete && i.naturalWidth > 0)")
    assert len(calls) == first, "thumbnails are cached on disk by content hash"
    # a tall full-page screenshot becomes a 4:3 crop of its top
    from PIL import Image

    cached = sorted((api.app[THUMBNAILS].cache_dir).rglob("*.jpg"))
    sizes = {Image.open(p).size for p in cached}
    assert all(w == 320 and h <= 240 for w, h in sizes), sizes
    assert (320, 240) in sizes  # the 1280 × 4000 page: its top, cropped to 4:3


async def test_upload_without_browser_falls_back(api: Api) -> None:
    """A broken image gets an icon, not an error."""
    body = await api.json("POST", "/orders", expect=201, json=sample_order())
    case_id = body["case"]["id"]
    ev = (await api.json("POST", f"/cases/{case_id}/evidence", expect=201,
                         data={"file": io.BytesIO(b"\x89PNG\r\n\x1a\nnot really"), "title": "坏图"}))["evidence"][0]
    from helper.api.ui import THUMBNAILS
    from helper.models import Artifact

    art = Artifact(**ev["artifacts"][0])
    assert await api.app[THUMBNAILS].get(art) is None


async def test_integrity_badges(api: Api, page: Any) -> None:
    """A blob altered on disk: the case and that item show 'altered', the others 'verified'."""
    from helper.state import STORE

    seeded = await seed_case(api)
    store = api.app[STORE]
    photo = (await store.evidence.get(seeded["photo"])).artifacts[0]
    path = store.blobs.path(photo.sha256)
    data = bytearray(path.read_bytes())
    data[-10] ^= 0x01
    path.chmod(0o644)
    path.write_bytes(bytes(data))
    base = await _login(api, page)
    await page.goto(f"{base}/#/case/{seeded['case_id']}")
    await page.locator("[data-testid=case-integrity] [data-integrity=altered]").wait_for()
    await page.locator(f".tile[data-evidence-id={seeded['photo']}] [data-integrity=altered]").wait_for()
    for other in ("report", "capture", "snapshot"):
        await page.locator(f".tile[data-evidence-id={seeded[other]}] [data-integrity=verified]").wait_for()
    title = await page.locator("[data-testid=case-integrity] [data-integrity=altered]").get_attribute("title")
    assert seeded["photo"] in title


async def test_login_link_opens_a_case(api: Api, page: Any) -> None:
    """The extension's 打开档案 link: POST /ui/login with its token, + #/case/<id>."""
    seeded = await seed_case(api)
    url = (await api.json("POST", "/ui/login", expect=201))["url"]
    await page.goto(url + f"#/case/{seeded['case_id']}")
    await page.locator("h1[data-testid=case-title]").wait_for()
    assert page.url == f"http://127.0.0.1:{api.port}/#/case/{seeded['case_id']}"
