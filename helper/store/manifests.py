"""Each case's latest signed manifest (helper/integrity.py seals and verifies them)."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from helper.store.hashing import sha256_hex
from helper.store.database import Tx

if TYPE_CHECKING:
    from helper.store.database import Database


class ManifestRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def save(self, case_id: str, manifest_json: str, signature: str,
                   public_key_sha256: str, signed_at: str) -> None:
        """Keep the case's latest signed manifest and note the signing in the audit log."""
        def run(tx: Tx) -> None:
            tx.execute("INSERT INTO manifests (case_id, manifest_json, signature, public_key_sha256,"
                       " signed_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(case_id) DO UPDATE SET"
                       " manifest_json = excluded.manifest_json, signature = excluded.signature,"
                       " public_key_sha256 = excluded.public_key_sha256, signed_at = excluded.signed_at",
                       (case_id, manifest_json, signature, public_key_sha256, signed_at))
            tx.audit(case_id, "manifest_signed", {
                "manifest_sha256": sha256_hex(manifest_json.encode()),
                "public_key_sha256": public_key_sha256, "signed_at": signed_at})
        await self._db.write(run)

    async def load(self, case_id: str) -> dict[str, str] | None:
        def run(conn: sqlite3.Connection) -> dict[str, str] | None:
            row = conn.execute("SELECT * FROM manifests WHERE case_id = ?", (case_id,)).fetchone()
            return dict(row) if row else None
        return await self._db.read(run)
