"""report.pdf signed as a PDF reader understands it: PAdES (ETSI.CAdES.detached) with the
case's own Ed25519 key, then — when the buyer agreed to timestamps and an authority
answers — a PAdES document timestamp (RFC 3161) over the signed file.

PAdES needs an X.509 certificate for the signing key; the case key has none, so a
self-signed one is made for it at each export (subject "投诉助手 case key", the key's
fingerprint in its serial-number attribute). It proves nothing beyond the key itself —
the same key whose fingerprint the report prints and `public_key.pem` holds — and ships
as `report-signer.pem`: a reviewer who trusts that certificate in a PDF reader sees the
signature as valid. PDF readers that do not implement EdDSA (ISO/TS 32002) cannot check
it; pyHanko can (`pyhanko sign validate`, or the test's validator).

The PDF keeps a classic cross-reference table and its /Info title after the incremental
updates, so `verify-bundle` still reads the fingerprint from the title; pyHanko rewrites
the /Info dictionary (Producer, ModDate), and the title is written back the way Chromium
wrote it (UTF-16, upper-case hex) rather than re-encoded.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from helper.config import EvidenceSettings

def _writer(pdf: bytes) -> Any:
    """An incremental writer over `pdf` whose /Info title keeps Chromium's encoding."""
    import codecs

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    class HexText(generic.TextStringObject):
        def write_to_stream(self, stream: Any, handler: Any = None, container_ref: Any = None) -> None:
            stream.write(b"<" + (codecs.BOM_UTF16_BE + self.encode("utf-16-be")).hex().upper().encode() + b">")

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    try:
        info = writer.trailer["/Info"].get_object()
    except KeyError:
        return writer
    if "/Title" in info:
        info["/Title"] = HexText(str(info["/Title"]))
    return writer


TIMESTAMP_RESERVE = 32 * 1024
"""Room for the document timestamp's hex-encoded token (a few KB of DER): no dummy request."""


@dataclass(frozen=True)
class SignedReport:
    pdf: bytes
    certificate_pem: bytes
    timestamp: str
    """"timestamped …" or why the document timestamp is missing."""


def case_certificate(key: Ed25519PrivateKey, fingerprint: str) -> x509.Certificate:
    """A self-signed certificate for the case key, for PAdES (which signs with a certificate)."""
    from cryptography import x509
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.UTC)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "投诉助手 case key · Tousu Helper case key"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "tousu-helper (self-signed)"),
                      x509.NameAttribute(NameOID.SERIAL_NUMBER, f"sha256:{fingerprint}")])
    usage = x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                          encipher_only=False, decipher_only=False)
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(usage, critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .sign(key, None))


def _tsa_stamper(settings: EvidenceSettings) -> Any:
    """A pyHanko TimeStamper that asks `tsa_urls` in order, each within its timeout."""
    from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
    from pyhanko.sign.timestamps.common_utils import TimestampRequestError

    class Fallback(TimeStamper):
        async def async_request_tsa_response(self, req: Any) -> Any:
            reasons = []
            for url in settings.tsa_urls:
                try:
                    return await asyncio.wait_for(
                        HTTPTimeStamper(url, timeout=settings.tsa_timeout_s).async_request_tsa_response(req),
                        settings.tsa_timeout_s)
                except (TimeoutError, TimestampRequestError, ValueError) as exc:
                    reasons.append(f"{url}: {type(exc).__name__}")
            raise TimestampRequestError("; ".join(reasons) or "no tsa_urls")

    return Fallback()


async def sign_report(pdf: bytes, key: Ed25519PrivateKey, fingerprint: str,
                      evidence: EvidenceSettings | None) -> SignedReport:
    """The signed (and, when agreed and possible, document-timestamped) report."""
    from asn1crypto import keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    cert = case_certificate(key, fingerprint)
    der = cert.public_bytes(serialization.Encoding.DER)
    asn1_cert = asn1_x509.Certificate.load(der)
    signer = signers.SimpleSigner(
        signing_cert=asn1_cert, cert_registry=SimpleCertificateStore.from_certs([asn1_cert]),
        signing_key=keys.PrivateKeyInfo.load(key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())))
    meta = signers.PdfSignatureMetadata(
        field_name="TousuCaseKey", subfilter=SigSeedSubFilter.PADES, md_algorithm="sha512",
        reason=f"投诉证据报告，签名公钥 sha256:{fingerprint} · complaint evidence report",
        name="投诉助手 case key")
    signed = (await signers.async_sign_pdf(_writer(pdf), meta, signer=signer)).getvalue()
    pem = cert.public_bytes(serialization.Encoding.PEM)
    if evidence is None or not evidence.timestamps:
        return SignedReport(signed, pem, "not timestamped: the buyer has not agreed to trusted timestamps")
    stamped, note = await _document_timestamp(signed, evidence)
    return SignedReport(stamped or signed, pem, note)


async def _document_timestamp(signed: bytes, evidence: EvidenceSettings) -> tuple[bytes | None, str]:
    """A document timestamp over the signed file, kept only when its token chains to a
    trusted root (the check every other token passes)."""
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import signers
    from pyhanko.sign.timestamps.common_utils import TimestampRequestError
    from pyhanko.sign.validation import async_validate_pdf_timestamp
    from pyhanko_certvalidator import ValidationContext

    from helper.timestamps.trust import TrustError, trusted_roots

    try:
        stamper = signers.PdfTimeStamper(_tsa_stamper(evidence), field_name="TousuDocTimeStamp")
        out = await stamper.async_timestamp_pdf(_writer(signed), "sha256", bytes_reserved=TIMESTAMP_RESERVE)
        stamped = out.getvalue()
        roots = await asyncio.to_thread(trusted_roots, evidence.tsa_ca_file)
        embedded = PdfFileReader(io.BytesIO(stamped)).embedded_signatures[-1]
        status = await async_validate_pdf_timestamp(embedded, ValidationContext(
            trust_roots=[asn1_x509.Certificate.load(r) for r in roots], allow_fetching=False))
    except (TimestampRequestError, TrustError, OSError, ValueError) as exc:
        return None, f"not timestamped: {str(exc)[:300]}"
    if not (status.intact and status.valid and status.trusted):
        return None, "not timestamped: the authority's token does not chain to a trusted root"
    return stamped, f"timestamped {status.timestamp:%Y-%m-%d %H:%M:%S} UTC by {status.signing_cert.subject.human_friendly}"
