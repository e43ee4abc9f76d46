"""Checking an RFC 3161 timestamp response: the same checks when it arrives, in `verify`
and in `verify-bundle`, each failure named for what it means.

* `unreadable` — not a DER TimeStampResp (an HTML error page, a truncated file);
* `refused` — the authority answered, but did not grant a token;
* `other_hash` — a valid token, for another SHA-256 than the one it is kept with;
* `forged` — the signature does not match the token's content (bytes were changed, or
  someone assembled a token without the authority's key);
* `untrusted` — a sound signature by a certificate that does not chain to the trusted
  roots (when fetching: the system's and `tsa_ca_file`; when checking a bundle: the TSA
  certificates the bundle ships, which a reviewer compares with the authority's own);
* `nonce` — not the answer to our request (only when fetching);
* `clock_skew` — the token's time and this computer's clock disagree by more than
  `clock_tolerance_s`: the token is older than the time the helper claims for what it
  covers (captured, signed), or the authority's time differs from the local time at
  which the token was added. A token added later (`tousu-helper timestamp`) is fine: it
  proves existence from its own time on.

pyHanko validates the signature and builds the chain (pyhanko-certvalidator, no network:
`allow_fetching=False`), at the token's own time, so a TSA certificate that expired
since still verifies the tokens it issued while valid.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, TypeVar

T = TypeVar("T")
ProblemCode = Literal["unreadable", "refused", "other_hash", "forged", "untrusted", "nonce", "clock_skew"]

for _noisy in ("pyhanko", "pyhanko_certvalidator"):
    # they log a traceback for every token that fails to validate; the check names the failure itself
    logging.getLogger(_noisy).setLevel(logging.CRITICAL)


@dataclass(frozen=True)
class TokenProblem:
    code: ProblemCode
    message: str


@dataclass
class TokenCheck:
    """What a timestamp response says and whether it holds."""

    problems: list[TokenProblem] = field(default_factory=list)
    gen_time: datetime | None = None
    imprint_sha256: str | None = None
    tsa_subject: str | None = None
    serial: int | None = None
    chain: list[bytes] = field(default_factory=list)
    """DER certificates from the TSA's up to the trusted root, when the chain was built."""

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, code: ProblemCode, message: str) -> None:
        self.problems.append(TokenProblem(code, message))

    @property
    def summary(self) -> str:
        return "; ".join(p.message for p in self.problems)

    def chain_pem(self) -> str:
        from cryptography import x509
        from cryptography.hazmat.primitives.serialization import Encoding

        return "".join(x509.load_der_x509_certificate(der).public_bytes(Encoding.PEM).decode()
                       for der in self.chain)


def _parse(response: bytes, check: TokenCheck) -> Any | None:
    """The token's SignedData, or None (with the problem noted)."""
    from asn1crypto import tsp

    try:
        resp = tsp.TimeStampResp.load(response, strict=True)
        status = resp["status"]["status"].native
        if status not in ("granted", "granted_with_mods"):
            texts = "; ".join(resp["status"]["status_string"].native or []) or status
            check.add("refused", f"the authority refused to timestamp ({texts})")
            return None
        signed = resp["time_stamp_token"]["content"]
        info = signed["encap_content_info"]["content"].parsed
        if not isinstance(info, tsp.TSTInfo):
            raise TypeError("no TSTInfo inside")
        check.gen_time = info["gen_time"].native
        algorithm = info["message_imprint"]["hash_algorithm"]["algorithm"].native
        imprint = info["message_imprint"]["hashed_message"].native
        check.serial = info["serial_number"].native
        if algorithm != "sha256" or len(imprint) != 32:
            check.add("other_hash", f"the token is over a {algorithm} digest, not the file's SHA-256")
            return None
        check.imprint_sha256 = imprint.hex()
        return signed
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        check.add("unreadable", f"not an RFC 3161 timestamp response ({str(exc).splitlines()[0][:120]})")
        return None


async def check_token(response: bytes, *, sha256_hex: str, roots: list[bytes],
                      others: list[bytes] | None = None, claimed_at: datetime | None = None,
                      added_at: datetime | None = None, tolerance_s: float = 300,
                      nonce: int | None = None) -> TokenCheck:
    """Every check of the module docstring; `roots` are DER certificates the TSA's must
    chain to (`others`: intermediates that may help). Never raises on hostile input: what
    is wrong is in `problems`."""
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign.validation.generic_cms import validate_tst_signed_data
    from pyhanko_certvalidator import ValidationContext

    check = TokenCheck()
    signed = _parse(response, check)
    if signed is None:
        return check
    info = signed["encap_content_info"]["content"].parsed
    if nonce is not None and info["nonce"].native != nonce:
        check.add("nonce", "the answer carries another nonce: it is not the answer to this request")
    if check.imprint_sha256 != sha256_hex:
        check.add("other_hash", f"the token is for SHA-256 {check.imprint_sha256[:16]}…, not for "
                                f"{sha256_hex[:16]}… (a token for another file)")
    try:
        context = ValidationContext(
            trust_roots=[asn1_x509.Certificate.load(der) for der in roots],
            other_certs=[asn1_x509.Certificate.load(der) for der in others or []],
            allow_fetching=False, moment=check.gen_time, revocation_mode="soft-fail")
        status = await validate_tst_signed_data(signed, context, lambda _algorithm: bytes.fromhex(
            check.imprint_sha256 or ""))
    except Exception as exc:  # noqa: BLE001 - pyHanko raises its own errors on malformed CMS
        check.add("forged", f"the token's signature cannot be checked ({str(exc).splitlines()[0][:160]})")
        return check
    tsa = status.get("signing_cert")
    check.tsa_subject = tsa.subject.human_friendly if tsa is not None else None
    if not (status.get("intact") and status.get("valid")):
        check.add("forged", "the token's signature does not match its content: it was altered or "
                            "not made by the authority it names")
        return check
    if status.get("trust_problem_indic") is not None or status.get("validation_path") is None:
        check.add("untrusted", f"the TSA certificate ({check.tsa_subject}) does not chain to a trusted "
                               "time-stamping root")
        return check
    check.chain = [c.dump() for c in reversed(list(status["validation_path"].iter_certs(include_root=True)))]
    _check_time(check, claimed_at, added_at, tolerance_s)
    return check


def _check_time(check: TokenCheck, claimed_at: datetime | None, added_at: datetime | None,
                tolerance_s: float) -> None:
    gen = check.gen_time
    if gen is None:
        return
    if claimed_at is not None and (claimed_at - gen).total_seconds() > tolerance_s:
        check.add("clock_skew", f"the authority's time {gen:%Y-%m-%d %H:%M:%S} UTC is "
                                f"{(claimed_at - gen).total_seconds():.0f} s before the time claimed "
                                f"({claimed_at:%Y-%m-%d %H:%M:%S} UTC), more than the {tolerance_s:g} s "
                                "tolerance: this computer's clock was ahead")
    elif added_at is not None and abs((gen - added_at).total_seconds()) > tolerance_s:
        offset = (gen - added_at).total_seconds()
        check.add("clock_skew", f"the authority's time {gen:%Y-%m-%d %H:%M:%S} UTC differs by "
                                f"{offset:+.0f} s from this computer's clock when the token came "
                                f"({added_at:%Y-%m-%d %H:%M:%S} UTC), more than the {tolerance_s:g} s "
                                "tolerance")


def check_token_sync(response: bytes, **kwargs: Any) -> TokenCheck:
    """`check_token` for synchronous callers (verify-bundle), even ones that run inside an
    event loop: the check then runs on a private loop in a worker thread."""
    return run_sync(lambda: check_token(response, **kwargs))


def run_sync(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run the coroutine `factory()` makes to completion from synchronous code."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(factory())
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(factory())).result()


def certificates_of(pem: bytes) -> list[bytes]:
    """DER of every certificate in a PEM text (ValueError when it holds none)."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    return [c.public_bytes(Encoding.DER) for c in x509.load_pem_x509_certificates(pem)]


def sha256_of(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()


def describe(response: bytes) -> str | None:
    """"2026-01-02 03:04:05 UTC by <TSA>" for showing a token (parsed, not checked)."""
    check = TokenCheck()
    signed = _parse(response, check)
    if signed is None or check.gen_time is None:
        return None
    certs = [c.chosen for c in signed["certificates"] or []]
    tsa = next((c.subject.human_friendly for c in certs if getattr(c, "subject", None) is not None
                and "time_stamping" in (c.extended_key_usage_value.native if c.extended_key_usage_value else [])),
               None)
    return f"{check.gen_time:%Y-%m-%d %H:%M:%S} UTC" + (f" by {tsa}" if tsa else "")

