"""Where the order stands, and whether the complaint fits it.

A draft may only assert what the case holds: "物流显示已签收" needs a signed parcel, and a
"not received" complaint about an order the seller never shipped is the wrong complaint.
The order's state comes from its status text as the page shows it (买家已付款, 卖家已发货,
交易成功, 交易关闭 …), and from its dates where the text says nothing the engine knows.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from helper.models import ComplaintType, Notice, Order


class OrderState(StrEnum):
    unpaid = "unpaid"
    paid = "paid"
    """paid, not shipped"""
    shipped = "shipped"
    received = "received"
    finished = "finished"
    """交易成功: confirmed by the buyer or automatically"""
    closed = "closed"
    refunding = "refunding"


STATUS_WORDS: tuple[tuple[tuple[str, ...], OrderState], ...] = (
    (("等待买家付款", "待付款", "未付款"), OrderState.unpaid),
    (("交易关闭", "已关闭", "交易已关闭"), OrderState.closed),
    (("退款中", "售后中", "退款处理中"), OrderState.refunding),
    (("交易成功", "已完成", "交易完成"), OrderState.finished),
    (("已签收", "买家已签收"), OrderState.received),
    (("卖家已发货", "等待买家确认收货", "待收货", "已发货", "运输中", "派送中"), OrderState.shipped),
    (("买家已付款", "等待卖家发货", "待发货", "已付款"), OrderState.paid),
)
UNSHIPPED = (OrderState.unpaid, OrderState.paid)
NEEDS_GOODS = (ComplaintType.quality_problem, ComplaintType.not_as_described, ComplaintType.counterfeit,
               ComplaintType.damaged_or_missing, ComplaintType.wrong_item, ComplaintType.food_safety)
"""Complaints about goods in hand: they contradict an order that was never shipped."""
LONG_AGO = timedelta(days=365)


def order_state(order: Order) -> OrderState:
    """The status text decides; a text the engine does not know falls back to the dates."""
    text = order.status_text or ""
    for words, state in STATUS_WORDS:
        if any(w in text for w in words):
            if state is OrderState.shipped and order.received_at is not None:
                return OrderState.received
            return state
    if order.received_at is not None:
        return OrderState.received
    if order.shipped_at is not None:
        return OrderState.shipped
    if order.paid_at is not None:
        return OrderState.paid
    return OrderState.shipped if order.logistics and order.logistics.tracking_no else OrderState.paid


def was_shipped(order: Order) -> bool:
    """Known to have left the seller: only then are missing shipping or receipt dates worth a warning."""
    return order.shipped_at is not None or order_state(order) in (
        OrderState.shipped, OrderState.received, OrderState.finished)


def status_warnings(order: Order, complaint_type: ComplaintType, now: datetime) -> list[Notice]:
    """What the order's state says about this complaint, with what to do instead."""
    state = order_state(order)
    warnings: list[Notice] = []
    if state is OrderState.unpaid:
        warnings.append(Notice(code="order_unpaid", message=(
            "订单显示尚未付款：无需投诉，直接取消订单即可；如已付款但页面显示未付款，请先核对支付宝账单。")))
    elif state is OrderState.closed:
        warnings.append(Notice(code="order_closed", message=(
            "订单显示“交易关闭”：通常已退款或未付款。请先在订单详情与支付宝账单确认是否已退款；"
            "确未退款的，凭付款记录申请平台客服介入或向12315投诉。")))
    elif state is OrderState.refunding:
        warnings.append(Notice(code="order_refunding", message=(
            "订单已有进行中的退款/售后：请在该退款详情页补充说明或申请客服介入，不要重复发起。")))
    if complaint_type is ComplaintType.not_received and state in UNSHIPPED:
        warnings.append(Notice(code="type_contradicts_status", message=(
            "订单显示卖家尚未发货，这不是“未收到商品”：请按“未按约定时间发货”投诉，或申请仅退款。")))
    elif complaint_type in NEEDS_GOODS and state in UNSHIPPED:
        warnings.append(Notice(code="type_contradicts_status", message=(
            "订单显示卖家尚未发货，无法主张收到的商品有问题：请先确认订单状态，未发货可申请仅退款。")))
    finished = order.received_at or (order.created_at if state is OrderState.finished else None)
    if state in (OrderState.finished, OrderState.received) and finished is not None and now - finished > LONG_AGO:
        warnings.append(Notice(code="order_long_finished", message=(
            "交易已完成超过一年：平台售后申请通常已关闭（以平台页面为准）；"
            "可依法向全国12315平台投诉（自知道权益受损之日起三年内）或向法院起诉。")))
    return warnings
