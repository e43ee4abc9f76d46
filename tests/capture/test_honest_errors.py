"""Capture errors say what happened: a certificate the browser refuses is a certificate
error naming the certificate's subject and issuer (not a "forbidden redirect" because
Chromium's own connectivity probe was refused at the same moment); the browser's
background requests are listed apart and fail nothing; the environment report holds the
chain, headers and addresses of a good capture."""

from __future__ import annotations

from helper.capture.environment import background_requests, code_sha256
from helper.capture.guard import UrlGuard
from tests.capture.conftest import CaptureEnv

ITEM = "https://item.taobao.com/capture-item.htm?id=712345678901"


async def test_an_untrusted_certificate_is_named_as_such(env: CaptureEnv) -> None:
    env.service.settings.capture.ignore_https_errors = False  # the fixture site's certificate is self-signed
    job = await env.wait((await env.capture({"url": ITEM}))["id"])
    assert job["state"] == "failed"
    assert job["error"]["code"] == "certificate_error", job["error"]
    message = job["error"]["message"]
    assert "ERR_CERT_AUTHORITY_INVALID" in message
    assert "subject CN=tousu-helper test site" in message and "issuer CN=tousu-helper test site" in message
    assert await env.api.json("GET", f"/cases/{env.case_id}/evidence") == {"evidence": []}


def test_the_browsers_own_requests_are_told_apart_from_the_pages() -> None:
    blocked = ["connectivitycheck.gstatic.com:443 (host_forbidden)",
               "item.taobao.com:443 (ip_forbidden)",
               "evil.example:443 (host_forbidden)"]
    guard = UrlGuard()
    assert background_requests(blocked, {"item.taobao.com", "evil.example"}, guard) == [blocked[0]]
    assert background_requests(blocked, set(), guard) == [blocked[0], blocked[2]]


async def test_the_environment_report_of_a_capture(env: CaptureEnv) -> None:
    job = await env.wait((await env.capture({"url": ITEM}))["id"])
    assert job["state"] == "done", job
    environment = (await env.evidence(job["evidence_id"]))["metadata"]["environment"]
    assert environment["browser_version"] and "Chrome/" in environment["user_agent"]
    assert environment["profile"]["fresh"] is True and environment["profile"]["extensions"] == []
    assert environment["proxy"]["address"].startswith("http://127.0.0.1:")
    assert environment["proxy"]["host_resolver_rules"] is True
    assert environment["servers"]["item.taobao.com"] == {"ip": "127.0.0.1", "port": env.site.port}
    chain = environment["tls_chain"]
    assert chain["pem"][0].startswith("-----BEGIN CERTIFICATE-----")
    assert chain["certificates"][0]["subject"] == "CN=tousu-helper test site"
    assert chain["leaf_is_the_browsers"] is True
    assert environment["response_headers"]["content-type"].startswith("text/html")
    assert environment["redirect_chain"] == []
    assert any("evil.example" in b for b in environment["blocked"])
    assert environment["helper_code_sha256"] == code_sha256() and len(code_sha256()) == 64
