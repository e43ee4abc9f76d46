"""Facts edited in SQLite directly are named by `verify`: every fact an export carries is
covered by the digest the last audited write recorded (helper/store/facts.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from helper.integrity import seal_case, verify_case
from helper.models import Artifact, CasePatch, CaseStatus, EvidenceCategory, EvidenceKind, Order
from helper.secrets import FileBackend, Secrets
from helper.store import Store
from tests.conftest import sample_order
from tests.support.daemon import cli

EDITS = {
    "actual_fee": ("UPDATE cases SET order_json = json_set(order_json, '$.actual_fee', '4740.00') WHERE id = :case",
                   "order field actual_fee"),
    "shop name (order)": ("UPDATE cases SET order_json = json_set(order_json, '$.shop_name', '别的店') WHERE id = :case",
                          "order field shop_name"),
    "shop name (listing)": ("UPDATE cases SET shop_name = '别的店' WHERE id = :case", "case field shop_name"),
    "status": ("UPDATE cases SET status = 'resolved' WHERE id = :case", "case field status"),
    "notes": ("UPDATE cases SET notes = '卖家已全额退款' WHERE id = :case", "notes"),
    "timeline text": ("UPDATE timeline SET text = '卖家同意退款' WHERE case_id = :case AND kind = 'note'", "timeline"),
    "timeline entry removed": ("DELETE FROM timeline WHERE case_id = :case AND kind = 'note'", "timeline"),
    "evidence title": ("UPDATE evidence SET title = '无关照片' WHERE id = :evidence", "evidence :evidence"),
    "draft": ("UPDATE drafts SET draft_json = json_set(draft_json, '$.text', '改过的草稿') WHERE case_id = :case",
              "draft version 1"),
}


@pytest.fixture
async def world(tmp_path: Path):  # noqa: ANN201
    from helper.complaint import catalog, draft
    from helper.models import ComplaintSettings, DraftRequest, utc_now

    store = Store(tmp_path)
    secrets = Secrets(FileBackend(tmp_path), tmp_path)
    case, _, _ = await store.cases.upsert(Order.model_validate(sample_order()))
    await store.cases.patch(case.id, CasePatch(notes="卖家48小时未回复", timeline_note="电话联系卖家，未接通",
                                               status=CaseStatus.submitted))
    ref = store.blobs.put_bytes(b"\x89PNG photo")
    ev = await store.evidence.add(case.id, kind=EvidenceKind.upload, category=EvidenceCategory.product_photo,
                                  title="左耳机特写", artifacts=[Artifact(role="original", sha256=ref.sha256,
                                                                      size=ref.size, media_type="image/png",
                                                                      filename="p.png")])
    request = DraftRequest.model_validate({"complaint_type": "quality_problem", "demand": {"kind": "return_refund"}})
    current = await store.cases.get(case.id)
    content = draft.build(current, await store.evidence.list(case.id), request, catalog.load(),
                          ComplaintSettings(), utc_now())
    await store.drafts.save(case.id, request, content)
    await seal_case(store, secrets, case.id)
    yield store, secrets, case.id, ev.id
    store.close()


async def test_untouched_case_has_no_fact_problems(world) -> None:  # noqa: ANN001
    store, secrets, case_id, _ = world
    report = await verify_case(store, secrets, case_id)
    assert report.ok, report.problems


@pytest.mark.parametrize("edit", list(EDITS))
async def test_each_direct_edit_is_named(world, edit: str) -> None:  # noqa: ANN001
    store, secrets, case_id, evidence_id = world
    sql, named = EDITS[edit]
    raw = sqlite3.connect(store.path, isolation_level=None)
    assert raw.execute(sql, {"case": case_id, "evidence": evidence_id}).rowcount >= 1
    raw.close()
    report = await verify_case(store, secrets, case_id)
    assert not report.ok
    items = [p.item for p in report.problems]
    assert named.replace(":evidence", evidence_id) in items, items
    assert all(p.kind == "altered" for p in report.problems if p.item == named)


def test_verify_cli_names_a_tampered_fee(tmp_path: Path) -> None:
    """End to end: a case saved through the running helper, the fee edited in the file."""
    from tests.support.daemon import start_daemon

    data = tmp_path / "data"
    daemon = start_daemon(data)
    try:
        _, body = daemon.call("POST", "/orders", daemon.pair(), sample_order())
    finally:
        daemon.stop()
    assert cli("verify", data_dir=data).returncode == 0
    raw = sqlite3.connect(data / "tousu.sqlite3", isolation_level=None)
    raw.execute("UPDATE cases SET order_json = json_set(order_json, '$.actual_fee', '0.01')")
    raw.close()
    result = cli("verify", body["case"]["id"], data_dir=data)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "actual_fee" in result.stdout
