"""Case and evidence storage: SQLite (helper/store/database.py owns it) with repositories
per aggregate, content-addressed blobs, a hash-chained audit log and each case's agenda.

Every repository method is awaited and runs SQLite on the store's own threads; see
database.py for why. Synchronous callers (the CLI) wrap their calls in `asyncio.run`.
"""

from __future__ import annotations

from pathlib import Path

from helper.store.agenda import AgendaHook, AgendaRepository, AgendaRow, DueRow
from helper.store.audit import AuditLog
from helper.store.base import AuditEntry, AuditProblem, CaseNotFound
from helper.store.blobs import BlobRef, BlobStore
from helper.store.cases import CaseRepository
from helper.store.clients import ClientRepository
from helper.store.database import Database
from helper.store.draft_state import DraftStateRepository
from helper.store.drafts import DraftRepository
from helper.store.evidence import EvidenceRepository
from helper.store.manifests import ManifestRepository

DB_FILE = "tousu.sqlite3"


class Store:
    """The repositories over one data dir's database and blob directory."""

    def __init__(self, data_dir: Path, agenda: AgendaHook | None = None) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / DB_FILE
        self.blobs = BlobStore(data_dir / "blobs")
        self.db = Database(self.path)
        self.db.agenda = agenda
        self.cases = CaseRepository(self.db, self.blobs)
        self.evidence = EvidenceRepository(self.db, self.blobs)
        self.drafts = DraftRepository(self.db)
        self.draft_state = DraftStateRepository(self.db)
        self.clients = ClientRepository(self.db)
        self.manifests = ManifestRepository(self.db)
        self.audit = AuditLog(self.db)
        self.agenda = AgendaRepository(self.db)

    async def open(self) -> None:
        """Connect and migrate now (instead of on first use), so start-up reports a broken
        database before the helper says it is running."""
        await self.db.open()

    def close(self) -> None:
        self.db.close()


def open_store(data_dir: Path, agenda: AgendaHook | None = None) -> Store:
    return Store(data_dir, agenda)


__all__ = ["AgendaHook", "AgendaRow", "AuditEntry", "AuditProblem", "BlobRef", "BlobStore",
           "CaseNotFound", "DueRow", "Store", "open_store"]
