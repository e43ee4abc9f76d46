"""Archived web pages made safe to show: MHTML unpacked to one HTML document, HTML disarmed.

The review UI shows a captured page in a sandboxed frame whose CSP lets it fetch nothing
(`data:` images and styles only). So an MHTML archive becomes its main HTML document with
its images, fonts and stylesheets inlined as `data:` URIs (Chromium also refuses to render
MHTML served over http), and the HTML is disarmed on top of the sandbox: links point
nowhere, meta refreshes are inert, and the document is decoded with the charset it
declares (Taobao's older pages are GBK) and re-declared as UTF-8.
"""

from __future__ import annotations

import email
import email.policy
import re
from base64 import b64encode
from email.message import EmailMessage
from typing import Literal

from helper import media_types

MAX_INLINED_BYTES = 48 * 1024 * 1024
MHTML_TYPES = ("multipart/related", "message/rfc822", "application/x-mimearchive")
HTML_TYPES = ("text/html", "application/xhtml+xml")

PageKind = Literal["html", "mhtml"]

_LINK = re.compile(r"(<(?:a|area|link)\b[^>]*?\s)(href\s*=)(\s*[\"']?)(data:text/css)?", re.IGNORECASE)
_REFRESH = re.compile(r"http-equiv\s*=\s*([\"']?)\s*refresh", re.IGNORECASE)
_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", re.IGNORECASE)


def page_kind(media_type: str, filename: str) -> PageKind | None:
    """Whether an artifact is an archived page, and which kind: by its media type's essence
    (`text/html; charset=utf-8` is HTML), MHTML also by its file name."""
    essence = media_types.essence(media_type)
    if essence in MHTML_TYPES or filename.lower().endswith((".mhtml", ".mht")):
        return "mhtml"
    return "html" if essence in HTML_TYPES else None


def framed_page(data: bytes, kind: PageKind, media_type: str) -> str:
    """The archived page as one disarmed HTML document for the sandboxed frame. An HTML
    file is decoded with the charset its media type names (captures store the page they
    copied as UTF-8, whatever its <meta> still says), else the one it declares itself.
    ValueError: not a readable archive."""
    html = mhtml_to_html(data) if kind == "mhtml" else decode_html(data, media_types.charset(media_type))
    return disarm_html(html)


def decode_html(data: bytes, charset: str | None = None) -> str:
    """Text of an HTML (or CSS) file: the charset given, else the one its <meta> declares,
    else UTF-8, else GB18030 (a superset of GBK and GB2312)."""
    if charset is None and (m := _CHARSET.search(data[:4096])):
        charset = m.group(1).decode("ascii", "replace")
    for candidate in (charset, "utf-8", "gb18030"):
        if not candidate:
            continue
        try:
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", "replace")


def _disarm_link(match: re.Match[str]) -> str:
    if match.group(4):  # a stylesheet inlined from the archive: it fetches nothing
        return match.group(0)
    return f"{match.group(1)}data-archived-href={match.group(3)}"


def disarm_html(html: str) -> str:
    """Defence in depth on top of the sandbox and CSP: links point nowhere, no meta refresh,
    and the document says it is UTF-8 and resolves nothing against the page's address."""
    html = _LINK.sub(_disarm_link, html)
    html = _REFRESH.sub(r"data-archived-http-equiv=\1refresh", html)
    html = re.sub(r"<meta[^>]+charset[^>]*>", "", html, flags=re.IGNORECASE)
    return '<meta charset="utf-8"><base href="about:blank" target="_self">' + html


def mhtml_to_html(data: bytes) -> str:
    """The main HTML of an MHTML archive with its images, fonts and styles inlined as
    `data:` URIs (images a stylesheet refers to are inlined into it first). Resources over
    the inlining budget are left out: the frame shows the page without them."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not message.is_multipart():
        raise ValueError("not an MHTML archive")
    html_part: str | None = None
    binaries: dict[str, str] = {}
    styles: list[tuple[list[str], str]] = []
    budget = MAX_INLINED_BYTES
    for part in message.walk():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        payload = part.get_payload(decode=True) or b""
        if ctype == "text/html" and html_part is None:
            html_part = decode_html(payload, part.get_content_charset())
            continue
        if not (ctype.startswith(("image/", "font/")) or ctype == "text/css") or len(payload) > budget:
            continue
        budget -= len(payload)
        names = [n for n in (part.get("Content-Location") or "",
                             f"cid:{(part.get('Content-ID') or '').strip('<>')}") if n not in ("", "cid:")]
        if ctype == "text/css":
            styles.append((names, decode_html(payload, part.get_content_charset())))
        else:
            uri = f"data:{ctype};base64,{b64encode(payload).decode()}"
            binaries.update(dict.fromkeys(names, uri))
    if html_part is None:
        raise ValueError("the MHTML archive has no HTML part")
    resources = dict(binaries)
    for names, css in styles:
        uri = "data:text/css;charset=utf-8;base64," + b64encode(_inline(css, binaries).encode()).decode()
        resources.update(dict.fromkeys(names, uri))
    return _inline(html_part, resources)


def _inline(text: str, resources: dict[str, str]) -> str:
    for url in sorted(resources, key=len, reverse=True):  # longest first: no prefix clobbers another
        text = text.replace(url, resources[url])
    return text
