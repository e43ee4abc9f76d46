"""A case: one order, its status, notes and timeline."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, StringConstraints

from helper.models.common import Contract, Model
from helper.models.order import Order, Platform


class CaseStatus(StrEnum):
    open = "open"
    drafted = "drafted"
    submitted = "submitted"
    escalated = "escalated"
    resolved = "resolved"
    closed = "closed"


class TimelineEntry(Model):
    id: int
    at: datetime
    kind: str = Field(description="created | order_updated | status_changed | note | notes_changed | evidence_added | …")
    text: str
    data: dict[str, Any] = Field(default_factory=dict)


class Case(Model):
    id: str
    order: Order
    status: CaseStatus
    notes: str = ""
    created_at: datetime
    updated_at: datetime
    timeline: list[TimelineEntry] = Field(default_factory=list)


class CaseSummary(Model):
    id: str
    order_id: str
    platform: Platform
    shop_name: str | None
    title: str | None = Field(description="the first item's title")
    status: CaseStatus
    created_at: datetime
    updated_at: datetime


class CaseList(Model):
    cases: list[CaseSummary]
    total: int
    limit: int
    offset: int


class OrderUpsertResult(Model):
    case: Case
    created: bool
    changed: list[str] = Field(description="top-level Order fields this request changed")


class CaseDeleted(Model):
    """What `DELETE /cases/{id}` removed; the audit log keeps a record of the deletion."""

    case_id: str
    order_id: str
    evidence_deleted: int
    drafts_deleted: int
    files_removed: int = Field(description="stored files no other case uses")


class CasePatch(Contract):
    status: CaseStatus | None = None
    notes: Annotated[str, StringConstraints(max_length=20_000)] | None = None
    timeline_note: Annotated[str, StringConstraints(min_length=1, max_length=2_000)] | None = Field(
        default=None, description="adds a buyer entry to the timeline, e.g. 已电话联系卖家")
