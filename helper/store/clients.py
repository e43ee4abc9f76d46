"""Paired clients (browser extensions): named, revocable; only token hashes are stored,
so a copied database yields no usable token."""

from __future__ import annotations

import secrets
import sqlite3
from datetime import timedelta
from typing import TYPE_CHECKING

from helper.models import Client, utc_now
from helper.store.hashing import sha256_hex
from helper.store.database import Tx, new_id, now_text
from helper.store.rows import without

if TYPE_CHECKING:
    from helper.store.database import Database


class ClientRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(self, name: str) -> tuple[Client, str]:
        """A new named client and its bearer token."""
        token = "tsh_" + secrets.token_urlsafe(32)
        client = Client(id=new_id("cl"), name=name, created_at=utc_now())

        def run(tx: Tx) -> None:
            tx.execute("INSERT INTO clients (id, name, token_sha256, created_at) VALUES (?, ?, ?, ?)",
                       (client.id, name, sha256_hex(token.encode()), client.created_at.isoformat()))
            tx.audit(None, "client_paired", {"client_id": client.id, "name": name})
        await self._db.write(run)
        return client, token

    async def for_token(self, token: str) -> Client | None:
        """The active client holding `token`, or None (unknown or revoked)."""
        def run(conn: sqlite3.Connection) -> Client | None:
            row = conn.execute("SELECT * FROM clients WHERE token_sha256 = ? AND revoked_at IS NULL",
                               (sha256_hex(token.encode()),)).fetchone()
            return Client(**without(row, "token_sha256")) if row else None
        return await self._db.read(run)

    async def touch(self, client_id: str) -> None:
        """Note when a client was last seen, at most once a minute (each write is an fsync)."""
        now = utc_now()
        stale = (now - timedelta(minutes=1)).isoformat(timespec="microseconds")

        def due(conn: sqlite3.Connection) -> bool:
            row = conn.execute("SELECT last_used_at FROM clients WHERE id = ?", (client_id,)).fetchone()
            return row is not None and (row["last_used_at"] is None or row["last_used_at"] < stale)
        if await self._db.read(due):
            await self._db.write(lambda tx: tx.execute(
                "UPDATE clients SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)",
                (now.isoformat(timespec="microseconds"), client_id, stale)))

    async def list(self) -> list[Client]:
        def run(conn: sqlite3.Connection) -> list[Client]:
            return [Client(**without(r, "token_sha256"))
                    for r in conn.execute("SELECT * FROM clients ORDER BY created_at")]
        return await self._db.read(run)

    async def revoke(self, client_id: str) -> Client | None:
        def run(tx: Tx) -> Client | None:
            cur = tx.execute("UPDATE clients SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                             (now_text(), client_id))
            if cur.rowcount:
                tx.audit(None, "client_revoked", {"client_id": client_id})
            row = tx.execute("SELECT * FROM clients WHERE id = ?", (client_id,)).fetchone()
            return Client(**without(row, "token_sha256")) if row else None
        return await self._db.write(run)
