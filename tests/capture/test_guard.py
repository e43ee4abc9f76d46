"""The URL guard's rules, unit by unit (the browser-level enforcement is in test_guard_browser.py)."""

from __future__ import annotations

import pytest

from helper.capture.guard import STATIC_ASSET_HOSTS, GuardError, UrlGuard, redact_url
from helper.config import CaptureSettings

GUARD = UrlGuard.from_settings(CaptureSettings())

ALLOWED = [
    "https://item.taobao.com/item.htm?id=1",
    "https://taobao.com/",
    "https://detail.tmall.com/item.htm?id=2",
    "https://img.alicdn.com/a.jpg",
    "https://BUYERTRADE.TAOBAO.COM/trade/",
    "https://www.taobao.com./",
    "https://item.taobao.com:443/x",
]
REFUSED = {
    "file:///etc/passwd": "scheme_forbidden",
    "http://127.0.0.1:17345/api/v1/cases": "scheme_forbidden",
    "https://127.0.0.1/": "ip_forbidden",
    "https://169.254.169.254/latest/meta-data/": "ip_forbidden",
    "https://[::1]/": "ip_forbidden",
    "https://[::ffff:127.0.0.1]/": "ip_forbidden",
    "https://2130706433/": "ip_forbidden",
    "https://0x7f.1/": "ip_forbidden",
    "https://127.1/": "ip_forbidden",
    "http://item.taobao.com/": "scheme_forbidden",
    "https://user:pw@item.taobao.com/": "userinfo_forbidden",
    "https://item.taobao.com@evil.example/": "userinfo_forbidden",
    "https://item.taobao.com:8443/": "port_forbidden",
    "https://evil.example/": "host_forbidden",
    "https://eviltaobao.com/": "host_forbidden",
    "https://taobao.com.evil.example/": "host_forbidden",
    "https://localhost/": "host_forbidden",
    "javascript:alert(1)": "scheme_forbidden",
    "data:text/html,hi": "scheme_forbidden",
    "chrome://settings": "scheme_forbidden",
    "ftp://item.taobao.com/": "scheme_forbidden",
    "https:///nohost": "url_invalid",
    "https://item.taobao.com/\r\nX: y": "url_invalid",
    "https://item.taobao.com:99999/": "url_invalid",
}


@pytest.mark.parametrize("url", ALLOWED)
def test_allowed(url: str) -> None:
    assert GUARD.check(url)


@pytest.mark.parametrize(("url", "code"), REFUSED.items())
def test_refused_with_a_reason(url: str, code: str) -> None:
    with pytest.raises(GuardError) as info:
        GUARD.check(url)
    assert info.value.code == code, info.value.message


def test_http_only_where_configured() -> None:
    guard = UrlGuard.from_settings(CaptureSettings(allow_http=True))
    assert guard.check("http://item.taobao.com/")
    with pytest.raises(GuardError):
        guard.check("http://item.taobao.com:8080/")
    with pytest.raises(GuardError):
        guard.check("http://127.0.0.1/")


def test_extra_hosts_and_static_restriction() -> None:
    guard = UrlGuard.from_settings(CaptureSettings(extra_allowed_hosts=["*.Example.org"]))
    assert guard.check("https://shop.example.org/")
    static = GUARD.restricted_to(STATIC_ASSET_HOSTS)
    assert static.check("https://img.alicdn.com/x.png")
    with pytest.raises(GuardError):
        static.check("https://item.taobao.com/")


def test_redacted_urls_drop_queries() -> None:
    assert redact_url("https://a.taobao.com/p?token=secret#x") == "https://a.taobao.com/p"
