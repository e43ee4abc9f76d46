"""Reading a stored media type such as `text/html; charset=utf-8`.

Artifacts carry a full media type, parameters included (captures store their HTML as
`text/html; charset=utf-8`), so code that decides how to show one compares the essence
(`type/subtype`, lower case, RFC 9110 §8.3.1) — never the whole string.
"""

from __future__ import annotations

import re

_CHARSET = re.compile(r";\s*charset\s*=\s*\"?([A-Za-z0-9._:-]+)\"?", re.IGNORECASE)


def essence(media_type: str) -> str:
    """`Text/HTML; charset=UTF-8` → `text/html`."""
    return media_type.split(";", 1)[0].strip().lower()


def charset(media_type: str) -> str | None:
    """The `charset` parameter, if the media type has one."""
    found = _CHARSET.search(media_type)
    return found.group(1) if found else None
