"""Tone linter: the labelled corpus (precision/recall), exact spans, categories, traps."""

from __future__ import annotations

from pathlib import Path

import pytest

from helper.complaint.tone import lint, lint_first, neutralize
from helper.models import LintCategory

CORPUS = Path(__file__).with_name("tone_corpus.tsv")


def corpus(name: str = CORPUS.name) -> list[tuple[str, str]]:
    rows = []
    for line in CORPUS.with_name(name).read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            label, sentence = line.split("\t")
            rows.append((label, sentence))
    return rows


def score(name: str, rows: list[tuple[str, str]]) -> tuple[float, float]:
    """Precision and recall of "flags any span" against the labels; prints what it got wrong."""
    flagged = [(label, bool(lint(sentence)), sentence) for label, sentence in rows]
    tp = sum(1 for label, hit, _ in flagged if label == "emotional" and hit)
    fp = sum(1 for label, hit, _ in flagged if label == "objective" and hit)
    fn = sum(1 for label, hit, _ in flagged if label == "emotional" and not hit)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"\ntone {name}: precision {precision:.3f}, recall {recall:.3f} (tp={tp} fp={fp} fn={fn}); "
          "false alarms: " + " | ".join(s for label, hit, s in flagged if label == "objective" and hit)
          + "; missed: " + " | ".join(s for label, hit, s in flagged if label == "emotional" and not hit))
    return precision, recall


def test_corpus_is_balanced_and_large_enough() -> None:
    labels = [label for label, _ in corpus()]
    assert labels.count("emotional") >= 30 and labels.count("objective") >= 30
    assert set(labels) == {"emotional", "objective"}


def test_corpus_precision_and_recall() -> None:
    tp = fp = fn = tn = 0
    misses, false_alarms = [], []
    for label, sentence in corpus():
        flagged = bool(lint(sentence))
        if label == "emotional":
            tp, fn = tp + flagged, fn + (not flagged)
            if not flagged:
                misses.append(sentence)
        else:
            fp, tn = fp + flagged, tn + (not flagged)
            if flagged:
                false_alarms.append((sentence, [(f.text, f.category.value) for f in lint(sentence)]))
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    print(f"\ntone corpus: {tp + fn} emotional, {fp + tn} objective; "
          f"precision {precision:.3f}, recall {recall:.3f} (tp={tp} fp={fp} fn={fn} tn={tn})")
    assert precision >= 0.95, false_alarms
    assert recall >= 0.90, misses


@pytest.mark.parametrize(("text", "expected"), [
    ("你们就是骗子", [(4, 6, "insult", "high")]),
    ("😀😀太过分了！！！", [(0, 1, "emotional", "low"), (1, 2, "emotional", "low"),
                        (2, 5, "emotional", "low"), (6, 9, "punctuation", "low")]),
    ("不退款就去网上曝光", [(5, 9, "threat", "high")]),
    ("这绝对是假的", [(1, 3, "absolute", "medium")]),
    ("电话13812345678", [(2, 13, "personal_data", "high")]),
    ("电话 +86 138-1234-5678 谢谢", [(3, 20, "personal_data", "high")]),
    ("身份证110101199003074514", [(3, 21, "personal_data", "high")]),
    ("寄到北京市朝阳区建国路88号", [(2, 14, "personal_data", "high")]),
    ("THIS IS A SCAM", [(0, 14, "shouting", "medium"), (10, 14, "insult", "high")]),
    ("what a scam", [(7, 11, "insult", "high")]),
])
def test_spans_are_python_string_offsets(text: str, expected: list[tuple[int, int, str, str]]) -> None:
    findings = lint(text)
    assert [(f.start, f.end, f.category.value, f.severity) for f in findings] == expected
    for f in findings:
        assert text[f.start:f.end] == f.text
        assert f.suggestion


@pytest.mark.parametrize("text", [
    "订单号4865640015090004803，子订单号4865640015090004804。",  # 19 digits: not a phone or ID
    "快递单号 75312345678901，SHA-256 a13812345678",  # digits inside longer tokens
    "110101199003074515",  # 18 digits with a wrong check digit: not an ID number
    "垃圾袋少了20个，滚筒洗衣机有异响，狗粮受潮。",
    "材质标注涤纶100%，USB接口无法识别。",
    "照片曝光不足，食用后恶心呕吐。",
    "",
])
def test_objective_traps_are_not_flagged(text: str) -> None:
    assert lint(text) == []


def test_every_category_is_reachable() -> None:
    text = "骗子！！等着瞧。绝对。气死我了。13812345678 THIS IS LOUD"
    assert {f.category for f in lint(text)} == set(LintCategory)


def test_neutralize_masks_personal_data_and_punctuation_only() -> None:
    text = "我的电话13812345678！！！卖家是骗子"
    fixed, applied = neutralize(text, frozenset({LintCategory.personal_data, LintCategory.punctuation}))
    assert fixed == "我的电话[手机号已隐去]。卖家是骗子"
    assert [f.category for f in applied] == [LintCategory.personal_data, LintCategory.punctuation]


def test_huge_and_odd_input_does_not_crash() -> None:
    text = ("正常描述。" * 20_000) + "骗子" + "🙂" * 10 + "\u202e\u200d" + "<b>x</b>"
    findings = lint(text)
    assert any(f.text == "骗子" and f.start == 100_000 for f in findings)


def test_held_out_precision_and_recall() -> None:
    """Written after the first lexicon and run blind: precision 1.00, recall 0.50. The
    lexicon was then revised with these misses in view, so today's number is optimistic."""
    rows = corpus("tone_holdout.tsv")
    precision, recall = score("tone_holdout", rows)
    assert precision >= 0.9
    assert recall >= 0.5


def test_second_held_out_set() -> None:
    """Run blind against the second lexicon: precision 1.00, recall 0.36; the third
    revision (rhetorical questions, single ！, more words) saw its misses."""
    rows = corpus("tone_holdout2.tsv")
    assert len(rows) >= 50
    precision, recall = score("tone_holdout2", rows)
    assert precision >= 0.9
    assert recall >= 0.5


@pytest.mark.parametrize("text", [
    "1" * 100_000, "a" * 100_000, "AA " * 33_000 + "a", "<a " * 33_000, "<script" * 14_000, "<!--" * 25_000,
    "你们" * 50_000 + "吗？", "a@" * 50_000, "138-" * 25_000, "北京市朝阳区建国路" * 10_000, "！a" * 50_000,
    "垃圾袋" * 33_000, "“a”" * 33_000, "客服说“骗子”" * 15_000, "再不" * 50_000, "真是" * 50_000, "6" * 100_000,
    "微信a" * 33_000,
])
def test_pathological_input_stays_fast(text: str) -> None:
    """Every pattern is linear: no input a buyer can paste makes the helper spin."""
    from time import perf_counter

    from helper.complaint import clean
    start = perf_counter()
    findings, total = lint_first(text, 50)
    clean.shorten(clean.plain_text(text)[0], 1500)
    assert perf_counter() - start < 10  # generous: the machine is shared; quadratic takes minutes
    assert len(findings) <= 50 and total >= len(findings)


def test_third_held_out_set() -> None:
    """Blind for the final lexicon, run once: the estimate to quote. Measured at
    precision 1.00 / recall 0.20 — word lists catch the phrasings they list and little
    else; the assertions guard against regressions, they are not a quality claim."""
    rows = corpus("tone_holdout3.tsv")
    assert len(rows) >= 50
    precision, recall = score("tone_holdout3", rows)
    assert precision >= 0.9
    assert recall >= 0.2
