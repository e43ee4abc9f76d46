"""Hashing for the audit chain: canonical JSON and entry hashes.

Each entry's hash covers its own fields and the previous entry's hash, so editing,
removing or reordering any entry breaks every hash after it. Hashes are over canonical
JSON (sorted keys, no spaces, UTF-8) so another tool can recompute them.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

GENESIS = "0" * 64


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(seq: int, at: str, case_id: str | None, action: str, data: dict[str, Any],
               prev_hash: str) -> str:
    body = {"seq": seq, "at": at, "case_id": case_id, "action": action, "data": data,
            "prev": prev_hash}
    return hashlib.sha256(canonical_json(body)).hexdigest()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
