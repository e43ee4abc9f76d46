"""Whose key signed a bundle: the fingerprints `verify-bundle` compares the signer with.

A valid signature proves only "unchanged since this key signed it" — anyone can re-sign
an edited bundle with a key of their own. What ties a bundle to the buyer is the key:
the fingerprint the buyer hands over (`--key`), or, on the buyer's own computer, the
helper's signing key. The fingerprints a genuine export prints into report.pdf,
complaint.txt and VERIFY.txt must name the signer too; a forger who re-signs without
re-rendering them is caught by those alone.

A fingerprint is the SHA-256 of the raw 32-byte Ed25519 public key, in hex — the value
VERIFY.txt, the manifests and `tousu-helper status` show.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from helper.bundle.layout import MAX_KEY_BYTES

if TYPE_CHECKING:
    from helper.secrets import Secrets

_FINGERPRINT = re.compile(r"[0-9a-f]{64}")


def fingerprint_of_pem(pem: bytes) -> str:
    """ValueError unless `pem` is an Ed25519 public key (SubjectPublicKeyInfo PEM)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    from helper.integrity import public_key_sha256

    try:
        public = load_pem_public_key(pem)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"not a PEM public key ({str(exc).splitlines()[0][:120]})") from None
    if not isinstance(public, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return public_key_sha256(public)


def parse_key(spec: str) -> str:
    """`--key`: a fingerprint (64 hex digits, `sha256:` optional, any case, spaces and
    colons ignored), a PEM public key's text, or the path of a PEM file → fingerprint."""
    compact = re.sub(r"[\s:]", "", spec.lower()).removeprefix("sha256")
    if _FINGERPRINT.fullmatch(compact):
        return compact
    if "-----BEGIN" in spec:
        return fingerprint_of_pem(spec.encode())
    path = Path(spec).expanduser()
    if not path.is_file():
        raise ValueError(f"{spec!r} is neither a fingerprint (64 hex digits) nor a PEM public key file")
    if path.stat().st_size > MAX_KEY_BYTES:
        raise ValueError(f"{path}: larger than a public key file ({MAX_KEY_BYTES} bytes)")
    return fingerprint_of_pem(path.read_bytes())


def local_fingerprint(secrets: Secrets) -> str | None:
    """This data dir's signing key's fingerprint, or None if it has no key yet (none is
    created: the buyer's first export or capture makes it)."""
    import base64

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from helper.integrity import public_key_sha256

    raw = secrets.backend.get("signing_key")  # not Secrets.signing_key(): that creates one
    if raw is None:
        return None
    return public_key_sha256(Ed25519PrivateKey.from_private_bytes(base64.b64decode(raw)).public_key())
