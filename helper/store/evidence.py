"""Evidence records: what was captured or uploaded, with the artifacts (blobs) it holds.

Blobs are written before the row that points at them, so a crash leaves at worst an
unreferenced blob, never a row without its bytes.
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any

from helper.models import Artifact, Evidence, EvidenceCategory, EvidenceKind
from helper.store.hashing import canonical_json, sha256_hex
from helper.store.base import CaseNotFound
from helper.store.database import Tx, new_id, now_text
from helper.store.rows import evidence_from_row, load_evidence

if TYPE_CHECKING:
    from helper.store.blobs import BlobStore
    from helper.store.database import Database


def _insert_artifacts(tx: Tx, evidence_id: str, artifacts: list[Artifact]) -> None:
    tx.conn.executemany("INSERT INTO artifacts (evidence_id, role, sha256, size, media_type, filename)"
                        " VALUES (?, ?, ?, ?, ?, ?)",
                        [(evidence_id, a.role, a.sha256, a.size, a.media_type, a.filename) for a in artifacts])


class EvidenceRepository:
    def __init__(self, db: Database, blobs: BlobStore) -> None:
        self._db, self._blobs = db, blobs

    async def add(self, case_id: str, *, kind: EvidenceKind, category: EvidenceCategory,
                  title: str, artifacts: list[Artifact], metadata: dict[str, Any] | None = None,
                  status: str = "complete") -> Evidence:
        """Record evidence whose artifacts are already in the blob store."""
        def run(tx: Tx) -> Evidence:
            for artifact in artifacts:
                if not self._blobs.exists(artifact.sha256):
                    raise ValueError(f"artifact {artifact.role} is not in the blob store")
            if not tx.case_exists(case_id):
                raise CaseNotFound(case_id)
            evidence_id, now = new_id("ev"), now_text()
            tx.execute("INSERT INTO evidence (id, case_id, kind, category, title, status, created_at,"
                       " metadata_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       (evidence_id, case_id, kind.value, category.value, title, status, now,
                        json.dumps(metadata or {}, ensure_ascii=False)))
            _insert_artifacts(tx, evidence_id, artifacts)
            tx.timeline(case_id, "evidence_added", f"新增证据：{title}", {"evidence_id": evidence_id})
            tx.execute("UPDATE cases SET updated_at = ? WHERE id = ?", (now, case_id))
            tx.audit(case_id, "evidence_added", {
                "evidence_id": evidence_id, "kind": kind.value, "category": category.value,
                "metadata_sha256": sha256_hex(canonical_json(metadata or {})),
                "artifacts": [a.model_dump() for a in artifacts]})
            found = load_evidence(tx.conn, evidence_id)
            assert found is not None
            return found
        return await self._db.write(run)

    async def add_artifacts(self, evidence_id: str, artifacts: list[Artifact], status: str) -> Evidence:
        """Chain artifacts that finished after the evidence was acknowledged (e.g. a PDF)."""
        def run(tx: Tx) -> Evidence:
            row = tx.execute("SELECT case_id FROM evidence WHERE id = ?", (evidence_id,)).fetchone()
            if row is None:
                raise KeyError(evidence_id)
            _insert_artifacts(tx, evidence_id, artifacts)
            tx.execute("UPDATE evidence SET status = ? WHERE id = ?", (status, evidence_id))
            tx.audit(row["case_id"], "artifacts_added", {
                "evidence_id": evidence_id, "status": status, "artifacts": [a.model_dump() for a in artifacts]})
            found = load_evidence(tx.conn, evidence_id)
            assert found is not None
            return found
        return await self._db.write(run)

    async def pending(self) -> list[Evidence]:
        """Evidence still `pending`: acknowledged by a capture that never finished (the
        helper stopped or crashed in between); repaired at start-up."""
        def run(conn: sqlite3.Connection) -> list[Evidence]:
            rows = conn.execute("SELECT * FROM evidence WHERE status = 'pending' ORDER BY created_at, id").fetchall()
            return [evidence_from_row(conn, r) for r in rows]
        return await self._db.read(run)

    async def get(self, evidence_id: str) -> Evidence | None:
        return await self._db.read(lambda conn: load_evidence(conn, evidence_id))

    async def list(self, case_id: str) -> list[Evidence]:
        def run(conn: sqlite3.Connection) -> list[Evidence]:
            if conn.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone() is None:
                raise CaseNotFound(case_id)
            rows = conn.execute("SELECT * FROM evidence WHERE case_id = ? ORDER BY created_at, id",
                                (case_id,)).fetchall()
            return [evidence_from_row(conn, r) for r in rows]
        return await self._db.read(run)
