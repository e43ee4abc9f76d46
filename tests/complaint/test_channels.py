"""Drafts per channel: each its own section order, limit and party details; the demand checker
refuses what a reviewer would (keep-goods demands without a refund, §55 only with stated
fraud on what was actually paid, statutory damages never on the platform)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from helper.complaint import catalog
from helper.complaint.amounts import order_amounts
from helper.complaint.draft import DraftRejected, build
from helper.complaint.rules import check_demand
from helper.models import Channel, ComplaintSettings, DraftRequest, EvidenceCategory as C, Order
from tests.complaint.helpers import NOW, case, evidence, request
from tests.conftest import sample_order

SETTINGS = ComplaintSettings()
COMPLAINANT = {"name": "李明", "phone": "13912345678", "address": "杭州市西湖区文三路 100 号"}
RESPONDENT = {"operator_name": "杭州好物数码科技有限公司", "operator_address": "杭州市余杭区文一西路 969 号"}
FACTS = [{"date": "2025-11-10", "text": "开箱后发现左耳机无声音，已拍照。"},
         {"date": "2025-11-11", "text": "客服拒绝退货，称影响二次销售。"}]


def paid_order(unit_price: str, paid: str, **overrides: Any) -> Order:
    """A one-item order shipped 11-09 and signed for 11-10, its item listed at `unit_price`."""
    dates = {"shipped_at": "2025-11-09T10:00:00+08:00", "received_at": "2025-11-10T14:02:00+08:00"}
    raw = sample_order(actual_fee=paid, **{**dates, **overrides})
    raw["items"][0]["unit_price"] = unit_price
    return Order.model_validate(raw)


def two_items(paid: str = "540.00") -> Order:
    raw = sample_order(actual_fee=paid)
    raw["items"] = [{"sub_order_id": "111", "title": "机械键盘", "unit_price": "399.00", "quantity": 1},
                    {"sub_order_id": "222", "title": "键帽", "unit_price": "201.00", "quantity": 1}]
    return Order.model_validate(raw)


def check(the_order: Order, complaint_type: str, kind: str, **extra: Any):  # noqa: ANN201
    req = request(complaint_type, kind, **extra)
    return check_demand(req, order_amounts(the_order, req.items), catalog.load(), SETTINGS)


def draft(the_order: Order, complaint_type: str, kind: str, **extra: Any):  # noqa: ANN201
    return build(case(the_order), evidence([C.product_photo, C.chat_log]), request(complaint_type, kind, **extra),
                 catalog.load(), SETTINGS, NOW)


def reasons(result) -> set[str]:  # noqa: ANN001
    return {r.code for r in result.reasons}


# -- the demand checker --------------------------------------------------------------------

def test_price_protection_keeps_the_goods_and_adds_no_refund() -> None:
    promise = {"text": "30天价保", "amount": "100"}
    result = check(paid_order("599.00", "599.00"), "price_protection", "compensation",
                   demand={"amount": "100"}, seller_promise=promise)
    assert (result.verdict, result.refund, result.compensation, result.total) == ("ok", None, "100.00", "100.00")
    assert result.keeps_goods and "keeps_goods" in reasons(result)
    text = draft(paid_order("599.00", "599.00"), "price_protection", "compensation",
                 demand={"amount": "100"}, seller_promise=promise).text
    assert "请求依据卖家承诺“30天价保”赔付 ¥100.00。" in text
    assert "¥699.00" not in text and "请求退款" not in text


def test_a_defect_is_not_fraud_so_section_55_is_refused() -> None:
    result = check(paid_order("399.00", "399.00"), "quality_problem", "compensation", demand={"amount": "1197"},
                   channel="regulator")
    assert result.verdict == "block" and "fraud_not_stated" in reasons(result)
    message = next(r.message for r in result.reasons if r.code == "fraud_not_stated")
    assert "第五十五条" in message and "以假充真" in message and "退货退款" in message


def test_multiples_apply_to_what_was_paid_not_the_listed_price() -> None:
    order = paid_order("399.00", "356.00")
    ok = check(order, "counterfeit", "compensation", demand={"amount": "1068"}, channel="regulator",
               fraud_facts=["以假充真"])
    assert ok.verdict == "warn" and ok.price == "356.00"
    assert [(b.basis, b.limit, b.formula) for b in ok.bases] == [("csl_55", "1068.00", "3 × 356.00 = 1068.00")]
    assert (ok.refund, ok.total) == ("356.00", "1424.00")
    over = check(order, "counterfeit", "compensation", demand={"amount": "1197"}, channel="regulator",
                 fraud_facts=["以假充真"])
    assert over.verdict == "block" and "above_basis" in reasons(over)


@pytest.mark.parametrize("channel", ["seller", "platform"])
def test_statutory_damages_are_refused_where_they_are_not_awarded(channel: str) -> None:
    result = check(paid_order("399.00", "356.00"), "counterfeit", "compensation", demand={"amount": "1068"},
                   channel=channel, fraud_facts=["以假充真"])
    assert result.verdict == "block" and "statutory_not_on_platform" in reasons(result)
    message = next(r.message for r in result.reasons if r.code == "statutory_not_on_platform")
    assert "《消费者权益保护法》第五十五条第一款" in message and "12315" in message and "第六条第六项" in message
    with pytest.raises(DraftRejected):
        draft(paid_order("399.00", "356.00"), "counterfeit", "compensation", demand={"amount": "1068"},
              channel=channel, fraud_facts=["以假充真"])


def test_a_seller_promise_is_enforced_on_the_platform() -> None:
    result = check(paid_order("399.00", "356.00"), "counterfeit", "compensation", demand={"amount": "1068"},
                   seller_promise={"text": "假一赔三", "multiplier": 3})
    assert (result.verdict, result.channel, result.total) == ("ok", "platform", "1424.00")


def test_a_platform_payout_refusal_names_the_payout_not_statutory_damages() -> None:
    result = check(paid_order("47.40", "47.40"), "late_shipment", "compensation", demand={"amount": "14.23"})
    message = next(r.message for r in result.reasons if r.code == "above_basis")
    assert message == "赔偿金额 ¥14.23 超过平台延迟发货赔付规则的上限 ¥14.22（0.30 × 47.40，上限 500.00）。"
    assert "法定" not in message


def test_unknown_fraud_facts_are_refused_with_the_list() -> None:
    result = check(paid_order("399.00", "399.00"), "counterfeit", "compensation", demand={"amount": "500"},
                   channel="regulator", fraud_facts=["态度差"])
    assert result.verdict == "block" and "unknown_fraud_fact" in reasons(result)
    assert "以假充真、以次充好、虚假宣传、虚构原价、先涨后降" in result.reasons[0].message


def test_amounts_follow_the_chosen_items_with_the_discount_shared_out() -> None:
    order = two_items("540.00")  # listed 399 + 201 = 600, paid 540 after a coupon
    first = order_amounts(order, ["111"])
    second = order_amounts(order, ["222"])
    assert (first.paid, first.price, first.listed) == (Decimal("359.10"), Decimal("359.10"), Decimal("399.00"))
    assert second.paid == Decimal("180.90") and first.paid + second.paid == Decimal("540.00")
    assert order_amounts(order, ["111", "222"]).paid == Decimal("540.00")
    assert order_amounts(order, None).price == Decimal("540.00")
    result = check(order, "quality_problem", "refund_only", sub_order_ids=["111"], demand={"amount": "359.11"})
    assert result.verdict == "block" and "refund_above_paid" in reasons(result)
    with pytest.raises(KeyError):
        order_amounts(order, ["111", "999"])


def test_one_way_to_name_the_items() -> None:
    with pytest.raises(ValidationError, match="not both"):
        DraftRequest.model_validate({"complaint_type": "quality_problem", "demand": {"kind": "refund_only"},
                                     "sub_order_id": "111", "sub_order_ids": ["111"]})


# -- the channels --------------------------------------------------------------------------

HEADINGS = {
    Channel.platform: ["一、订单信息", "二、问题经过", "三、证据清单", "四、诉求", "五、依据", "六、处理期限"],
    Channel.regulator: ["一、投诉人", "二、被投诉人", "三、投诉请求", "四、事实与理由", "五、证据清单", "六、投诉时效"],
    Channel.association: ["一、投诉方", "二、被投诉方", "三、损害事实（时间、地点、经过及与经营者协商的情况）",
                          "四、有关证据", "五、诉求", "六、依据"],
    Channel.court: ["一、当事人", "二、诉讼请求", "三、事实与理由", "四、证据清单", "五、法律依据", "六、诉讼时效"],
}


@pytest.mark.parametrize("channel", list(HEADINGS))
def test_each_channel_has_its_own_section_order(channel: Channel) -> None:
    d = draft(paid_order("47.40", "47.40"), "quality_problem", "return_refund", channel=channel.value, facts=FACTS,
              complainant=COMPLAINANT, respondent=RESPONDENT)
    headings = [line for line in d.text.splitlines() if line in HEADINGS[channel]]
    assert headings == HEADINGS[channel]
    assert d.channel is channel and d.form_limit == {
        Channel.platform: 500, Channel.regulator: 2000, Channel.association: 2000, Channel.court: 5000}[channel]


def test_the_seller_gets_a_short_polite_first_message() -> None:
    d = draft(paid_order("47.40", "47.40"), "quality_problem", "return_refund", channel="seller", facts=FACTS)
    assert d.text == ("您好，我是订单 4865640015090004803（无线蓝牙耳机 降噪版）的买家。\n"
                      "2025-11-10 开箱后发现左耳机无声音，已拍照。\n"
                      "2025-11-11 客服拒绝退货，称影响二次销售。\n"
                      "我的诉求：请求退货退款，退款金额 ¥47.40，退货运费由卖家承担。\n"
                      "相关照片和记录已保存，需要时可以提供。\n"
                      "麻烦在 2025-11-13 10:00 前回复处理方案，谢谢。")
    assert d.form_limit == 300 and len(d.form_text) <= 300 and "《" not in d.text
    assert d.title == "致卖家：订单 4865640015090004803（无线蓝牙耳机 降噪版）质量问题"


def test_the_buyers_own_details_appear_only_where_they_are_required() -> None:
    texts = {ch: draft(paid_order("47.40", "47.40"), "quality_problem", "return_refund", channel=ch.value,
                       facts=FACTS, complainant=COMPLAINANT, respondent=RESPONDENT).text for ch in Channel}
    for ch, text in texts.items():
        assert ("13912345678" in text) == (ch in (Channel.regulator, Channel.association, Channel.court)), ch
    regulator = texts[Channel.regulator]
    assert "一、投诉人\n姓名：李明。\n电话：13912345678。\n通讯地址：杭州市西湖区文三路 100 号。" in regulator
    assert ("二、被投诉人\n店铺：好物数码旗舰店（淘宝）。\n卖家账号：好物数码。\n经营者名称：杭州好物数码科技有限公司。\n"
            "经营者地址：杭州市余杭区文一西路 969 号。") in regulator
    assert ("六、投诉时效\n本投诉在知道权益受损之日（2025-11-10）起三年内提出，期限至 2028-11-10"
            "（《市场监督管理投诉举报处理暂行办法》第十五条第（四）项）。") in regulator
    assert "已与卖家协商，未能解决。" in regulator  # the case holds the seller's refusal
    court = texts[Channel.court]
    assert ("一、当事人\n原告：李明，电话 13912345678，住所 杭州市西湖区文三路 100 号。\n"
            "被告：杭州好物数码科技有限公司，住所 杭州市余杭区文一西路 969 号（好物数码旗舰店的经营者）。") in court
    assert "二、诉讼请求\n1. 判令被告退还货款 ¥47.40；\n2. 判令被告承担本案诉讼费用。" in court


def test_missing_parties_are_named_as_to_fill_in_and_warned() -> None:
    d = draft(paid_order("47.40", "47.40"), "quality_problem", "return_refund", channel="regulator", facts=FACTS)
    assert "姓名、电话、通讯地址：在投诉表单中填写。" in d.text
    assert {"complainant_missing", "respondent_missing"} <= {w.code for w in d.warnings}


def test_the_escalation_ladder_in_order_with_working_days() -> None:
    d = draft(paid_order("47.40", "47.40"), "quality_problem", "return_refund", facts=FACTS)
    assert [s.channel for s in d.escalation] == list(Channel)
    regulator = d.escalation[2]
    # NOW is Tue 2025-11-11 in Beijing: seven working days later is Thu 2025-11-20
    assert regulator.deadline == "今天提交的，市场监管部门应在 2025-11-20 前（七个工作日内）决定是否受理；投诉期限至 2028-11-10"
    assert regulator.needs[0] == "投诉人的姓名、电话号码、通讯地址"


def test_catalog_lists_channels_in_order_and_fraud_facts() -> None:
    index = catalog.load()
    assert [c.id for c in index.catalog.channels] == list(Channel)
    assert {"以假充真", "虚假宣传", "虚构原价", "先涨后降"} <= set(index.fraud_facts)
    assert all(b.source for b in index.catalog.bases)


@pytest.mark.parametrize("channel", list(Channel))
def test_every_channel_renders_in_english_too(channel: Channel) -> None:
    from helper.complaint.tone import lint
    d = draft(paid_order("47.40", "47.40"), "quality_problem", "return_refund", channel=channel.value, language="en",
              facts=[{"date": "2025-11-10", "text": "The left earbud is silent."}])
    assert "4865640015090004803" in d.text and "4865640015090004803" in d.form_text
    assert lint(d.text) == [] and lint(d.form_text) == []
    assert "一、" not in d.text and "我的诉求" not in d.text and "请求" not in d.text  # the engine's words are English
