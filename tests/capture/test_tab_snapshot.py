"""Tab snapshots: the buyer's DOM stored as received, acknowledged at once, rendered with
JavaScript off and only the allowlist's static-asset hosts reachable."""

from __future__ import annotations

import base64
import hashlib

from tests.capture.conftest import CaptureEnv
from tests.capture.imaging import decode_png, make_png, pdf_page_count

URL = "https://buyertrade.taobao.com/trade/detail/trade_item_detail.htm?bizOrderId=4865640015090004803"
HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>订单详情</title>
<link rel="stylesheet" href="https://g.alicdn.com/capture-style.css">
<link rel="stylesheet" href="https://buyertrade.taobao.com/capture-private.css">
<meta http-equiv="refresh" content="0;url=https://evil.example/capture-refresh.htm">
</head><body>
<h1>订单号：4865640015090004803</h1><p class="price">实付款 ¥47.40</p>
<img src="https://img.alicdn.com/capture-red.png" width="120" height="80">
<img src="https://evil.example/capture-pixel.png">
<img src="https://trade.taobao.com/capture-beacon.gif">
<iframe src="https://www.taobao.com/capture-frame.htm"></iframe>
<script>fetch("https://evil.example/capture-js"); document.body.dataset.js = "ran";</script>
<div style="height:1500px"></div><p>底部</p>
</body></html>"""


async def test_snapshot_is_acknowledged_with_html_as_received_then_rendered(env: CaptureEnv) -> None:
    shot = make_png(64, 40, (10, 200, 10))
    job = await env.capture({"tab_snapshot": {"url": URL, "title": "订单详情", "html": HTML,
                                              "screenshot_png": base64.b64encode(shot).decode()}})
    # acknowledged in the response: the HTML as received is committed, hashes in the audit log
    assert job["state"] == "acknowledged" and job["evidence_id"]
    ev = await env.evidence(job["evidence_id"])
    assert ev["kind"] == "tab_snapshot" and ev["category"] == "order_page"
    html_art = next(a for a in ev["artifacts"] if a["role"] == "html")
    assert html_art["sha256"] == hashlib.sha256(HTML.encode()).hexdigest()
    audit = await env.store.audit.entries(env.case_id)
    added = next(e for e in audit if e.action == "evidence_added")
    assert {a["sha256"] for a in added.data["artifacts"]} >= {html_art["sha256"],
                                                             hashlib.sha256(shot).hexdigest()}

    job = await env.wait(job["id"])
    assert job["state"] == "done" and job["evidence_status"] == "complete", job
    ev = await env.evidence(job["evidence_id"])
    roles = {a["role"] for a in ev["artifacts"]}
    assert roles == {"html", "buyer_screenshot", "screenshot", "pdf", "capture_log"}
    assert await env.artifact(ev["id"], "html") == HTML.encode()
    assert await env.artifact(ev["id"], "buyer_screenshot") == shot
    png = decode_png(await env.artifact(ev["id"], "screenshot"))
    assert png.width == 1280 and png.height >= 1500
    assert pdf_page_count(await env.artifact(ev["id"], "pdf")) >= 1

    # JavaScript was off, and nothing but the static-asset hosts was asked for
    hosts = {h for h, _ in env.site.requests}
    assert hosts <= {"g.alicdn.com", "img.alicdn.com"}, env.site.requests
    assert ("img.alicdn.com", "/capture-red.png") in env.site.requests
    log = (await env.artifact(ev["id"], "capture_log")).decode()
    assert "evil.example" in log and "capture-beacon" in log


async def test_malformed_html_still_renders(env: CaptureEnv) -> None:
    broken = "<html><body><div><table><tr><td>未闭合的表格<p>段落<b>粗体<i>斜体</table></span>\x00<<>>&&;</body"
    job = await env.capture({"tab_snapshot": {"url": URL, "html": broken}})
    job = await env.wait(job["id"])
    assert job["state"] == "done" and job["evidence_status"] == "complete", job
    ev = await env.evidence(job["evidence_id"])
    assert await env.artifact(ev["id"], "html") == broken.encode()
    decode_png(await env.artifact(ev["id"], "screenshot"))


async def test_bad_snapshots_are_refused_without_storing_anything(env: CaptureEnv) -> None:
    cases = [
        ({"url": URL, "html": "<p>x</p>", "screenshot_png": "not base64!!"}, "invalid_screenshot"),
        ({"url": URL, "html": "<p>x</p>",
          "screenshot_png": base64.b64encode(b"GIF89a....").decode()}, "invalid_screenshot"),
        ({"url": "https://evil.example/x", "html": "<p>x</p>"}, "url_forbidden"),
        ({"url": URL, "html": ""}, "invalid_request"),
        ({"url": URL}, "invalid_request"),
    ]
    for snapshot, code in cases:
        body = await env.capture({"tab_snapshot": snapshot}, expect=422)
        assert body["error"]["code"] == code, (snapshot, body)
    body = await env.capture({"url": "https://item.taobao.com/", "tab_snapshot": {"url": URL, "html": "x"}},
                             expect=422)
    assert body["error"]["code"] == "invalid_request"
    assert (await env.api.json("GET", f"/cases/{env.case_id}/evidence"))["evidence"] == []
    assert not any(env.store.blobs.tmp.iterdir())


async def test_snapshot_for_unknown_case_is_404(env: CaptureEnv) -> None:
    response = await env.api.post("/cases/case-000000000000/captures",
                                  json={"tab_snapshot": {"url": URL, "html": "<p>x</p>"}})
    assert response.status == 404
