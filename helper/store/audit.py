"""The append-only audit log: reading and checking its hash chain (helper/store/hashing.py),
and comparing a case's facts with what its last audited write recorded (facts.py).
Entries are appended only by the write path (database.py)."""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING

from helper.store import facts
from helper.store.base import AuditEntry, AuditProblem
from helper.store.hashing import GENESIS, canonical_json, entry_hash, sha256_hex

if TYPE_CHECKING:
    from helper.store.database import Database

__all__ = ["GENESIS", "AuditLog", "canonical_json", "entry_hash", "sha256_hex"]


class AuditLog:

    def __init__(self, db: Database) -> None:
        self._db = db

    async def entries(self, case_id: str | None = None) -> list[AuditEntry]:
        sql, args = "SELECT * FROM audit ORDER BY seq", ()
        if case_id is not None:
            sql, args = "SELECT * FROM audit WHERE case_id = ? ORDER BY seq", (case_id,)

        def run(conn: sqlite3.Connection) -> list[AuditEntry]:
            return [AuditEntry(seq=r["seq"], at=r["at"], case_id=r["case_id"], action=r["action"],
                               data=json.loads(r["data_json"]), prev_hash=r["prev_hash"], hash=r["hash"])
                    for r in conn.execute(sql, args)]
        return await self._db.read(run)

    async def verify(self) -> list[AuditProblem]:
        """Walk the whole chain; every broken link is named by its sequence number."""
        problems: list[AuditProblem] = []
        prev, expected_seq = GENESIS, 1
        for entry in await self.entries():
            if entry.seq != expected_seq:
                problems.append(AuditProblem(entry.seq, f"entries {expected_seq}–{entry.seq - 1} are missing"))
            if entry.prev_hash != prev:
                problems.append(AuditProblem(entry.seq, "does not link to the entry before it"))
            recomputed = entry_hash(entry.seq, entry.at, entry.case_id, entry.action, entry.data,
                                    entry.prev_hash)
            if recomputed != entry.hash:
                problems.append(AuditProblem(entry.seq, f"{entry.action} entry was altered"))
            prev, expected_seq = entry.hash, entry.seq + 1
        return problems

    async def fact_changes(self, case_id: str) -> list[str]:
        """Facts of the case that differ from what its last audited write recorded (edits
        made to the database directly). Empty when they agree."""
        def run(conn: sqlite3.Connection) -> list[str]:
            recorded = None
            for r in conn.execute("SELECT data_json FROM audit WHERE case_id = ? ORDER BY seq DESC", (case_id,)):
                data = json.loads(r["data_json"])
                if "facts" in data:
                    recorded = data["facts"]
                    break
            if recorded is None:
                return ["no audited record of the case's facts"]
            return facts.differences(recorded, facts.digest(conn, case_id))
        return await self._db.read(run)
