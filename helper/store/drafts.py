"""Complaint drafts: every version kept with the request that produced it."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import TYPE_CHECKING, Any

from helper.models import CaseStatus, Draft, DraftContent, DraftRequest, DraftSummary
from helper.store.hashing import sha256_hex
from helper.store.base import CaseNotFound
from helper.store.database import Tx, now_text
from helper.store.rows import STATUS_LABELS

if TYPE_CHECKING:
    from helper.store.database import Database


def _require_case(conn: sqlite3.Connection, case_id: str) -> None:
    if conn.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone() is None:
        raise CaseNotFound(case_id)


class DraftRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def save(self, case_id: str, request: DraftRequest, content: DraftContent) -> Draft:
        """Store a new draft version with its request; an open case becomes `drafted`.
        The audit entry holds hashes of the texts, so a changed draft is detectable."""
        def run(tx: Tx) -> Draft:
            row = tx.execute("SELECT status FROM cases WHERE id = ?", (case_id,)).fetchone()
            if row is None:
                raise CaseNotFound(case_id)
            version = tx.execute("SELECT COALESCE(MAX(version), 0) + 1 FROM drafts WHERE case_id = ?",
                                 (case_id,)).fetchone()[0]
            draft = Draft.model_validate({**content.model_dump(), "case_id": case_id, "version": version,
                                          "text_sha256": sha256_hex(content.text.encode())})
            request_json, now = request.model_dump_json(), now_text()
            tx.execute("INSERT INTO drafts (case_id, version, created_at, complaint_type, demand_kind, title,"
                       " text_sha256, request_json, draft_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (case_id, version, now, request.complaint_type.value, request.demand.kind.value,
                        draft.title, draft.text_sha256, request_json, draft.model_dump_json()))
            tx.timeline(case_id, "draft_saved", f"生成投诉草稿第 {version} 版：{draft.title}",
                        {"version": version, "text_sha256": draft.text_sha256})
            status = row["status"]
            if status == CaseStatus.open.value:
                status = CaseStatus.drafted.value
                tx.timeline(case_id, "status_changed",
                            f"状态：{STATUS_LABELS['open']} → {STATUS_LABELS['drafted']}",
                            {"from": "open", "to": "drafted"})
            tx.execute("UPDATE cases SET status = ?, updated_at = ? WHERE id = ?", (status, now, case_id))
            tx.audit(case_id, "draft_saved", {
                "version": version, "text_sha256": draft.text_sha256,
                "form_text_sha256": sha256_hex(draft.form_text.encode()),
                "request_sha256": sha256_hex(request_json.encode()), "status": status})
            return draft
        return await self._db.write(run)

    async def get(self, case_id: str, version: int | None = None) -> tuple[DraftRequest, Draft] | None:
        """One version (default: the latest) with the request that produced it."""
        def run(conn: sqlite3.Connection) -> tuple[DraftRequest, Draft] | None:
            _require_case(conn, case_id)
            sql = "SELECT request_json, draft_json FROM drafts WHERE case_id = ?"
            args: tuple[Any, ...] = (case_id,)
            if version is None:
                sql += " ORDER BY version DESC LIMIT 1"
            else:
                sql += " AND version = ?"
                args += (version,)
            row = conn.execute(sql, args).fetchone()
            if row is None:
                return None
            return (DraftRequest.model_validate_json(row["request_json"]),
                    Draft.model_validate_json(row["draft_json"]))
        return await self._db.read(run)

    async def list(self, case_id: str) -> list[DraftSummary]:
        def run(conn: sqlite3.Connection) -> list[DraftSummary]:
            _require_case(conn, case_id)
            rows = conn.execute(
                "SELECT version, created_at, complaint_type, demand_kind, title, text_sha256"
                " FROM drafts WHERE case_id = ? ORDER BY version", (case_id,)).fetchall()
            return [DraftSummary(version=r["version"], generated_at=datetime.fromisoformat(r["created_at"]),
                                 complaint_type=r["complaint_type"], demand_kind=r["demand_kind"],
                                 title=r["title"], text_sha256=r["text_sha256"]) for r in rows]
        return await self._db.read(run)
