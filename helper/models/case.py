"""A case: one order, its status, notes and timeline."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, StringConstraints

from helper.models.common import ChinaTime, Contract, DigitId, Model, Money
from helper.models.complaint import ComplaintType, DemandKind, DraftRequest
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


Notes = Annotated[str, StringConstraints(max_length=20_000)]


class DraftChoices(Contract):
    """What the buyer chose in a case's draft panel, kept per case by the helper so every
    tab and the review UI show the same thing (and reopening a case keeps it)."""

    complaint_type: ComplaintType | None = None
    demand_kind: DemandKind | None = None
    amount: Money | None = Field(default=None, description="the amount the buyer typed, yuan")
    notes: Notes | None = Field(default=None, description="the buyer's own account, as typed")
    sub_order_ids: list[DigitId] | None = Field(default=None, min_length=1, max_length=200, description=(
        "the items complained about; null = the whole order"))
    draft_version: int | None = Field(default=None, ge=1, description=(
        "the draft version the buyer is looking at: the one 填入投诉内容 fills"))


class StatedDates(Contract):
    """Dates the pages did not show and the buyer gave (签收, 发货): kept as the buyer's word."""

    received_at: ChinaTime | None = None
    shipped_at: ChinaTime | None = None


class CaseDraftState(Model):
    case_id: str
    revision: int = Field(description="0 before anything was chosen; +1 on every change")
    updated_at: datetime | None
    choices: DraftChoices
    stated: StatedDates = Field(description="dates the buyer stated (the case's order carries them too)")
    latest_draft_version: int | None = Field(description="the newest stored draft, to tell the buyer when it is not the one shown")
    draft_request: DraftRequest | None = Field(default=None, description=(
        "the request behind `choices.draft_version`: a form with a smaller box re-fits that draft from it"))


class DraftChoicesPatch(DraftChoices):
    """The fields sent replace the stored ones (null clears one); fields not sent stay, so
    two tabs changing different fields both keep their change, and the later change of the
    same field wins."""
