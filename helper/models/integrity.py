"""What the archive check and the export bundle check report."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from helper.models.common import Contract, Model


class VerifyProblem(Model):
    kind: Literal["altered", "missing", "added", "chain", "signature", "timestamp"]
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
    timestamps_checked: int = Field(default=0, description="RFC 3161 tokens checked (captures and manifest)")
    manifest_timestamp: str | None = Field(default=None, description=(
        "whether the sealed manifest has a trusted timestamp: by whom and when, or why not"))
    problems: list[VerifyProblem] = Field(default_factory=list)


class KeyComparison(Model):
    """The bundle's signer held against one other statement of whose key it should be."""

    source: Literal["key_option", "local_key", "report.pdf", "complaint.txt", "VERIFY.txt"] = Field(
        description="--key, this data dir's signing key, or a fingerprint printed in the bundle")
    fingerprint: str | None = Field(description="the fingerprint that source names; None: it names none")
    matches: bool | None = Field(description="None when the source names no key")


class BundleTimestamp(Model):
    """One RFC 3161 token of a bundle, checked against the file it covers."""

    token: str = Field(description="the token's path in the bundle")
    covers: str = Field(description="the file whose SHA-256 it timestamps")
    ok: bool
    gen_time: datetime | None = None
    tsa: str | None = Field(default=None, description="the TSA certificate's subject")
    tsa_root_sha256: str | None = Field(default=None, description=(
        "SHA-256 of the root certificate the bundle ships for it: compare with the authority's"))
    problems: list[str] = Field(default_factory=list)


class BundleCheck(Model):
    ok: bool
    format: Literal["bundle", "wacz"] = Field(default="bundle", description=(
        "bundle: the signed ZIP; wacz: a web archive for replay, checked against its datapackage"))
    problems: list[str] = Field(default_factory=list,
                                description="each names the exact file or item that failed (the first 50)")
    problems_total: int = Field(default=0, description="all problems found, listed or not")
    files_checked: int = 0
    case_id: str | None = None
    order_id: str | None = None
    public_key_sha256: str | None = Field(default=None,
                                          description="fingerprint of the signing key in the bundle")
    signature_valid: bool = Field(default=False,
                                  description="manifest.json is signed by public_key.pem's key, unchanged")
    signer_verified: bool = Field(default=False, description=(
        "the signing key is the one given with --key or, without --key, this data dir's own key; "
        "false means the signature proves only that nothing changed since *some* key signed it"))
    key_checks: list[KeyComparison] = Field(default_factory=list)
    timestamps: list[BundleTimestamp] = Field(default_factory=list)
    manifest_timestamp: str | None = Field(default=None, description=(
        "the sealed manifest's timestamp: timestamped, or why it is not"))
    anchor_matches: bool | None = Field(default=None, description=(
        "with --anchor: the evidence anchor line of a filed complaint names this bundle's sealed "
        "case manifest and signing key"))


class TimestampConsent(Model):
    """The buyer's answer to the trusted-timestamp question (`[evidence] timestamps`)."""

    agreed: bool = Field(description="hashes may be sent to the authorities below")
    asked: bool = Field(description="config.toml holds an answer, either way: the UI asks only once")
    tsa_urls: list[str]
    note: str = "只发送哈希值，不发送任何内容 · only SHA-256 hashes are sent, never content"


class TimestampAnswer(Contract):
    agreed: bool


class TimestampOutcome(Model):
    subject: str = Field(description="`manifest`, or the evidence id whose first hash was timestamped")
    timestamped: bool
    detail: str = Field(description="when and by which authority, or why not")


class CaseTimestamps(Model):
    """What `POST /cases/{id}/timestamp` (and `tousu-helper timestamp`) added."""

    ok: bool
    outcomes: list[TimestampOutcome] = Field(default_factory=list)

