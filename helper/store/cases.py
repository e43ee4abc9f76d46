"""Cases: the order's facts (merged across page visits), status, notes and timeline.

Search: order ids, shop, seller and item titles go into an FTS5 index with the trigram
tokenizer (Chinese has no spaces to split words on; trigrams match any substring of
three or more characters). Two-character queries — "耳机" is a real search — use a
table of the text's character pairs; only a one-character query scans.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import TYPE_CHECKING, Any

from helper.models import Case, CaseDeleted, CaseList, CasePatch, CaseStatus, CaseSummary, Order
from helper.store.agenda import utc_text
from helper.store.hashing import sha256_hex
from helper.store.base import CaseNotFound
from helper.store.database import Tx, new_id, now_text
from helper.store.merge import merge_orders
from helper.store.rows import STATUS_LABELS, load_case

if TYPE_CHECKING:
    from helper.store.blobs import BlobStore
    from helper.store.database import Database

SUMMARY_COLUMNS = "c.id, c.order_id, c.platform, c.shop_name, c.title, c.status, c.created_at, c.updated_at"


def _order_json(order: Order) -> str:
    return order.model_dump_json(exclude_none=True)


def _search_text(order: Order) -> str:
    parts = [order.order_id, order.shop_name, order.seller_nick]
    for item in order.items:
        parts += [item.sub_order_id, item.title]
    return "\n".join(p for p in parts if p).lower()


def _fts_phrase(q: str) -> str:
    return '"' + q.replace('"', '""') + '"'


def _filters(*, status: CaseStatus | None = None, order_id: str | None = None,
             sub_order_id: str | None = None, q: str | None = None,
             platform: str | None = None) -> tuple[str, list[Any]]:
    where: list[str] = []
    args: list[Any] = []
    if platform:
        where.append("c.platform = ?")
        args.append(str(platform))
    if status:
        where.append("c.status = ?")
        args.append(CaseStatus(status).value)
    if order_id:
        where.append("c.order_id = ?")
        args.append(order_id)
    if sub_order_id:
        where.append("c.id IN (SELECT case_id FROM case_items WHERE sub_order_id = ?)")
        args.append(sub_order_id)
    if q:
        needle = q.lower()
        if len(needle) >= 3:
            where.append("c.search_rowid IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH ?)")
            args.append(_fts_phrase(needle))
        elif len(needle) == 2 and "\n" not in needle:
            where.append("c.search_rowid IN (SELECT search_rowid FROM case_pairs WHERE pair = ?)")
            args.append(needle)
        else:
            where.append("instr(c.search_text, ?) > 0")  # plain substring: no LIKE wildcards
            args.append(needle)
    return (f"WHERE {' AND '.join(where)}" if where else ""), args


def _pairs(text: str) -> set[str]:
    """Every two adjacent characters within one field (fields are joined by newlines)."""
    return {text[i:i + 2] for i in range(len(text) - 1) if "\n" not in text[i:i + 2]}


def _index(tx: Tx, case_id: str, order: Order, before: str | None) -> None:
    """Keep the search indexes in step; `before`: the search text the case had (None: new)."""
    text = _search_text(order)
    if text == before:
        return  # most updates change a fee or a date, not what search looks at
    rowid = tx.execute("SELECT search_rowid FROM cases WHERE id = ?", (case_id,)).fetchone()["search_rowid"]
    if rowid is None:
        rowid = tx.execute("INSERT INTO cases_fts (search_text) VALUES (?)", (text,)).lastrowid
        tx.execute("UPDATE cases SET search_rowid = ? WHERE id = ?", (rowid, case_id))
    else:
        tx.execute("UPDATE cases_fts SET search_text = ? WHERE rowid = ?", (text, rowid))
        tx.execute("DELETE FROM case_pairs WHERE search_rowid = ?", (rowid,))
    tx.conn.executemany("INSERT OR IGNORE INTO case_pairs (pair, search_rowid) VALUES (?, ?)",
                        [(p, rowid) for p in _pairs(text)])


def _upsert(tx: Tx, order: Order) -> tuple[Case, bool, list[str]]:
    """Create the order's case, or merge new facts into it. Same order → same case."""
    row = tx.execute("SELECT id, order_json, search_text FROM cases WHERE order_id = ?",
                     (order.order_id,)).fetchone()
    now = now_text()
    if row is None:
        case_id, merged, changed, created = new_id("case"), order, ["*"], True
        tx.execute(
            "INSERT INTO cases (id, order_id, platform, status, order_json, shop_name, title,"
            " search_text, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (case_id, order.order_id, order.platform.value, CaseStatus.open.value,
             _order_json(order), order.shop_name, order.items[0].title if order.items else None,
             _search_text(order), now, now))
        tx.timeline(case_id, "created", f"建立投诉档案：订单 {order.order_id}")
    else:
        case_id, created = row["id"], False
        merged, changed = merge_orders(Order.model_validate_json(row["order_json"]), order)
        if changed:
            tx.execute(
                "UPDATE cases SET platform = ?, order_json = ?, shop_name = ?, title = ?,"
                " search_text = ?, updated_at = ? WHERE id = ?",
                (merged.platform.value, _order_json(merged), merged.shop_name,
                 merged.items[0].title if merged.items else None, _search_text(merged),
                 now, case_id))
            tx.timeline(case_id, "order_updated", "订单信息已更新：" + "、".join(changed),
                        {"fields": changed})
    if changed:
        _index(tx, case_id, merged, None if created else row["search_text"])
        for item in merged.items:
            tx.execute("INSERT OR IGNORE INTO case_items (case_id, sub_order_id) VALUES (?, ?)",
                       (case_id, item.sub_order_id))
        tx.audit(case_id, "order_created" if created else "order_updated",
                 {"order_id": order.order_id,
                  "order_sha256": sha256_hex(_order_json(merged).encode()), "changed": changed})
    return load_case(tx.conn, case_id), created, changed


class CaseRepository:
    def __init__(self, db: Database, blobs: BlobStore) -> None:
        self._db, self._blobs = db, blobs

    async def upsert(self, order: Order) -> tuple[Case, bool, list[str]]:
        """Create the order's case, or merge new facts into it. Same order → same case."""
        return await self._db.write(lambda tx: _upsert(tx, order))

    async def upsert_many(self, orders: list[Order]) -> list[tuple[Case, bool, list[str]]]:
        """Several orders in one transaction (one fsync): imports and benchmark seeding."""
        return await self._db.write(lambda tx: [_upsert(tx, o) for o in orders])

    async def get(self, case_id: str) -> Case:
        return await self._db.read(lambda conn: load_case(conn, case_id))

    async def list(self, *, status: CaseStatus | None = None, order_id: str | None = None,
                   sub_order_id: str | None = None, q: str | None = None,
                   limit: int = 50, offset: int = 0, platform: str | None = None) -> CaseList:
        clause, args = _filters(status=status, order_id=order_id, sub_order_id=sub_order_id, q=q,
                                platform=platform)

        def run(conn: sqlite3.Connection) -> CaseList:
            total = conn.execute(f"SELECT COUNT(*) FROM cases c {clause}", args).fetchone()[0]
            rows = conn.execute(f"SELECT {SUMMARY_COLUMNS} FROM cases c {clause}"
                                f" ORDER BY c.updated_at DESC, c.id LIMIT ? OFFSET ?",
                                [*args, limit, offset]).fetchall()
            return CaseList(cases=[CaseSummary(**dict(r)) for r in rows], total=total, limit=limit,
                            offset=offset)
        return await self._db.read(run)

    async def list_by_deadline(self, now: datetime, *, limit: int, offset: int,
                               **filters: Any) -> CaseList:
        """Cases ordered by their nearest deadline that has not passed (ties by case id),
        then the cases without one, newest change first.

        Walks the agenda's time index from `now` and stops once the page is full, so the
        first pages cost a few dozen rows whatever the number of cases."""
        clause, args = _filters(**filters)

        def run(conn: sqlite3.Connection) -> CaseList:
            total = conn.execute(f"SELECT COUNT(*) FROM cases c {clause}", args).fetchone()[0]
            allowed = {r[0] for r in conn.execute(f"SELECT c.id FROM cases c {clause}", args)} if clause else None
            wanted, ordered, seen = offset + limit, [], set()
            for (case_id,) in conn.execute("SELECT case_id FROM agenda INDEXED BY agenda_due WHERE kind = 'deadline'"
                                           " AND ends_at > ? ORDER BY ends_at, case_id", (utc_text(now),)):
                if case_id in seen or (allowed is not None and case_id not in allowed):
                    continue
                seen.add(case_id)
                ordered.append(case_id)
                if len(ordered) == wanted:
                    break
            page = ordered[offset:]
            if len(page) < limit:  # every case with a deadline is in `seen`: the rest by last change
                skip = max(0, offset - len(ordered))
                for (case_id,) in conn.execute(f"SELECT c.id FROM cases c {clause}"
                                               " ORDER BY c.updated_at DESC, c.id", args):
                    if case_id in seen:
                        continue
                    if skip:
                        skip -= 1
                        continue
                    page.append(case_id)
                    if len(page) == limit:
                        break
            marks = ",".join("?" * len(page))
            rows = {r["id"]: r for r in conn.execute(
                f"SELECT {SUMMARY_COLUMNS} FROM cases c WHERE c.id IN ({marks})", page)} if page else {}
            return CaseList(cases=[CaseSummary(**dict(rows[i])) for i in page], total=total, limit=limit,
                            offset=offset)
        return await self._db.read(run)

    async def patch(self, case_id: str, patch: CasePatch) -> Case:
        def run(tx: Tx) -> Case:
            row = tx.execute("SELECT status, notes FROM cases WHERE id = ?", (case_id,)).fetchone()
            if row is None:
                raise CaseNotFound(case_id)
            changes: dict[str, Any] = {}
            if patch.status is not None and patch.status.value != row["status"]:
                changes["status"] = {"from": row["status"], "to": patch.status.value}
                tx.timeline(case_id, "status_changed",
                            f"状态：{STATUS_LABELS[row['status']]} → {STATUS_LABELS[patch.status.value]}",
                            changes["status"])
            if patch.notes is not None and patch.notes != row["notes"]:
                changes["notes_sha256"] = sha256_hex(patch.notes.encode())
                tx.timeline(case_id, "notes_changed", "备注已修改")
            if patch.timeline_note:
                changes["timeline_note_sha256"] = sha256_hex(patch.timeline_note.encode())
                tx.timeline(case_id, "note", patch.timeline_note)
            if changes:
                tx.execute("UPDATE cases SET status = ?, notes = ?, updated_at = ? WHERE id = ?",
                           ((patch.status or CaseStatus(row["status"])).value,
                            row["notes"] if patch.notes is None else patch.notes, now_text(), case_id))
                tx.audit(case_id, "case_updated", changes)
            return load_case(tx.conn, case_id)
        return await self._db.write(run)

    async def add_timeline(self, case_id: str, kind: str, text: str,
                           data: dict[str, Any] | None = None) -> None:
        """For other modules (drafts, captures) to record what happened on a case."""
        def run(tx: Tx) -> None:
            if not tx.case_exists(case_id):
                raise CaseNotFound(case_id)
            tx.timeline(case_id, kind, text, data)
            tx.execute("UPDATE cases SET updated_at = ? WHERE id = ?", (now_text(), case_id))
            tx.audit(case_id, f"timeline_{kind}", {"text_sha256": sha256_hex(text.encode()), "data": data or {}})
        await self._db.write(run)

    async def delete(self, case_id: str) -> CaseDeleted:
        """Remove a case and everything recorded on it, and the files no other case uses.
        The audit chain keeps a record of the deletion (and, as before, every earlier
        entry: what was recorded stays provable, what was deleted stays known)."""
        def run(tx: Tx) -> tuple[str, dict[str, int], set[str]]:
            row = tx.execute("SELECT order_id, search_rowid FROM cases WHERE id = ?", (case_id,)).fetchone()
            if row is None:
                raise CaseNotFound(case_id)
            counts = {
                "evidence": tx.execute("SELECT COUNT(*) FROM evidence WHERE case_id = ?", (case_id,)).fetchone()[0],
                "drafts": tx.execute("SELECT COUNT(*) FROM drafts WHERE case_id = ?", (case_id,)).fetchone()[0],
            }
            blobs = {r[0] for r in tx.execute("SELECT sha256 FROM artifacts WHERE evidence_id IN"
                                              " (SELECT id FROM evidence WHERE case_id = ?)", (case_id,))}
            tx.execute("DELETE FROM artifacts WHERE evidence_id IN (SELECT id FROM evidence WHERE case_id = ?)",
                       (case_id,))
            for table in ("evidence", "drafts", "manifests", "agenda", "timeline", "case_items"):
                tx.execute(f"DELETE FROM {table} WHERE case_id = ?", (case_id,))
            if row["search_rowid"] is not None:
                tx.execute("DELETE FROM cases_fts WHERE rowid = ?", (row["search_rowid"],))
                tx.execute("DELETE FROM case_pairs WHERE search_rowid = ?", (row["search_rowid"],))
            tx.execute("DELETE FROM cases WHERE id = ?", (case_id,))
            tx.audit(case_id, "case_deleted", {"order_id": row["order_id"], **counts})
            return row["order_id"], counts, blobs
        order_id, counts, candidates = await self._db.write(run)

        def unreferenced(tx: Tx) -> list[str]:
            # on the writer thread: no evidence can be added between this check and the unlink
            gone = [sha for sha in sorted(candidates)
                    if tx.execute("SELECT 1 FROM artifacts WHERE sha256 = ?", (sha,)).fetchone() is None]
            return [sha for sha in gone if self._blobs.remove(sha)]
        removed = await self._db.write(unreferenced)
        return CaseDeleted(case_id=case_id, order_id=order_id, evidence_deleted=counts["evidence"],
                           drafts_deleted=counts["drafts"], files_removed=len(removed))

    async def count(self) -> int:
        return await self._db.read(lambda conn: conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0])
