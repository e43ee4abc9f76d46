"""Where the archive keeps its timestamp tokens, and reading them back — shared by the
writers (stamping.py, the capture service), `verify` (helper/integrity/verify.py) and the export.

A capture's token is two artifacts of its evidence (`timestamp`: the DER response,
`timestamp_chain`: the TSA certificates, PEM), over its first committed artifact; a
sealed manifest's token is a JSON record kept with the manifest (`timestamp_json`).
"""

from __future__ import annotations

import base64
import json
from typing import Any

from helper.models import Artifact, Evidence, EvidenceKind

TOKEN_ROLE, CHAIN_ROLE = "timestamp", "timestamp_chain"
TOKEN_MEDIA, CHAIN_MEDIA = "application/timestamp-reply", "application/pem-certificate-chain"
CAPTURE_KINDS = (EvidenceKind.url_capture, EvidenceKind.tab_snapshot)


def first_hash(evidence: Evidence) -> Artifact | None:
    """The artifact a capture committed first (what its evidence token covers)."""
    return evidence.artifacts[0] if evidence.artifacts and evidence.kind in CAPTURE_KINDS else None


def has_token(evidence: Evidence) -> bool:
    return any(a.role == TOKEN_ROLE for a in evidence.artifacts)


def manifest_record(stored: dict[str, Any] | None) -> dict[str, Any] | None:
    """The manifest's timestamp record as kept (None: never attempted)."""
    raw = (stored or {}).get("timestamp_json")
    return json.loads(raw) if raw else None


def manifest_token(stored: dict[str, Any] | None) -> bytes | None:
    record = manifest_record(stored)
    return base64.b64decode(record["token_b64"]) if record and record.get("token_b64") else None
