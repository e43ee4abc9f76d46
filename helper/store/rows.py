"""Rows to models: how a stored case, evidence item or draft is read back.

Shared by the repositories and the write path (which reloads what it just wrote), so a
case looks the same whichever way it is read.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from helper.models import Artifact, Case, DraftRequest, Evidence, GoodsKind, Order, TimelineEntry
from helper.store.base import CaseNotFound

STATUS_LABELS = {
    "open": "处理中", "drafted": "已起草", "submitted": "已提交", "escalated": "已升级投诉",
    "resolved": "已解决", "closed": "已关闭",
}


def load_case(conn: sqlite3.Connection, case_id: str) -> Case:
    row = conn.execute("SELECT * FROM cases WHERE id = ?", (case_id,)).fetchone()
    if row is None:
        raise CaseNotFound(case_id)
    timeline = [
        TimelineEntry(id=t["id"], at=datetime.fromisoformat(t["at"]), kind=t["kind"],
                      text=t["text"], data=json.loads(t["data_json"]))
        for t in conn.execute("SELECT * FROM timeline WHERE case_id = ? ORDER BY id", (case_id,))
    ]
    return Case(id=row["id"], order=Order.model_validate_json(row["order_json"]),
                status=row["status"], notes=row["notes"],
                created_at=datetime.fromisoformat(row["created_at"]),
                updated_at=datetime.fromisoformat(row["updated_at"]), timeline=timeline)


def load_evidence(conn: sqlite3.Connection, evidence_id: str) -> Evidence | None:
    row = conn.execute("SELECT * FROM evidence WHERE id = ?", (evidence_id,)).fetchone()
    return None if row is None else evidence_from_row(conn, row)


def evidence_from_row(conn: sqlite3.Connection, row: sqlite3.Row) -> Evidence:
    artifacts = [Artifact(**dict(a)) for a in conn.execute(
        "SELECT role, sha256, size, media_type, filename FROM artifacts WHERE evidence_id = ?"
        " ORDER BY rowid", (row["id"],))]
    return Evidence(id=row["id"], case_id=row["case_id"], kind=row["kind"],
                    category=row["category"], title=row["title"], status=row["status"],
                    created_at=datetime.fromisoformat(row["created_at"]), artifacts=artifacts,
                    metadata=json.loads(row["metadata_json"]))


def latest_goods(conn: sqlite3.Connection, case_id: str) -> GoodsKind | None:
    """The goods kind of the latest draft's request (deadlines depend on it)."""
    row = conn.execute("SELECT request_json FROM drafts WHERE case_id = ? ORDER BY version DESC LIMIT 1",
                       (case_id,)).fetchone()
    return None if row is None else DraftRequest.model_validate_json(row["request_json"]).goods


def without(row: sqlite3.Row, *skip: str) -> dict[str, Any]:
    return {k: row[k] for k in row.keys() if k not in skip}
