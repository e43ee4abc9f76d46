"""Each case's latest signed manifest (helper/integrity/ seals and verifies them)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from helper.models import Case, Evidence

from helper.store.hashing import sha256_hex
from helper.store.database import Tx
from helper.store.rows import evidence_from_row, load_case

if TYPE_CHECKING:
    from helper.store.database import Database


def _save(tx: Tx, case_id: str, signed: Signed) -> None:
    tx.execute("INSERT INTO manifests (case_id, manifest_json, signature, public_key_sha256, signed_at)"
               " VALUES (?, ?, ?, ?, ?) ON CONFLICT(case_id) DO UPDATE SET"
               " manifest_json = excluded.manifest_json, signature = excluded.signature,"
               " public_key_sha256 = excluded.public_key_sha256, signed_at = excluded.signed_at,"
               " timestamp_json = NULL",
               (case_id, signed.manifest_json, signed.signature, signed.public_key_sha256, signed.signed_at))
    tx.audit(case_id, "manifest_signed", {
        "manifest_sha256": sha256_hex(signed.manifest_json.encode()),
        "public_key_sha256": signed.public_key_sha256, "signed_at": signed.signed_at})


@dataclass(frozen=True)
class Signed:
    """A manifest and its signature, as `integrity.seal_case` makes them."""

    manifest_json: str
    signature: str
    public_key_sha256: str
    signed_at: str


Signer = Callable[[Case, list[Evidence], dict[str, Any] | None], Signed]
"""Builds and signs the manifest from the case, its evidence and its audit head."""


class ManifestRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def save(self, case_id: str, manifest_json: str, signature: str,
                   public_key_sha256: str, signed_at: str) -> None:
        """Keep the case's latest signed manifest and note the signing in the audit log."""
        signed = Signed(manifest_json, signature, public_key_sha256, signed_at)
        await self._db.write(lambda tx: _save(tx, case_id, signed))

    async def seal(self, case_id: str, sign: Signer) -> Signed:
        """Read, sign and save in one write transaction: manifests are signed in commit
        order, so an older manifest can never overwrite a newer one."""
        def run(tx: Tx) -> Signed:
            case = load_case(tx.conn, case_id)
            evidence = [evidence_from_row(tx.conn, r) for r in tx.execute(
                "SELECT * FROM evidence WHERE case_id = ? ORDER BY created_at, id", (case_id,)).fetchall()]
            head = tx.execute("SELECT seq, hash, action FROM audit WHERE case_id = ? ORDER BY seq DESC LIMIT 1",
                              (case_id,)).fetchone()
            signed = sign(case, evidence, dict(head) if head else None)
            _save(tx, case_id, signed)
            return signed
        return await self._db.write(run)

    async def add_timestamp(self, case_id: str, manifest_sha256: str, record: dict[str, Any]) -> bool:
        """Keep the outcome of timestamping the manifest whose SHA-256 is `manifest_sha256`
        (a token's record, or why there is none) — only while it is still the case's
        latest manifest: a token never lands on a manifest it was not made for. Audited."""
        def run(tx: Tx) -> bool:
            row = tx.execute("SELECT manifest_json FROM manifests WHERE case_id = ?", (case_id,)).fetchone()
            if row is None or sha256_hex(row["manifest_json"].encode()) != manifest_sha256:
                return False
            tx.execute("UPDATE manifests SET timestamp_json = ? WHERE case_id = ?",
                       (json.dumps(record, ensure_ascii=False), case_id))
            tx.audit(case_id, "manifest_timestamped", {
                "manifest_sha256": manifest_sha256, "status": record.get("status"),
                **{k: record[k] for k in ("token_sha256", "tsa_url", "gen_time", "late", "reason") if k in record}})
            return True
        return await self._db.write(run)

    async def load(self, case_id: str) -> dict[str, str] | None:
        def run(conn: sqlite3.Connection) -> dict[str, str] | None:
            row = conn.execute("SELECT * FROM manifests WHERE case_id = ?", (case_id,)).fetchone()
            return dict(row) if row else None
        return await self._db.read(run)
