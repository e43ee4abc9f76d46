"""A generated draft: text, form fields, checklist, demand check and tone findings."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from helper.models.common import Contract, Model, Notice
from helper.models.complaint import Channel, ComplaintType, Demand, DemandKind, Language
from helper.models.deadline import Deadline
from helper.models.evidence import EvidenceCategory
from helper.models.tone import SourcedFinding


class CompensationBasis(Model):
    basis: str = Field(description="catalog basis id, or seller_promise / platform_late_shipment")
    title: str
    limit: str = Field(description="the most this basis supports, yuan")
    formula: str = Field(description="how the limit was computed, e.g. 3 × 14800.00 = 44400.00")
    channel: Literal["platform", "regulator", "court"]
    keeps_goods: bool = Field(default=False, description=(
        "paid while the buyer keeps the goods (价保, a late-shipment payout): never with a refund"))
    confirmed: bool = Field(default=True, description="false when the limit rests on an UNCONFIRMED setting")


class DemandReason(Notice):
    level: Literal["info", "warn", "block"]


class DemandCheck(Model):
    verdict: Literal["ok", "warn", "block"] = Field(description="the worst level among the reasons")
    reasons: list[DemandReason]
    price: str | None = Field(description="the price the multiples apply to, yuan")
    paid: str | None = Field(description="what the buyer paid, yuan")
    refund: str | None
    compensation: str | None
    total: str | None = Field(description="refund + compensation")
    bases: list[CompensationBasis]
    channel: Literal["platform", "12315_or_court"] = Field(
        description="where the demand can be pursued: statutory damages only at 12315 or a court")
    advice: str
    for_channel: Channel = Field(default=Channel.platform, description="the channel the request drafts for")
    fraud_facts: list[str] = Field(default_factory=list, description="the §55 fraud facts accepted")
    keeps_goods: bool = Field(default=False, description="the buyer keeps the goods: no refund is added")


class ChecklistItem(Model):
    category: EvidenceCategory
    label: str
    required: bool
    present: int = Field(description="how many evidence records of this category the case has")
    why: str


class ReasonField(Model):
    label: str
    synonyms: list[str]


class DraftFields(Model):
    """Values for the platform form's slots, for the extension's prefill."""

    reason: ReasonField
    service_kind: str | None = Field(description="仅退款 / 退货退款 / 换货 …, None when the form has none")
    amount: str | None = Field(description="refund amount, yuan (never above what was paid)")
    description: str = Field(description="= form_text")


class DraftBasis(Model):
    id: str
    kind: Literal["law", "platform_rule", "seller_promise"]
    title: str
    summary: str
    channel: Literal["platform", "regulator", "court"]


class WithheldSentence(Model):
    """A sentence of the buyer's facts or notes that carried a tone or privacy finding:
    left out of every text (or rewritten where a safe rewrite exists), with what to write."""

    source: str = Field(description="facts[0], notes …")
    start: int | None = Field(description=(
        "offset of the sentence in that field as sent (None when markup split it there)"))
    end: int | None
    text: str = Field(description="the sentence as the buyer wrote it")
    action: Literal["omitted", "rewritten"]
    rewrite: str = Field(description="what the draft used (rewritten) or a suggested neutral sentence (omitted)")
    categories: list[str] = Field(description="the finding categories in the sentence")


class EscalationStep(Model):
    channel: Channel
    label: str
    needs: list[str]
    when: str
    deadline: str | None = Field(default=None, description="a date that applies to this step, when one does")


class DraftContent(Model):
    language: Language
    channel: Channel = Channel.platform
    complaint_type: ComplaintType
    demand: Demand
    title: str
    text: str
    form_text: str
    form_limit: int
    fields: DraftFields
    warnings: list[Notice]
    checklist: list[ChecklistItem]
    deadlines: list[Deadline]
    basis: list[DraftBasis]
    demand_check: DemandCheck
    findings: list[SourcedFinding] = Field(description="tone findings in the buyer's own facts and notes")
    withheld: list[WithheldSentence] = Field(default_factory=list, description=(
        "sentences with findings that no text carries as written; the extension refuses to fill "
        "a form while the buyer has not seen them"))
    escalation: list[EscalationStep] = Field(default_factory=list,
                                             description="平台客服介入 → 12315 → 消费者协会 → 法院, with what each needs")
    generated_at: datetime


class Draft(DraftContent):
    case_id: str
    version: int = Field(description="1, 2, … per case; every draft is kept")
    text_sha256: str


class DraftSummary(Model):
    version: int
    generated_at: datetime
    complaint_type: ComplaintType
    demand_kind: DemandKind
    title: str
    text_sha256: str


class RedraftRequest(Contract):
    """Draft a stored version's request again for another reader (卖家 → 平台 → 12315 → 消协 → 法院)."""

    channel: Channel


class DraftList(Model):
    drafts: list[DraftSummary]
