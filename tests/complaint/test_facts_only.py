"""Drafts state only what the case holds, warn when the order's status contradicts the complaint,
and keep what decides the case when a form is too small for everything."""

from __future__ import annotations

from typing import Any

from helper.complaint import catalog
from helper.complaint.draft import build
from helper.models import ComplaintSettings, EvidenceCategory as C, Order
from tests.complaint.helpers import NOW, case, evidence, order, request
from tests.conftest import sample_order

SETTINGS = ComplaintSettings()


def make(the_order: Order, complaint_type: str, kind: str, ev: list | None = None, **extra: Any):  # noqa: ANN201
    return build(case(the_order), ev or [], request(complaint_type, kind, **extra), catalog.load(), SETTINGS, NOW)


def codes(d) -> set[str]:  # noqa: ANN001
    return {w.code for w in d.warnings}


def facts_section(text: str) -> str:
    return text.split("二、问题经过\n", 1)[1].split("\n\n", 1)[0]


def test_not_received_for_an_order_never_shipped_says_so_and_asserts_no_tracking() -> None:
    d = make(Order.model_validate(sample_order(status_text="买家已付款")), "not_received", "refund_only")
    assert facts_section(d.text) == "1. 2025-11-08 03:45 买家付款。\n2. 本人至今未收到商品。"
    assert "物流显示" not in d.text and "物流显示" not in d.form_text
    assert "type_contradicts_status" in codes(d)
    assert not {"missing_received_at", "missing_shipped_at"} & codes(d)  # nothing to miss before shipping


def test_not_received_asserts_only_the_tracking_the_order_has() -> None:
    shipped = make(order(received_at=None), "not_received", "refund_only")
    assert "物流显示已发货，但本人至今未收到商品。" in shipped.text and "签收" not in facts_section(shipped.text)
    signed = make(order(), "not_received", "refund_only")
    assert "物流显示已签收，但本人未收到商品。" in signed.text


def test_a_closed_or_old_order_is_warned_with_what_to_do_instead() -> None:
    closed = make(order(status_text="交易关闭"), "quality_problem", "refund_only")
    assert "order_closed" in codes(closed)
    assert "确认是否已退款" in next(w.message for w in closed.warnings if w.code == "order_closed")
    old = make(order(status_text="交易成功", received_at="2024-09-01T10:00:00+08:00"), "quality_problem",
               "refund_only")
    message = next(w.message for w in old.warnings if w.code == "order_long_finished")
    assert "超过一年" in message and "三年内" in message
    unpaid = make(Order.model_validate(sample_order(status_text="等待买家付款", paid_at=None)), "late_shipment",
                  "refund_only")
    assert "order_unpaid" in codes(unpaid)


def test_no_evidence_means_no_reference_to_an_evidence_list() -> None:
    bare = make(order(), "quality_problem", "return_refund")
    assert "具体情况见证据清单" not in bare.text and "目前尚未保存证据，将补充提交。" in bare.text
    with_evidence = make(order(), "quality_problem", "return_refund", ev=evidence([C.product_photo]))
    assert "收到的商品存在质量问题，无法正常使用。具体情况见证据清单。" in with_evidence.text


def test_settings_notes_never_reach_the_texts() -> None:
    d = make(order(), "late_shipment", "compensation", demand={"amount": "14.22"}, ship_within_hours=24)
    for text in (d.text, d.form_text):
        assert "未经核实" not in text and "设置" not in text and "findings" not in text
    assert "请求依据平台延迟发货赔付规则赔付 ¥14.22。" in d.text
    assert "payout_setting" in {r.code for r in d.demand_check.reasons}


def test_how_late_the_shipment_is_from_the_promise() -> None:
    late = make(order(), "late_shipment", "refund_only", ship_within_hours=24)
    # paid 11-08 03:45, promised within 24 hours, first scan 11-09 10:00
    assert "2. 2025-11-09 10:00 卖家发货（圆通速递）。\n3. 2025-11-09 10:00 物流首次揽收，晚于承诺的发货期限" \
           "（付款后 24 小时，即 2025-11-09 03:45）6 小时。" in late.text
    on_time = make(order(), "late_shipment", "refund_only", ship_within_hours=48)
    assert "shipped_on_time" in codes(on_time) and "晚于承诺" not in on_time.text
    unknown = make(order(), "late_shipment", "refund_only")
    assert "ship_promise_unknown" in codes(unknown)
    waiting = make(Order.model_validate(sample_order(status_text="买家已付款")), "late_shipment", "refund_only",
                   ship_within_hours=48)
    assert "2. 2025-11-10 03:45 承诺的发货期限（付款后 48 小时）届满；截至 2025-11-11 10:00 卖家仍未发货，" \
           "已超过 1 天 6 小时。" in waiting.text


def test_cutting_keeps_the_demand_the_order_the_refusal_and_the_evidence() -> None:
    facts = [{"date": "2025-11-10", "text": "开箱后发现屏幕左上角有一条竖线。"},
             {"date": "2025-11-10", "text": "重启三次后竖线仍在，已拍照和录像。"},
             {"date": "2025-11-11", "text": "联系客服，客服让我等待售后专员联系。"},
             {"date": "2025-11-13", "text": "售后专员电话回访，要求我寄回检测。"},
             {"date": "2025-11-15", "text": "卖家以“人为损坏”为由拒绝退货退款。"}]
    d = make(order(), "quality_problem", "return_refund", ev=evidence([C.product_photo, C.unboxing_video, C.chat_log]),
             facts=facts, form_limit=200)
    assert d.form_text == (
        "订单号：4865640015090004803。商品：无线蓝牙耳机 降噪版。\n"
        "问题：质量问题。\n"
        "2025-11-10 开箱后发现屏幕左上角有一条竖线。2025-11-15 卖家以“人为损坏”为由拒绝退货退款。\n"
        "诉求：请求退货退款，退款金额 ¥47.40，退货运费由卖家承担。\n"
        "已保存证据 3 项：商品照片 1 项、开箱视频 1 项、聊天记录 1 项。\n"
        "依据：《消费者权益保护法》第二十四条。")


def test_an_explicit_seller_reply_is_kept_even_without_the_words() -> None:
    facts = [{"date": "2025-11-10", "text": "开箱后发现屏幕左上角有一条竖线。"},
             {"date": "2025-11-11", "text": "联系售后，说明了情况并发送了照片。"},
             {"date": "2025-11-12", "text": "对方只回了一个“哦”。", "seller_reply": True},
             {"date": "2025-11-13", "text": "再次发送照片，至今没有回音。"}]
    d = make(order(), "quality_problem", "return_refund", facts=facts, form_limit=150)
    assert "2025-11-12 对方只回了一个“哦”。" in d.form_text and "2025-11-11" not in d.form_text
