"""The store's one owner of SQLite: connections, threads, transactions and the audit chain.

Why threads: every commit waits for an fsync (`synchronous=FULL`: an acknowledged write
survives a process kill and a power cut), and reading a large case takes milliseconds; on
the event loop either would stall every other request of the helper. So SQLite runs only
on the store's own threads: one writer (SQLite serialises writers anyway, and one thread
means no busy waiting) and a few readers with connections of their own (WAL lets them
read while the writer commits). Repositories await `read`/`write` the same way; nothing
outside the store touches a connection, and a connection used on a thread that runs an
event loop raises `RuntimeError` — the debug check that keeps it that way.

Every write transaction ends with `Tx.finish`: the audit entries it collected get the
changed cases' fact digests (helper/store/facts.py) and join the hash chain, and the
agenda hook (deadlines, helper/complaint/agenda.py) recomputes those cases' dates, all in
the same transaction, so a crash leaves either all of it or none.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import sqlite3
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from helper.models import utc_now
from helper.store import facts
from helper.store.agenda import AgendaHook, replace_agenda
from helper.store.hashing import GENESIS, canonical_json, entry_hash
from helper.store.migrations import MIGRATIONS

T = TypeVar("T")
READERS = 4

def now_text() -> str:
    return utc_now().isoformat(timespec="microseconds")


def new_id(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(6)}"


def _off_loop() -> None:
    """The debug check: SQLite must never run on an event loop's thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    raise RuntimeError("SQLite was called on the event loop thread; await a store repository instead")


@dataclass
class _PendingAudit:
    case_id: str | None
    action: str
    data: dict[str, Any]


@dataclass
class Tx:
    """One write transaction: the connection plus what it changed, for the audit chain."""

    conn: sqlite3.Connection
    _audits: list[_PendingAudit] = field(default_factory=list)
    _touched: set[str] = field(default_factory=set)

    def execute(self, sql: str, args: Any = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, args)

    def audit(self, case_id: str | None, action: str, data: dict[str, Any]) -> None:
        """Append to the hash chain at commit; a case's entry carries its fact digest."""
        self._audits.append(_PendingAudit(case_id, action, data))
        if case_id is not None:
            self._touched.add(case_id)

    def timeline(self, case_id: str, kind: str, text: str, data: dict[str, Any] | None = None) -> None:
        self.conn.execute("INSERT INTO timeline (case_id, at, kind, text, data_json) VALUES (?, ?, ?, ?, ?)",
                          (case_id, now_text(), kind, text, json.dumps(data or {}, ensure_ascii=False)))

    def case_exists(self, case_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone() is not None

    def finish(self, agenda: AgendaHook | None) -> None:
        alive = {c for c in self._touched if self.case_exists(c)}
        if agenda is not None:
            for case_id in alive:
                replace_agenda(self.conn, case_id, agenda)
        last_for_case = {p.case_id: i for i, p in enumerate(self._audits) if p.case_id in alive}
        for i, pending in enumerate(self._audits):
            data = pending.data
            if last_for_case.get(pending.case_id) == i:
                data = {**data, "facts": facts.digest(self.conn, pending.case_id)}
            append_audit(self.conn, pending.case_id, pending.action, data)


def append_audit(conn: sqlite3.Connection, case_id: str | None, action: str, data: dict[str, Any]) -> None:
    last = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (last["seq"] + 1, last["hash"]) if last else (1, GENESIS)
    at = now_text()
    conn.execute("INSERT INTO audit (seq, at, case_id, action, data_json, prev_hash, hash)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?)",
                 (seq, at, case_id, action, canonical_json(data).decode(), prev,
                  entry_hash(seq, at, case_id, action, data, prev)))


MAX_BATCH = 64


@dataclass
class _Write:
    fn: Callable[[Tx], Any]
    future: asyncio.Future[Any]
    loop: asyncio.AbstractEventLoop


def _settle(future: asyncio.Future[Any], ok: bool, value: Any) -> None:
    if future.cancelled():
        return
    if ok:
        future.set_result(value)
    else:
        future.set_exception(value)


FACTS_SINCE = 4
"""The schema version from which every write records fact digests (helper/store/facts.py)."""


def _record_existing_facts(conn: sqlite3.Connection) -> None:
    """A store from before fact digests: record the facts as they are at the upgrade, so
    later direct edits are detected (what happened before cannot be proven either way)."""
    conn.execute("BEGIN IMMEDIATE")
    for (case_id,) in conn.execute("SELECT id FROM cases ORDER BY rowid").fetchall():
        append_audit(conn, case_id, "facts_recorded", {"facts": facts.digest(conn, case_id)})
    conn.execute("COMMIT")


class Database:
    """Connections, the writer and reader threads, and the write path with its audit chain."""

    def __init__(self, path: Path, readers: int = READERS) -> None:
        self.path = path
        self.agenda: AgendaHook | None = None
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="tousu-db-write")
        self._readers = ThreadPoolExecutor(readers, thread_name_prefix="tousu-db-read")
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._conn_lock = threading.Lock()
        self._write_conn: sqlite3.Connection | None = None
        self._pending: deque[_Write] = deque()
        self._ready = False
        self._closed = False

    def _connect(self, *, writer: bool) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=30, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        if writer:
            conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        if not writer:
            conn.execute("PRAGMA query_only=ON")
        with self._conn_lock:
            self._connections.append(conn)
        return conn

    # -- opening ---------------------------------------------------------------------------

    def _open_sync(self) -> None:
        _off_loop()
        if self._write_conn is not None:
            return
        conn = self._connect(writer=True)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            conn.executescript(f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version={number};\nCOMMIT;")
        if version < FACTS_SINCE:
            _record_existing_facts(conn)
        self._write_conn = conn

    async def open(self) -> None:
        """Connect and migrate (on the writer thread); repositories call it on first use."""
        if not self._ready:
            await asyncio.get_running_loop().run_in_executor(self._writer, self._open_sync)
            self._ready = True

    # -- the two ways in -------------------------------------------------------------------

    def _commit_pending(self) -> None:
        """Group commit: every write waiting now runs in one transaction, each inside its
        own savepoint (a failing one rolls back alone), and all are acknowledged after the
        one COMMIT — one fsync for many saves when 50 clients write at once, and still no
        acknowledgement before the data is on disk."""
        _off_loop()
        self._open_sync()
        batch: list[_Write] = []
        while self._pending and len(batch) < MAX_BATCH:
            batch.append(self._pending.popleft())
        if not batch:
            return
        conn = self._write_conn
        assert conn is not None
        conn.execute("BEGIN IMMEDIATE")
        outcomes: list[tuple[bool, Any]] = []
        for write in batch:
            conn.execute("SAVEPOINT one_write")
            try:
                tx = Tx(conn)
                result = write.fn(tx)
                tx.finish(self.agenda)
            except Exception as exc:  # noqa: BLE001 - handed to the caller that asked for it
                conn.execute("ROLLBACK TO one_write")
                outcomes.append((False, exc))
            else:
                outcomes.append((True, result))
            conn.execute("RELEASE one_write")
        try:
            conn.execute("COMMIT")
        except Exception as exc:  # noqa: BLE001 - nothing was written: every caller learns why
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            outcomes = [(False, exc)] * len(batch)
        for write, (ok, value) in zip(batch, outcomes):
            write.loop.call_soon_threadsafe(_settle, write.future, ok, value)

    def _read_sync(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        _off_loop()
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect(writer=False)
        return fn(conn)

    async def write(self, fn: Callable[[Tx], T]) -> T:
        """Run `fn` in a write transaction on the writer thread; its result once committed,
        its exception if it raised (then nothing it did is kept)."""
        await self.open()
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._pending.append(_Write(fn, future, loop))
        self._writer.submit(self._commit_pending)
        return await future

    async def read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run `fn` on a reader thread with its own connection (a consistent WAL snapshot
        per statement; use `write` when several statements must agree)."""
        await self.open()
        return await asyncio.get_running_loop().run_in_executor(self._readers, self._read_sync, fn)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._writer.shutdown(wait=True)
        self._readers.shutdown(wait=True)
        with self._conn_lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
