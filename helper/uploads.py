"""What an uploaded file really is, and a name for it that is safe to store and serve.

The browser's Content-Type and the file name are the client's claims; the stored media
type comes from the bytes themselves (`filetype` reads the magic numbers), so a script
renamed to .jpg stays `application/octet-stream` and is never served as an image.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

import filetype

from helper.models import EvidenceCategory

SNIFF_BYTES = 8192
_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f\u2028\u2029<>:"/\\|?*]')
_TEXT_SUFFIXES = {".txt": "text/plain", ".csv": "text/csv", ".json": "application/json",
                  ".html": "text/html", ".htm": "text/html", ".log": "text/plain"}


def sanitize_filename(name: str | None, fallback: str = "upload") -> str:
    """Basename only, no control or path characters, no leading dots, ≤120 characters.

    Percent-escapes are decoded first (some clients send them), so an encoded `%2F`
    cannot smuggle a path separator past the basename step. Invisible format characters
    (Unicode category Cf) are dropped: the bidi controls U+202A–U+202E, U+2066–U+2069,
    U+200E/U+200F and U+061C would make `invoice\u202egnp.exe` show as `invoiceexe.png`
    in the review UI and in an exported bundle, and zero-width ones hide differences.
    """
    name = unicodedata.normalize("NFC", unquote(name or ""))
    name = "".join(ch for ch in name if unicodedata.category(ch) != "Cf")
    name = re.split(r"[/\\]", name)[-1]
    name = _UNSAFE.sub("_", name).strip().lstrip(".").strip()
    if not name or set(name) <= {"_", "."}:
        return fallback
    if len(name) > 120:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[: 110] + dot + suffix[:9]) if dot and len(suffix) <= 9 else name[:120]
    return name


def sniff_media_type(head: bytes, filename: str) -> str:
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    suffix = "." + filename.rpartition(".")[2].lower() if "." in filename else ""
    if suffix in _TEXT_SUFFIXES and _looks_like_text(head):
        return _TEXT_SUFFIXES[suffix]
    if _looks_like_text(head):
        return "text/plain"
    return "application/octet-stream"


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if encoding == "utf-8" and exc.start >= len(head) - 3:
                return True  # a multi-byte character cut by the sniff window
    return False


def default_category(media_type: str) -> EvidenceCategory:
    if media_type.startswith("image/"):
        return EvidenceCategory.product_photo
    if media_type.startswith("video/"):
        return EvidenceCategory.unboxing_video
    return EvidenceCategory.other
