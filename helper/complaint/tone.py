"""Tone linter: finds what makes a reviewer discount a complaint, with spans and rewrites.

A complaint is read by a platform reviewer or a 12315 officer; insults, profanity, threats,
pressure with self-harm, sarcasm, exaggeration, runs of ！！！ and shouting make it look
like a quarrel instead of a claim, and phone, ID, bank-card, WeChat or QQ numbers do not
belong in a text the seller will read. Word lists live in `data/tone.toml` (data,
validated at load); shapes that need sentence structure are in `tone_shapes.py`, personal
data in `personal_data.py`.

What is not the buyer's tone is not a finding: the seller's own words quoted as evidence
(客服回复“…”), the order's own product names (骗子鱼, 傻瓜相机) and a curated list of
innocent product words (垃圾袋, 去死皮, 黑心棉), and 骚扰 as the subject of a harassment
complaint. Personal data stays a finding wherever it is.

Offsets are Python `str` indices (code points), which is also what the extension gets
from JavaScript's `Array.from(text)`; the tests pin them.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from helper.complaint import personal_data, tone_shapes
from helper.models import ComplaintType, LintCategory, LintFinding

Severity = Literal["low", "medium", "high"]
SEVERITY_RANK: dict[str, int] = {"low": 0, "medium": 1, "high": 2}
EMOJI = tone_shapes.EMOJI


class _Group(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category: LintCategory
    severity: Severity
    suggestion: str = Field(min_length=1)
    words: list[str] = Field(default_factory=list)
    words_en: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list, description="bounded regular expressions")
    replace: dict[str, str] = Field(default_factory=dict)
    drop: bool = Field(default=False, description="every match can be dropped without losing the sentence's fact")

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for p in patterns:
            re.compile(p)
        return patterns


class _Lexicon(BaseModel):
    model_config = ConfigDict(extra="forbid")

    allow: list[str]
    groups: list[_Group] = Field(min_length=1)


@dataclass(frozen=True)
class _Rule:
    category: LintCategory
    severity: Severity
    pattern: re.Pattern[str]
    suggestion: str
    replace: dict[str, str]
    drop: bool


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@cache
def _lexicon_rules() -> tuple[tuple[_Rule, ...], re.Pattern[str] | None]:
    raw = resources.files("helper.complaint").joinpath("data/tone.toml").read_text("utf-8")
    lexicon = _Lexicon.model_validate(tomllib.loads(raw))
    rules = []
    for g in lexicon.groups:
        if g.words or g.replace:
            rules.append(_Rule(g.category, g.severity, re.compile(_alternation(g.words + list(g.replace))),
                               g.suggestion, g.replace, g.drop))
        if g.words_en:
            rules.append(_Rule(g.category, g.severity,
                               re.compile(rf"(?<![A-Za-z0-9_-])(?:{_alternation(g.words_en)})(?![A-Za-z0-9_-])",
                                          re.IGNORECASE), g.suggestion, {}, g.drop))
        for pattern in g.patterns:
            rules.append(_Rule(g.category, g.severity, re.compile(pattern), g.suggestion, {}, g.drop))
    allow = re.compile(_alternation(lexicon.allow)) if lexicon.allow else None
    return tuple(rules), allow


@dataclass(frozen=True)
class LintContext:
    """What the case knows that changes a word's meaning: its own product names (a
    "骗子鱼" or a "傻瓜相机" in the order's item titles is the product, not an insult) and
    its situation (骚扰 is the subject of a harassment complaint)."""

    product_words: tuple[str, ...] = ()
    situation: ComplaintType | None = None


PRODUCT_WORD_SPLIT = re.compile(r"[\s,，、/|｜()（）\[\]【】+＋:：;；\"“”'‘’「」『』]+")


def product_words(*titles: str | None) -> tuple[str, ...]:
    """The pieces of item titles and SKU texts a buyer may repeat (2 characters or more)."""
    words = {w for t in titles if t for w in (t, *PRODUCT_WORD_SPLIT.split(t)) if len(w.strip()) >= 2}
    return tuple(sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class _Hit:
    """A finding before deduplication (plain data: a pasted log can yield tens of thousands)."""

    start: int
    end: int
    category: LintCategory
    severity: Severity
    suggestion: str
    replacement: str | None = None


def _lexicon_findings(text: str) -> Iterator[_Hit]:
    rules, _ = _lexicon_rules()
    for rule in rules:
        for m in rule.pattern.finditer(text):
            replacement = rule.replace.get(m.group(), "" if rule.drop else None)
            yield _Hit(m.start(), m.end(), rule.category, rule.severity, rule.suggestion, replacement)


def _pattern_findings(text: str, context: LintContext | None) -> Iterator[_Hit]:
    for p in personal_data.find(text):
        yield _Hit(p.start, p.end, LintCategory.personal_data, p.severity, p.suggestion, p.replacement)  # type: ignore[arg-type]
    harassment = context is not None and context.situation is ComplaintType.service_harassment
    for s in tone_shapes.find(text, harassment):
        yield _Hit(s.start, s.end, s.category, s.severity, s.suggestion, s.replacement)  # type: ignore[arg-type]


def _exempt_spans(text: str, context: LintContext | None) -> list[tuple[int, int]]:
    """Where the words are not the buyer's tone: the curated innocent words, the order's
    own product names and the seller's quoted words."""
    _, allow = _lexicon_rules()
    spans = [m.span() for m in allow.finditer(text)] if allow else []
    for word in context.product_words if context else ():
        start = text.find(word)
        while start != -1:
            spans.append((start, start + len(word)))
            start = text.find(word, start + 1)
    return spans + tone_shapes.seller_quotes(text)


class _Covered:
    """Whether a span lies inside one of `spans`, in log time: a paste can hold tens of
    thousands of exempt words and of findings."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans.sort()
        self.starts = [a for a, _ in spans]
        self.reach: list[int] = []
        for _, b in spans:
            self.reach.append(max(b, self.reach[-1]) if self.reach else b)

    def __call__(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, start)
        return i > 0 and self.reach[i - 1] >= end


def lint(text: str, context: LintContext | None = None) -> list[LintFinding]:
    """All findings in `text`, sorted by position; a span inside a longer finding of equal
    or higher severity is dropped so the buyer sees one finding per problem."""
    return lint_first(text, None, context)[0]


def lint_first(text: str, limit: int | None, context: LintContext | None = None) -> tuple[list[LintFinding], int]:
    """The first `limit` findings (all when None) and how many there are in total. Linear
    in the number of findings: a pasted chat log can hold tens of thousands."""
    inside = _Covered(_exempt_spans(text, context))
    hits = (h for h in (*_lexicon_findings(text), *_pattern_findings(text, context))
            if h.category is LintCategory.personal_data or not inside(h.start, h.end))
    found = sorted({(h.start, h.end, h.category): h for h in hits}.values(),
                   key=lambda h: (h.start, -(h.end - h.start), -SEVERITY_RANK[h.severity]))
    # per severity: the furthest end among kept findings (all start at or before the current
    # one) and the smallest start among those reaching that end
    reach: dict[int, tuple[int, int]] = {}
    kept: list[_Hit] = []
    for h in found:
        rank = SEVERITY_RANK[h.severity]
        if any(end > h.end or (end == h.end and start < h.start)
               for r, (end, start) in reach.items() if r >= rank):
            continue
        kept.append(h)
        end, start = reach.get(rank, (-1, h.start))
        reach[rank] = (h.end, h.start) if h.end > end else (end, min(start, h.start))
    return [LintFinding(start=h.start, end=h.end, category=h.category, severity=h.severity,
                        text=text[h.start:h.end], suggestion=h.suggestion, replacement=h.replacement)
            for h in kept[:limit]], len(kept)


def neutralize(text: str, categories: frozenset[LintCategory],
               findings: list[LintFinding] | None = None) -> tuple[str, list[LintFinding]]:
    """Apply the drop-in replacements of findings in `categories` (right to left, so the
    offsets stay valid) and return the new text plus the findings that were applied."""
    applied = [f for f in (lint(text) if findings is None else findings)
               if f.category in categories and f.replacement is not None]
    result, last_start = text, len(text) + 1
    used = []
    for f in sorted(applied, key=lambda f: f.start, reverse=True):
        if f.end > last_start:  # overlaps one already replaced
            continue
        result = result[:f.start] + (f.replacement or "") + result[f.end:]
        last_start = f.start
        used.append(f)
    return result, used[::-1]


SENTENCE_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"骗子|诈骗|骗钱|骗人|忽悠"), "商品与描述不符，我认为存在误导。"),
)
"""Rewrites that keep the fact an insult was standing in for (the issue's own example)."""
CATEGORY_REWRITES = {
    LintCategory.threat: "如仍未解决，我将依法向平台、12315 或法院反映。",
    LintCategory.insult: "请只写发生了什么：时间、商品的问题和卖家的答复。",
    LintCategory.emotional: "请写明具体情况和希望的处理方式。",
    LintCategory.absolute: "请写明可以证明的具体事实（时间、数量、页面原文）。",
    LintCategory.shouting: "请用正常大小写写明发生了什么。",
    LintCategory.punctuation: "请用一个句号结束这句话。",
    LintCategory.personal_data: "联系方式平台已有，请不要写进投诉正文。",
}
LEFTOVER_END = re.compile(r"(?:就是|都是|真是|简直是|简直|是|太|真|你们|一群|一帮|个)[，。！？,.!?]*$")
"""What an insult leaves behind when it is cut out of "你们就是…": not a sentence."""


def dangling(text: str) -> bool:
    return bool(LEFTOVER_END.search(text))


def rewrite_suggestion(sentence: str, findings: list[LintFinding]) -> str:
    """A neutral sentence to write instead of `sentence`: its drop-in fixes applied and the
    loaded words removed when what is left still says something; otherwise a sentence that
    keeps the fact the words stood in for, or what to write instead."""
    worst = max(findings, key=lambda f: SEVERITY_RANK[f.severity])
    if worst.category in (LintCategory.insult, LintCategory.absolute):
        for pattern, rewrite in SENTENCE_REWRITES:
            if pattern.search(sentence):
                return rewrite
    text = sentence
    for f in sorted(findings, key=lambda f: f.start, reverse=True):
        text = text[:f.start] + (f.replacement or "") + text[f.end:]
    text = re.sub(r"^[\s，、,：:；;]+", "", text).strip()
    left = re.sub(r"[^\w\u4e00-\u9fff]", "", text)
    if len(left) >= 6 and not dangling(text) and not lint(text):
        return text if text[-1:] in "。！？.!?" else text + "。"
    return CATEGORY_REWRITES[worst.category]
