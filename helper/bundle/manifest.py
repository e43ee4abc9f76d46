"""The shape of a bundle's manifest.json, as the checker requires it.

The writer validates the manifest it is about to sign against these models too, so the
two cannot drift. Strict types: a bundle from anyone is parsed, never coerced — `"files":
5` or a size given as a string is an error that names the field, not a crash later on.
Unknown fields are ignored (they are still covered by the signature).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from helper.bundle.layout import (
    BUNDLE_FORMAT,
    MAX_ENTRIES,
    MAX_ENTRY_BYTES,
    MAX_NAME_BYTES,
)

Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Text = Annotated[str, StringConstraints(max_length=1000)]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")


class BundleFile(_Strict):
    path: Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME_BYTES)]
    sha256: Sha256
    size: int = Field(ge=0, le=MAX_ENTRY_BYTES)
    media_type: Text | None = None
    evidence_id: Text | None = None
    role: Text | None = None


class ManifestArtifact(_Strict):
    role: Text
    sha256: Sha256


class ManifestEvidence(_Strict):
    id: Text
    artifacts: list[ManifestArtifact] = Field(max_length=MAX_ENTRIES)


class CaseManifest(_Strict):
    evidence: list[ManifestEvidence] = Field(default_factory=list, max_length=MAX_ENTRIES)


class SealedManifestStamp(_Strict):
    """The sealed case manifest shipped as it was signed, and its timestamp (when it has one)."""

    path: Text
    signed_at: Text
    status: Literal["timestamped", "not_timestamped", "not_requested"]
    reason: Text | None = None
    token: Text | None = None
    chain: Text | None = None
    added_at: Text | None = None


class EvidenceStamp(_Strict):
    """A capture's token: the file it covers, the token and the TSA chain, all bundle paths."""

    evidence_id: Text
    covers: Text
    token: Text
    chain: Text
    claimed_at: Text
    added_at: Text | None = None


class BundleTimestamps(_Strict):
    tolerance_s: float = Field(gt=0, le=86_400)
    case_manifest: SealedManifestStamp | None = None
    evidence: list[EvidenceStamp] = Field(default_factory=list, max_length=MAX_ENTRIES)


class BundleManifest(_Strict):
    format: Text
    case_id: Text | None = None
    order_id: Text | None = None
    public_key_sha256: Sha256 | None = None
    files: list[BundleFile] = Field(max_length=MAX_ENTRIES)
    case_manifest: CaseManifest | None = None
    timestamps: BundleTimestamps | None = None

    def unsupported_format(self) -> bool:
        return self.format != BUNDLE_FORMAT


def describe(error: ValidationError, limit: int = 3) -> str:
    """`files: Input should be a valid list; …` — where and what, for the FAILED line."""
    parts = []
    for item in error.errors()[:limit]:
        where = ".".join(str(p) for p in item["loc"]) or "(top level)"
        parts.append(f"{where}: {item['msg']}")
    more = error.error_count() - limit
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")
