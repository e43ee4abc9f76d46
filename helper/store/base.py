"""What the store's callers catch and read back: its errors and audit records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class CaseNotFound(KeyError):
    """No case has this id."""


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    case_id: str | None
    action: str
    data: dict[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class AuditProblem:
    seq: int
    message: str
