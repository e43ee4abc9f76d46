"""SQLite case store: cases, timeline, evidence records, the hash-chained audit log, clients.

Durability: WAL with `synchronous=FULL`, so a commit the API acknowledged survives a
process kill and a power cut. Every mutation and its audit entry commit in one
transaction; blobs are written (atomically) before the row that points at them, so a
crash leaves at worst an unreferenced blob, never a row without its bytes.

One connection guarded by a lock: the daemon is a single process serving one buyer,
and SQLite serialises writers anyway.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from helper.models import (
    Artifact,
    Case,
    CaseList,
    CasePatch,
    CaseStatus,
    CaseSummary,
    Client,
    Draft,
    DraftContent,
    DraftRequest,
    DraftSummary,
    Evidence,
    EvidenceCategory,
    EvidenceKind,
    Order,
    TimelineEntry,
    utc_now,
)
from helper.store.audit import GENESIS, canonical_json, entry_hash, sha256_hex
from helper.store.base import AuditEntry, AuditProblem, CaseNotFound
from helper.store.blobs import BlobStore
from helper.store.merge import merge_orders
from helper.store.migrations import MIGRATIONS

STATUS_LABELS = {
    "open": "处理中", "drafted": "已起草", "submitted": "已提交", "escalated": "已升级投诉",
    "resolved": "已解决", "closed": "已关闭",
}


def _now() -> str:
    return utc_now().isoformat(timespec="microseconds")


def _new_id(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(6)}"


def _order_json(order: Order) -> str:
    return order.model_dump_json(exclude_none=True)


def _search_text(order: Order) -> str:
    parts = [order.order_id, order.shop_name, order.seller_nick]
    for item in order.items:
        parts += [item.sub_order_id, item.title]
    return "\n".join(p for p in parts if p).lower()


class SqliteStore:
    """The default `CaseStore`: one SQLite file plus a content-addressed blob directory."""

    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / "tousu.sqlite3"
        self.blobs = BlobStore(data_dir / "blobs")
        self._lock = threading.RLock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None,
                                   timeout=10)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._migrate()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _migrate(self) -> None:
        with self._lock:
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                self._db.executescript(f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version={number};\nCOMMIT;")

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _audit(self, db: sqlite3.Connection, case_id: str | None, action: str,
               data: dict[str, Any]) -> None:
        last = db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        seq, prev = (last["seq"] + 1, last["hash"]) if last else (1, GENESIS)
        at = _now()
        digest = entry_hash(seq, at, case_id, action, data, prev)
        db.execute("INSERT INTO audit (seq, at, case_id, action, data_json, prev_hash, hash) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)",
                   (seq, at, case_id, action, canonical_json(data).decode(), prev, digest))

    def _timeline(self, db: sqlite3.Connection, case_id: str, kind: str, text: str,
                  data: dict[str, Any] | None = None) -> None:
        db.execute("INSERT INTO timeline (case_id, at, kind, text, data_json) VALUES (?, ?, ?, ?, ?)",
                   (case_id, _now(), kind, text, json.dumps(data or {}, ensure_ascii=False)))

    # -- cases ---------------------------------------------------------------------------

    def upsert_order(self, order: Order) -> tuple[Case, bool, list[str]]:
        """Create the order's case, or merge new facts into it. Same order → same case."""
        with self._tx() as db:
            row = db.execute("SELECT id, order_json FROM cases WHERE order_id = ?",
                             (order.order_id,)).fetchone()
            now = _now()
            if row is None:
                case_id, merged, changed, created = _new_id("case"), order, ["*"], True
                db.execute(
                    "INSERT INTO cases (id, order_id, platform, status, order_json, shop_name, title,"
                    " search_text, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (case_id, order.order_id, order.platform.value, CaseStatus.open.value,
                     _order_json(order), order.shop_name, order.items[0].title if order.items else None,
                     _search_text(order), now, now))
                self._timeline(db, case_id, "created", f"建立投诉档案：订单 {order.order_id}")
            else:
                case_id, created = row["id"], False
                merged, changed = merge_orders(Order.model_validate_json(row["order_json"]), order)
                if changed:
                    db.execute(
                        "UPDATE cases SET platform = ?, order_json = ?, shop_name = ?, title = ?,"
                        " search_text = ?, updated_at = ? WHERE id = ?",
                        (merged.platform.value, _order_json(merged), merged.shop_name,
                         merged.items[0].title if merged.items else None, _search_text(merged),
                         now, case_id))
                    self._timeline(db, case_id, "order_updated",
                                   "订单信息已更新：" + "、".join(changed), {"fields": changed})
            if changed:
                for item in merged.items:
                    db.execute("INSERT OR IGNORE INTO case_items (case_id, sub_order_id) VALUES (?, ?)",
                               (case_id, item.sub_order_id))
                self._audit(db, case_id, "order_created" if created else "order_updated",
                            {"order_id": order.order_id,
                             "order_sha256": sha256_hex(_order_json(merged).encode()),
                             "changed": changed})
            case = self._load_case(db, case_id)
        return case, created, changed

    def get_case(self, case_id: str) -> Case:
        with self._lock:
            return self._load_case(self._db, case_id)

    def _load_case(self, db: sqlite3.Connection, case_id: str) -> Case:
        row = db.execute("SELECT * FROM cases WHERE id = ?", (case_id,)).fetchone()
        if row is None:
            raise CaseNotFound(case_id)
        timeline = [
            TimelineEntry(id=t["id"], at=datetime.fromisoformat(t["at"]), kind=t["kind"],
                          text=t["text"], data=json.loads(t["data_json"]))
            for t in db.execute("SELECT * FROM timeline WHERE case_id = ? ORDER BY id", (case_id,))
        ]
        return Case(id=row["id"], order=Order.model_validate_json(row["order_json"]),
                    status=row["status"], notes=row["notes"],
                    created_at=datetime.fromisoformat(row["created_at"]),
                    updated_at=datetime.fromisoformat(row["updated_at"]), timeline=timeline)

    def list_cases(self, *, status: CaseStatus | None = None, order_id: str | None = None,
                   sub_order_id: str | None = None, q: str | None = None,
                   limit: int = 50, offset: int = 0, platform: str | None = None) -> CaseList:
        where, args = [], []
        if platform:
            where.append("platform = ?")
            args.append(str(platform))
        if status:
            where.append("status = ?")
            args.append(status.value)
        if order_id:
            where.append("order_id = ?")
            args.append(order_id)
        if sub_order_id:
            where.append("id IN (SELECT case_id FROM case_items WHERE sub_order_id = ?)")
            args.append(sub_order_id)
        if q:
            where.append("instr(search_text, ?) > 0")  # plain substring: no LIKE wildcards
            args.append(q.lower())
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        with self._lock:
            total = self._db.execute(f"SELECT COUNT(*) FROM cases {clause}", args).fetchone()[0]
            rows = self._db.execute(
                f"SELECT id, order_id, platform, shop_name, title, status, created_at, updated_at"
                f" FROM cases {clause} ORDER BY updated_at DESC, id LIMIT ? OFFSET ?",
                [*args, limit, offset]).fetchall()
        cases = [CaseSummary(**dict(r)) for r in rows]
        return CaseList(cases=cases, total=total, limit=limit, offset=offset)

    def patch_case(self, case_id: str, patch: CasePatch) -> Case:
        with self._tx() as db:
            row = db.execute("SELECT status, notes FROM cases WHERE id = ?", (case_id,)).fetchone()
            if row is None:
                raise CaseNotFound(case_id)
            changes: dict[str, Any] = {}
            if patch.status is not None and patch.status.value != row["status"]:
                changes["status"] = {"from": row["status"], "to": patch.status.value}
                self._timeline(db, case_id, "status_changed",
                               f"状态：{STATUS_LABELS[row['status']]} → {STATUS_LABELS[patch.status.value]}",
                               changes["status"])
            if patch.notes is not None and patch.notes != row["notes"]:
                changes["notes_sha256"] = sha256_hex(patch.notes.encode())
                self._timeline(db, case_id, "notes_changed", "备注已修改")
            if patch.timeline_note:
                changes["timeline_note_sha256"] = sha256_hex(patch.timeline_note.encode())
                self._timeline(db, case_id, "note", patch.timeline_note)
            if changes:
                db.execute("UPDATE cases SET status = ?, notes = ?, updated_at = ? WHERE id = ?",
                           ((patch.status or CaseStatus(row["status"])).value,
                            row["notes"] if patch.notes is None else patch.notes, _now(), case_id))
                self._audit(db, case_id, "case_updated", changes)
            return self._load_case(db, case_id)

    def add_timeline_entry(self, case_id: str, kind: str, text: str,
                           data: dict[str, Any] | None = None) -> None:
        """For other modules (drafts, captures) to record what happened on a case."""
        with self._tx() as db:
            if db.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone() is None:
                raise CaseNotFound(case_id)
            self._timeline(db, case_id, kind, text, data)
            db.execute("UPDATE cases SET updated_at = ? WHERE id = ?", (_now(), case_id))
            self._audit(db, case_id, f"timeline_{kind}",
                        {"text_sha256": sha256_hex(text.encode()), "data": data or {}})

    # -- evidence ------------------------------------------------------------------------

    def add_evidence(self, case_id: str, *, kind: EvidenceKind, category: EvidenceCategory,
                     title: str, artifacts: list[Artifact], metadata: dict[str, Any] | None = None,
                     status: str = "complete") -> Evidence:
        """Record evidence whose artifacts are already in the blob store."""
        for artifact in artifacts:
            if not self.blobs.exists(artifact.sha256):
                raise ValueError(f"artifact {artifact.role} is not in the blob store")
        evidence_id = _new_id("ev")
        now = _now()
        with self._tx() as db:
            if db.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone() is None:
                raise CaseNotFound(case_id)
            db.execute("INSERT INTO evidence (id, case_id, kind, category, title, status, created_at,"
                       " metadata_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       (evidence_id, case_id, kind.value, category.value, title, status, now,
                        json.dumps(metadata or {}, ensure_ascii=False)))
            self._insert_artifacts(db, evidence_id, artifacts)
            self._timeline(db, case_id, "evidence_added", f"新增证据：{title}",
                           {"evidence_id": evidence_id})
            db.execute("UPDATE cases SET updated_at = ? WHERE id = ?", (now, case_id))
            self._audit(db, case_id, "evidence_added", {
                "evidence_id": evidence_id, "kind": kind.value, "category": category.value,
                "metadata_sha256": sha256_hex(canonical_json(metadata or {})),
                "artifacts": [a.model_dump() for a in artifacts]})
            return self._load_evidence(db, evidence_id)

    def add_artifacts(self, evidence_id: str, artifacts: list[Artifact], status: str) -> Evidence:
        """Chain artifacts that finished after the evidence was acknowledged (e.g. a PDF)."""
        with self._tx() as db:
            row = db.execute("SELECT case_id FROM evidence WHERE id = ?", (evidence_id,)).fetchone()
            if row is None:
                raise KeyError(evidence_id)
            self._insert_artifacts(db, evidence_id, artifacts)
            db.execute("UPDATE evidence SET status = ? WHERE id = ?", (status, evidence_id))
            self._audit(db, row["case_id"], "artifacts_added", {
                "evidence_id": evidence_id, "status": status,
                "artifacts": [a.model_dump() for a in artifacts]})
            return self._load_evidence(db, evidence_id)

    def _insert_artifacts(self, db: sqlite3.Connection, evidence_id: str,
                          artifacts: list[Artifact]) -> None:
        db.executemany("INSERT INTO artifacts (evidence_id, role, sha256, size, media_type, filename)"
                       " VALUES (?, ?, ?, ?, ?, ?)",
                       [(evidence_id, a.role, a.sha256, a.size, a.media_type, a.filename)
                        for a in artifacts])

    def get_evidence(self, evidence_id: str) -> Evidence | None:
        with self._lock:
            return self._load_evidence(self._db, evidence_id)

    def _load_evidence(self, db: sqlite3.Connection, evidence_id: str) -> Evidence | None:
        row = db.execute("SELECT * FROM evidence WHERE id = ?", (evidence_id,)).fetchone()
        if row is None:
            return None
        return self._evidence_from_row(db, row)

    def _evidence_from_row(self, db: sqlite3.Connection, row: sqlite3.Row) -> Evidence:
        artifacts = [Artifact(**dict(a)) for a in db.execute(
            "SELECT role, sha256, size, media_type, filename FROM artifacts WHERE evidence_id = ?"
            " ORDER BY rowid", (row["id"],))]
        return Evidence(id=row["id"], case_id=row["case_id"], kind=row["kind"],
                        category=row["category"], title=row["title"], status=row["status"],
                        created_at=datetime.fromisoformat(row["created_at"]), artifacts=artifacts,
                        metadata=json.loads(row["metadata_json"]))

    def list_evidence(self, case_id: str) -> list[Evidence]:
        with self._lock:
            if self._db.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone() is None:
                raise CaseNotFound(case_id)
            rows = self._db.execute("SELECT * FROM evidence WHERE case_id = ? ORDER BY created_at, id",
                                    (case_id,)).fetchall()
            return [self._evidence_from_row(self._db, r) for r in rows]

    # -- audit ---------------------------------------------------------------------------

    def audit_entries(self, case_id: str | None = None) -> list[AuditEntry]:
        sql, args = "SELECT * FROM audit ORDER BY seq", ()
        if case_id is not None:
            sql, args = "SELECT * FROM audit WHERE case_id = ? ORDER BY seq", (case_id,)
        with self._lock:
            return [AuditEntry(seq=r["seq"], at=r["at"], case_id=r["case_id"], action=r["action"],
                               data=json.loads(r["data_json"]), prev_hash=r["prev_hash"],
                               hash=r["hash"]) for r in self._db.execute(sql, args)]

    def verify_audit_chain(self) -> list[AuditProblem]:
        """Walk the whole chain; every broken link is named by its sequence number."""
        problems: list[AuditProblem] = []
        prev, expected_seq = GENESIS, 1
        for entry in self.audit_entries():
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

    # -- signed manifests (helper/integrity.py) ------------------------------------------

    def save_manifest(self, case_id: str, manifest_json: str, signature: str,
                      public_key_sha256: str, signed_at: str) -> None:
        """Keep the case's latest signed manifest and note the signing in the audit log."""
        with self._tx() as db:
            db.execute("INSERT INTO manifests (case_id, manifest_json, signature, public_key_sha256,"
                       " signed_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(case_id) DO UPDATE SET"
                       " manifest_json = excluded.manifest_json, signature = excluded.signature,"
                       " public_key_sha256 = excluded.public_key_sha256, signed_at = excluded.signed_at",
                       (case_id, manifest_json, signature, public_key_sha256, signed_at))
            self._audit(db, case_id, "manifest_signed", {
                "manifest_sha256": sha256_hex(manifest_json.encode()),
                "public_key_sha256": public_key_sha256, "signed_at": signed_at})

    def load_manifest(self, case_id: str) -> dict[str, str] | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM manifests WHERE case_id = ?", (case_id,)).fetchone()
        return dict(row) if row else None

    # -- drafts (helper/complaint) -------------------------------------------------------

    def save_draft(self, case_id: str, request: DraftRequest, content: DraftContent) -> Draft:
        """Store a new draft version with its request; an open case becomes `drafted`.
        The audit entry holds hashes of the texts, so a changed draft is detectable."""
        with self._tx() as db:
            row = db.execute("SELECT status FROM cases WHERE id = ?", (case_id,)).fetchone()
            if row is None:
                raise CaseNotFound(case_id)
            version = db.execute("SELECT COALESCE(MAX(version), 0) + 1 FROM drafts WHERE case_id = ?",
                                 (case_id,)).fetchone()[0]
            draft = Draft.model_validate({**content.model_dump(), "case_id": case_id, "version": version,
                                          "text_sha256": sha256_hex(content.text.encode())})
            request_json = request.model_dump_json()
            now = _now()
            db.execute("INSERT INTO drafts (case_id, version, created_at, complaint_type, demand_kind, title,"
                       " text_sha256, request_json, draft_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (case_id, version, now, request.complaint_type.value, request.demand.kind.value,
                        draft.title, draft.text_sha256, request_json, draft.model_dump_json()))
            self._timeline(db, case_id, "draft_saved", f"生成投诉草稿第 {version} 版：{draft.title}",
                           {"version": version, "text_sha256": draft.text_sha256})
            status = row["status"]
            if status == CaseStatus.open.value:
                status = CaseStatus.drafted.value
                self._timeline(db, case_id, "status_changed",
                               f"状态：{STATUS_LABELS['open']} → {STATUS_LABELS['drafted']}",
                               {"from": "open", "to": "drafted"})
            db.execute("UPDATE cases SET status = ?, updated_at = ? WHERE id = ?", (status, now, case_id))
            self._audit(db, case_id, "draft_saved", {
                "version": version, "text_sha256": draft.text_sha256,
                "form_text_sha256": sha256_hex(draft.form_text.encode()),
                "request_sha256": sha256_hex(request_json.encode()), "status": status})
        return draft

    def get_draft(self, case_id: str, version: int | None = None) -> tuple[DraftRequest, Draft] | None:
        """One version (default: the latest) with the request that produced it."""
        with self._lock:
            if self._db.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone() is None:
                raise CaseNotFound(case_id)
            sql = "SELECT request_json, draft_json FROM drafts WHERE case_id = ?"
            args: tuple[Any, ...] = (case_id,)
            if version is None:
                sql += " ORDER BY version DESC LIMIT 1"
            else:
                sql += " AND version = ?"
                args += (version,)
            row = self._db.execute(sql, args).fetchone()
        if row is None:
            return None
        return (DraftRequest.model_validate_json(row["request_json"]),
                Draft.model_validate_json(row["draft_json"]))

    def list_drafts(self, case_id: str) -> list[DraftSummary]:
        with self._lock:
            if self._db.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone() is None:
                raise CaseNotFound(case_id)
            rows = self._db.execute(
                "SELECT version, created_at, complaint_type, demand_kind, title, text_sha256"
                " FROM drafts WHERE case_id = ? ORDER BY version", (case_id,)).fetchall()
        return [DraftSummary(version=r["version"], generated_at=datetime.fromisoformat(r["created_at"]),
                             complaint_type=r["complaint_type"], demand_kind=r["demand_kind"],
                             title=r["title"], text_sha256=r["text_sha256"]) for r in rows]

    # -- clients (paired extensions) -----------------------------------------------------

    def create_client(self, name: str) -> tuple[Client, str]:
        """A new named client and its bearer token. Only the token's hash is stored."""
        token = "tsh_" + secrets.token_urlsafe(32)
        client = Client(id=_new_id("cl"), name=name, created_at=utc_now())
        with self._tx() as db:
            db.execute("INSERT INTO clients (id, name, token_sha256, created_at) VALUES (?, ?, ?, ?)",
                       (client.id, name, sha256_hex(token.encode()), client.created_at.isoformat()))
            self._audit(db, None, "client_paired", {"client_id": client.id, "name": name})
        return client, token

    def client_for_token(self, token: str) -> Client | None:
        """The active client holding `token`, or None (unknown or revoked)."""
        with self._lock:
            row = self._db.execute("SELECT * FROM clients WHERE token_sha256 = ? AND revoked_at IS NULL",
                                   (sha256_hex(token.encode()),)).fetchone()
        return Client(**dict(_without(row, "token_sha256"))) if row else None

    def touch_client(self, client_id: str) -> None:
        """Note when a client was last seen, at most once a minute (each write is an fsync)."""
        now = utc_now()
        stale = (now - timedelta(minutes=1)).isoformat(timespec="microseconds")
        with self._lock:
            self._db.execute("UPDATE clients SET last_used_at = ? WHERE id = ?"
                             " AND (last_used_at IS NULL OR last_used_at < ?)",
                             (now.isoformat(timespec="microseconds"), client_id, stale))

    def list_clients(self) -> list[Client]:
        with self._lock:
            rows = self._db.execute("SELECT * FROM clients ORDER BY created_at").fetchall()
        return [Client(**_without(r, "token_sha256")) for r in rows]

    def revoke_client(self, client_id: str) -> Client | None:
        with self._tx() as db:
            cur = db.execute("UPDATE clients SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                             (_now(), client_id))
            if cur.rowcount:
                self._audit(db, None, "client_revoked", {"client_id": client_id})
            row = db.execute("SELECT * FROM clients WHERE id = ?", (client_id,)).fetchone()
        return Client(**_without(row, "token_sha256")) if row else None

    def count_cases(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM cases").fetchone()[0]


def _without(row: sqlite3.Row, *skip: str) -> dict[str, Any]:
    return {k: row[k] for k in row.keys() if k not in skip}
