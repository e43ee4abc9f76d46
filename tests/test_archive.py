"""Archived pages made safe to show (helper/archive.py): MHTML unpacked with its resources
inlined, legacy charsets decoded, links and meta refreshes disarmed."""

from __future__ import annotations

import base64
import re
from email import encoders
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest

from helper import archive
from helper.archive import decode_html, disarm_html, framed_page, mhtml_to_html, page_kind

PAGE = "https://item.taobao.com/item.htm?id=1"
PIC = "https://img.alicdn.com/pic.png"
BG = "https://img.alicdn.com/bg.png"
CSS = "https://g.alicdn.com/style.css"
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==")


def _part(data: bytes, maintype: str, subtype: str, location: str = "", cid: str = "") -> MIMEBase:
    part = MIMEBase(maintype, subtype)
    part.set_payload(data)
    encoders.encode_base64(part)
    if location:
        part["Content-Location"] = location
    if cid:
        part["Content-ID"] = f"<{cid}>"
    return part


def _mhtml(html: str, *parts: MIMEBase, charset: str = "utf-8") -> bytes:
    msg = MIMEMultipart("related", type="text/html")
    msg["Snapshot-Content-Location"] = PAGE
    body = MIMEText(html, "html", charset)
    body["Content-Location"] = PAGE
    msg.attach(body)
    for part in parts:
        msg.attach(part)
    return msg.as_bytes()


def _data_uri_payload(html: str, media: str) -> bytes:
    found = re.search(rf"data:{re.escape(media)}[^,]*;base64,([A-Za-z0-9+/=]+)", html)
    assert found, f"no {media} data URI in {html[:300]}"
    return base64.b64decode(found.group(1))


def test_mhtml_inlines_images_styles_and_the_images_styles_use() -> None:
    css = f".hero {{ background: url({BG}); }} h1::after {{ content: '正品'; }}"
    html = (f'<html><head><link rel="stylesheet" href="{CSS}"></head><body class="hero">'
            f'<h1>商品详情</h1><img id="a" src="{PIC}"><img id="b" src="cid:logo@mhtml"></body></html>')
    data = _mhtml(html, _part(PNG, "image", "png", location=PIC),
                  _part(css.encode("utf-8"), "text", "css", location=CSS),
                  _part(PNG + b"bg", "image", "png", location=BG),
                  _part(PNG + b"logo", "image", "png", cid="logo@mhtml"))
    out = mhtml_to_html(data)
    assert "商品详情" in out
    assert PIC not in out and CSS not in out and "cid:logo@mhtml" not in out
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', out)
    assert [base64.b64decode(i) for i in images] == [PNG, PNG + b"logo"]
    stylesheet = _data_uri_payload(out, "text/css").decode("utf-8")
    assert BG not in stylesheet and "正品" in stylesheet  # the CSS's own image is inlined too
    assert _data_uri_payload(stylesheet, "image/png") == PNG + b"bg"
    # the inlined stylesheet survives disarming (it fetches nothing); the frame can use it
    shown = disarm_html(out)
    assert '<link rel="stylesheet" href="data:text/css' in shown


def test_mhtml_gbk_html_part_and_quoted_printable() -> None:
    msg = MIMEMultipart("related", type="text/html")
    body = MIMEText("<html><body><p>卖家承诺七天无理由退货</p></body></html>", "html", "gbk")
    msg.attach(body)
    assert "卖家承诺七天无理由退货" in mhtml_to_html(msg.as_bytes())
    qp = (b'Content-Type: multipart/related; boundary="B"\r\n\r\n--B\r\n'
          b"Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
          b"<p class=3D\"x\">=E5=95=86=E5=93=81</p>\r\n--B--\r\n")
    assert mhtml_to_html(qp) == '<p class="x">商品</p>'


def test_mhtml_over_the_inlining_budget_leaves_the_resource_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "MAX_INLINED_BYTES", len(PNG) + 10)
    data = _mhtml(f'<img id="a" src="{PIC}"><img id="b" src="{BG}">',
                  _part(PNG, "image", "png", location=PIC), _part(PNG * 2, "image", "png", location=BG))
    out = mhtml_to_html(data)
    assert PIC not in out and f'src="{BG}"' in out  # shown without it (the frame fetches nothing)


def test_not_an_archive() -> None:
    with pytest.raises(ValueError, match="not an MHTML archive"):
        mhtml_to_html(b"<html><body>plain</body></html>")
    only_image = MIMEMultipart("related")
    only_image.attach(_part(PNG, "image", "png", location=PIC))
    with pytest.raises(ValueError, match="no HTML part"):
        mhtml_to_html(only_image.as_bytes())


def test_decode_html_charsets() -> None:
    gbk = '<html><head><meta charset="gbk"><title>商品详情</title></head><body>破损</body></html>'
    assert decode_html(gbk.encode("gbk")) == gbk
    declared = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>退款</p>'
    assert decode_html(declared.encode("gb2312")) == declared
    assert decode_html("<p>淘宝</p>".encode("gb18030")) == "<p>淘宝</p>"  # undeclared, not UTF-8
    assert decode_html("<p>天猫</p>".encode("utf-8"), "utf-8") == "<p>天猫</p>"
    assert decode_html('<meta charset="no-such-codec"><p>é</p>'.encode("utf-8")).endswith("<p>é</p>")


def test_disarm_links_refresh_and_charset() -> None:
    html = ('<html><head><meta charset="gbk"><META HTTP-EQUIV=Refresh content="0; url=https://evil.example/">'
            "<meta http-equiv='refresh' content='5'>"
            '<link rel="icon" href="https://evil.example/favicon.ico"></head><body>'
            '<a id="out" href="https://evil.example/">外链</a><a HREF = \'/relative\'>相对</a>'
            '<map><area shape="rect" href="https://evil.example/area"></map></body></html>')
    prefix = '<meta charset="utf-8"><base href="about:blank" target="_self">'
    out = disarm_html(html)
    assert out.startswith(prefix)
    out = out[len(prefix):]
    assert 'charset="gbk"' not in out
    assert re.search(r"\shref\s*=", out, re.IGNORECASE) is None
    assert 'data-archived-href="https://evil.example/"' in out
    assert "data-archived-href= '/relative'" in out
    assert 'data-archived-href="https://evil.example/favicon.ico"' in out
    assert 'data-archived-href="https://evil.example/area"' in out
    assert re.search(r"(?<![-\w])http-equiv\s*=\s*[\"']?refresh", out, re.IGNORECASE) is None
    assert out.count("data-archived-http-equiv=") == 2


def test_page_kind_reads_the_media_type_essence() -> None:
    for media in ("text/html", "text/html; charset=utf-8", "Text/HTML;charset=GBK", "application/xhtml+xml",
                  "application/xhtml+xml; charset=utf-8"):
        assert page_kind(media, "page.html") == "html", media
    for media in ("multipart/related", 'multipart/related; type="text/html"; boundary=x', "message/rfc822"):
        assert page_kind(media, "page") == "mhtml", media
    assert page_kind("application/octet-stream", "saved.MHT") == "mhtml"
    for media in ("text/plain", "text/html-sandboxed", "application/pdf", "image/png"):
        assert page_kind(media, "file") is None, media


def test_framed_page_decodes_with_the_stored_charset() -> None:
    """A capture stores the page it copied as UTF-8 while the page's own <meta> still says
    GBK; UTF-8 bytes of 已买到的宝贝 also decode as GBK (to mojibake): the stored type decides."""
    html = '<html><head><meta charset="gbk"><title>已买到的宝贝</title></head><body><h1>已买到的宝贝</h1></body></html>'
    shown = framed_page(html.encode("utf-8"), "html", "text/html; charset=utf-8")
    assert "<h1>已买到的宝贝</h1>" in shown and 'charset="gbk"' not in shown
    assert "<h1>已买到的宝贝</h1>" in framed_page(html.encode("gbk"), "html", "text/html")  # its own <meta>
    mhtml = _mhtml('<a href="https://evil.example/">外链</a>')
    assert 'data-archived-href="https://evil.example/"' in framed_page(mhtml, "mhtml", "multipart/related")
    with pytest.raises(ValueError):
        framed_page(b"<p>not mime</p>", "mhtml", "multipart/related")
