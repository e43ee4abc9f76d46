"""No insult, threat or personal data reaches a draft: each sentence with a finding is rewritten
where a safe fix exists, otherwise left out of every text, and listed with what to write."""

from __future__ import annotations

import pytest

from helper.complaint import catalog
from helper.complaint.draft import build
from helper.complaint.tone import lint
from helper.models import Channel, ComplaintSettings, EvidenceCategory as C
from tests.complaint.helpers import NOW, case, evidence, order, request

ANGRY = "你们就是骗子，黑心商家。再不处理我就去网上曝光你们"
FACTS = [{"date": "2025-11-10", "text": "开箱后发现左耳机无声音，已拍照。"},
         {"date": "2025-11-11", "text": "联系客服，客服拒绝退货。我的电话13812345678！！！"}]


def make(channel: str = "platform", ev: list | None = None, **extra: object):  # noqa: ANN201
    return build(case(order()), evidence([C.product_photo, C.chat_log]) if ev is None else ev,
                 request("quality_problem", "return_refund", channel=channel, **extra),
                 catalog.load(), ComplaintSettings(), NOW)


@pytest.mark.parametrize("channel", [c.value for c in Channel])
def test_insults_and_threats_never_reach_any_text(channel: str) -> None:
    d = make(channel, facts=FACTS, notes=ANGRY)
    for text in (d.text, d.form_text, d.title):
        for word in ("骗子", "黑心", "曝光", "13812345678", "！！！"):
            assert word not in text, (channel, word)
        assert lint(text) == []
    assert "2025-11-11 联系客服，客服拒绝退货。我的电话[手机号已隐去]。" in d.text
    assert [(w.source, w.action, w.text, w.rewrite) for w in d.withheld] == [
        ("facts[1]", "rewritten", "我的电话13812345678！！！", "我的电话[手机号已隐去]。"),
        ("notes", "omitted", "你们就是骗子，黑心商家。", "商品与描述不符，我认为存在误导。"),
        ("notes", "omitted", "再不处理我就去网上曝光你们", "如仍未解决，我将依法向平台、12315 或法院反映。"),
    ]
    notes = next(w for w in d.withheld if w.source == "notes")
    assert ANGRY[notes.start:notes.end] == notes.text  # offsets into the field as sent


def test_the_tone_warning_counts_what_it_did() -> None:
    d = make(facts=FACTS, notes=ANGRY)
    tone = next(w.message for w in d.warnings if w.code == "tone")
    assert tone.startswith("你的描述中有 3 句含有情绪化、攻击性或个人信息的表述（“！！！”、“骗子”、“黑心”、“再不处理我就去网上曝光你们”）："
                           "2 句未写入草稿，1 句已改写。")
    assert "findings" not in tone and "设置" not in tone


def test_safe_fixes_keep_the_fact() -> None:
    d = make(facts=[{"date": "2025-11-10", "text": "气死我了！！！耳机左边没声音。"}])
    assert "2025-11-10 耳机左边没声音。" in d.text and "气死" not in d.text
    assert [(w.action, w.text) for w in d.withheld] == [("omitted", "气死我了！！！")]


def test_a_fact_left_without_a_clean_sentence_falls_back_to_the_summary() -> None:
    d = make(facts=[{"text": "卖家是骗子"}], ev=[])
    assert "1. 2025-11-08 03:45 买家付款。" in d.text
    assert "收到的商品存在质量问题，无法正常使用。" in d.text and "骗子" not in d.text
