"""Drafts: every type × demand, structure, form fitting, tone of the engine's own text, bad input."""

from __future__ import annotations

import re
from itertools import product

import pytest

from helper.complaint import catalog, clean
from helper.complaint.draft import DraftRejected, build
from helper.complaint.tone import lint
from helper.models import ComplaintSettings, ComplaintType, DemandKind, DraftContent, EvidenceCategory as C
from tests.complaint.helpers import NOW, case, evidence, order, priced_order, request

SETTINGS = ComplaintSettings()
ORDER_ID = "4865640015090004803"
CLEAN_FACTS = [{"date": "2025-11-10", "text": "开箱后发现商品存在问题，已拍照保存。"},
               {"date": "2025-11-11T09:30:00+08:00", "text": "通过旺旺联系客服，客服未给出处理方案。"}]
ALL_EVIDENCE = evidence([C.product_photo, C.unboxing_video, C.chat_log, C.order_page,
                         C.listing_snapshot, C.logistics, C.test_report])
LONG_FACTS = [{"date": f"2025-11-{day:02d}", "text": "联系客服说明情况，客服表示会转交售后专员处理。"
               "售后专员未在约定时间内回复。再次询问时客服要求重新提交照片。"} for day in range(11, 31)]


def make(complaint_type: str = "quality_problem", kind: str = "return_refund", the_case=None,  # noqa: ANN001
         items=ALL_EVIDENCE, **extra: object) -> DraftContent:  # noqa: ANN001
    return build(the_case or case(order()), items, request(complaint_type, kind, **extra),
                 catalog.load(), SETTINGS, NOW)


def demand_args(kind: DemandKind) -> dict:
    if kind is DemandKind.compensation:
        return {"demand": {"amount": "20"}, "seller_promise": {"text": "问题包赔", "amount": "20"}}
    return {}


def section(text: str, heading: str) -> str:
    return text.split(heading, 1)[1].split("\n\n", 1)[0]


@pytest.mark.parametrize(("complaint_type", "kind"), list(product(ComplaintType, DemandKind)))
def test_every_type_and_demand(complaint_type: ComplaintType, kind: DemandKind) -> None:
    draft = make(complaint_type.value, kind.value, facts=CLEAN_FACTS, **demand_args(kind))
    text = draft.text
    headings = ["一、订单信息", "二、问题经过", "三、证据清单", "四、诉求", "五、依据", "六、处理期限"]
    assert [text.index(h) for h in headings] == sorted(text.index(h) for h in headings)
    assert ORDER_ID in text and ORDER_ID in draft.form_text
    demand_sentence = section(text, "四、诉求\n")
    assert demand_sentence and demand_sentence in text
    assert "诉求：" + demand_sentence in draft.form_text
    if kind in (DemandKind.refund_only, DemandKind.return_refund):
        assert "¥47.40" in demand_sentence and draft.fields.amount == "47.40"
    if kind is DemandKind.compensation:
        assert "¥20.00" in demand_sentence
    assert re.search(r"^1\. .+｜保存于 2025-11-11 10:01｜SHA-256 010101010101$", section(text, "三、证据清单\n"), re.M)
    assert draft.basis and section(text, "五、依据\n").startswith("1. ")
    assert len(draft.form_text) <= 500
    assert draft.fields.reason.label == catalog.load().types[complaint_type].label
    assert draft.fields.description == draft.form_text
    # the engine's own words never trip the tone linter (the buyer's facts here are clean)
    assert lint(text) == [] and lint(draft.form_text) == [] and lint(draft.title) == []


@pytest.mark.parametrize(("complaint_type", "kind"), list(product(ComplaintType, DemandKind)))
def test_english_rendering_is_clean_too(complaint_type: ComplaintType, kind: DemandKind) -> None:
    draft = make(complaint_type.value, kind.value, language="en", **demand_args(kind))
    assert draft.text.startswith("Complaint about order " + ORDER_ID)
    assert "4. Request" in draft.text and lint(draft.text) == [] and lint(draft.form_text) == []


@pytest.mark.parametrize("limit", [100, 200, 500])
def test_form_text_fits_long_cases_without_cutting_sentences(limit: int) -> None:
    draft = make(facts=LONG_FACTS, notes="补充说明的内容。" * 500, form_limit=limit,
                 items=evidence([C.product_photo] * 20))
    assert len(draft.form_text) <= limit
    assert draft.form_text.startswith(f"订单号：{ORDER_ID}。")
    assert "诉求：请求退货退款，退款金额 ¥47.40，退货运费由卖家承担。" in draft.form_text
    pieces = {s for line in draft.text.splitlines() for s in clean.sentences(line)}
    for line in draft.form_text.splitlines():
        for sentence in clean.sentences(line):
            assert sentence.endswith(("。", "？", "！", "；")), sentence
            assert any(sentence in p or p.endswith(sentence) or sentence.endswith(p) for p in pieces) or \
                sentence.startswith(("诉求：", "问题：", "依据：", "已保存证据", "请于", "另见", "订单号", "商品：")), sentence
    if limit == 500:
        assert "已保存证据 20 项" in draft.form_text and "依据：" in draft.form_text


def test_form_limit_too_small_keeps_order_id_and_demand_and_warns() -> None:
    draft = make("counterfeit", "compensation", the_case=case(priced_order("14800")),
                 demand={"amount": "44400"}, form_limit=100, channel="regulator", fraud_facts=["以假充真"])
    assert ORDER_ID in draft.form_text and "¥44,400.00" in draft.form_text
    assert "合计 ¥59,200.00" in draft.text
    assert len(draft.form_text) <= 100 or "form_limit_too_small" in {w.code for w in draft.warnings}


def test_facts_are_in_date_order_with_dates_and_milestones() -> None:
    facts = [{"date": "2025-11-12", "text": "第三件事。"}, {"text": "没有日期的补充。"},
             {"date": "2025-11-10T15:00:00+08:00", "text": "第一件事。"}, {"date": "2025-11-10", "text": "第二件事。"}]
    lines = section(make(facts=facts).text, "二、问题经过\n").splitlines()
    assert lines == ["1. 2025-11-08 03:45 买家付款。", "2. 2025-11-09 10:00 卖家发货（圆通速递）。",
                     "3. 2025-11-10 14:02 买家签收。", "4. 2025-11-10 15:00 第一件事。", "5. 2025-11-10 第二件事。",
                     "6. 2025-11-12 第三件事。", "7. 没有日期的补充。"]


def test_checklist_and_missing_required_evidence() -> None:
    draft = make("not_as_described", "return_refund", items=evidence([C.product_photo]))
    by_category = {i.category: i for i in draft.checklist}
    assert by_category[C.listing_snapshot].required and by_category[C.listing_snapshot].present == 0
    assert by_category[C.product_photo].present == 1
    assert [w.code for w in draft.warnings].count("missing_evidence") == 1
    assert "三、证据清单\n1. 商品照片｜" in draft.text
    late = {i.category: i.required for i in make("late_shipment", "refund_only").checklist}
    assert late[C.order_page] and late[C.logistics]
    quality = {i.category for i in make().checklist}
    assert {C.product_photo, C.unboxing_video, C.chat_log} <= quality


def test_no_evidence_and_no_facts_still_drafts() -> None:
    draft = make(items=[])
    assert "目前尚未保存证据" in draft.text and "收到的商品存在质量问题" in draft.text
    assert {"no_facts", "missing_evidence"} <= {w.code for w in draft.warnings}


def test_statutory_bases_only_when_the_demand_rests_on_them() -> None:
    refund = make("counterfeit", "return_refund", the_case=case(priced_order("14800")))
    assert "csl_55" not in {b.id for b in refund.basis}
    comp = make("counterfeit", "compensation", the_case=case(priced_order("14800")), demand={"amount": "44400"},
                channel="regulator", fraud_facts=["以假充真"])
    assert "csl_55" in {b.id for b in comp.basis}
    assert "请求退款 ¥14,800.00，并依据《消费者权益保护法》第五十五条第一款赔偿 ¥44,400.00，合计 ¥59,200.00。" in comp.text
    assert comp.demand_check.channel == "12315_or_court"
    food = make("quality_problem", "compensation", the_case=case(priced_order("50")), goods="food",
                demand={"amount": "1000"}, channel="regulator")
    assert "合计 ¥1,050.00" in food.text and "food_148" in {b.id for b in food.basis}
    durable = make(goods="durable")
    assert "csl_23" in {b.id for b in durable.basis} and "csl_23" not in {b.id for b in make().basis}


def test_blocked_demand_raises() -> None:
    with pytest.raises(DraftRejected) as caught:
        make("counterfeit", "compensation", demand={"amount": "999999"})
    assert caught.value.check.verdict == "block"


def test_buyer_text_html_emoji_personal_data_and_tone() -> None:
    notes = ('<script>alert("x")</script><p>客服说<b>不能退</b></p><img src=x onerror=alert(1)>'
             "我的电话13812345678！！！真是气死我了😡 &lt;i&gt;")
    draft = make(notes=notes, facts=[{"text": "卖家是骗子，东西是垃圾"}])
    for text in (draft.text, draft.form_text):
        assert "<" not in text and ">" not in text and "script" not in text and "alert" not in text
        assert "13812345678" not in text and "😡" not in text and "！！！" not in text
    assert "客服说不能退" in draft.text and "[手机号已隐去]" in draft.text and "＜i＞" in draft.text
    codes = {w.code for w in draft.warnings}
    assert {"markup_removed", "personal_data_masked", "tone"} <= codes
    sources = {(f.source, f.category.value) for f in draft.findings}
    assert ("facts[0]", "insult") in sources and ("notes", "personal_data") in sources
    # what the linter still finds in the final text is the buyer's own wording, never the engine's
    buyer_words = "卖家是骗子，东西是垃圾" + notes
    assert all(f.text in buyer_words for f in lint(draft.text))


def test_huge_notes_and_mixed_scripts() -> None:
    notes = "第一句说明情况。" + ("Mixed English текст 日本語 한국어 " * 4000) + "最后一句。"
    assert len(notes) > 100_000
    draft = make(notes=notes)
    assert len(draft.text) < 5000 and len(draft.form_text) <= 500
    assert "notes_shortened" in {w.code for w in draft.warnings}
    no_breaks = make(notes="无标点" * 40_000)
    assert "……" in no_breaks.text and len(no_breaks.text) < 5000


def test_deterministic() -> None:
    assert make(facts=CLEAN_FACTS) == make(facts=CLEAN_FACTS)


def test_deadline_section_and_no_reason_after_the_window() -> None:
    draft = make("other", "return_refund", demand={"no_reason": True},
                 the_case=case(order(received_at="2025-10-01T10:00:00+08:00")))
    assert "请于 2025-11-13 10:00 前（48 小时内）答复处理意见" in draft.text
    assert "no_reason_window_passed" in {w.code for w in draft.warnings}
    assert {"csl_25", "csl_reg_19"} <= {b.id for b in draft.basis}
    assert "退货运费由卖家承担" not in draft.text


def test_findings_point_into_the_text_as_sent_and_are_capped() -> None:
    fact = "<b>卖家</b>是骗子"
    draft = make(facts=[{"text": fact}], notes="！！" * 10_000)
    insult = next(f for f in draft.findings if f.source == "facts[0]")
    assert fact[insult.start:insult.end] == "骗子"
    assert len([f for f in draft.findings if f.source == "notes"]) == 1  # one run of 20,000 marks
    many = make(notes="骗子。" * 200)
    assert len([f for f in many.findings if f.source == "notes"]) == 50
    assert "findings_capped" in {w.code for w in many.warnings}


def test_platform_complaint_does_not_cite_statutory_damages_it_does_not_need() -> None:
    draft = make("counterfeit", "compensation", demand={"amount": "142.20"},
                 seller_promise={"text": "假一赔三", "multiplier": 3})
    ids = [b.id for b in draft.basis]
    assert "csl_55" not in ids and "tb_15" not in ids and ids[-1] == "seller_promise"
    assert "依据卖家承诺“假一赔三”赔偿 ¥142.20，合计 ¥189.60。" in draft.text
    assert draft.text.count("第十五条") == 1


def test_english_form_text_separates_sentences() -> None:
    form = make(language="en", facts=CLEAN_FACTS).form_text
    assert form.startswith(f"Order number: {ORDER_ID}. Item: ")
    assert ".I" not in form and ".2" not in form


def test_windows_that_passed_become_warnings() -> None:
    late = make(the_case=case(order(received_at="2025-10-01T10:00:00+08:00")))
    codes = {w.code for w in late.warnings}
    assert {"quality_return_window_passed", "after_sales_window_passed"} <= codes
    fresh = make()
    assert not {"quality_return_window_passed", "after_sales_window_passed"} & {w.code for w in fresh.warnings}
