"""Bidi control characters, removed from names a person reads.

A right-to-left override (U+202E) reverses what follows it: `invoice\u202efdp.exe` shows
as `invoiceexe.pdf`. Where a name is displayed or becomes a saved file's name (a download's
Content-Disposition), these controls go, so a name cannot disguise what it is. The stored
evidence keeps its name as received: the record is not rewritten, only its display.
"""

from __future__ import annotations

import re

BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
"""Embeddings and overrides, isolates, the LRM/RLM marks and the Arabic letter mark."""


def strip_bidi(text: str) -> str:
    return BIDI_CONTROLS.sub("", text)
