"""The buyer's draft choices per case, and the dates the buyer stated.

One row per case, shared by every browser tab and the review UI: the extension used to
keep what the buyer picked in the tab, so a second tab or a reopened case started over,
and 填入投诉内容 filled whichever draft was newest rather than the one the buyer read.
Choices are working state, not evidence: changing one is not audited; a stated date is a
fact the complaint relies on, so it goes on the timeline and into the audit chain.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import TYPE_CHECKING, Any

from helper.models import DraftRequest
from helper.models.case import CaseDraftState, DraftChoices, StatedDates
from helper.store.base import CaseNotFound
from helper.store.database import Tx, now_text
from helper.store.hashing import sha256_hex

if TYPE_CHECKING:
    from helper.store.database import Database

STATED_LABELS = {"received_at": "签收", "shipped_at": "发货"}


def _read(conn: sqlite3.Connection, case_id: str) -> CaseDraftState:
    if conn.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone() is None:
        raise CaseNotFound(case_id)
    row = conn.execute("SELECT revision, choices_json, stated_json, updated_at FROM draft_state"
                       " WHERE case_id = ?", (case_id,)).fetchone()
    latest = conn.execute("SELECT MAX(version) FROM drafts WHERE case_id = ?", (case_id,)).fetchone()[0]
    if row is None:
        return CaseDraftState(case_id=case_id, revision=0, updated_at=None, choices=DraftChoices(),
                              stated=StatedDates(), latest_draft_version=latest)
    choices = DraftChoices.model_validate_json(row["choices_json"])
    request = None
    if choices.draft_version is not None:
        found = conn.execute("SELECT request_json FROM drafts WHERE case_id = ? AND version = ?",
                             (case_id, choices.draft_version)).fetchone()
        request = DraftRequest.model_validate_json(found["request_json"]) if found else None
    return CaseDraftState(case_id=case_id, revision=row["revision"],
                          updated_at=datetime.fromisoformat(row["updated_at"]), choices=choices,
                          stated=StatedDates.model_validate_json(row["stated_json"]),
                          latest_draft_version=latest, draft_request=request)


def _write(tx: Tx, state: CaseDraftState, choices: DraftChoices, stated: StatedDates) -> None:
    tx.execute("INSERT INTO draft_state (case_id, revision, choices_json, stated_json, updated_at)"
               " VALUES (?, ?, ?, ?, ?) ON CONFLICT (case_id) DO UPDATE SET revision = excluded.revision,"
               " choices_json = excluded.choices_json, stated_json = excluded.stated_json,"
               " updated_at = excluded.updated_at",
               (state.case_id, state.revision + 1, choices.model_dump_json(exclude_none=True),
                stated.model_dump_json(exclude_none=True), now_text()))


class DraftStateRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, case_id: str) -> CaseDraftState:
        return await self._db.read(lambda conn: _read(conn, case_id))

    async def choose(self, case_id: str, changes: dict[str, Any]) -> CaseDraftState:
        """Replace the fields in `changes` (a validated DraftChoicesPatch's fields that were
        sent; None clears one); a change that changes nothing leaves the revision as it is."""
        def run(tx: Tx) -> CaseDraftState:
            state = _read(tx.conn, case_id)
            merged = DraftChoices.model_validate({**state.choices.model_dump(), **changes})
            if merged != state.choices:
                _write(tx, state, merged, state.stated)
            return _read(tx.conn, case_id)
        return await self._db.write(run)

    async def state_dates(self, case_id: str, dates: StatedDates) -> CaseDraftState:
        """Record dates the buyer stated (the caller merges them into the case's order)."""
        def run(tx: Tx) -> CaseDraftState:
            state = _read(tx.conn, case_id)
            given = dates.model_dump(exclude_none=True)
            if not given:
                return state
            stated = StatedDates.model_validate({**state.stated.model_dump(exclude_none=True), **given})
            _write(tx, state, state.choices, stated)
            said = "、".join(f"{STATED_LABELS[k]} {v.date().isoformat()}" for k, v in dates if v is not None)
            tx.timeline(case_id, "dates_stated", f"买家自述：{said}",
                        {k: v.isoformat() for k, v in dates if v is not None})
            tx.execute("UPDATE cases SET updated_at = ? WHERE id = ?", (now_text(), case_id))
            tx.audit(case_id, "dates_stated", {"stated_sha256": sha256_hex(stated.model_dump_json().encode())})
            return _read(tx.conn, case_id)
        return await self._db.write(run)
