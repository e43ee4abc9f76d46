"""Capture requests (a URL or the buyer's own tab) and the jobs that carry them out."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, SecretStr, StringConstraints, model_validator

from helper.models.common import Contract, HttpUrl, Model
from helper.models.evidence import EvidenceCategory, EvidenceKind


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
    extension_version: Annotated[str, StringConstraints(max_length=40, pattern=r"^[0-9A-Za-z.+-]*$")] | None = Field(
        default=None, description="the sending extension's version, for the snapshot's provenance in report.pdf")


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
