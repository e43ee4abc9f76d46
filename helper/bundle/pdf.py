"""report.pdf: rendered by the capture browser, and its title read back for the check.

Rendering uses the capture module's `BrowserManager` (one Chromium for the whole helper,
launched with the capture flags): a fresh context with JavaScript off, offline, every
request refused, holding one of the capture slots like a capture does.

Reading: `verify-bundle` needs the fingerprint the report names, and runs on bundles from
anyone, so it must not hand a hostile PDF to a full parser (and pypdf is a test-only
dependency). Chromium writes the page <title> into the PDF's document information
dictionary; `info_title` follows the last trailer's /Info reference through the xref table
to that one object, reading at most a few kilobytes at three offsets.
"""

from __future__ import annotations

import re
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from helper.capture.browser import BrowserManager

FOOTER = ('<div style="font-size:7pt;width:100%;text-align:center;color:#667085">'
          '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')


async def html_to_pdf(report_html: str, manager: BrowserManager) -> bytes:
    async with manager.slots:
        context = await manager.new_context(java_script_enabled=False, offline=True)
        try:
            async def refuse(route: Any) -> None:
                await route.abort()

            await context.route("**/*", refuse)
            page = await context.new_page()
            await page.set_content(report_html, wait_until="load")
            return await page.pdf(format="A4", print_background=True, prefer_css_page_size=True,
                                  display_header_footer=True, header_template="<span></span>",
                                  footer_template=FOOTER,
                                  margin={"top": "14mm", "bottom": "14mm", "left": "12mm", "right": "12mm"})
        finally:
            await context.close()


TAIL = 4096
OBJECT_WINDOW = 64 * 1024
MAX_SUBSECTIONS = 1000
_STARTXREF = re.compile(rb"startxref\s+(\d{1,15})\s+%%EOF\s*$")
_INFO = re.compile(rb"/Info\s+(\d{1,10})\s+(\d{1,5})\s+R")
_SUBSECTION = re.compile(rb"\s*(\d{1,10}) (\d{1,10})\s*?\r?\n")
_TITLE = re.compile(rb"/Title\s*(<[0-9A-Fa-f\s]*>|\((?:[^()\\]|\\.){0,4000}\))")
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def info_title(fh: IO[bytes], size: int) -> str | None:
    """The PDF's /Title, or None where the file has none we can find (never raises on
    malformed input: it answers None). `fh` must be seekable."""
    try:
        return _info_title(fh, size)
    except (ValueError, OSError, EOFError, UnicodeDecodeError):
        return None


def _info_title(fh: IO[bytes], size: int) -> str | None:
    fh.seek(max(0, size - TAIL))
    tail = fh.read(TAIL)
    trailer = tail.rfind(b"trailer")
    start = _STARTXREF.search(tail)
    info = _INFO.search(tail, trailer) if trailer >= 0 else None
    if start is None or info is None:
        return None
    number, generation = int(info[1]), int(info[2])
    offset = _object_offset(fh, int(start[1]), number)
    if offset is None or offset >= size:
        return None
    fh.seek(offset)
    window = fh.read(OBJECT_WINDOW)
    if not re.match(rb"%d\s+%d\s+obj\b" % (number, generation), window):
        return None
    body = window[:window.find(b"endobj")] if b"endobj" in window else window
    title = _TITLE.search(body)
    return _pdf_string(title[1]) if title else None


def _object_offset(fh: IO[bytes], xref_at: int, number: int) -> int | None:
    """Walk a classic xref table's subsections ("start count" then 20-byte entries)."""
    fh.seek(xref_at)
    if fh.read(4) != b"xref":
        return None
    position = xref_at + 4
    for _ in range(MAX_SUBSECTIONS):
        fh.seek(position)
        line = fh.read(32)
        head = _SUBSECTION.match(line)
        if head is None:
            return None
        first, count = int(head[1]), int(head[2])
        entries = position + head.end()
        if first <= number < first + count:
            fh.seek(entries + 20 * (number - first))
            entry = fh.read(20)
            if len(entry) < 18 or entry[17:18] != b"n":
                return None
            return int(entry[:10])
        position = entries + 20 * count
    return None


def _pdf_string(token: bytes) -> str:
    if token.startswith(b"<"):
        raw = bytes.fromhex(re.sub(rb"\s", b"", token[1:-1]).decode("ascii"))
    else:
        raw = re.sub(rb"\\([nrtbf()\\]|[0-7]{1,3}|\r?\n)", _unescape, token[1:-1])
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be")
    return raw.decode("latin-1")


def _unescape(match: re.Match[bytes]) -> bytes:
    code = match[1]
    if code in _ESCAPES:
        return _ESCAPES[code]
    if code[:1].isdigit():
        return bytes([int(code, 8) & 0xFF])
    if code.startswith((b"\r", b"\n")):
        return b""
    return code
