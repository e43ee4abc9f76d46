"""The store on its own: migrations, the audit chain, the blob store's atomic writes."""

import hashlib
import sqlite3
from pathlib import Path

import pytest

from helper.models import Artifact, EvidenceCategory, EvidenceKind, Order
from helper.store import Store
from helper.store.migrations import MIGRATIONS
from tests.conftest import sample_order


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path)
    yield s
    s.close()


def _raw(store: Store) -> sqlite3.Connection:
    """What an attacker with file access can do: a plain connection, triggers dropped."""
    db = sqlite3.connect(store.path, isolation_level=None)
    db.execute("DROP TRIGGER IF EXISTS audit_no_update")
    db.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    return db


async def test_reopening_keeps_data_and_does_not_rerun_migrations(tmp_path: Path) -> None:
    first = Store(tmp_path)
    case, created, _ = await first.cases.upsert(Order.model_validate(sample_order()))
    first.close()
    second = Store(tmp_path)
    assert (await second.cases.get(case.id)).order.order_id == case.order.order_id
    raw = sqlite3.connect(second.path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw.close()
    second.close()


async def test_audit_log_is_append_only_in_sqlite(store: Store) -> None:
    await store.cases.upsert(Order.model_validate(sample_order()))
    raw = sqlite3.connect(store.path, isolation_level=None)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute("UPDATE audit SET action = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute("DELETE FROM audit")


async def test_audit_chain_verifies_and_names_an_edited_entry(store: Store) -> None:
    for i in range(5):
        await store.cases.upsert(Order.model_validate(sample_order(f"20000000000000000{i:02}")))
    assert await store.audit.verify() == []
    _raw(store).execute("UPDATE audit SET data_json = replace(data_json, 'order_created', 'x')"
                        " WHERE seq = 3")
    _raw(store).execute("UPDATE audit SET case_id = 'case-other' WHERE seq = 3")
    problems = await store.audit.verify()
    assert [p.seq for p in problems] == [3]
    assert "altered" in problems[0].message


async def test_audit_chain_detects_a_removed_entry(store: Store) -> None:
    for i in range(4):
        await store.cases.upsert(Order.model_validate(sample_order(f"20000000000000000{i:02}")))
    _raw(store).execute("DELETE FROM audit WHERE seq = 2")
    problems = await store.audit.verify()
    assert problems[0].seq == 3
    assert "missing" in problems[0].message


def test_blob_store_is_content_addressed_and_deduplicated(store: Store) -> None:
    data = "聊天记录 2025-11-10".encode()
    ref = store.blobs.put_bytes(data)
    again = store.blobs.put_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    assert ref.sha256 == again.sha256 == digest
    assert store.blobs.path(digest).relative_to(store.blobs.root).parts == (digest[:2], digest[2:4], digest)
    assert store.blobs.read_bytes(digest) == data
    assert list(store.blobs.tmp.iterdir()) == []


def test_a_failed_blob_write_leaves_nothing(store: Store) -> None:
    def chunks():  # noqa: ANN202
        yield b"half of a video"
        raise OSError("disk unplugged")

    with pytest.raises(OSError):
        store.blobs.put_chunks(chunks())
    assert list(store.blobs.tmp.iterdir()) == []
    assert [p for p in store.blobs.root.rglob("*") if p.is_file()] == []


async def test_evidence_must_point_at_stored_blobs(store: Store) -> None:
    case, _, _ = await store.cases.upsert(Order.model_validate(sample_order()))
    ghost = Artifact(role="original", sha256="0" * 64, size=1, media_type="image/png", filename="x.png")
    with pytest.raises(ValueError, match="not in the blob store"):
        await store.evidence.add(case.id, kind=EvidenceKind.upload, category=EvidenceCategory.other,
                           title="x", artifacts=[ghost])
    assert await store.evidence.list(case.id) == []


def test_blob_path_rejects_non_digests(store: Store) -> None:
    for bad in ("../../etc/passwd", "ab" * 31, "A" * 64):
        with pytest.raises(ValueError):
            store.blobs.path(bad)
