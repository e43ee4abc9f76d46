"""Tone linter: finds what makes a reviewer discount a complaint, with spans and rewrites.

A complaint is read by a platform reviewer or a 12315 officer; insults, threats,
exaggeration, runs of ！！！ and shouting make it look like a quarrel instead of a claim,
and phone/ID numbers or a full address do not belong in a text the seller will read.
Word lists live in `data/tone.toml` (data, validated at load); the patterns that need
structure (punctuation runs, shouting, personal data, emoji) are here.

Offsets are Python `str` indices (code points), which is also what the extension gets
from JavaScript's `Array.from(text)`; the tests pin them.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from helper.models import ComplaintType, LintCategory, LintFinding

Severity = Literal["low", "medium", "high"]
SEVERITY_RANK: dict[str, int] = {"low": 0, "medium": 1, "high": 2}


class _Group(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category: LintCategory
    severity: Severity
    suggestion: str = Field(min_length=1)
    words: list[str] = Field(min_length=1)
    words_en: list[str] = Field(default_factory=list)
    replace: dict[str, str] = Field(default_factory=dict)


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


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@cache
def _lexicon_rules() -> tuple[tuple[_Rule, ...], re.Pattern[str] | None]:
    raw = resources.files("helper.complaint").joinpath("data/tone.toml").read_text("utf-8")
    lexicon = _Lexicon.model_validate(tomllib.loads(raw))
    rules = []
    for g in lexicon.groups:
        rules.append(_Rule(g.category, g.severity, re.compile(_alternation(g.words + list(g.replace))),
                           g.suggestion, g.replace))
        if g.words_en:
            rules.append(_Rule(g.category, g.severity,
                               re.compile(rf"(?<![A-Za-z])(?:{_alternation(g.words_en)})(?![A-Za-z])",
                                          re.IGNORECASE), g.suggestion, {}))
    allow = re.compile(_alternation(lexicon.allow)) if lexicon.allow else None
    return tuple(rules), allow


_NOT_ALNUM_BEFORE = r"(?<![0-9A-Za-z])"
_NOT_ALNUM_AFTER = r"(?![0-9A-Za-z])"
_PROVINCES = ("北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北"
              "|湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门")
_HAN = r"\u4e00-\u9fff"

MOBILE = re.compile(_NOT_ALNUM_BEFORE + r"(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}" + _NOT_ALNUM_AFTER)
LANDLINE = re.compile(_NOT_ALNUM_BEFORE + r"0\d{2,3}-\d{7,8}" + _NOT_ALNUM_AFTER)
ID_CARD = re.compile(_NOT_ALNUM_BEFORE + r"\d{17}[\dXx]" + _NOT_ALNUM_AFTER)
EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,5}"
                   r"\.[A-Za-z]{2,24}(?![A-Za-z])")
ADDRESS = re.compile(
    rf"(?:(?:{_PROVINCES})(?:省|自治区)?)?[{_HAN}]{{2,3}}(?:市|州|盟)[{_HAN}]{{1,6}}?(?:区|县|旗)"
    rf"[{_HAN}0-9]{{0,12}}?(?:路|街|大道|巷|弄|胡同|村)[0-9]{{1,6}}(?:号|弄)"
    rf"(?:[0-9A-Za-z{_HAN}-]{{0,12}}?(?:栋|幢|号楼|单元|室|楼))*")
PROVINCE = re.compile(_PROVINCES)
"""An address match may start with a word or two before the province (到北京市…): trim it."""
BUILDING = re.compile(r"(?<![0-9])[0-9]{1,4}(?:栋|幢|号楼)(?:[0-9]{1,3}单元)?[0-9]{1,5}室")
PUNCTUATION_RUN = re.compile(r"[!！?？]{2,}")
EXCLAMATION = re.compile(r"(?<![!！?？])[!！](?![!！?？])")
"""Even one ！ reads as raised voice in a complaint; a full stop carries the same fact."""
SENTENCE = re.compile(r"[^。！？；!?;\n]*[。！？；!?;\n]?")
RHETORICAL_END = re.compile(r"(?:吗|呢)[？?]$")
ADDRESSEE = re.compile(r"你们|商家|卖家|客服|店家|店铺")
"""A question put to the seller that expects no answer (你们良心过得去吗？) is an accusation.
Found sentence by sentence: one regex spanning the text would backtrack quadratically."""
NEUTRAL_QUESTION = re.compile(r"请问|是否|能否|可否|何时|什么时候|多久|怎么处理|如何处理")
SHOUTING = re.compile(r"(?<![A-Za-z])[A-Z]{2,}(?:[ \t,.!?'-]+[A-Z]+){2,}(?![A-Za-z])")
"""Three or more all-capital words in a row; single acronyms (USB, SHA-256) are fine."""
EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF]"
                   "(?:[\uFE0F\u200D\U0001F3FB-\U0001F3FF]+[\U0001F000-\U0001FAFF\u2600-\u27BF]?)*")

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _valid_id_number(value: str) -> bool:
    """GB 11643 check digit and a plausible birth date: keeps 18-digit order-ish numbers out."""
    check = "10X98765432"[sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS)) % 11]
    if value[17].upper() != check:
        return False
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return 1900 <= born.year <= 2100


@dataclass(frozen=True)
class _Hit:
    """A finding before deduplication (plain data: a pasted log can yield tens of thousands)."""

    start: int
    end: int
    category: LintCategory
    severity: Severity
    suggestion: str
    replacement: str | None = None


def _finding(match: re.Match[str], category: LintCategory, severity: Severity, suggestion: str,
             replacement: str | None = None) -> _Hit:
    return _Hit(match.start(), match.end(), category, severity, suggestion, replacement)


def _lexicon_findings(text: str) -> Iterator[_Hit]:
    rules, allow = _lexicon_rules()
    allowed = [m.span() for m in allow.finditer(text)] if allow else []
    for rule in rules:
        for m in rule.pattern.finditer(text):
            if any(a <= m.start() and m.end() <= b for a, b in allowed):
                continue
            yield _finding(m, rule.category, rule.severity, rule.suggestion, rule.replace.get(m.group()))


def _pattern_findings(text: str) -> Iterator[_Hit]:
    pd = LintCategory.personal_data
    for m in MOBILE.finditer(text):
        yield _finding(m, pd, "high", "删除手机号：联系方式平台已有，不要写进投诉正文。", "[手机号已隐去]")
    for m in LANDLINE.finditer(text):
        yield _finding(m, pd, "high", "删除电话号码：联系方式平台已有，不要写进投诉正文。", "[电话已隐去]")
    for m in ID_CARD.finditer(text):
        if _valid_id_number(m.group()):
            yield _finding(m, pd, "high", "删除身份证号：投诉正文不需要，且会被卖家看到。", "[身份证号已隐去]")
    for m in EMAIL.finditer(text):
        yield _finding(m, pd, "medium", "删除邮箱地址：联系方式平台已有。", "[邮箱已隐去]")
    for pattern in (ADDRESS, BUILDING):
        for m in pattern.finditer(text):
            if pattern is ADDRESS and (province := PROVINCE.search(m.group(), 0, 6)):
                m = pattern.match(text, m.start() + province.start()) or m
            yield _finding(m, pd, "high", "删除详细地址：收货信息平台已有，不要写进投诉正文。", "[地址已隐去]")
    for m in PUNCTUATION_RUN.finditer(text):
        neutral = "？" if set(m.group()) & {"?", "？"} else "。"
        yield _finding(m, LintCategory.punctuation, "low", f"连续的感叹号/问号改为一个“{neutral}”。", neutral)
    for m in EXCLAMATION.finditer(text):
        yield _finding(m, LintCategory.punctuation, "low", "感叹号改为句号，用事实代替语气。", "。")
    for m in SENTENCE.finditer(text):
        sentence = m.group()
        if (RHETORICAL_END.search(sentence) and ADDRESSEE.search(sentence)
                and not NEUTRAL_QUESTION.search(sentence)):
            start = m.start() + len(sentence) - len(sentence.lstrip())
            yield _Hit(start, m.end(), LintCategory.emotional, "low",
                       "把反问改为陈述：写明发生了什么、希望卖家怎么处理。")
    for m in SHOUTING.finditer(text):
        yield _finding(m, LintCategory.shouting, "medium", "不要整句大写，改为正常大小写的平实陈述。",
                       m.group().capitalize())
    for m in EMOJI.finditer(text):
        yield _finding(m, LintCategory.emotional, "low", "删除表情符号：投诉表单常不接受，也显得情绪化。", "")


@dataclass(frozen=True)
class LintContext:
    """What the case knows that changes a word's meaning: its own product names (a
    "骗子鱼" or a "傻瓜相机" in the order's item titles is the product, not an insult) and
    its situation (骚扰 is the subject of a harassment complaint)."""

    product_words: tuple[str, ...] = ()
    situation: ComplaintType | None = None


PRODUCT_WORD_SPLIT = re.compile(r"[\s,，、/|｜()（）\[\]【】+＋:：;；]+")


def product_words(*titles: str | None) -> tuple[str, ...]:
    """The pieces of item titles and SKU texts a buyer may repeat (2 characters or more)."""
    words = {w for t in titles if t for w in (t, *PRODUCT_WORD_SPLIT.split(t)) if len(w.strip()) >= 2}
    return tuple(sorted(words, key=len, reverse=True))


def _exempt_spans(text: str, context: LintContext | None) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for word in context.product_words if context else ():
        start = text.find(word)
        while start != -1:
            spans.append((start, start + len(word)))
            start = text.find(word, start + 1)
    return spans


def lint(text: str, context: LintContext | None = None) -> list[LintFinding]:
    """All findings in `text`, sorted by position; a span inside a longer finding of equal
    or higher severity is dropped so the buyer sees one finding per problem."""
    return lint_first(text, None, context)[0]


def lint_first(text: str, limit: int | None, context: LintContext | None = None) -> tuple[list[LintFinding], int]:
    """The first `limit` findings (all when None) and how many there are in total. Linear
    in the number of findings: a pasted chat log can hold tens of thousands."""
    exempt = _exempt_spans(text, context)
    hits = (h for h in (*_lexicon_findings(text), *_pattern_findings(text))
            if h.category is LintCategory.personal_data or not any(a <= h.start and h.end <= b for a, b in exempt))
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
    (re.compile(r"(?:你们|卖家|商家|客服|店家|这家店|这个店)[^。！？]{0,4}?(?:就|都|全)?是[^。！？]{0,4}?骗子"),
     "商品与描述不符，我认为存在误导。"),
    (re.compile(r"骗子|诈骗|骗钱|骗人"), "商品与描述不符，我认为存在误导。"),
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
LEFTOVER_END = re.compile(r"(?:就是|都是|真是|简直是|简直|是|太|真|你们|一群|一帮)[，。！？,.!?]*$")


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
    if len(left) >= 6 and not LEFTOVER_END.search(text) and not lint(text):
        return text if text[-1:] in "。！？.!?" else text + "。"
    return CATEGORY_REWRITES[worst.category]
