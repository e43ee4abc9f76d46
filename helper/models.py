"""The data contract shared with the extension and outside tools.

Every model here is the single source of truth: `schemas/*.json` and
`schemas/openapi.json` are generated from them (`scripts/gen-schemas`) and a test fails
when the checked-in files drift. Field names of `Order` are fixed by DESIGN.md.

Ids are strings of digits on purpose: Taobao's 19-digit ids lose precision as
JavaScript numbers, so a number where an id belongs is refused, not "fixed".
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
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


class Contract(BaseModel):
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


class TimelineEntry(BaseModel):
    id: int
    at: datetime
    kind: str = Field(description="created | order_updated | status_changed | note | notes_changed | evidence_added | …")
    text: str
    data: dict[str, Any] = Field(default_factory=dict)


class Case(BaseModel):
    id: str
    order: Order
    status: CaseStatus
    notes: str = ""
    created_at: datetime
    updated_at: datetime
    timeline: list[TimelineEntry] = Field(default_factory=list)


class CaseSummary(BaseModel):
    id: str
    order_id: str
    platform: Platform
    shop_name: str | None
    title: str | None = Field(description="the first item's title")
    status: CaseStatus
    created_at: datetime
    updated_at: datetime


class CaseList(BaseModel):
    cases: list[CaseSummary]
    total: int
    limit: int
    offset: int


class OrderUpsertResult(BaseModel):
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


class Artifact(BaseModel):
    role: str = Field(description="original | screenshot | mhtml | html | pdf | buyer_screenshot …")
    sha256: str
    size: int
    media_type: str
    filename: str


class Evidence(BaseModel):
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


class EvidenceList(BaseModel):
    evidence: list[Evidence]


class PairRequest(Contract):
    code: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    client_name: Annotated[str, StringConstraints(min_length=1, max_length=100)]


class PairResponse(BaseModel):
    token: str
    client_id: str
    client_name: str


class PairingCode(BaseModel):
    code: str
    expires_at: datetime


class Client(BaseModel):
    id: str
    name: str
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class Health(BaseModel):
    name: Literal["tousu-helper"] = "tousu-helper"
    version: str
    api: Literal[1] = 1


class ErrorBody(BaseModel):
    code: str = Field(description="stable machine-readable code, e.g. invalid_request, unauthorized")
    message: str = Field(description="a sentence a person can act on")
    details: list[dict[str, Any]] | None = None


class ErrorResponse(BaseModel):
    error: ErrorBody


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


class JobError(BaseModel):
    code: str
    message: str


class Job(BaseModel):
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


class VerifyProblem(BaseModel):
    kind: Literal["altered", "missing", "added", "chain", "signature"]
    item: str = Field(description="what is affected: evidence id/role, audit #seq, manifest …")
    message: str


class VerifyReport(BaseModel):
    ok: bool
    case_id: str | None = None
    checked_at: datetime
    evidence_checked: int = 0
    artifacts_checked: int = 0
    audit_entries_checked: int = 0
    manifest_signed_at: datetime | None = None
    public_key_sha256: str | None = None
    problems: list[VerifyProblem] = Field(default_factory=list)
