"""Turn what a buyer typed or pasted into plain, safe text for a complaint.

Notes arrive from a browser: pasted HTML, emoji, zero-width and bidi control characters,
100,000 characters of chat log. The draft is plain text that a reviewer reads and a form
accepts, so markup is removed (never passed on), emoji are dropped (forms often refuse
them), and long text is shortened at sentence boundaries, never mid-sentence.
"""

from __future__ import annotations

import html
import re

from helper.complaint.tone import EMOJI

SCRIPT_BLOCK = re.compile(r"<(script|style|head|template)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
BREAK_TAG = re.compile(r"<\s*(?:br|/p|/div|/li|/tr|/h[1-6])\b[^>]*>", re.IGNORECASE)
TAG = re.compile(r"<!--.*?-->|<[A-Za-z/!][^>]*>", re.DOTALL)
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
SPACES = re.compile(r"[ \t\u00a0\u3000]+")
NEWLINES = re.compile(r"\s*\n\s*")
SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|\n")
CLAUSE_END = re.compile(r"(?<=[，、,：:])| ")


def plain_text(raw: str) -> tuple[str, bool]:
    """Plain text and whether markup had to be removed. `<` and `>` that survive (a real
    "a<b") become full-width, so no consumer can ever read a tag out of the result."""
    text = SCRIPT_BLOCK.sub(" ", raw)
    text = BREAK_TAG.sub("\n", text)
    stripped = TAG.sub("", text)
    had_markup = stripped != raw
    text = html.unescape(stripped).replace("<", "＜").replace(">", "＞")
    text = EMOJI.sub("", CONTROL.sub("", text))
    text = NEWLINES.sub("\n", SPACES.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n")))
    return text.strip(), had_markup


def sentences(text: str) -> list[str]:
    """Split after 。！？； and at line breaks; each piece keeps its own punctuation."""
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


def end_sentence(text: str) -> str:
    """Make a fragment a sentence, so the pieces of a draft read and join cleanly."""
    return text if text.endswith(("。", "！", "？", "；", ".", "!", "?", "…")) else text + "。"


def shorten(text: str, limit: int) -> tuple[str, bool]:
    """At most `limit` characters of whole sentences (a first sentence longer than the
    limit is cut at a clause boundary and marked with ……). Returns (text, shortened)."""
    if len(text) <= limit:
        return text, False
    kept: list[str] = []
    size = 0
    for sentence in sentences(text):
        if size + len(sentence) > limit:
            break
        kept.append(sentence)
        size += len(sentence)
    if kept:
        return "".join(kept), True
    head = text[:limit - 2]
    cuts = [m.start() for m in CLAUSE_END.finditer(head)]
    return (head[:cuts[-1]] if cuts and cuts[-1] > 0 else head).rstrip("，、,：: ") + "……", True
