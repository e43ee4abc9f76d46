"""Asking the configured time-stamping authorities for a token over one SHA-256.

The request carries the SHA-256, a nonce and "send your certificate" — nothing else
(RFC 3161 §2.4.1). Authorities are tried in `[evidence] tsa_urls` order, each within
`tsa_timeout_s`; the first answer that passes every check of `tokens.check_token` wins.
When none does, the result is a `NotStamped` naming what each authority did (down, slow,
garbage, refused, another hash, a certificate that does not chain): the evidence is kept
exactly as it is either way.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from helper.config import EvidenceSettings
from helper.models import utc_now
from helper.timestamps.tokens import check_token
from helper.timestamps.trust import TrustError, trusted_roots


@dataclass(frozen=True)
class Stamp:
    """A checked token: the authority's DER TimeStampResp (what `openssl ts -verify -in`
    reads) and the certificate chain it was checked against."""

    imprint_sha256: str
    tsa_url: str
    response: bytes
    chain_pem: str
    tsa_subject: str | None
    gen_time: datetime
    requested_at: datetime
    received_at: datetime
    late: bool = False

    @property
    def clock_offset_s(self) -> float:
        """The authority's clock minus this computer's, at the middle of the round trip."""
        midpoint = self.requested_at + (self.received_at - self.requested_at) / 2
        return round((self.gen_time - midpoint).total_seconds(), 3)

    def record(self) -> dict[str, Any]:
        """What the archive keeps about the token besides its bytes."""
        return {"status": "timestamped", "imprint_sha256": self.imprint_sha256, "tsa_url": self.tsa_url,
                "tsa": self.tsa_subject, "gen_time": self.gen_time.isoformat(),
                "requested_at": self.requested_at.isoformat(), "received_at": self.received_at.isoformat(),
                "clock_offset_s": self.clock_offset_s, "late": self.late,
                "token_sha256": hashlib.sha256(self.response).hexdigest()}


@dataclass(frozen=True)
class NotStamped:
    imprint_sha256: str
    reasons: list[str]
    at: datetime

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)

    def record(self) -> dict[str, Any]:
        return {"status": "not_timestamped", "imprint_sha256": self.imprint_sha256,
                "reason": self.reason, "at": self.at.isoformat()}


NOT_AGREED = ("not timestamped: the buyer has not agreed to send hashes to a time-stamping "
              "authority ([evidence] timestamps = false) · 未申请可信时间戳（买家未同意）")
NO_AUTHORITY = "not timestamped: no time-stamping authority is configured ([evidence] tsa_urls = [])"


class TsaClient:
    def __init__(self, settings: EvidenceSettings) -> None:
        self.settings = settings

    @property
    def agreed(self) -> bool:
        return self.settings.timestamps

    async def stamp(self, sha256_hex: str, *, late: bool = False) -> Stamp | NotStamped:
        """A checked token for `sha256_hex` from the first authority that gives one."""
        if not self.settings.tsa_urls:
            return NotStamped(sha256_hex, [NO_AUTHORITY], utc_now())
        try:
            roots = await asyncio.to_thread(trusted_roots, self.settings.tsa_ca_file)
        except TrustError as exc:
            return NotStamped(sha256_hex, [str(exc)], utc_now())
        reasons = []
        for url in self.settings.tsa_urls:
            result = await self._ask(url, sha256_hex, roots, late)
            if isinstance(result, Stamp):
                return result
            reasons.append(f"{url}: {result}")
        return NotStamped(sha256_hex, reasons, utc_now())

    async def _ask(self, url: str, sha256_hex: str, roots: list[bytes], late: bool) -> Stamp | str:
        import aiohttp
        from pyhanko.sign.timestamps import HTTPTimeStamper
        from pyhanko.sign.timestamps.common_utils import TimestampRequestError

        timeout = self.settings.tsa_timeout_s
        stamper = HTTPTimeStamper(url, timeout=timeout)
        nonce, request = stamper.request_cms(bytes.fromhex(sha256_hex), "sha256")
        requested_at = utc_now()
        try:
            answer = await asyncio.wait_for(stamper.async_request_tsa_response(request), timeout)
            response = answer.dump()
        except TimeoutError:
            return f"no answer within {timeout:g} s"
        except TimestampRequestError as exc:
            cause = exc.__cause__
            if isinstance(cause, aiohttp.ContentTypeError):
                return "answered something that is not a timestamp reply (wrong content type)"
            if isinstance(cause, aiohttp.ClientResponseError):
                return f"answered HTTP {cause.status}"
            if isinstance(cause, (asyncio.TimeoutError, aiohttp.ServerTimeoutError)):
                return f"no answer within {timeout:g} s"
            return f"cannot be reached ({type(cause).__name__}: {str(cause)[:120]})"
        except (ValueError, TypeError):
            return "answered something that is not an RFC 3161 timestamp response"
        received_at = utc_now()
        check = await check_token(response, sha256_hex=sha256_hex, roots=roots, nonce=nonce)
        if not check.ok or check.gen_time is None:
            return check.summary
        return Stamp(imprint_sha256=sha256_hex, tsa_url=url, response=response, chain_pem=check.chain_pem(),
                     tsa_subject=check.tsa_subject, gen_time=check.gen_time, requested_at=requested_at,
                     received_at=received_at, late=late)
