"""An export never ships a draft older than the case's evidence: the draft is made again
from its own request (a new version, which complaint.txt then carries), or, when that
request no longer yields a draft, the export refuses with a plain 409."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from helper.state import STORE
from tests.conftest import Api, sample_order
from tests.ui.conftest import png_bytes

pytestmark = pytest.mark.browser

REQUEST = {"complaint_type": "quality_problem", "demand": {"kind": "return_refund"},
           "facts": [{"date": "2025-11-12", "text": "收到耳机后左耳没有声音。"}]}


async def test_a_draft_written_before_the_evidence_is_made_again(api: Api, tmp_path: Path) -> None:
    case_id = (await api.json("POST", "/orders", expect=201, json=sample_order()))["case"]["id"]
    first = await api.json("POST", f"/cases/{case_id}/draft", expect=201, json=REQUEST)
    await api.json("POST", f"/cases/{case_id}/evidence", expect=201,
                   data={"file": io.BytesIO(png_bytes(64, 64, "#f04438")), "title": "收到的商品照片"})
    response = await api.get(f"/cases/{case_id}/export")
    assert response.status == 200, await response.text()
    out = tmp_path / "bundle.zip"
    out.write_bytes(await response.read())
    with zipfile.ZipFile(out) as zf:
        complaint = zf.read("complaint.txt").decode()
    latest = (await api.json("GET", f"/cases/{case_id}/drafts"))["drafts"][-1]
    assert latest["version"] == first["version"] + 1
    assert f"第 {latest['version']} 版" in complaint and f"第 {first['version']} 版" not in complaint
    # a draft as new as the evidence is exported as it is
    response = await api.get(f"/cases/{case_id}/export")
    assert response.status == 200
    assert len((await api.json("GET", f"/cases/{case_id}/drafts"))["drafts"]) == latest["version"]


async def test_a_stale_draft_that_cannot_be_made_again_stops_the_export(api: Api) -> None:
    case_id = (await api.json("POST", "/orders", expect=201, json=sample_order()))["case"]["id"]
    await api.json("POST", f"/cases/{case_id}/draft", expect=201, json=REQUEST)
    await api.json("POST", f"/cases/{case_id}/evidence", expect=201,
                   data={"file": io.BytesIO(png_bytes(64, 64, "#f04438")), "title": "收到的商品照片"})
    # the order's only item is gone from the page data the case holds: the stored request
    # names an item the order no longer has
    store = api.app[STORE]
    request, draft = await store.drafts.get(case_id)
    pinned = request.model_copy(update={"sub_order_id": "1111111111111111111"})
    await store.drafts.save(case_id, pinned, draft)  # generated (as before) ahead of the evidence
    body = await api.json("GET", f"/cases/{case_id}/export", expect=409)
    assert body["error"]["code"] == "draft_stale"
    assert "generate a new draft" in body["error"]["message"]
