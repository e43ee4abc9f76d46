"""Case and evidence storage (SQLite + content-addressed blobs, hash-chained audit log)."""

from pathlib import Path

from helper.store.base import AuditEntry, AuditProblem, CaseNotFound, CaseStore
from helper.store.blobs import BlobRef, BlobStore
from helper.store.sqlite import SqliteStore


def open_store(data_dir: Path) -> CaseStore:
    return SqliteStore(data_dir)


__all__ = ["AuditEntry", "AuditProblem", "BlobRef", "BlobStore", "CaseNotFound", "CaseStore",
           "SqliteStore", "open_store"]
