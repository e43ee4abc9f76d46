"""Demand checker: is the buyer's demand reasonable, grounded, and sent to the right channel?

A complaint with an unfounded or inflated demand is easy to reject and can count as a
malicious complaint, so every compensation must rest on a basis whose limit is computed
exactly (Decimal, never float): 消法 §55 (3 × price, at least ¥500), 食品安全法 §148
(10 × price, at least ¥1,000), a seller's own promise (假一赔N, 晚发必赔), or the
platform's late-shipping payout (an UNCONFIRMED setting). Taobao generally does not award
statutory damages (争议处理规则 Art. 6(6)), so those demands are routed to 12315/court.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from helper.complaint.catalog import Index
from helper.models import (
    CompensationBasis,
    ComplaintSettings,
    ComplaintType,
    DemandCheck,
    DemandKind,
    DemandReason,
    DraftRequest,
    GoodsKind,
    Order,
)

CENT = Decimal("0.01")
REFUND_KINDS = (DemandKind.refund_only, DemandKind.return_refund)
NO_RETURN_TYPES = (ComplaintType.late_shipment,)
"""Compensation for these keeps the goods: no refund on top (e.g. a late-shipping payout)."""


def money(value: Decimal) -> str:
    """Yuan with two decimals, as the contract's Money strings ("14800.00")."""
    return str(value.quantize(CENT, ROUND_HALF_UP))


def yuan(value: Decimal) -> str:
    """For people: ¥14,800.00."""
    return f"¥{value.quantize(CENT, ROUND_HALF_UP):,}"


@dataclass(frozen=True)
class Amounts:
    """The two numbers a demand is measured against."""

    price: Decimal | None
    """the goods' price, to which the statutory multiples apply"""
    paid: Decimal | None
    """what the buyer paid for what is complained about: a refund cannot exceed it"""


def order_amounts(order: Order, sub_order_id: str | None) -> Amounts:
    """Price and paid amount of one sub-order, or of the whole order.

    Raises KeyError when `sub_order_id` is not an item of the order."""
    def total(unit_price: str | None, quantity: int) -> Decimal | None:
        return Decimal(unit_price) * quantity if unit_price is not None else None

    if sub_order_id is not None:
        item = next((i for i in order.items if i.sub_order_id == sub_order_id), None)
        if item is None:
            raise KeyError(sub_order_id)
        item_total = total(item.unit_price, item.quantity)
        paid = item_total if item_total is not None else _fee(order)
        return Amounts(price=item_total, paid=paid)
    totals = [total(i.unit_price, i.quantity) for i in order.items]
    items_total = sum(totals, Decimal(0)) if totals and None not in totals else None
    fee = _fee(order)
    return Amounts(price=items_total if items_total is not None else fee,
                   paid=fee if fee is not None else items_total)


def _fee(order: Order) -> Decimal | None:
    return Decimal(order.actual_fee) if order.actual_fee is not None else None


def consumer_law_55(price: Decimal) -> Decimal:
    """消法 §55: three times the price, at least ¥500 (on top of the refund)."""
    return max(price * 3, Decimal(500)).quantize(CENT, ROUND_HALF_UP)


def food_safety_148(price: Decimal) -> Decimal:
    """食品安全法 §148: ten times the price, at least ¥1,000 (on top of the refund)."""
    return max(price * 10, Decimal(1000)).quantize(CENT, ROUND_HALF_UP)


def _multiple(n: int, price: Decimal, floor: Decimal | None) -> str:
    formula = f"{n} × {money(price)} = {money(price * n)}"
    if floor is not None and price * n < floor:
        formula += f"，不足 {money(floor)} 按 {money(floor)} 计"
    return formula


def compensation_bases(request: DraftRequest, amounts: Amounts, index: Index,
                       settings: ComplaintSettings) -> list[CompensationBasis]:
    """Every basis that supports compensation here, each with its exact limit."""
    type_bases = index.types[request.complaint_type].bases
    price = amounts.price
    bases: list[CompensationBasis] = []
    if price is not None and "csl_55" in type_bases:
        bases.append(CompensationBasis(basis="csl_55", title=index.bases["csl_55"].title,
                                       limit=money(consumer_law_55(price)),
                                       formula=_multiple(3, price, Decimal(500)), channel="regulator"))
    if price is not None and request.goods is GoodsKind.food and "food_148" in type_bases:
        bases.append(CompensationBasis(basis="food_148", title=index.bases["food_148"].title,
                                       limit=money(food_safety_148(price)),
                                       formula=_multiple(10, price, Decimal(1000)), channel="regulator"))
    promise = request.seller_promise
    if promise is not None and promise.multiplier is not None and price is not None:
        bases.append(CompensationBasis(basis="seller_promise", title=f"卖家承诺“{promise.text}”",
                                       limit=money(price * promise.multiplier),
                                       formula=_multiple(promise.multiplier, price, None), channel="platform"))
    if promise is not None and promise.amount is not None:
        bases.append(CompensationBasis(basis="seller_promise", title=f"卖家承诺“{promise.text}”",
                                       limit=money(Decimal(promise.amount)),
                                       formula=f"承诺金额 {promise.amount}", channel="platform"))
    if request.complaint_type is ComplaintType.late_shipment and price is not None:
        rate, cap = settings.late_shipment_payout_rate, settings.late_shipment_payout_cap
        bases.append(CompensationBasis(
            basis="platform_late_shipment", title="平台延迟发货赔付（设置值，未经核实）",
            limit=money(min(price * rate, cap)),
            formula=f"{rate} × {money(price)}，上限 {money(cap)}", channel="platform"))
    return bases


def _verdict(reasons: Iterable[DemandReason]) -> str:
    levels = {r.level for r in reasons}
    return "block" if "block" in levels else "warn" if "warn" in levels else "ok"


def check_demand(request: DraftRequest, amounts: Amounts, index: Index,
                 settings: ComplaintSettings) -> DemandCheck:
    demand = request.demand
    reasons: list[DemandReason] = []

    def reason(level: str, code: str, message: str) -> None:
        reasons.append(DemandReason(level=level, code=code, message=message))  # type: ignore[arg-type]

    type_info = index.types[request.complaint_type]
    if demand.kind not in type_info.demands:
        fitting = "、".join(index.demands[k].label for k in type_info.demands)
        reason("warn", "demand_unusual",
               f"“{type_info.label}”通常的诉求是：{fitting}；“{index.demands[demand.kind].label}”可能不被支持。")
    goods = index.goods[request.goods]
    if demand.no_reason:
        if not goods.no_reason_return:
            reason("block", "no_reason_excluded",
                   f"{goods.label}不适用七日无理由退货（消法第二十五条），请按质量问题等具体理由主张。")
        if demand.kind is not DemandKind.return_refund:
            reason("warn", "no_reason_needs_return", "七日无理由退货需要退回商品，诉求应为“退货退款”。")

    refund = compensation = total = None
    bases: list[CompensationBasis] = []
    channel = "platform"
    if demand.kind in REFUND_KINDS:
        refund = Decimal(demand.amount) if demand.amount is not None else amounts.paid
        if refund is None:
            reason("warn", "amount_unknown", "订单没有实付金额，诉求中无法写明退款金额；请补全订单信息。")
        elif amounts.paid is not None and refund > amounts.paid:
            reason("block", "refund_above_paid",
                   f"退款金额 {yuan(refund)} 超过实付金额 {yuan(amounts.paid)}。")
        total = refund
    elif demand.kind is DemandKind.compensation:
        assert demand.amount is not None  # the model requires it
        compensation = Decimal(demand.amount)
        bases = compensation_bases(request, amounts, index, settings)
        if request.complaint_type not in NO_RETURN_TYPES:
            refund = amounts.paid
        total = compensation + (refund or 0)
        if amounts.price is None:
            reason("warn", "price_unknown", "订单没有商品价格，无法按倍数计算赔偿上限。")
        if not bases:
            reason("block", "no_basis",
                   "赔偿诉求需要依据：消法第五十五条（欺诈）、食品安全法第一百四十八条（食品）、"
                   "卖家承诺（假一赔N、晚发必赔）或平台规则；本案没有可用的依据。")
        else:
            best = max(bases, key=lambda b: Decimal(b.limit))
            if compensation > Decimal(best.limit):
                reason("block", "above_basis",
                       f"赔偿金额 {yuan(compensation)} 超过最高依据 {best.title} 的 {yuan(Decimal(best.limit))}"
                       f"（{best.formula}）。")
            platform_ok = [b for b in bases if b.channel == "platform" and compensation <= Decimal(b.limit)]
            if not platform_ok:
                channel = "12315_or_court"
                reason("warn", "platform_no_statutory_damages",
                       "淘宝一般不处理法定赔偿（《淘宝平台争议处理规则》第六条第六项）："
                       "平台投诉以退款为诉求，赔偿部分向 12315 投诉或向法院起诉。")
            if any(b.basis == "csl_55" for b in bases):
                reason("info", "fraud_must_be_shown",
                       "第五十五条以经营者欺诈为前提（如以假充真、明知虚假宣传）；"
                       "不影响质量的标签瑕疵不构成欺诈（实施条例第四十九条）。")
    return DemandCheck(
        verdict=_verdict(reasons), reasons=reasons,  # type: ignore[arg-type]
        price=money(amounts.price) if amounts.price is not None else None,
        paid=money(amounts.paid) if amounts.paid is not None else None,
        refund=money(refund) if refund is not None else None,
        compensation=money(compensation) if compensation is not None else None,
        total=money(total) if total is not None else None,
        bases=bases, channel=channel,  # type: ignore[arg-type]
        advice=_advice(channel, index.demands[demand.kind].service_kind))


def _advice(channel: str, service_kind: str | None) -> str:
    if channel == "12315_or_court":
        return ("在平台以退款为诉求申请售后或投诉；法定赔偿部分保存证据包后向全国12315平台投诉，"
                "或向法院起诉（平台一般不处理法定赔偿）。")
    step = f"在订单页申请售后（服务类型：{service_kind}）" if service_kind else "在订单页联系卖家或发起投诉"
    return f"先{step}；卖家拒绝或超时未处理时，申请平台客服介入；仍未解决可向全国12315平台投诉。"
