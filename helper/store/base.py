"""The storage interface the API and other modules program against.

`SqliteStore` is the one implementation today; another backend only has to provide
these methods (and a `blobs` attribute with the `BlobStore` methods).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from helper.models import (
    Artifact,
    Case,
    CaseList,
    CasePatch,
    CaseStatus,
    Client,
    Draft,
    DraftContent,
    DraftRequest,
    DraftSummary,
    Evidence,
    EvidenceCategory,
    EvidenceKind,
    Order,
)
from helper.store.blobs import BlobStore


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


class CaseStore(Protocol):
    blobs: BlobStore

    def close(self) -> None: ...
    def upsert_order(self, order: Order) -> tuple[Case, bool, list[str]]: ...
    def get_case(self, case_id: str) -> Case: ...
    def list_cases(self, *, status: CaseStatus | None = None, order_id: str | None = None,
                   sub_order_id: str | None = None, q: str | None = None,
                   limit: int = 50, offset: int = 0, platform: str | None = None) -> CaseList: ...
    def patch_case(self, case_id: str, patch: CasePatch) -> Case: ...
    def add_timeline_entry(self, case_id: str, kind: str, text: str,
                           data: dict[str, Any] | None = None) -> None: ...
    def add_evidence(self, case_id: str, *, kind: EvidenceKind, category: EvidenceCategory,
                     title: str, artifacts: list[Artifact], metadata: dict[str, Any] | None = None,
                     status: str = "complete") -> Evidence: ...
    def add_artifacts(self, evidence_id: str, artifacts: list[Artifact], status: str) -> Evidence: ...
    def get_evidence(self, evidence_id: str) -> Evidence | None: ...
    def list_evidence(self, case_id: str) -> list[Evidence]: ...
    def save_draft(self, case_id: str, request: DraftRequest, content: DraftContent) -> Draft: ...
    def get_draft(self, case_id: str, version: int | None = None) -> tuple[DraftRequest, Draft] | None: ...
    def list_drafts(self, case_id: str) -> list[DraftSummary]: ...
    def audit_entries(self, case_id: str | None = None) -> list[AuditEntry]: ...
    def verify_audit_chain(self) -> list[AuditProblem]: ...
    def save_manifest(self, case_id: str, manifest_json: str, signature: str,
                      public_key_sha256: str, signed_at: str) -> None: ...
    def load_manifest(self, case_id: str) -> dict[str, str] | None: ...
    def create_client(self, name: str) -> tuple[Client, str]: ...
    def client_for_token(self, token: str) -> Client | None: ...
    def touch_client(self, client_id: str) -> None: ...
    def list_clients(self) -> list[Client]: ...
    def revoke_client(self, client_id: str) -> Client | None: ...
    def count_cases(self) -> int: ...
