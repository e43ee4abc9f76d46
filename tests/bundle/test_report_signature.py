"""report.pdf is signed (PAdES) with the case key and, when the buyer agreed to
timestamps, carries a document timestamp: both validated with pyHanko's own validator,
and one changed byte breaks them."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature, async_validate_pdf_timestamp
from pyhanko_certvalidator import ValidationContext

from helper.bundle import layout, verify_bundle
from helper.state import SECRETS
from tests.bundle.test_bundle_timestamps import _bundle
from tests.capture.conftest import CaptureEnv
from tests.capture.test_timestamps import _captured, _settings, _use
from tests.capture.tsa import LocalTsa

pytestmark = pytest.mark.browser


def _read(bundle: Path) -> tuple[bytes, bytes]:
    with zipfile.ZipFile(bundle) as zf:
        return zf.read(layout.REPORT), zf.read(layout.REPORT_SIGNER)


def _trust(pem: bytes) -> ValidationContext:
    return ValidationContext(trust_roots=[asn1_x509.Certificate.load(
        x509.load_pem_x509_certificate(pem).public_bytes(Encoding.DER))], allow_fetching=False)


async def test_report_pdf_is_signed_by_the_case_key_and_timestamped(
        env: CaptureEnv, tsa: LocalTsa, tmp_path: Path) -> None:
    bundle = await _bundle(env, tsa, tmp_path)
    assert verify_bundle(bundle).ok
    pdf, signer_pem = _read(bundle)
    certificate = x509.load_pem_x509_certificate(signer_pem)
    key = env.api.app[SECRETS].signing_key().public_key()
    assert certificate.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw) == \
        key.public_bytes(Encoding.Raw, PublicFormat.Raw)  # the case key, not another
    fingerprint = hashlib.sha256(key.public_bytes(Encoding.Raw, PublicFormat.Raw)).hexdigest()
    assert f"sha256:{fingerprint}" in certificate.subject.rfc4514_string()

    reader = PdfFileReader(io.BytesIO(pdf))
    signature, timestamp = reader.embedded_signatures
    status = await async_validate_pdf_signature(signature, _trust(signer_pem))
    assert status.bottom_line, status.pretty_print_details()
    assert status.pkcs7_signature_mechanism == "ed25519"
    stamp = await async_validate_pdf_timestamp(timestamp, _trust(tsa.authority.ca_pem))
    assert stamp.intact and stamp.valid and stamp.trusted
    assert stamp.coverage.name == "ENTIRE_FILE" and "Tousu Test TSA" in stamp.signing_cert.subject.human_friendly

    # one byte of the report's content changed: the signature no longer holds
    start = pdf.index(b"stream\n", pdf.index(b"/FlateDecode")) + len(b"stream\n")
    changed = bytearray(pdf)
    changed[start + 10] ^= 0xFF
    tampered = PdfFileReader(io.BytesIO(bytes(changed)))
    broken = await async_validate_pdf_signature(tampered.embedded_signatures[0], _trust(signer_pem))
    assert not broken.intact and not broken.bottom_line
    broken_stamp = await async_validate_pdf_timestamp(tampered.embedded_signatures[1], _trust(tsa.authority.ca_pem))
    assert not broken_stamp.intact


async def test_without_consent_the_report_is_signed_but_not_timestamped(
        env: CaptureEnv, tsa: LocalTsa, tmp_path: Path) -> None:
    _use(env, _settings(tsa, timestamps=False))
    await _captured(env)
    response = await env.api.get(f"/cases/{env.case_id}/export")
    bundle = tmp_path / "plain.zip"
    bundle.write_bytes(await response.read())
    check = verify_bundle(bundle)
    assert check.ok and check.timestamps == []
    assert check.manifest_timestamp == "not timestamped (none was asked for)"
    pdf, signer_pem = _read(bundle)
    signatures = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    assert len(signatures) == 1
    assert (await async_validate_pdf_signature(signatures[0], _trust(signer_pem))).bottom_line
    assert not tsa.requests
    with zipfile.ZipFile(bundle) as zf:
        verify_txt = zf.read(layout.VERIFY).decode()
    assert "这个证据包没有可信时间戳" in verify_txt and "pyhanko sign validate --trust report-signer.pem" in verify_txt
