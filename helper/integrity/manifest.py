"""The signed case manifest: what it holds, how it is signed (Ed25519 over canonical JSON),
and sealing — sign the case's current manifest and keep it, in commit order."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
)

from helper import __version__
from helper.models import Case, Evidence, utc_now
from helper.secrets import Secrets
from helper.store import Store
from helper.store.hashing import canonical_json, sha256_hex
from helper.store.manifests import Signed

MANIFEST_FORMAT = "tousu-helper/case-manifest/1"


# -- the manifest ---------------------------------------------------------------------------

def _evidence_entry(ev: Evidence) -> dict[str, Any]:
    return {
        "id": ev.id, "kind": ev.kind.value, "category": ev.category.value, "title": ev.title,
        "status": ev.status, "created_at": ev.created_at.isoformat(),
        "metadata": ev.metadata, "metadata_sha256": sha256_hex(canonical_json(ev.metadata)),
        "artifacts": [{"role": a.role, "sha256": a.sha256, "size": a.size,
                       "media_type": a.media_type, "filename": a.filename} for a in ev.artifacts],
    }


TIMESTAMPED = ("an RFC 3161 token over this manifest's SHA-256 is requested right after signing and "
               "kept beside it (audit: manifest_timestamped); each capture's first committed hash has "
               "its own (the evidence's timestamp artifact)")


def _manifest(case: Case, evidence: list[Evidence], head: dict[str, Any] | None,
              timestamping: bool | None = None) -> dict[str, Any]:
    """`head`: the case's latest audit entry (seq, hash, action), which the signature pins.
    `timestamping`: whether a trusted timestamp is asked for (None: the caller does not say)."""
    from helper.timestamps.client import NOT_AGREED

    stated = {} if timestamping is None else {
        "timestamping": {"requested": timestamping, "note": TIMESTAMPED if timestamping else NOT_AGREED}}
    return {
        "format": MANIFEST_FORMAT,
        "case_id": case.id,
        "order_id": case.order.order_id,
        "platform": case.order.platform.value,
        "generated_at": utc_now().isoformat(),
        "generator": f"tousu-helper {__version__}",
        "evidence": [_evidence_entry(ev) for ev in evidence],
        "audit_head": head,
        "hash_algorithm": "sha256",
        "signature_algorithm": "ed25519 over canonical JSON (sorted keys, no spaces, UTF-8)",
        **stated,
    }


async def case_manifest(store: Store, case_id: str) -> dict[str, Any]:
    """Everything a third party needs to check the case's evidence, as plain JSON data."""
    case = await store.cases.get(case_id)
    evidence = await store.evidence.list(case_id)
    entries = await store.audit.entries(case_id)
    head = entries[-1] if entries else None
    return _manifest(case, evidence, {"seq": head.seq, "hash": head.hash, "action": head.action} if head else None)


def sign_manifest(manifest: dict[str, Any], key: Ed25519PrivateKey) -> bytes:
    """The raw 64-byte Ed25519 signature over the manifest's canonical JSON."""
    return key.sign(canonical_json(manifest))


def verify_signature(manifest: dict[str, Any], signature: bytes,
                     public_key: Ed25519PublicKey) -> bool:
    try:
        public_key.verify(signature, canonical_json(manifest))
        return True
    except (InvalidSignature, ValueError):
        return False


def public_key_sha256(public_key: Ed25519PublicKey) -> str:
    return hashlib.sha256(public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)).hexdigest()


async def seal_case(store: Store, secrets: Secrets, case_id: str, *,
                    timestamping: bool | None = None) -> dict[str, Any]:
    """Sign the case's current manifest and keep it (one per case; the signing is audited).

    Reading, signing and saving happen in one write transaction, so manifests are signed
    in commit order: an older manifest can never overwrite a newer one. `timestamping`:
    the manifest states whether a token will be asked for (the caller then asks)."""
    key = await asyncio.to_thread(secrets.signing_key)  # the keyring may be slow the first time
    fingerprint = public_key_sha256(key.public_key())

    def sign(case: Case, evidence: list[Evidence], head: dict[str, Any] | None) -> Signed:
        manifest = _manifest(case, evidence, head, timestamping)
        return Signed(canonical_json(manifest).decode(), base64.b64encode(sign_manifest(manifest, key)).decode(),
                      fingerprint, manifest["generated_at"])
    return json.loads((await store.manifests.seal(case_id, sign)).manifest_json)
