"""Fact digests: what the audit chain knows about a case's current state.

The chain's entries say what happened; on their own they do not cover a row edited
directly in SQLite afterwards (the shop name, `actual_fee`, an evidence title, a timeline
text, the notes, the status) — and an export would then sign the tampered facts. So the
last audit entry of every write carries a digest of everything an export shows about
the case, one hash per fact, and `verify` recomputes them: a mismatch names the fact.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from helper.store.hashing import canonical_json, sha256_hex

CASE_COLUMNS = ("order_id", "platform", "status", "shop_name", "title", "created_at")


def _h(value: Any) -> str:
    return sha256_hex(canonical_json(value))


def digest(conn: sqlite3.Connection, case_id: str) -> dict[str, Any]:
    """One hash per fact of the case as stored now (see `differences`)."""
    row = conn.execute("SELECT * FROM cases WHERE id = ?", (case_id,)).fetchone()
    order = json.loads(row["order_json"])
    timeline = [[t["id"], t["at"], t["kind"], t["text"], t["data_json"]] for t in conn.execute(
        "SELECT id, at, kind, text, data_json FROM timeline WHERE case_id = ? ORDER BY id", (case_id,))]
    evidence = {}
    for e in conn.execute("SELECT * FROM evidence WHERE case_id = ?", (case_id,)).fetchall():
        artifacts = [list(a) for a in conn.execute(
            "SELECT role, sha256, size, media_type, filename FROM artifacts WHERE evidence_id = ?"
            " ORDER BY rowid", (e["id"],))]
        evidence[e["id"]] = _h([e["kind"], e["category"], e["title"], e["status"], e["created_at"],
                                e["metadata_json"], artifacts])
    drafts = {str(d["version"]): _h([d["request_json"], d["draft_json"], d["created_at"]]) for d in conn.execute(
        "SELECT version, request_json, draft_json, created_at FROM drafts WHERE case_id = ?", (case_id,))}
    return {
        "order": {name: _h(value) for name, value in sorted(order.items())},
        "case": {name: _h(row[name]) for name in CASE_COLUMNS},
        "notes": _h(row["notes"]),
        "timeline": _h(timeline),
        "timeline_count": len(timeline),
        "evidence": evidence,
        "drafts": drafts,
    }


def differences(recorded: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """Plain names of the facts that differ from what the audit chain recorded."""
    found: list[str] = []
    for section, label in (("order", "order field"), ("case", "case field")):
        old, new = recorded.get(section, {}), current.get(section, {})
        found += [f"{label} {name}" for name in sorted(set(old) | set(new)) if old.get(name) != new.get(name)]
    if recorded.get("notes") != current.get("notes"):
        found.append("notes")
    if recorded.get("timeline") != current.get("timeline"):
        found.append(f"timeline ({recorded.get('timeline_count')} entries recorded, "
                     f"{current.get('timeline_count')} now)")
    for section, label in (("evidence", "evidence"), ("drafts", "draft version")):
        old, new = recorded.get(section, {}), current.get(section, {})
        for key in sorted(set(old) | set(new)):
            if key not in new:
                found.append(f"{label} {key} (removed)")
            elif key not in old:
                found.append(f"{label} {key} (added outside the helper)")
            elif old[key] != new[key]:
                found.append(f"{label} {key}")
    return found
