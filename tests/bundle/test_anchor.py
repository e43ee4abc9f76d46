"""The evidence anchor: every draft ends with the sealed case manifest's hash, and
`verify-bundle --anchor` says whether an exported bundle is the evidence the filed
complaint named."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from helper.bundle import verify_bundle
from tests.conftest import Api, sample_order

pytestmark = pytest.mark.browser  # the export renders report.pdf in the capture browser

DRAFT = {"complaint_type": "quality_problem", "demand": {"kind": "return_refund"},
         "facts": [{"date": "2025-11-12", "text": "收到耳机后左耳没有声音。"}], "form_limit": 300}


async def _export(api: Api, case_id: str, path: Path) -> Path:
    response = await api.get(f"/cases/{case_id}/export")
    assert response.status == 200, await response.text()
    path.write_bytes(await response.read())
    return path


async def test_the_draft_anchor_names_the_exported_evidence(api: Api, tmp_path: Path) -> None:
    case_id = (await api.json("POST", "/orders", expect=201, json=sample_order()))["case"]["id"]
    await api.json("POST", f"/cases/{case_id}/evidence", expect=201,
                   data={"file": io.BytesIO(b"\x89PNG photo of the left earbud"), "title": "左耳机特写"})
    draft = await api.json("POST", f"/cases/{case_id}/draft", expect=201, json=DRAFT)
    anchor = draft["text"].rstrip().splitlines()[-1]
    assert anchor.startswith("证据包校验值 SHA-256：") and "共 1 项证据" in anchor
    assert anchor in draft["form_text"], "short enough to go into the form"
    english = await api.json("POST", f"/cases/{case_id}/draft", expect=201, json={**DRAFT, "language": "en"})
    assert english["text"].rstrip().splitlines()[-1].startswith("Evidence bundle SHA-256: ")

    bundle = await _export(api, case_id, tmp_path / "case.zip")
    report = verify_bundle(bundle, anchor=anchor)
    assert report.ok and report.anchor_matches is True, report.problems

    forged = anchor.replace(anchor.split("：")[1][:4], "0000")
    report = verify_bundle(bundle, anchor=forged)
    assert not report.ok and report.anchor_matches is False
    assert any("anchor names another sealed case manifest" in p for p in report.problems)

    # evidence added after the complaint was filed: the new bundle is not what it named
    await api.json("POST", f"/cases/{case_id}/evidence", expect=201,
                   data={"file": io.BytesIO(b"later chat log"), "title": "后来的聊天记录"})
    later = await _export(api, case_id, tmp_path / "later.zip")
    report = verify_bundle(later, anchor=anchor)
    assert not report.ok and report.anchor_matches is False
    assert verify_bundle(later, anchor="no hash here").problems == ["--anchor: no 'SHA-256: …' value in the anchor text"]
