"""A throw-away self-signed certificate for the real Taobao/Tmall host names (tests only)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

HOST_SUFFIXES = ["taobao.com", "tmall.com", "alicdn.com", "tbcdn.cn", "alipay.com", "evil.example"]


def make_cert(directory: Path) -> tuple[Path, Path]:
    """Write cert.pem/key.pem valid for *.<suffix> and <suffix> of every HOST_SUFFIXES entry."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "tousu-helper test site")])
    now = dt.datetime.now(dt.timezone.utc)
    sans = [x509.DNSName(n) for s in HOST_SUFFIXES for n in (s, f"*.{s}")]
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName(sans), critical=False)
            .sign(key, hashes.SHA256()))
    directory.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.TraditionalOpenSSL,
                                           serialization.NoEncryption()))
    return cert_path, key_path
