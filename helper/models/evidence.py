"""Evidence records and the archived files (artifacts) each one holds."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import Field

from helper.models.common import Model


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
