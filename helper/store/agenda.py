"""The agenda: each case's dates (deadlines, follow-ups), kept up to date on every write.

Reminders for the badge and the review UI's nearest-deadline sort used to recompute
every open case's deadlines on each call — a second at 16k cases. The dates themselves
do not depend on today, only on the case, so the write path stores them (one row per
date) and "what is due" becomes an indexed range query. Which dates a case has is
complaint knowledge (helper/complaint/agenda.py), handed to the store as a hook.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING, Literal

from helper.models import CHINA_TZ, Case, GoodsKind
from helper.store.rows import latest_goods, load_case

if TYPE_CHECKING:
    from helper.store.database import Database

log = logging.getLogger("tousu.store")
REBUILD_BATCH = 500


@dataclass(frozen=True)
class AgendaRow:
    kind: Literal["deadline", "follow_up"]
    key: str
    label: str
    last_day: date
    ends_at: datetime
    confirmed: bool


@dataclass(frozen=True)
class DueRow:
    case_id: str
    order_id: str
    title: str | None
    row: AgendaRow


AgendaHook = Callable[[Case, GoodsKind | None], list[AgendaRow]]


def utc_text(moment: datetime) -> str:
    """Sortable as text: one fixed format in UTC."""
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _row(r: sqlite3.Row) -> AgendaRow:
    return AgendaRow(kind=r["kind"], key=r["key"], label=r["label"], last_day=date.fromisoformat(r["last_day"]),
                     ends_at=datetime.fromisoformat(r["ends_at"]), confirmed=bool(r["confirmed"]))


def replace_agenda(conn: sqlite3.Connection, case_id: str, hook: AgendaHook) -> None:
    """Recompute one case's dates. A case whose dates cannot be computed gets none and a
    log line: one bad case never fails the write, the reminders or the list."""
    try:
        rows = hook(load_case(conn, case_id), latest_goods(conn, case_id))
    except Exception:  # noqa: BLE001 - isolate the case, keep the store working
        log.exception("the dates of case %s could not be computed", case_id)
        rows = []
    stored = [tuple(r) for r in conn.execute(
        "SELECT kind, key, label, last_day, ends_at, confirmed FROM agenda WHERE case_id = ? ORDER BY key",
        (case_id,))]
    fresh = sorted(((r.kind, r.key, r.label, r.last_day.isoformat(), utc_text(r.ends_at), int(r.confirmed))
                    for r in rows), key=lambda r: r[1])
    if stored == fresh:
        return  # unchanged dates (a fee, a note): no rewrite of the time index
    conn.execute("DELETE FROM agenda WHERE case_id = ?", (case_id,))
    conn.executemany("INSERT OR REPLACE INTO agenda (case_id, kind, key, label, last_day, ends_at, confirmed)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?)", [(case_id, *r) for r in fresh])


class AgendaRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def due(self, now: datetime, today: date, within_days: int) -> list[DueRow]:
        """Deadlines not yet passed whose last day is within `within_days` of `today`,
        and follow-ups whose time has come: two range scans of the agenda's time index."""
        last = today + timedelta(days=within_days)
        bound = datetime.combine(last + timedelta(days=1), time(0), CHINA_TZ)  # the end of `last`

        def run(conn: sqlite3.Connection) -> list[DueRow]:
            select = "SELECT a.*, c.order_id, c.title FROM agenda a JOIN cases c ON c.id = a.case_id"
            rows = conn.execute(
                f"{select} WHERE a.kind = 'deadline' AND a.ends_at > ? AND a.ends_at <= ? AND a.last_day <= ?",
                (utc_text(now), utc_text(bound), last.isoformat())).fetchall()
            rows += conn.execute(f"{select} WHERE a.kind = 'follow_up' AND a.ends_at <= ?",
                                 (utc_text(now),)).fetchall()
            rows.sort(key=lambda r: (r["ends_at"], r["case_id"], r["key"]))
            return [DueRow(r["case_id"], r["order_id"], r["title"], _row(r)) for r in rows]
        return await self._db.read(run)

    async def next_deadlines(self, case_ids: list[str], now: datetime) -> dict[str, AgendaRow]:
        """Each case's nearest deadline that has not passed (one index probe per case)."""
        def run(conn: sqlite3.Connection) -> dict[str, AgendaRow]:
            found = {}
            for case_id in case_ids:
                row = conn.execute("SELECT * FROM agenda INDEXED BY agenda_next WHERE case_id = ?"
                                   " AND kind = 'deadline' AND ends_at > ? ORDER BY ends_at LIMIT 1",
                                   (case_id, utc_text(now))).fetchone()
                if row is not None:
                    found[case_id] = _row(row)
            return found
        return await self._db.read(run) if case_ids else {}

    async def rebuild_if_stale(self, fingerprint: str) -> int:
        """Recompute every case's dates when the rules that make them changed (settings,
        a new helper version); returns how many cases were recomputed."""
        def stale(conn: sqlite3.Connection) -> list[str] | None:
            row = conn.execute("SELECT value FROM meta WHERE key = 'agenda'").fetchone()
            if row is not None and row["value"] == fingerprint:
                return None
            return [r["id"] for r in conn.execute("SELECT id FROM cases ORDER BY rowid")]
        ids = await self._db.read(stale)
        if ids is None:
            return 0
        hook = self._db.agenda
        for start in range(0, len(ids), REBUILD_BATCH):
            batch = ids[start:start + REBUILD_BATCH]

            def recompute(tx, batch: list[str] = batch) -> None:  # noqa: ANN001
                for case_id in batch:
                    if hook is not None and tx.case_exists(case_id):
                        replace_agenda(tx.conn, case_id, hook)
            await self._db.write(recompute)
        await self._db.write(lambda tx: tx.execute(
            "INSERT INTO meta (key, value) VALUES ('agenda', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (fingerprint,)))
        return len(ids)
