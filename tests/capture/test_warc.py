"""Each URL capture records its page load's HTTP exchanges as a WARC: the documents and
images byte for byte as served (a GBK page keeps its bytes), the server address, the
buyer's forwarded cookie nowhere in it, and the environment report beside them."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

from aiohttp import web
from warcio.archiveiterator import ArchiveIterator

from tests.capture.conftest import CaptureEnv
from tests.support.site import SITE_ROOT

GBK_LIST = "https://buyertrade.taobao.com/trade/itemlist/list_bought_items.gbk.htm"


def _records(data: bytes) -> list:
    out = []
    for record in ArchiveIterator(io.BytesIO(data)):
        out.append((record.rec_type, record.rec_headers, record.http_headers, record.content_stream().read()))
    return out


async def test_the_warc_holds_what_the_server_sent_without_the_buyers_session(env: CaptureEnv) -> None:
    secret = "c00kie-Secret-warc-77"

    async def page(request: web.Request) -> web.Response:
        response = web.Response(content_type="text/html", charset="utf-8", text=(
            "<!doctype html><title>订单详情</title><p>订单号 4865640015090004803</p>"
            '<img src="https://img.alicdn.com/capture-red.png">'))
        response.set_cookie("session_refresh", "server-" + secret)
        return response

    env.site.route("trade.taobao.com", "/capture-warc.htm", page)
    job = await env.wait((await env.capture({
        "url": "https://trade.taobao.com/capture-warc.htm",
        "cookies": [{"name": "cookie2", "value": secret, "domain": ".taobao.com"}]}))["id"])
    assert job["state"] == "done" and job["evidence_status"] == "complete", job
    ev = await env.evidence(job["evidence_id"])
    warc_art = next(a for a in ev["artifacts"] if a["role"] == "warc")
    assert warc_art["media_type"] == "application/warc" and warc_art["filename"] == "page.warc.gz"
    data = await env.artifact(ev["id"], "warc")
    assert gzip.decompress(data)  # gzipped records
    assert secret.encode() not in gzip.decompress(data)
    records = _records(data)
    assert records[0][0] == "warcinfo"
    assert b"Cookie, Set-Cookie, Authorization" in records[0][3]
    responses = {r[1].get_header("WARC-Target-URI"): r for r in records if r[0] == "response"}
    doc = responses["https://trade.taobao.com/capture-warc.htm"]
    assert doc[2].get_statuscode() == "200" and "订单号 4865640015090004803".encode() in doc[3]
    assert doc[1].get_header("WARC-IP-Address") == "127.0.0.1"
    assert "removed by tousu-helper" in doc[2].get_header("Set-Cookie")
    image = responses["https://img.alicdn.com/capture-red.png"]
    assert image[3] == (SITE_ROOT / "img.alicdn.com" / "capture-red.png").read_bytes()
    requests = [r for r in records if r[0] == "request"]
    assert any("removed by tousu-helper" in (r[2].get_header("Cookie") or "") for r in requests)
    assert {r[1].get_header("WARC-Concurrent-To") for r in records if r[0] == "response"} <= \
        {r[1].get_header("WARC-Record-ID") for r in requests}
    metadata = [r for r in records if r[0] == "metadata"]
    assert metadata and b'"browser_version"' in metadata[0][3]


async def test_a_gbk_page_keeps_its_bytes_in_the_warc(env: CaptureEnv) -> None:
    job = await env.wait((await env.capture({"url": GBK_LIST}))["id"])
    assert job["state"] == "done", job
    records = _records(await env.artifact(job["evidence_id"], "warc"))
    doc = next(r for r in records if r[0] == "response" and r[1].get_header("WARC-Target-URI") == GBK_LIST)
    served = (SITE_ROOT / "buyertrade.taobao.com" / "trade/itemlist/list_bought_items.gbk.htm").read_bytes()
    assert doc[3] == served
    assert "GBK" in doc[2].get_header("Content-Type").upper()


