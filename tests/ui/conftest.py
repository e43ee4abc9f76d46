"""Fixtures for the review UI and export tests: a seeded case with every evidence kind,
a logged-in real Chromium, and helpers to make small real PNG / PDF / HTML / MHTML files."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from typing import Any

import pytest

from helper.models import Artifact, EvidenceCategory, EvidenceKind
from helper.state import SECRETS, STORE
from tests.conftest import Api, sample_order
from tests.support.browser import CHROMIUM_ARGS, system_chromium

XSS = '<script>alert("x1")</script>"><img src=x onerror="window.__xss=1;alert(2)">'


def png_bytes(width: int = 640, height: int = 480, color: str = "#2e90fa", label: str = "") -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    draw.rectangle((20, 20, width - 20, min(height - 20, 200)), fill=color)
    for y in range(240, height, 120):
        draw.rectangle((20, y, width // 2, y + 60), fill="#f79009")
    if label:
        draw.text((30, 30), label, fill="black")
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def pdf_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (595, 842), "#fef0c7").save(buf, "PDF")
    return buf.getvalue()


def archived_html(port: int) -> bytes:
    return f"""<!doctype html><html><head><meta charset="gbk"><title>商品详情</title>
<meta http-equiv="refresh" content="0; url=https://evil.example/">
<script>window.parent.document.title = "pwned"; alert("archived");</script></head>
<body><h1 id="h">存档的商品页面 archived listing</h1>
<img id="beacon" src="http://127.0.0.1:{port}/api/v1/health?beacon=1">
<a id="out" href="https://evil.example/">外链 link</a>
<script>document.getElementById("h").textContent = "SCRIPT RAN";</script>
</body></html>""".encode("gbk")


def mhtml_bytes() -> bytes:
    msg = MIMEMultipart("related", type="text/html")
    msg["Subject"] = "listing"
    msg["Snapshot-Content-Location"] = "https://item.taobao.com/item.htm?id=1"
    html = MIMEText('<html><body><h1 id="m">MHTML 快照 snapshot</h1>'
                    '<img id="pic" src="https://img.alicdn.com/pic.png"><script>alert(3)</script>'
                    '</body></html>', "html", "utf-8")
    html["Content-Location"] = "https://item.taobao.com/item.htm?id=1"
    msg.attach(html)
    img = MIMEBase("image", "png")
    img.set_payload(png_bytes(120, 90, "#12b76a"))
    from email import encoders

    encoders.encode_base64(img)
    img["Content-Location"] = "https://img.alicdn.com/pic.png"
    msg.attach(img)
    return msg.as_bytes()


def put(store: Any, data: bytes, role: str, media_type: str, filename: str) -> Artifact:
    ref = store.blobs.put_bytes(data)
    return Artifact(role=role, sha256=ref.sha256, size=ref.size, media_type=media_type, filename=filename)


CAPTURE_META = {
    "url": "https://item.taobao.com/item.htm?id=712345678901",
    "final_url": "https://item.taobao.com/item.htm?id=712345678901&spm=a1z09",
    "http_status": 200, "title": "无线蓝牙耳机 降噪版-淘宝网",
    "tls": {"protocol": "TLS 1.3", "issuer": "GlobalSign", "subjectName": "*.taobao.com",
            "validFrom": 1735689600, "validTo": 1767225600},
    "server_address": {"ipAddress": "140.205.94.189", "port": 443},
    "browser": {"name": "chromium", "version": "156.0"}, "viewport": {"width": 1280, "height": 800},
    "helper_version": "0.1.0",
}


async def seed_case(api: Api, order_id: str = "4865640015090004803", **order: Any) -> dict[str, Any]:
    """A case with an upload (PNG), a PDF upload, a URL capture (PNG + MHTML + HTML + PDF)
    and a tab snapshot (HTML as received + rendered PNG)."""
    body = await api.json("POST", "/orders", expect=201, json=sample_order(order_id, **order))
    case_id = body["case"]["id"]
    store = api.app[STORE]
    photo = (await api.json("POST", f"/cases/{case_id}/evidence", expect=201,
                            data={"file": io.BytesIO(png_bytes(800, 600, "#f04438")),
                                  "title": "收到的商品照片 破损"}))["evidence"][0]
    report = (await api.json("POST", f"/cases/{case_id}/evidence", expect=201,
                             data={"file": io.BytesIO(pdf_bytes()), "title": "检测报告",
                                   "category": "test_report"}))["evidence"][0]
    capture = await store.evidence.add(
        case_id, kind=EvidenceKind.url_capture, category=EvidenceCategory.listing_snapshot,
        title="商品页面存证 listing capture",
        artifacts=[put(store, png_bytes(1280, 4000, "#7a5af8"), "screenshot", "image/png", "page.png"),
                   put(store, mhtml_bytes(), "mhtml", "multipart/related", "page.mhtml"),
                   put(store, pdf_bytes(), "pdf", "application/pdf", "page.pdf")],
        metadata=CAPTURE_META)
    snapshot = await store.evidence.add(
        case_id, kind=EvidenceKind.tab_snapshot, category=EvidenceCategory.order_page,
        title="订单页快照 tab snapshot",
        artifacts=[put(store, archived_html(api.port), "html", "text/html", "snapshot.html"),
                   put(store, png_bytes(1280, 900, "#0ba5ec"), "screenshot", "image/png", "render.png")],
        metadata={"url": "https://buyertrade.taobao.com/trade/itemlist/list_bought_items.htm",
                  "title": "已买到的宝贝", "rendered_with_javascript": False})
    return {"case_id": case_id, "order_id": order_id, "photo": photo["id"], "report": report["id"],
            "capture": capture.id, "snapshot": snapshot.id}


async def login_url(api: Api) -> str:
    """What `tousu-helper open` asks the daemon for: the admin route, no Origin."""
    token = api.app[SECRETS].admin_token()
    response = await api.client.post("/api/v1/admin/ui-login",
                                     headers={"Authorization": f"Bearer {token}"})
    assert response.status == 201, await response.text()
    return (await response.json())["url"]


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        b = await pw.chromium.launch(executable_path=system_chromium(), headless=True,
                                     args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            await b.close()


@pytest.fixture
async def page(browser: Any) -> AsyncIterator[Any]:
    """A page that records every dialog (an XSS would open one)."""
    context = await browser.new_context(viewport={"width": 1360, "height": 900}, locale="zh-CN",
                                        accept_downloads=True)
    p = await context.new_page()
    p.dialogs = []

    async def on_dialog(dialog: Any) -> None:
        p.dialogs.append(dialog.message)
        await dialog.dismiss()

    p.on("dialog", on_dialog)
    try:
        yield p
    finally:
        await context.close()
