"""The URL guard: which URLs the capture browser may load, checked on every request.

A capture URL comes from the extension (or the CLI), and every page it loads can ask the
browser to fetch more — subresources, redirects, frames. The browser runs on the buyer's
machine, so without a guard a page could make it read `http://127.0.0.1:17345`, the
router's admin page or a cloud metadata endpoint. The rules, applied to the first URL and
to every request Playwright routes (redirect hops included):

* scheme `https` (`http` only when the `capture.allow_http` setting says so);
* no user info (`https://user@host/`), no IP literal in any spelling, no odd port
  (only the scheme's default);
* the host is an allowlisted domain or a subdomain of one (by label, so
  `eviltaobao.com` does not pass as `taobao.com`).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from helper.config import DEFAULT_ALLOWED_HOSTS, CaptureSettings

STATIC_ASSET_HOSTS = ("alicdn.com", "tbcdn.cn", "taobaocdn.com")
"""Hosts that only serve images, styles and fonts: the only network a tab-snapshot render gets."""

DEFAULT_PORTS = {"https": 443, "http": 80}
# Inputs browsers read as IPv4: 127.1, 0x7f.1, 2130706433, 0177.0.0.1 …
_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+))*\.?$")
_LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")


class GuardError(ValueError):
    """The URL may not be loaded; the message says why in words a buyer can act on."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class UrlGuard:
    allowed_hosts: tuple[str, ...] = tuple(DEFAULT_ALLOWED_HOSTS)
    allow_http: bool = False
    extra_schemes: frozenset[str] = field(default_factory=frozenset)
    """Schemes that never touch the network and need no host (e.g. `data`, `blob`)."""

    @classmethod
    def from_settings(cls, settings: CaptureSettings) -> UrlGuard:
        return cls(allowed_hosts=_normalize_hosts([*DEFAULT_ALLOWED_HOSTS,
                                                   *settings.extra_allowed_hosts]),
                   allow_http=settings.allow_http)

    def restricted_to(self, hosts: Iterable[str]) -> UrlGuard:
        """The same rules, limited to those of `hosts` that are allowlisted (for snapshot renders)."""
        allowed = [h for h in _normalize_hosts(hosts) if _host_matches(h, self.allowed_hosts)]
        return UrlGuard(allowed_hosts=tuple(allowed), allow_http=self.allow_http,
                        extra_schemes=self.extra_schemes)

    def check(self, url: str) -> str:
        """Return the URL's host if it may be loaded; raise `GuardError` otherwise."""
        if len(url) > 8192:
            raise GuardError("url_too_long", "the address is longer than 8192 characters")
        if any(ch in url for ch in "\r\n\t\x00") or url != url.strip():
            raise GuardError("url_invalid", "the address contains control characters or spaces")
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            raise GuardError("url_invalid", "the address is not a valid URL") from None
        scheme = parts.scheme.lower()
        if scheme in self.extra_schemes:
            return ""
        if scheme not in ("https", "http"):
            raise GuardError("scheme_forbidden",
                             f"only https:// addresses can be captured, not {scheme or 'relative'}:")
        if scheme == "http" and not self.allow_http:
            raise GuardError("scheme_forbidden",
                             "only https:// addresses can be captured (http:// is off; setting "
                             "capture.allow_http)")
        netloc = parts.netloc
        if "@" in netloc or parts.username is not None or parts.password is not None:
            raise GuardError("userinfo_forbidden", "addresses with a user name or password (user@host) are refused")
        if "\\" in url.split("?", 1)[0]:
            raise GuardError("url_invalid", "backslashes in the address are refused")
        raw_host = parts.hostname or ""
        if not raw_host:
            raise GuardError("url_invalid", "the address has no host name")
        if port is not None and port != DEFAULT_PORTS[scheme]:
            raise GuardError("port_forbidden", f"port {port} is refused; only the standard {scheme} port is allowed")
        host = _canonical_host(raw_host)
        if _is_ip_literal(host):
            raise GuardError("ip_forbidden", "IP addresses are refused; use the shop's host name")
        if not _host_matches(host, self.allowed_hosts):
            raise GuardError("host_forbidden",
                             f"{host} is not on the allowlist ({', '.join(self.allowed_hosts[:6])}…; "
                             "setting capture.extra_allowed_hosts)")
        return host

    def allows(self, url: str) -> bool:
        try:
            self.check(url)
        except GuardError:
            return False
        return True


def _canonical_host(host: str) -> str:
    host = host.strip("[]").lower().rstrip(".")
    try:
        return host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        raise GuardError("url_invalid", "the host name is not a valid domain name") from None


def _is_ip_literal(host: str) -> bool:
    if ":" in host:
        return True  # IPv6, in any notation
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    return bool(_NUMERIC_HOST.match(host))


def _normalize_hosts(hosts: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for host in hosts:
        h = host.strip().lower().lstrip("*").lstrip(".").rstrip(".")
        if h and all(_LABEL.match(label) for label in h.split(".")) and h not in out:
            out.append(h)
    return tuple(out)


def _host_matches(host: str, allowed: Iterable[str]) -> bool:
    if not all(_LABEL.match(label) for label in host.split(".")):
        return False
    return any(host == a or host.endswith("." + a) for a in allowed)


def redact_url(url: str) -> str:
    """Scheme, host and path only: query strings can carry ids and tokens, so logs never see them."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<invalid url>"
    return f"{parts.scheme}://{parts.hostname or ''}{parts.path[:200]}"
