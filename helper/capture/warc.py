"""A URL capture's HTTP exchanges written as WARC (ISO 28500, version 1.1) with warcio.

The WARC of one capture holds a `warcinfo` record (software, what was changed and why),
a `response` and a `request` record per exchange (`WARC-Concurrent-To` links them,
`WARC-IP-Address` is the server the browser reached, `WARC-Date` when the request
started), and the capture's environment report as a `metadata` record about the page.
Gzipped per record, as WACZ and every replay tool read it.

What the browser received, with the changes a replay tool expects, each stated in
`warcinfo`: bodies are stored as the browser decoded them, so `Content-Encoding` and
`Transfer-Encoding` are dropped and `Content-Length` is the stored length; a body the
browser no longer held is stored empty with `WARC-Truncated: unspecified`; and the
buyer's session never enters the archive — `Cookie`, `Set-Cookie` and `Authorization`
values are replaced by a note.

Chromium hands a text body over already converted to UTF-8. A page served in another
charset (Taobao's older pages are GBK) is therefore encoded back into the charset its
`Content-Type` or `<meta>` names, which gives the bytes the server sent for any text that
charset can hold, and keeps the page readable in replay where its `<meta charset=gbk>`
would otherwise garble UTF-8 bytes.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any
from urllib.parse import urlsplit

from helper import __version__
from helper.capture.exchanges import Exchange

SESSION_HEADERS = frozenset({"cookie", "set-cookie", "authorization", "proxy-authorization"})
REDACTED = "[removed by tousu-helper: the buyer's session is not archived]"
DECODED_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})
SKIP_SCHEMES = ("data:", "blob:", "about:", "chrome:", "chrome-extension:")


@dataclass(frozen=True)
class WarcSummary:
    exchanges: int
    redacted_headers: int
    bodies_missing: int
    skipped: int


def _headers(raw: list[tuple[str, str]], *, response: bool, body_length: int) -> tuple[list[tuple[str, str]], int]:
    out, redacted = [], 0
    for name, value in raw:
        low = name.lower()
        if not name or low.startswith(":"):
            continue  # HTTP/2 pseudo-headers: the status line says it
        if low in SESSION_HEADERS:
            out.append((name, REDACTED))
            redacted += 1
        elif not (response and low in DECODED_HEADERS):
            out.append((name, value))
    if response:
        out.append(("Content-Length", str(body_length)))
    return out, redacted


_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_-]{2,40})""", re.IGNORECASE)
_TEXTUAL = ("text/", "application/javascript", "application/json", "application/xml", "application/xhtml")


def _charset(headers: list[tuple[str, str]], body: bytes) -> str | None:
    """The charset the response declares (Content-Type, else an HTML <meta>), if not UTF-8."""
    content_type = next((v for n, v in headers if n.lower() == "content-type"), "")
    essence = content_type.split(";")[0].strip().lower()
    if not essence.startswith(_TEXTUAL):
        return None
    match = re.search(r"charset\s*=\s*\"?([A-Za-z0-9_-]+)", content_type, re.IGNORECASE)
    label = match[1] if match else None
    if label is None and "html" in essence and (meta := _META_CHARSET.search(body[:4096])):
        label = meta[1].decode("ascii")
    if label is None or label.lower().replace("_", "-") in ("utf-8", "utf8", "us-ascii", "ascii"):
        return None
    return label


def _as_served(body: bytes, headers: list[tuple[str, str]]) -> bytes:
    """A text body back in the charset it declares (module docstring); unchanged when it
    declares none, UTF-8, or one Python does not know or cannot encode it in."""
    label = _charset(headers, body)
    if label is None:
        return body
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return body  # not Chromium's conversion: bytes as they came
    for codec in ("gbk", "gb18030") if label.lower() in ("gbk", "gb2312", "x-gbk", "gb18030") else (label,):
        try:
            return text.encode(codec)
        except (LookupError, UnicodeEncodeError):
            continue
    return body


def _target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _date(exchange: Exchange) -> str:
    return exchange.started.strftime("%Y-%m-%dT%H:%M:%S.") + f"{exchange.started.microsecond // 1000:03d}Z"


def write_warc(exchanges: list[Exchange], out: IO[bytes], *, filename: str, info: dict[str, Any],
               environment: dict[str, Any] | None = None, page_url: str | None = None,
               evidence_id: str = "", skip: Callable[[str], bool] = lambda _url: False) -> WarcSummary:
    """Write the WARC to `out`. `skip`: URLs whose "response" was the guard's own (a
    blocked navigation answered 204 in the browser), not a server's. The environment
    record is named `urn:tousu:environment:<evidence_id>` and refers to the page: under
    the page's own URL a replay tool would take it for a capture of the page."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    writer = WARCWriter(out, gzip=True, warc_version="WARC/1.1")
    writer.write_record(writer.create_warcinfo_record(filename, {
        "software": f"tousu-helper {__version__} (Chromium via Playwright, warcio)",
        "format": "WARC File Format 1.1",
        "http-header-redaction": "Cookie, Set-Cookie, Authorization, Proxy-Authorization values replaced",
        "http-body": "as the browser decoded it: Content-Encoding and Transfer-Encoding dropped, "
                     "Content-Length recomputed, text in the charset it declares; a body the browser "
                     "no longer held is empty and marked WARC-Truncated",
        **info}))
    done = redacted = missing = skipped = 0
    for ex in sorted(exchanges, key=lambda e: e.started):
        if ex.url.startswith(SKIP_SCHEMES) or ex.status <= 0 or skip(ex.url):
            skipped += 1
            continue
        protocol = "HTTP/1.1"  # the browser does not report the version; replay tools expect this form
        req_headers, n1 = _headers(ex.request_headers, response=False, body_length=len(ex.request_body))
        request = writer.create_warc_record(
            ex.url, "request", payload=io.BytesIO(ex.request_body), length=len(ex.request_body),
            warc_headers_dict={"WARC-Date": _date(ex)},
            http_headers=StatusAndHeaders(f"{ex.method} {_target(ex.url)} {protocol}", req_headers,
                                          is_http_request=True))
        body = _as_served(ex.body, ex.response_headers) if ex.body is not None else b""
        resp_headers, n2 = _headers(ex.response_headers, response=True, body_length=len(body))
        warc_headers = {"WARC-Date": _date(ex),
                        "WARC-Concurrent-To": request.rec_headers.get_header("WARC-Record-ID")}
        if ex.server_ip:
            warc_headers["WARC-IP-Address"] = ex.server_ip.strip("[]")
        if ex.body is None:
            warc_headers["WARC-Truncated"] = "unspecified"
            missing += 1
        writer.write_record(writer.create_warc_record(
            ex.url, "response", payload=io.BytesIO(body), length=len(body), warc_headers_dict=warc_headers,
            http_headers=StatusAndHeaders(f"{ex.status} {ex.status_text}".strip(), resp_headers,
                                          protocol=protocol)))
        writer.write_record(request)
        done += 1
        redacted += n1 + n2
    if environment is not None and page_url:
        data = json.dumps(environment, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
        writer.write_record(writer.create_warc_record(
            f"urn:tousu:environment:{evidence_id}", "metadata", payload=io.BytesIO(data), length=len(data),
            warc_content_type="application/json; profile=tousu-helper-environment",
            warc_headers_dict={"WARC-Refers-To-Target-URI": page_url}))
    return WarcSummary(done, redacted, missing, skipped)
