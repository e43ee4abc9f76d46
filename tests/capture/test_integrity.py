"""`verify` names exactly what was altered, removed or added — blobs, rows, audit log, manifest."""

from __future__ import annotations

import base64
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from helper.config import Settings
from helper.integrity import (
    case_manifest,
    seal_case,
    sign_manifest,
    verify_all,
    verify_case,
    verify_signature,
)
from helper.models import Artifact, EvidenceCategory, EvidenceKind, Order
from helper.secrets import FileBackend, Secrets
from helper.store import Store
from helper.store.audit import canonical_json, entry_hash
from tests.conftest import sample_order


@pytest.fixture
async def world(settings: Settings):  # noqa: ANN201
    store = Store(settings.data_dir)
    secrets = Secrets(FileBackend(settings.data_dir), settings.data_dir)
    case, _, _ = await store.cases.upsert(Order.model_validate(sample_order()))
    ids = []
    for i, (role, data) in enumerate([("screenshot", b"\x89PNG fake screenshot"),
                                      ("html", "<p>商品页面</p>".encode())]):
        ref = store.blobs.put_bytes(data + bytes([i]))
        art = Artifact(role=role, sha256=ref.sha256, size=ref.size, media_type="application/octet-stream",
                       filename=f"{role}.bin")
        ev = await store.evidence.add(case.id, kind=EvidenceKind.url_capture,
                                category=EvidenceCategory.listing_snapshot, title=f"证据 {i}",
                                artifacts=[art], metadata={"requested_url": f"https://item.taobao.com/{i}"},
                                status="pending")
        ids.append(ev.id)
    pdf = store.blobs.put_bytes(b"%PDF-1.4 fake")
    await store.evidence.add_artifacts(ids[0], [Artifact(role="pdf", sha256=pdf.sha256, size=pdf.size,
                                          media_type="application/pdf", filename="page.pdf")], "complete")
    await seal_case(store, secrets, case.id)
    yield store, secrets, case.id, ids
    store.close()


def raw(store: Store) -> sqlite3.Connection:
    db = sqlite3.connect(store.path, isolation_level=None)
    db.execute("DROP TRIGGER IF EXISTS audit_no_update")
    db.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    return db


def problems(report) -> list[tuple[str, str]]:  # noqa: ANN001
    return [(p.kind, p.item) for p in report.problems]


async def test_untouched_case_verifies(world) -> None:  # noqa: ANN001
    store, secrets, case_id, ids = world
    report = await verify_case(store, secrets, case_id)
    assert report.ok, report.problems
    assert report.evidence_checked == 2 and report.artifacts_checked == 3
    assert report.manifest_signed_at is not None and report.public_key_sha256


async def test_flipped_byte_in_a_blob_is_named(world) -> None:  # noqa: ANN001
    store, secrets, case_id, ids = world
    art = (await store.evidence.get(ids[0])).artifacts[0]
    path = store.blobs.path(art.sha256)
    data = bytearray(path.read_bytes())
    data[3] ^= 0x01
    path.chmod(0o644)
    path.write_bytes(bytes(data))
    report = await verify_case(store, secrets, case_id)
    assert not report.ok
    assert problems(report) == [("altered", f"{ids[0]}/screenshot")]
    assert "modified" in report.problems[0].message


async def test_deleted_blob_is_named(world) -> None:  # noqa: ANN001
    store, secrets, case_id, ids = world
    pdf = next(a for a in (await store.evidence.get(ids[0])).artifacts if a.role == "pdf")
    store.blobs.path(pdf.sha256).unlink()
    assert problems(await verify_case(store, secrets, case_id)) == [("missing", f"{ids[0]}/pdf")]


async def test_deleted_evidence_row_is_named(world) -> None:  # noqa: ANN001
    store, secrets, case_id, ids = world
    db = raw(store)
    db.execute("DELETE FROM artifacts WHERE evidence_id = ?", (ids[1],))
    db.execute("DELETE FROM evidence WHERE id = ?", (ids[1],))
    report = await verify_case(store, secrets, case_id)
    assert problems(report) == [("missing", f"evidence {ids[1]}")]
    assert "audit #" in report.problems[0].message


async def test_added_evidence_row_and_artifact_are_named(world) -> None:  # noqa: ANN001
    store, secrets, case_id, ids = world
    db = raw(store)
    db.execute("INSERT INTO evidence (id, case_id, kind, category, title, status, created_at,"
               " metadata_json) VALUES ('ev-forged00001', ?, 'upload', 'other', '伪造', 'complete',"
               " '2026-01-01T00:00:00+00:00', '{}')", (case_id,))
    ref = store.blobs.put_bytes(b"planted")
    db.execute("INSERT INTO artifacts VALUES (?, 'planted', ?, ?, 'text/plain', 'x.txt')",
               (ids[1], ref.sha256, ref.size))
    assert set(problems(await verify_case(store, secrets, case_id))) == {
        ("added", "evidence ev-forged00001"), ("added", f"{ids[1]}/planted")}


async def test_swapped_artifact_and_edited_metadata_are_named(world) -> None:  # noqa: ANN001
    store, secrets, case_id, ids = world
    ref = store.blobs.put_bytes("<p>篡改后的页面</p>".encode())
    db = raw(store)
    db.execute("UPDATE artifacts SET sha256 = ?, size = ? WHERE evidence_id = ? AND role = 'html'",
               (ref.sha256, ref.size, ids[1]))
    db.execute("UPDATE evidence SET metadata_json = ? WHERE id = ?",
               (json.dumps({"requested_url": "https://item.taobao.com/other"}), ids[0]))
    assert set(problems(await verify_case(store, secrets, case_id))) == {
        ("altered", f"{ids[1]}/html"), ("altered", f"evidence {ids[0]} metadata")}


async def test_edited_audit_entry_is_named(world) -> None:  # noqa: ANN001
    store, secrets, case_id, ids = world
    entry = next(e for e in await store.audit.entries(case_id)
                 if e.action == "evidence_added" and e.data["evidence_id"] == ids[1])
    data = dict(entry.data, category="other")
    raw(store).execute("UPDATE audit SET data_json = ? WHERE seq = ?",
                       (canonical_json(data).decode(), entry.seq))
    report = await verify_case(store, secrets, case_id)
    assert ("chain", f"audit #{entry.seq}") in problems(report)
    assert any("altered" in p.message for p in report.problems if p.kind == "chain")


async def test_rewritten_audit_chain_is_caught_by_the_signed_manifest(world) -> None:  # noqa: ANN001
    """An attacker deletes evidence and its audit entries and re-hashes the whole chain —
    consistent, but not what the manifest signed."""
    store, secrets, case_id, ids = world
    db = raw(store)
    db.execute("DELETE FROM artifacts WHERE evidence_id = ?", (ids[1],))
    db.execute("DELETE FROM evidence WHERE id = ?", (ids[1],))
    rows = db.execute("SELECT seq, at, case_id, action, data_json FROM audit ORDER BY seq").fetchall()
    db.execute("DELETE FROM audit")
    prev, seq = "0" * 64, 0
    for _, at, cid, action, data_json in rows:
        data = json.loads(data_json)
        if data.get("evidence_id") == ids[1]:
            continue
        seq += 1
        digest = entry_hash(seq, at, cid, action, data, prev)
        db.execute("INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?)",
                   (seq, at, cid, action, data_json, prev, digest))
        prev = digest
    assert await store.audit.verify() == []  # the chain alone looks fine
    found = problems(await verify_case(store, secrets, case_id))
    assert ("missing", f"evidence {ids[1]}") in found
    assert any(kind == "chain" for kind, _ in found)


async def test_forged_manifest_is_named(world) -> None:  # noqa: ANN001
    store, secrets, case_id, ids = world
    row = await store.manifests.load(case_id)
    manifest = json.loads(row["manifest_json"])
    manifest["evidence"] = manifest["evidence"][:1]  # hide the second item
    db = raw(store)
    db.execute("UPDATE manifests SET manifest_json = ? WHERE case_id = ?",
               (canonical_json(manifest).decode(), case_id))
    assert problems(await verify_case(store, secrets, case_id)) == [("signature", "manifest")]
    # signed, but with somebody else's key
    other = Ed25519PrivateKey.generate()
    db.execute("UPDATE manifests SET signature = ? WHERE case_id = ?",
               (base64.b64encode(sign_manifest(manifest, other)).decode(), case_id))
    report = await verify_case(store, secrets, case_id)
    assert problems(report) == [("signature", "manifest")]
    assert "forged" in report.problems[0].message


async def test_deleted_manifest_is_named(world) -> None:  # noqa: ANN001
    store, secrets, case_id, ids = world
    raw(store).execute("DELETE FROM manifests")
    assert problems(await verify_case(store, secrets, case_id)) == [("missing", "manifest")]


async def test_manifest_interface_for_the_export_bundle(world) -> None:  # noqa: ANN001
    store, secrets, case_id, ids = world
    manifest = await case_manifest(store, case_id)
    assert manifest["case_id"] == case_id and manifest["order_id"] == sample_order()["order_id"]
    assert [e["id"] for e in manifest["evidence"]] == ids
    first = manifest["evidence"][0]
    assert {a["role"] for a in first["artifacts"]} == {"screenshot", "pdf"}
    assert all(set(a) >= {"sha256", "size", "media_type"} for a in first["artifacts"])
    assert first["metadata"]["requested_url"] == "https://item.taobao.com/0"
    assert manifest["audit_head"]["seq"] >= 1
    key = secrets.signing_key()
    signature = sign_manifest(manifest, key)
    assert verify_signature(manifest, signature, key.public_key())
    assert not verify_signature({**manifest, "order_id": "1"}, signature, key.public_key())
    assert [r.ok for r in await verify_all(store, secrets)] == [True]


def test_verify_cli_exit_codes(world, settings: Settings) -> None:  # noqa: ANN001
    store, secrets, case_id, ids = world

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "helper", "verify", *args,
                               "--data-dir", str(settings.data_dir)],
                              capture_output=True, text=True, timeout=60,
                              env={"PATH": "/usr/bin:/bin", "PYTHON_KEYRING_BACKEND":
                                   "keyring.backends.fail.Keyring"},
                              cwd=Path(__file__).resolve().parents[2])

    ok = cli(case_id)
    assert ok.returncode == 0, ok.stderr
    assert "OK" in ok.stdout
    assert cli().returncode == 0
    raw(store).execute("DELETE FROM artifacts WHERE evidence_id = ? AND role = 'pdf'", (ids[0],))
    bad = cli(case_id)
    assert bad.returncode == 2, bad.stdout + bad.stderr
    assert f"{ids[0]}/pdf" in bad.stdout
    as_json = json.loads(cli(case_id, "--json").stdout)
    assert as_json["ok"] is False
    assert as_json["problems"][0]["kind"] == "missing"
    assert cli("case-000000000000").returncode == 1
