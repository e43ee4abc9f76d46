"""The data contract shared with the extension and outside tools.

Every model here is the single source of truth: `schemas/*.json` and
`schemas/openapi.json` are generated from them (`scripts/gen-schemas`) and a test fails
when the checked-in files drift. Field names of `Order` are fixed by DESIGN.md.

Ids are strings of digits on purpose: Taobao's 19-digit ids lose precision as
JavaScript numbers, so a number where an id belongs is refused, not "fixed".
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")


def _to_china_time(value: datetime) -> datetime:
    """Taobao shows naive Beijing times ("2025-11-08 03:44:47"); store them with +08:00."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=CHINA_TZ)
    return value.astimezone(CHINA_TZ)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


DigitId = Annotated[
    str,
    StringConstraints(strict=True, pattern=r"^[0-9]{1,24}$"),
    WithJsonSchema({"type": "string", "pattern": "^[0-9]{1,24}$",
                    "description": "decimal digits as a string (never a JSON number)"}),
]
"""An exact Taobao id. `strict` refuses JSON numbers, which lose precision in browsers."""

Money = Annotated[
    str,
    StringConstraints(strict=True, pattern=r"^[0-9]{1,9}(\.[0-9]{1,2})?$"),
    WithJsonSchema({"type": "string", "pattern": "^[0-9]{1,9}(\\.[0-9]{1,2})?$",
                    "description": "yuan as a decimal string, e.g. \"47.40\""}),
]

ChinaTime = Annotated[datetime, AfterValidator(_to_china_time)]
"""ISO 8601; a time without an offset is taken as Beijing time (+08:00)."""

HttpUrl = Annotated[str, StringConstraints(max_length=4096, pattern=r"^https?://\S+$")]
ShortText = Annotated[str, StringConstraints(max_length=500)]


class Model(BaseModel):
    """Base of every model here. Validators are built on first use, not at import: the
    daemon must answer `/health` fast, and most models are not needed for that."""

    model_config = ConfigDict(defer_build=True)


class Contract(Model):
    """Base for request/contract models: unknown fields are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Platform(StrEnum):
    taobao = "taobao"
    tmall = "tmall"


class CaseStatus(StrEnum):
    open = "open"
    drafted = "drafted"
    submitted = "submitted"
    escalated = "escalated"
    resolved = "resolved"
    closed = "closed"


class OrderItem(Contract):
    sub_order_id: DigitId
    item_id: DigitId | None = None
    title: ShortText | None = None
    sku: ShortText | None = None
    unit_price: Money | None = None
    quantity: int = Field(default=1, ge=1, le=100_000)
    item_url: HttpUrl | None = None
    snapshot_url: HttpUrl | None = None


class Logistics(Contract):
    company: ShortText | None = None
    tracking_no: Annotated[str, StringConstraints(max_length=64)] | None = None


class Order(Contract):
    """One Taobao/Tmall order as the extension read it from the buyer's page."""

    order_id: DigitId
    platform: Platform
    shop_name: ShortText | None = None
    seller_nick: ShortText | None = None
    created_at: ChinaTime | None = None
    paid_at: ChinaTime | None = None
    shipped_at: ChinaTime | None = None
    received_at: ChinaTime | None = None
    status_text: ShortText | None = None
    actual_fee: Money | None = None
    items: list[OrderItem] = Field(default_factory=list, max_length=200)
    logistics: Logistics | None = None
    detail_url: HttpUrl | None = None
    source_url: HttpUrl | None = None


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


class CasePatch(Contract):
    status: CaseStatus | None = None
    notes: Annotated[str, StringConstraints(max_length=20_000)] | None = None
    timeline_note: Annotated[str, StringConstraints(min_length=1, max_length=2_000)] | None = Field(
        default=None, description="adds a buyer entry to the timeline, e.g. 已电话联系卖家")


class EvidenceKind(StrEnum):
    upload = "upload"
    url_capture = "url_capture"
    tab_snapshot = "tab_snapshot"


class EvidenceCategory(StrEnum):
    """What the evidence shows; the drafting checklist counts these."""

    product_photo = "product_photo"
    unboxing_video = "unboxing_video"
    chat_log = "chat_log"
    order_page = "order_page"
    listing_snapshot = "listing_snapshot"
    logistics = "logistics"
    test_report = "test_report"
    other = "other"


class Artifact(Model):
    role: str = Field(description="original | screenshot | mhtml | html | pdf | buyer_screenshot …")
    sha256: str
    size: int
    media_type: str
    filename: str


class Evidence(Model):
    id: str
    case_id: str
    kind: EvidenceKind
    category: EvidenceCategory
    title: str
    status: Literal["complete", "partial", "pending"] = "complete"
    created_at: datetime
    artifacts: list[Artifact]
    metadata: dict[str, Any] = Field(default_factory=dict,
                                     description="capture facts: URLs, TLS, browser, options …")


class EvidenceList(Model):
    evidence: list[Evidence]


class PairRequest(Contract):
    code: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    client_name: Annotated[str, StringConstraints(min_length=1, max_length=100)]


class PairResponse(Model):
    token: str
    client_id: str
    client_name: str


class PairingCode(Model):
    code: str
    expires_at: datetime


class Client(Model):
    id: str
    name: str
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class Health(Model):
    name: Literal["tousu-helper"] = "tousu-helper"
    version: str
    api: Literal[1] = 1


class ErrorBody(Model):
    code: str = Field(description="stable machine-readable code, e.g. invalid_request, unauthorized")
    message: str = Field(description="a sentence a person can act on")
    details: list[dict[str, Any]] | None = None


class ErrorResponse(Model):
    error: ErrorBody


# -- review UI and export bundle (issue 6) ------------------------------------------------

class UiLogin(Model):
    url: str = Field(description="one-time login URL for the review UI (valid 2 minutes, single use)")
    expires_at: datetime


class BundleCheck(Model):
    ok: bool
    problems: list[str] = Field(default_factory=list,
                                description="each names the exact file or item that failed")
    files_checked: int = 0
    case_id: str | None = None
    order_id: str | None = None
    public_key_sha256: str | None = Field(default=None,
                                          description="fingerprint of the signing key in the bundle")


class NextDeadline(Model):
    key: str
    label: str
    last_day: str = Field(description="YYYY-MM-DD, Asia/Shanghai")
    ends_at: datetime
    days_left: int
    state: str = Field(description="open | due_soon | passed")


class UiCaseSummary(CaseSummary):
    next_deadline: NextDeadline | None = Field(
        default=None, description="the nearest deadline not yet passed (none for resolved/closed cases)")


class UiCaseList(Model):
    cases: list[UiCaseSummary]
    total: int
    limit: int
    offset: int


# -- evidence capture, jobs and integrity (issue 3) ----------------------------------------

class CaptureCookie(Contract):
    """A cookie the extension forwards for one capture of a logged-in page.

    It lives in the capture browser's memory for that capture only: never stored, never
    logged (the value is a `SecretStr`, so even a repr shows `**********`).
    """

    name: Annotated[str, StringConstraints(min_length=1, max_length=256)]
    value: Annotated[SecretStr, Field(max_length=8192)]
    domain: Annotated[str, StringConstraints(min_length=1, max_length=253)]
    path: Annotated[str, StringConstraints(max_length=1024)] = "/"
    secure: bool = True
    http_only: bool = False
    same_site: Literal["Strict", "Lax", "None"] | None = None
    expires: float | None = Field(default=None, description="Unix time; omitted = session cookie")


class TabSnapshot(Contract):
    """The DOM of the page the buyer sees, sent by the extension; stored exactly as received."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    url: HttpUrl
    title: Annotated[str, StringConstraints(max_length=1000)] = ""
    html: Annotated[str, StringConstraints(min_length=1, max_length=48 * 1024 * 1024)]
    screenshot_png: Annotated[str, StringConstraints(max_length=16 * 1024 * 1024)] | None = Field(
        default=None, description="base64 PNG of what the buyer saw (chrome.tabs.captureVisibleTab)")
    viewport_width: int | None = Field(default=None, ge=200, le=4000)
    viewport_height: int | None = Field(default=None, ge=200, le=4000)


class CaptureRequest(Contract):
    """Either `url` (the helper loads the page itself) or `tab_snapshot` (the buyer's own tab)."""

    url: HttpUrl | None = None
    cookies: list[CaptureCookie] = Field(default_factory=list, max_length=300)
    tab_snapshot: TabSnapshot | None = None
    category: EvidenceCategory | None = None
    title: Annotated[str, StringConstraints(max_length=200)] | None = None

    @model_validator(mode="after")
    def _one_source(self) -> CaptureRequest:
        if (self.url is None) == (self.tab_snapshot is None):
            raise ValueError("send exactly one of `url` or `tab_snapshot`")
        if self.cookies and self.url is None:
            raise ValueError("`cookies` only go with a `url` capture")
        return self


class JobState(StrEnum):
    queued = "queued"
    running = "running"
    acknowledged = "acknowledged"
    """The evidence row and its primary artifacts' hashes are committed; derived ones follow."""
    done = "done"
    failed = "failed"


class JobError(Model):
    code: str
    message: str


class Job(Model):
    id: str
    kind: EvidenceKind
    case_id: str
    state: JobState
    stage: str | None = Field(default=None, description="what the job is doing now, e.g. navigate, pdf")
    evidence_id: str | None = None
    evidence_status: Literal["complete", "partial", "pending"] | None = None
    error: JobError | None = None
    created_at: datetime
    updated_at: datetime
    acknowledged_at: datetime | None = None
    finished_at: datetime | None = None
    timings: dict[str, float] = Field(default_factory=dict, description="seconds per stage")


class VerifyProblem(Model):
    kind: Literal["altered", "missing", "added", "chain", "signature"]
    item: str = Field(description="what is affected: evidence id/role, audit #seq, manifest …")
    message: str


class VerifyReport(Model):
    ok: bool
    case_id: str | None = None
    checked_at: datetime
    evidence_checked: int = 0
    artifacts_checked: int = 0
    audit_entries_checked: int = 0
    manifest_signed_at: datetime | None = None
    public_key_sha256: str | None = None
    problems: list[VerifyProblem] = Field(default_factory=list)


# -- complaint drafting (issue 4): catalog, drafts, tone linter, demand check, deadlines --

class ComplaintType(StrEnum):
    quality_problem = "quality_problem"
    not_as_described = "not_as_described"
    counterfeit = "counterfeit"
    damaged_or_missing = "damaged_or_missing"
    wrong_item = "wrong_item"
    late_shipment = "late_shipment"
    not_received = "not_received"
    after_sales_refused = "after_sales_refused"
    false_advertising = "false_advertising"
    other = "other"


class DemandKind(StrEnum):
    refund_only = "refund_only"
    return_refund = "return_refund"
    exchange = "exchange"
    reship = "reship"
    repair = "repair"
    compensation = "compensation"


class GoodsKind(StrEnum):
    """What kind of goods: decides §148 (food), §23 (durable) and the §25 exclusions."""

    general = "general"
    food = "food"
    durable = "durable"
    custom_made = "custom_made"
    perishable = "perishable"
    digital_opened = "digital_opened"
    periodical = "periodical"


class Language(StrEnum):
    zh = "zh"
    en = "en"


class ComplaintSettings(Model):
    """Platform numbers that DOMAIN.md marks UNCONFIRMED: settings (`[complaint]` in
    config.toml), never law. Each deadline computed from them says so in its note."""

    model_config = ConfigDict(extra="forbid")

    after_sales_days: int = Field(default=15, ge=1, le=365, description=(
        "UNCONFIRMED: days after 交易成功 during which 申请售后 is open on Taobao"))
    seller_reply_hours: int = Field(default=48, ge=1, le=720, description=(
        "UNCONFIRMED: hours a seller has to answer a refund request before it auto-agrees; "
        "also the reply deadline a draft asks for"))
    auto_confirm_days: int = Field(default=10, ge=1, le=60, description=(
        "UNCONFIRMED: days after shipping before receipt is confirmed automatically"))
    late_shipment_payout_rate: Decimal = Field(default=Decimal("0.30"), ge=0, le=1, description=(
        "UNCONFIRMED: platform payout for late shipping as a share of the price"))
    late_shipment_payout_cap: Decimal = Field(default=Decimal("500"), ge=0, le=100_000, description=(
        "UNCONFIRMED: cap of the late-shipping payout, yuan"))
    form_limit: int = Field(default=500, ge=100, le=5000,
                            description="characters a complaint form's description box accepts")
    follow_up_days: list[int] = Field(default_factory=lambda: [2, 7], max_length=10, description=(
        "days after submission at which a reminder asks whether the seller/platform answered"))
    reminder_window_days: int = Field(default=3, ge=0, le=60,
                                      description="a deadline this close (days) becomes a reminder")


class Notice(Model):
    """A warning or reason: a stable code plus a sentence the buyer can act on."""

    code: str
    message: str


class EvidenceRequirement(Contract):
    category: EvidenceCategory
    required: bool
    label: str = Field(description="what to collect, in Chinese")
    label_en: str
    why: str = Field(description="why a reviewer needs it")


class CatalogType(Contract):
    id: ComplaintType
    label: str = Field(description="the Chinese label, e.g. 质量问题")
    label_en: str
    synonyms: list[str] = Field(description="labels a platform form may use for this reason")
    summary: str = Field(description="one neutral sentence describing the problem (used when no facts)")
    summary_en: str
    evidence: list[EvidenceRequirement]
    bases: list[str] = Field(description="ids of `CatalogBasis` that may apply")
    demands: list[DemandKind] = Field(description="demands that fit this type")


class CatalogDemand(Contract):
    id: DemandKind
    label: str
    label_en: str
    service_kind: str | None = Field(default=None, description="the refund form's 服务类型 option, if any")
    needs_amount: bool
    bases: list[str] = Field(default_factory=list, description="basis ids specific to this demand")


class CatalogBasis(Contract):
    id: str
    kind: Literal["law", "platform_rule"]
    title: str = Field(description="e.g. 《消费者权益保护法》第二十四条")
    title_en: str
    summary: str
    summary_en: str
    channel: Literal["platform", "regulator", "court"] = Field(
        description="who applies it: the platform, 12315/消协, or a court")
    statutory_damages: bool = Field(default=False,
                                    description="multiple-of-price damages the platform generally does not award")


class CatalogLabel(Contract):
    id: str
    label: str
    label_en: str


class CatalogGoods(CatalogLabel):
    no_reason_return: bool = Field(description="whether §25 7-day no-reason return applies")


class Catalog(Contract):
    version: int
    types: list[CatalogType]
    demands: list[CatalogDemand]
    bases: list[CatalogBasis]
    evidence_categories: list[CatalogLabel]
    goods: list[CatalogGoods]
    platform: ComplaintSettings = Field(default_factory=ComplaintSettings,
                                        description="the UNCONFIRMED platform numbers in effect")


def _positive_money(value: str | None) -> str | None:
    if value is not None and Decimal(value) <= 0:
        raise ValueError("must be more than 0")
    return value


PositiveMoney = Annotated[Money, AfterValidator(_positive_money)]
FactDate = Annotated[date | ChinaTime, Field(
    description="a day (2025-11-10) or a time (2025-11-10T14:02:00+08:00)")]


class Demand(Contract):
    kind: DemandKind
    amount: PositiveMoney | None = Field(default=None, description=(
        "yuan. refund_only/return_refund: the refund (default: what was paid); "
        "compensation: the compensation on top of the refund (required)"))
    no_reason: bool = Field(default=False, description="a §25 7-day no-reason return, not a fault")

    @model_validator(mode="after")
    def _amount_fits_kind(self) -> Demand:
        if self.kind is DemandKind.compensation and self.amount is None:
            raise ValueError("a compensation demand needs an amount")
        if self.amount is not None and self.kind not in (
                DemandKind.refund_only, DemandKind.return_refund, DemandKind.compensation):
            raise ValueError(f"{self.kind.value} takes no amount")
        return self


class Fact(Contract):
    date: FactDate | None = None
    text: Annotated[str, StringConstraints(min_length=1, max_length=5000)]


class SellerPromise(Contract):
    text: Annotated[str, StringConstraints(min_length=1, max_length=200)] = Field(
        description="the promise as the listing shows it, e.g. 假一赔三")
    multiplier: int | None = Field(default=None, ge=1, le=10,
                                   description="N of 假一赔N: N × price on top of the refund")
    amount: PositiveMoney | None = Field(default=None, description="a fixed promised amount, yuan")


class DraftRequest(Contract):
    complaint_type: ComplaintType
    demand: Demand
    facts: list[Fact] = Field(default_factory=list, max_length=50,
                              description="what happened, in the buyer's words; sorted by date")
    notes: Annotated[str, StringConstraints(max_length=200_000)] | None = Field(
        default=None, description="free-form notes; HTML is stripped, long notes are shortened")
    sub_order_id: DigitId | None = Field(default=None,
                                         description="the item complained about (default: the whole order)")
    goods: GoodsKind = GoodsKind.general
    seller_promise: SellerPromise | None = None
    language: Language = Language.zh
    form_limit: int | None = Field(default=None, ge=100, le=5000,
                                   description="characters of the form box (default: setting form_limit)")


class LintRequest(Contract):
    text: Annotated[str, StringConstraints(max_length=200_000)]


class LintCategory(StrEnum):
    insult = "insult"
    threat = "threat"
    absolute = "absolute"
    punctuation = "punctuation"
    shouting = "shouting"
    emotional = "emotional"
    personal_data = "personal_data"


class LintFinding(Model):
    start: int = Field(description="offset of the first character (Python str index, code points)")
    end: int = Field(description="offset after the last character")
    category: LintCategory
    severity: Literal["low", "medium", "high"]
    text: str = Field(description="the flagged text")
    suggestion: str = Field(description="a neutral rewrite or what to do instead")
    replacement: str | None = Field(default=None,
                                    description="a drop-in neutral replacement when one exists")


class LintResult(Model):
    findings: list[LintFinding]
    truncated: bool = Field(default=False, description="more findings than the response lists (the first 1,000)")


class SourcedFinding(LintFinding):
    """A finding in the buyer's own input; offsets index that field's text as sent
    (after the leading/trailing whitespace every request string is trimmed of)."""

    source: str = Field(description="where in the request: facts[0], notes …")


class CompensationBasis(Model):
    basis: str = Field(description="catalog basis id, or seller_promise / platform_late_shipment")
    title: str
    limit: str = Field(description="the most this basis supports, yuan")
    formula: str = Field(description="how the limit was computed, e.g. 3 × 14800.00 = 44400.00")
    channel: Literal["platform", "regulator", "court"]


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
    channel: Literal["platform", "12315_or_court"]
    advice: str


class Deadline(Model):
    key: str
    label: str
    last_day: date = Field(description="the last day (Asia/Shanghai) on which it can still be done")
    ends_at: datetime = Field(description="the moment it passes (+08:00)")
    counted_from: str = Field(description="the event the period counts from")
    basis: str
    confirmed: bool = Field(description="false for UNCONFIRMED platform numbers (settings)")
    note: str | None = None
    days_left: int = Field(description="days from today (Asia/Shanghai) to last_day; negative = passed")
    state: Literal["open", "due_soon", "passed"]


class DeadlineReport(Model):
    case_id: str
    computed_at: datetime
    timezone: Literal["Asia/Shanghai"] = "Asia/Shanghai"
    deadlines: list[Deadline]
    warnings: list[Notice]


class Reminder(Model):
    case_id: str
    order_id: str
    title: str | None
    kind: Literal["deadline", "follow_up"]
    key: str
    message: str
    due_at: datetime
    days_left: int
    overdue: bool
    confirmed: bool


class ReminderList(Model):
    reminders: list[Reminder]
    count: int = Field(description="for the extension badge")


class ReminderQuery(Model):
    model_config = ConfigDict(extra="forbid")

    within_days: int | None = Field(default=None, ge=0, le=60,
                                    description="default: setting reminder_window_days")


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


class DraftContent(Model):
    language: Language
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


class DraftList(Model):
    drafts: list[DraftSummary]
