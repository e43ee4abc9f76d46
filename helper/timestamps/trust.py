"""Which root certificates a TSA's certificate may chain to when a token is fetched.

The operating system's roots (what `ssl` loads: the Debian/macOS bundle, the Windows
store) cover the public authorities; `[evidence] tsa_ca_file` adds others — an
authority with a root of its own (some Chinese TSAs), or a test CA.
"""

from __future__ import annotations

import ssl
from functools import lru_cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding


class TrustError(ValueError):
    """tsa_ca_file cannot be used; the message says why."""


@lru_cache(maxsize=1)
def system_roots() -> tuple[bytes, ...]:
    """DER of every root the system trusts (read once)."""
    context = ssl.create_default_context()
    found = list(context.get_ca_certs(binary_form=True))
    cafile = ssl.get_default_verify_paths().cafile
    if not found and cafile and Path(cafile).is_file():
        found = [c.public_bytes(Encoding.DER) for c in x509.load_pem_x509_certificates(Path(cafile).read_bytes())]
    return tuple(found)


def file_roots(path: str | None) -> list[bytes]:
    if not path:
        return []
    try:
        certs = x509.load_pem_x509_certificates(Path(path).expanduser().read_bytes())
    except OSError as exc:
        raise TrustError(f"[evidence] tsa_ca_file {path}: {exc.strerror or exc}") from None
    except ValueError:
        raise TrustError(f"[evidence] tsa_ca_file {path}: not a PEM file of certificates") from None
    return [c.public_bytes(Encoding.DER) for c in certs]


def trusted_roots(tsa_ca_file: str | None) -> list[bytes]:
    return [*file_roots(tsa_ca_file), *system_roots()]
