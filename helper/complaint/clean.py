"""Turn what a buyer typed or pasted into plain, safe text for a complaint.

Notes arrive from a browser: pasted HTML, emoji, zero-width and bidi control characters,
100,000 characters of chat log. The draft is plain text that a reviewer reads and a form
accepts, so markup is removed (never passed on), emoji are dropped (forms often refuse
them), and long text is shortened at sentence boundaries, never mid-sentence.
"""

from __future__ import annotations

import html
import re

from helper.complaint.tone_shapes import EMOJI

BLOCK_START = re.compile(r"<!--|<(script|style|head|template)\b", re.IGNORECASE)
BREAK_TAG = re.compile(r"<\s*(?:br|/p|/div|/li|/tr|/h[1-6])\b[^<>]*>", re.IGNORECASE)
TAG = re.compile(r"<[A-Za-z/!][^<>]*>")
"""A tag never contains < or >: bounded this way every pattern here is linear, even on
100,000 characters of "<a <a <a" (an unbounded [^>]* would rescan the rest each time)."""
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
SPACES = re.compile(r"[ \t\u00a0\u3000]+")
NEWLINES = re.compile(r"\s*\n\s*")
SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|\n")
CLAUSE_END = re.compile(r"(?<=[，、,：:])| ")


def plain_text(raw: str) -> tuple[str, bool]:
    """Plain text and whether markup had to be removed. `<` and `>` that survive (a real
    "a<b") become full-width, so no consumer can ever read a tag out of the result."""
    text = BREAK_TAG.sub("\n", _drop_blocks(raw))
    stripped = TAG.sub("", text)
    had_markup = stripped != raw
    text = html.unescape(stripped).replace("<", "＜").replace(">", "＞")
    text = EMOJI.sub("", CONTROL.sub("", text))
    text = NEWLINES.sub("\n", SPACES.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n")))
    return text.strip(), had_markup


def _drop_blocks(text: str) -> str:
    """Remove comments and script/style/head/template elements with their content. An
    opener without its closer loses only itself (a buyer may type "<script" as text)."""
    lower, out, pos, unclosed = text.lower(), [], 0, set()
    while (m := BLOCK_START.search(lower, pos)) is not None:
        closer = "-->" if m.group() == "<!--" else f"</{m.group(1).lower()}"
        end = -1 if closer in unclosed else lower.find(closer, m.end())
        out.append(text[pos:m.start()])
        if end == -1:
            unclosed.add(closer)
            pos = m.end()
            continue
        gt = end + len(closer) - 1 if closer == "-->" else lower.find(">", end)
        out.append(" ")
        pos = len(text) if gt == -1 else gt + 1
    out.append(text[pos:])
    return "".join(out)


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
