"""The capture environment report: what a court weighs when it asks whether a capture
was made in a reliable, clean environment (互联网法院规定第十一条; 民事诉讼证据规定第九十三条).

For each URL capture, in its evidence metadata (so in the signed manifest, report.pdf and
the WACZ): the browser and its version; that the capture browser ran a fresh profile with
no extensions; the proxy (the helper's own guard) and resolver rules; the address each
host was reached at; the main document's TLS certificate chain (PEM) and HTTP response
headers; the redirect chain; what the guard blocked and why, the browser's own background
requests apart; the helper's version and the SHA-256 of its code. The clock offset
against the time-stamping authority comes with the token, after the acknowledgement, and
is recorded in the capture log.

Chromium reports the server certificate's subject and issuer, not the chain, so the chain
comes from a second TLS handshake the helper makes with the same server address right
after the page loaded; the report says so and whether its leaf is the certificate the
browser described.
"""

from __future__ import annotations

import asyncio
import hashlib
import ssl
from datetime import UTC
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import helper
from helper.capture.guard import UrlGuard

CHAIN_TIMEOUT_S = 3.0


@lru_cache(maxsize=1)
def code_sha256() -> str:
    """SHA-256 over the helper's Python sources (path, NUL, content; sorted by path): which
    code made the capture, comparable with a release."""
    root = Path(helper.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _names(der: bytes) -> dict[str, Any]:
    from cryptography import x509

    cert = x509.load_der_x509_certificate(der)
    return {"subject": cert.subject.rfc4514_string(), "issuer": cert.issuer.rfc4514_string(),
            "not_before": cert.not_valid_before_utc.astimezone(UTC).isoformat(),
            "not_after": cert.not_valid_after_utc.astimezone(UTC).isoformat(),
            "sha256": hashlib.sha256(der).hexdigest()}


async def server_chain(host: str, ip: str, port: int, timeout: float = CHAIN_TIMEOUT_S) -> dict[str, Any]:
    """The certificates `host` presents at `ip:port`, leaf first: a handshake that trusts
    nothing and checks nothing (it only reads), with SNI set to `host`."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        _, writer = await asyncio.wait_for(
            asyncio.open_connection(ip, port, ssl=context, server_hostname=host), timeout)
    except (OSError, TimeoutError, ssl.SSLError) as exc:
        return {"error": f"{type(exc).__name__}: {str(exc)[:160]}"}
    try:
        sslobj = writer.get_extra_info("ssl_object")
        raw = getattr(sslobj, "get_unverified_chain", None) or sslobj._sslobj.get_unverified_chain  # noqa: SLF001 - public from Python 3.13
        chain = []
        for cert in raw() or []:
            chain.append(cert if isinstance(cert, bytes) else cert.public_bytes(ssl._ssl.ENCODING_DER))  # noqa: SLF001
    except (AttributeError, ssl.SSLError, ValueError) as exc:
        return {"error": f"the chain could not be read ({type(exc).__name__})"}
    finally:
        writer.close()
    if not chain:
        return {"error": "the server sent no certificate"}
    return {"source": f"the helper's own TLS handshake with {host} at {ip}:{port}, right after the page loaded",
            "pem": [x509.load_der_x509_certificate(der).public_bytes(Encoding.PEM).decode() for der in chain],
            "certificates": [_names(der) for der in chain]}


def blocked_host(entry: str) -> str:
    """The host of a proxy refusal: `host:443 (code)`, `http://host/path (code)`, `host (code)`."""
    what = entry.split(" (", 1)[0]
    if "://" in what:
        return (urlsplit(what).hostname or "").lower()
    host, _, port = what.rpartition(":")
    return (host if host and port.isdigit() else what).strip("[]").lower()


def background_requests(proxy_blocked: list[str], navigation_hosts: set[str], guard: UrlGuard) -> list[str]:
    """Proxy refusals that were neither the page's navigation nor a request for an
    allowlisted host: the browser's own traffic (connectivity checks and the like). The
    page's own requests for other hosts are refused by routing before they reach the proxy."""
    return [entry for entry in proxy_blocked
            if (host := blocked_host(entry)) not in navigation_hosts and not guard.allows(f"https://{host}/")]


def report(*, browser: dict[str, Any], user_agent: str, viewport: dict[str, int], proxy_url: str,
           resolver_rules: bool, servers: dict[str, Any], chain: dict[str, Any] | None,
           browser_tls: dict[str, Any] | None, response_headers: dict[str, str], redirect_chain: list[str],
           blocked: list[str], background: list[str]) -> dict[str, Any]:
    """The environment report of one URL capture (module docstring)."""
    if chain and "certificates" in chain and browser_tls:
        leaf = chain["certificates"][0]
        chain = {**chain, "leaf_is_the_browsers": bool(browser_tls.get("subject")) and
                 str(browser_tls.get("subject")) in leaf["subject"]}
    headers = {k: ("[removed: a session cookie]" if k.lower() == "set-cookie" else v)
               for k, v in response_headers.items()}
    return {
        **browser, "user_agent": user_agent, "viewport": viewport, "device_scale_factor": 1,
        "helper_version": helper.__version__, "helper_code_sha256": code_sha256(),
        "profile": {"fresh": True, "extensions": [],
                    "note": "a new browser context for this capture: no history, cache, storage or cookies "
                            "but those forwarded for it; Chromium runs with --disable-extensions"},
        "proxy": {"kind": "the helper's guarding proxy (every request checked; no system proxy)",
                  "address": proxy_url, "host_resolver_rules": resolver_rules},
        "servers": servers, "tls_chain": chain, "response_headers": headers,
        "redirect_chain": redirect_chain, "blocked": blocked, "browser_background_requests": background,
    }
