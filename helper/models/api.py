"""Pairing, health, errors and the review UI's own responses."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from helper.models.case import CaseSummary
from helper.models.common import Contract, Model


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


class UiLogin(Model):
    url: str = Field(description="one-time login URL for the review UI (valid 2 minutes, single use)")
    expires_at: datetime


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
    signing_key_sha256: str | None = Field(default=None, description=(
        "fingerprint of this helper's signing key, which reviewers check exported bundles "
        "against (`verify-bundle --key`); none until the first capture or export makes the key"))
