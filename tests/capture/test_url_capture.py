"""URL captures end to end: real Chromium, HTTPS fixture pages at their real Taobao host names."""

from __future__ import annotations

import email
import hashlib

from tests.capture.conftest import CaptureEnv
from tests.capture.imaging import decode_png, pdf_page_count

ITEM = "https://item.taobao.com/capture-item.htm?id=712345678901"


async def test_url_capture_produces_every_artifact_with_matching_hashes(env: CaptureEnv) -> None:
    job = await env.capture({"url": ITEM})
    assert job["state"] == "queued" and job["kind"] == "url_capture"
    job = await env.wait(job["id"])
    assert job["state"] == "done", job
    assert job["evidence_status"] == "complete", job
    assert job["acknowledged_at"] <= job["finished_at"]
    ev = await env.evidence(job["evidence_id"])
    assert ev["status"] == "complete" and ev["kind"] == "url_capture"
    assert ev["category"] == "listing_snapshot"
    roles = {a["role"]: a for a in ev["artifacts"]}
    assert set(roles) == {"html", "mhtml", "screenshot", "pdf", "warc", "capture_log"}
    for role, art in roles.items():
        data = await env.artifact(ev["id"], role)
        assert hashlib.sha256(data).hexdigest() == art["sha256"], role
        assert len(data) == art["size"]

    png = decode_png(await env.artifact(ev["id"], "screenshot"))
    assert png.width == 1280 and png.height > 2700  # full page, not just the viewport
    assert pdf_page_count(await env.artifact(ev["id"], "pdf")) >= 2
    mhtml = email.message_from_bytes(await env.artifact(ev["id"], "mhtml"))
    assert mhtml.is_multipart()
    parts = {p.get("Content-Location"): p for p in mhtml.walk() if not p.is_multipart()}
    assert any(loc and loc.startswith("https://item.taobao.com/capture-item.htm") for loc in parts)
    assert "https://img.alicdn.com/capture-red.png" in parts
    assert "https://img.alicdn.com/capture-lazy.png" in parts  # loaded by scrolling
    html = (await env.artifact(ev["id"], "html")).decode()
    assert "无线蓝牙耳机 降噪版" in html and 'data-js="ran"' in html

    meta = ev["metadata"]
    assert meta["requested_url"] == ITEM and meta["final_url"] == ITEM
    assert meta["http_status"] == 200
    assert meta["tls"]["protocol"].startswith("TLS")
    assert meta["tls"]["subject"] == "tousu-helper test site"
    assert meta["server"]["ip"] == "127.0.0.1" and meta["server"]["port"] == env.site.port
    assert meta["environment"]["browser_version"]
    assert "Chrome/" in meta["environment"]["user_agent"]
    assert meta["environment"]["viewport"] == {"width": 1280, "height": 800}
    assert meta["title"] == "无线蓝牙耳机 降噪版-淘宝网"
    assert meta["captured_at"].endswith("+00:00")
    blocked = " ".join(meta["network"]["blocked"])
    assert "evil.example" in blocked and "127.0.0.1" in blocked and "169.254.169.254" in blocked
    # nothing outside the allowlist reached the network
    assert all(host.endswith(("taobao.com", "alicdn.com")) for host, _ in env.site.requests)
