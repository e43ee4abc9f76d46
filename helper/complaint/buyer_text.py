"""The buyer's own words in a draft: linted, stripped of markup, shortened, and never carrying
an insult, a threat or personal data.

The buyer writes angry and long, and sometimes pastes a phone number or a whole chat log.
A complaint with an insult in it is the most common way buyers sabotage themselves, so the
draft keeps their facts in their words sentence by sentence: a sentence with a finding is
rewritten where every finding in it has a safe drop-in fix (a masked phone number, 。 for
！！！, an interjection dropped, 卖家 for 奸商), and otherwise left out of every text. Each
such sentence is listed (`withheld`) with what was used or a suggested neutral rewrite, so
nothing happens behind the buyer's back and they can put the fact back in neutral words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from helper.complaint import clean
from helper.complaint.tone import LintContext, dangling, lint, lint_first, neutralize, rewrite_suggestion
from helper.models import DraftRequest, Fact, LintCategory, Notice, SourcedFinding, WithheldSentence

NOTES_MAX = 1500
"""Characters of notes kept in the full text; the rest stays in the request, not the complaint."""
FACT_MAX = 1000
"""Characters of one fact kept (facts may be 5,000 long; a complaint needs the gist)."""
MAX_FINDINGS_PER_SOURCE = 50
"""A pasted 100k-character chat log can hold thousands; the buyer needs the first few."""
MAX_WITHHELD = 200
"""Sentences listed per draft; the count in the warning is always complete."""
SENTENCE = re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;…]+|\n|$)")
"""A sentence with its whole run of closing marks (！！！ stays with its sentence)."""
MEANINGFUL = re.compile(r"[\w\u4e00-\u9fff]")
MIN_LEFT = 2
"""A rewrite that leaves fewer letters than this has nothing left to say: it is left out instead."""


@dataclass
class BuyerText:
    """The buyer's facts and notes after cleaning, with what was found, fixed and left out."""

    facts: list[Fact]
    notes: str
    findings: list[SourcedFinding]
    warnings: list[Notice]
    withheld: list[WithheldSentence]


def _tidy(text: str) -> str:
    """After dropping words: no leading commas, no doubled marks, no space before a mark."""
    text = re.sub(r"^[\s，、,：:；;]+", "", text)
    text = re.sub(r"[，、,]+(?=[。！？；!?;]|$)", "", text)
    return re.sub(r"\s+(?=[，。！？；,.!?;])", "", text).strip()


class _Sentences:
    """Sentence-by-sentence cleaning of one field; collects what it left out or rewrote."""

    def __init__(self, context: LintContext) -> None:
        self.context = context
        self.withheld: list[WithheldSentence] = []
        self.omitted = self.rewritten = self.masked = 0
        self.words: dict[str, None] = {}

    def clean(self, raw: str, text: str, source: str) -> str:
        out, cursor = [], 0
        for m in SENTENCE.finditer(text):
            piece = m.group()
            sentence = piece.strip()
            if not sentence:
                out.append(piece)
                continue
            found = lint(sentence, self.context)
            if not found:
                out.append(piece)
                continue
            start = raw.find(sentence, cursor)
            if start != -1:
                cursor = start + len(sentence)
            for f in found:
                if f.category is not LintCategory.personal_data:
                    self.words[f.text] = None
            fixed = self._safe_fix(sentence, found)
            categories = sorted({f.category.value for f in found})
            if fixed is not None:
                self.rewritten += 1
                self.masked += any(f.category is LintCategory.personal_data for f in found)
                out.append(piece.replace(sentence, fixed))
                self._list(source, start, sentence, "rewritten", fixed, categories)
            else:
                self.omitted += 1
                self._list(source, start, sentence, "omitted", rewrite_suggestion(sentence, found), categories)
        return "".join(out).strip()

    def _safe_fix(self, sentence: str, found: list) -> str | None:  # noqa: ANN001 - LintFinding list
        if any(f.replacement is None for f in found):
            return None
        fixed, _ = neutralize(sentence, frozenset(LintCategory), found)
        fixed = _tidy(fixed)
        if len(MEANINGFUL.findall(fixed)) < MIN_LEFT or dangling(fixed) or lint(fixed, self.context):
            return None
        return clean.end_sentence(fixed) if fixed[-1:] not in "。！？；.!?;…" else fixed

    def _list(self, source: str, start: int, text: str, action: str, rewrite: str, categories: list[str]) -> None:
        if len(self.withheld) < MAX_WITHHELD:
            self.withheld.append(WithheldSentence(
                source=source, start=start if start != -1 else None, end=start + len(text) if start != -1 else None,
                text=text, action=action, rewrite=rewrite, categories=categories))  # type: ignore[arg-type]


def clean_buyer_text(request: DraftRequest, context: LintContext | None = None) -> BuyerText:
    context = context or LintContext(situation=request.complaint_type)
    warnings: list[Notice] = []
    findings: list[SourcedFinding] = []
    sentences = _Sentences(context)
    markup = False

    def prepare(raw: str, source: str, limit: int) -> str:
        nonlocal markup
        # offsets into the text as the buyer sent it, for highlighting there
        found, total = lint_first(raw, MAX_FINDINGS_PER_SOURCE, context)
        if total > MAX_FINDINGS_PER_SOURCE:
            warnings.append(Notice(code="findings_capped", message=(
                f"{source} 中有 {total} 处需要改写的表述，只列出前 {MAX_FINDINGS_PER_SOURCE} 处。")))
        findings.extend(SourcedFinding(**f.model_dump(), source=source) for f in found)
        text, had_markup = clean.plain_text(raw)
        markup |= had_markup
        text, shortened = clean.shorten(text, limit)
        if shortened:
            warnings.append(Notice(code="notes_shortened" if source == "notes" else "fact_shortened", message=(
                f"{source} 较长，草稿中只保留了前 {len(text)} 个字符的完整句子；完整内容仍保存在请求中。")))
        return sentences.clean(raw, text, source)

    facts = []
    for i, fact in enumerate(request.facts):
        if text := prepare(fact.text, f"facts[{i}]", FACT_MAX):
            facts.append(Fact(date=fact.date, text=text, seller_reply=fact.seller_reply))
    notes = prepare(request.notes or "", "notes", NOTES_MAX)
    if markup:
        warnings.append(Notice(code="markup_removed", message="描述中的网页标记（HTML）已去除，只保留文字。"))
    if sentences.masked:
        warnings.append(Notice(code="personal_data_masked",
                               message="描述中的手机号、身份证号、银行卡号或详细地址已在草稿中隐去。"))
    if sentences.omitted or sentences.rewritten:
        words = "、".join(f"“{w}”" for w in list(sentences.words)[:8])
        listed = f"（{words}）" if words else ""
        warnings.append(Notice(code="tone", message=(
            f"你的描述中有 {sentences.omitted + sentences.rewritten} 句含有情绪化、攻击性或个人信息的表述{listed}："
            f"{sentences.omitted} 句未写入草稿，{sentences.rewritten} 句已改写。每一句都列在下方并附有建议写法；"
            "按建议改写后重新生成，事实就能保留：客观陈述更容易得到支持。")))
    return BuyerText(facts=facts, notes=notes, findings=findings, warnings=warnings, withheld=sentences.withheld)
