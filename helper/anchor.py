"""The evidence anchor: one line at the end of every draft that ties the complaint to the
evidence as it was sealed when the complaint was written.

The platform and 12315 keep what the buyer submits, with their own dates. A line with
the sealed case manifest's SHA-256, the number of evidence items and the signing key's
fingerprint makes their record of the complaint prove, later, that this evidence
existed unchanged on that day — without either side trusting the buyer's computer.
`verify-bundle --anchor TEXT` checks an exported bundle against such a line.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from helper.store import Store

PREFIX = 16
"""Hex digits shown: 64 bits, short enough for a 200-character form, far beyond forging."""

_HEX = re.compile(r"SHA-256[:：]\s*([0-9a-f]{16,64})", re.IGNORECASE)
_KEY = re.compile(r"(?:签名公钥|signing key)\s*([0-9a-f]{16,64})", re.IGNORECASE)


@dataclass(frozen=True)
class Anchor:
    manifest_sha256: str
    public_key_sha256: str
    items: int


def from_sealed(manifest_json: str, public_key_sha256: str) -> Anchor:
    """The anchor of a case's stored, sealed manifest."""
    items = len(json.loads(manifest_json).get("evidence", []))
    return Anchor(hashlib.sha256(manifest_json.encode()).hexdigest(), public_key_sha256, items)


def text(anchor: Anchor, language: str = "zh") -> str:
    m, k = anchor.manifest_sha256[:PREFIX], anchor.public_key_sha256[:PREFIX]
    if language == "en":
        return f"Evidence bundle SHA-256: {m} ({anchor.items} items, signing key {k})"
    return f"证据包校验值 SHA-256：{m}（共 {anchor.items} 项证据，签名公钥 {k}）"


def parse(line: str) -> tuple[str, str | None]:
    """The manifest hash prefix and, when present, the key prefix named in an anchor line."""
    found = _HEX.search(line)
    if found is None:
        raise ValueError("no 'SHA-256: …' value in the anchor text")
    key = _KEY.search(line)
    return found.group(1).lower(), key.group(1).lower() if key else None


async def line_for(store: Store, case_id: str, language: str = "zh") -> str | None:
    """The anchor line of the case's latest sealed manifest; None before anything was sealed."""
    stored = await store.manifests.load(case_id)
    if stored is None:
        return None
    return text(from_sealed(stored["manifest_json"], stored["public_key_sha256"]), language)
