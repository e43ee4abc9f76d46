"""What report.pdf tells a reader: a helper capture with its environment report, a tab
snapshot labelled as buyer-supplied with its provenance, and the trusted timestamps."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pypdfium2
import pytest

from helper.bundle import layout
from tests.capture.conftest import CaptureEnv
from tests.capture.test_timestamps import _captured, _settings, _use
from tests.capture.tsa import LocalTsa

pytestmark = pytest.mark.browser

SNAPSHOT = "https://buyertrade.taobao.com/trade/itemlist/list_bought_items.htm"


def _text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(io.BytesIO(pdf))
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


async def test_report_labels_helper_captures_and_buyer_snapshots(env: CaptureEnv, tsa: LocalTsa,
                                                                 tmp_path: Path) -> None:
    _use(env, _settings(tsa))
    await _captured(env)
    job = await env.wait((await env.capture({"tab_snapshot": {
        "url": SNAPSHOT, "title": "已买到的宝贝", "html": "<p>订单号 4865640015090004803</p>",
        "extension_version": "0.3.1"}}))["id"])
    assert job["state"] == "done", job
    snapshot = await env.evidence(job["evidence_id"])
    assert snapshot["metadata"]["provenance"] == "buyer_supplied"
    await env.service.idle()
    response = await env.api.get(f"/cases/{env.case_id}/export")
    assert response.status == 200, await response.text()
    with zipfile.ZipFile(io.BytesIO(await response.read())) as zf:
        text = _text(zf.read(layout.REPORT))
    flat = " ".join(text.split())
    assert "助手采集 · Helper capture" in flat
    assert "买家提供 · Buyer-supplied" in flat and "not a helper capture" in flat
    assert "0.3.1" in flat
    dom = next(a["sha256"] for a in snapshot["artifacts"] if a["role"] == "html")
    assert dom[:24] in flat.replace(" ", "")
    assert "fresh profile, no extensions" in flat and "CN=tousu-helper test site" in flat
    assert "Trusted timestamps" in flat and "Tousu Test TSA" in flat
    assert "clock offset" in flat
