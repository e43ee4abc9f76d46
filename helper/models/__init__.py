"""The data contract shared with the extension and outside tools, one module per concept.

Every model is the single source of truth: `schemas/*.json` and `schemas/openapi.json` are
generated from them (`scripts/gen-schemas`) and a test fails when the checked-in files
drift. Field names of `Order` are fixed by DESIGN.md. Everything is re-exported here, so
`from helper.models import Order` is the one way callers name a model.
"""

from __future__ import annotations

from helper.models.common import (
    CHINA_TZ, ChinaTime, Contract, DigitId, HttpUrl, Model, Money, Notice, ShortText,
    utc_now,
)
from helper.models.order import Logistics, Order, OrderItem, Platform
from helper.models.case import (
    Case, CaseDeleted, CaseList, CasePatch, CaseStatus, CaseSummary, OrderUpsertResult, TimelineEntry,
)
from helper.models.evidence import (
    Artifact, Evidence, EvidenceCategory, EvidenceKind, EvidenceList,
)
from helper.models.integrity import BundleCheck, KeyComparison, VerifyProblem, VerifyReport
from helper.models.capture import (
    CaptureCookie, CaptureRequest, Job, JobError, JobState, TabSnapshot,
)
from helper.models.complaint import (
    Catalog, CatalogBasis, CatalogChannel, CatalogDemand, CatalogFraudFact, CatalogGoods,
    CatalogLabel, CatalogType, Channel, Complainant, ComplaintSettings, ComplaintType, Demand,
    DemandKind, DraftRequest, EvidenceRequirement, Fact, FactDate, GoodsKind, Language,
    PositiveMoney, Respondent, SellerPromise,
)
from helper.models.tone import (
    LintCategory, LintFinding, LintRequest, LintResult, SourcedFinding,
)
from helper.models.deadline import (
    Deadline, DeadlineReport, Reminder, ReminderList, ReminderQuery,
)
from helper.models.draft import (
    ChecklistItem, CompensationBasis, DemandCheck, DemandReason, Draft, DraftBasis,
    DraftContent, DraftFields, DraftList, DraftSummary, EscalationStep, ReasonField,
    RedraftRequest, WithheldSentence,
)
from helper.models.api import (
    Client, ErrorBody, ErrorResponse, Health, NextDeadline, PairRequest, PairResponse,
    PairingCode, UiCaseList, UiCaseSummary, UiLogin,
)

__all__ = [
    "Artifact", "BundleCheck", "CHINA_TZ", "CaptureCookie", "CaptureRequest", "Case",
    "CaseDeleted", "CaseList", "CasePatch", "CaseStatus", "CaseSummary", "Catalog",
    "CatalogBasis", "CatalogChannel", "CatalogDemand", "CatalogFraudFact", "CatalogGoods",
    "CatalogLabel", "CatalogType", "Channel", "ChecklistItem", "ChinaTime", "Client", "Complainant",
    "CompensationBasis", "ComplaintSettings",
    "ComplaintType", "Contract", "Deadline", "DeadlineReport", "Demand", "DemandCheck",
    "DemandKind", "DemandReason", "DigitId", "Draft", "DraftBasis", "DraftContent",
    "DraftFields", "DraftList", "DraftRequest", "DraftSummary", "ErrorBody",
    "ErrorResponse", "EscalationStep", "Evidence", "EvidenceCategory", "EvidenceKind",
    "EvidenceList",
    "EvidenceRequirement", "Fact", "FactDate", "GoodsKind", "Health", "HttpUrl", "Job",
    "JobError", "JobState", "KeyComparison", "Language", "LintCategory", "LintFinding",
    "LintRequest", "LintResult", "Logistics", "Model", "Money", "NextDeadline", "Notice",
    "Order", "OrderItem", "OrderUpsertResult", "PairRequest", "PairResponse", "PairingCode",
    "Platform", "PositiveMoney", "ReasonField", "RedraftRequest", "Reminder", "ReminderList", "ReminderQuery", "Respondent",
    "SellerPromise", "ShortText", "SourcedFinding", "TabSnapshot", "TimelineEntry",
    "UiCaseList", "UiCaseSummary", "UiLogin", "VerifyProblem", "VerifyReport", "WithheldSentence",
    "utc_now",
]
