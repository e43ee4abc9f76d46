"""The buyer's own words in a draft: linted, stripped of markup, shortened, masked.

The buyer writes angry and long, and sometimes pastes a phone number or a whole chat
log; the draft keeps their facts, in their words, but in a form a reviewer takes
seriously — and says what it changed, so nothing happens behind their back.
"""

from __future__ import annotations

from dataclasses import dataclass

from helper.complaint import clean
from helper.complaint.tone import lint_first, neutralize
from helper.models import DraftRequest, Fact, LintCategory, Notice, SourcedFinding, WithheldSentence

NOTES_MAX = 1500
"""Characters of notes kept in the full text; the rest stays in the request, not the complaint."""
FACT_MAX = 1000
"""Characters of one fact kept (facts may be 5,000 long; a complaint needs the gist)."""
AUTO_FIXED = frozenset({LintCategory.personal_data, LintCategory.punctuation})
"""Findings the engine fixes itself (masking, one ！ instead of ！！！); the rest is the
buyer's to rewrite, so they are reported, not silently changed."""
MAX_FINDINGS_PER_SOURCE = 50
"""A pasted 100k-character chat log can hold thousands; the buyer needs the first few."""


@dataclass
class BuyerText:
    """The buyer's facts and notes after cleaning, with what was found and fixed."""

    facts: list[Fact]
    notes: str
    findings: list[SourcedFinding]
    warnings: list[Notice]
    withheld: list[WithheldSentence]


def clean_buyer_text(request: DraftRequest) -> BuyerText:
    warnings: list[Notice] = []
    findings: list[SourcedFinding] = []
    markup = masked = False

    def prepare(raw: str, source: str, limit: int) -> str:
        nonlocal markup, masked
        # offsets into the text as the buyer sent it, for highlighting there
        found, total = lint_first(raw, MAX_FINDINGS_PER_SOURCE)
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
        text, applied = neutralize(text, AUTO_FIXED)
        masked |= any(f.category is LintCategory.personal_data for f in applied)
        return text

    facts = []
    for i, fact in enumerate(request.facts):
        if text := prepare(fact.text, f"facts[{i}]", FACT_MAX):
            facts.append(Fact(date=fact.date, text=text))
    notes = prepare(request.notes or "", "notes", NOTES_MAX)
    if markup:
        warnings.append(Notice(code="markup_removed", message="描述中的网页标记（HTML）已去除，只保留文字。"))
    if masked:
        warnings.append(Notice(code="personal_data_masked",
                               message="描述中的手机号、身份证号或详细地址已在草稿中隐去。"))
    to_rewrite = [f for f in findings if f.category not in AUTO_FIXED]
    if to_rewrite:
        warnings.append(Notice(code="tone", message=(
            f"你的描述中有 {len(to_rewrite)} 处情绪化、绝对化或攻击性的表述（见 findings），"
            "建议按建议改写后重新生成：客观陈述更容易得到支持。")))
    return BuyerText(facts=facts, notes=notes, findings=findings, warnings=warnings, withheld=[])
