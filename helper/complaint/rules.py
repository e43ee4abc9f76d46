"""Demand checker: refuses what a seller or a reviewer would refuse, and says why.

A complaint with an unfounded or inflated demand is easy to reject and can count as a
malicious complaint, so every compensation rests on a basis whose limit is computed
exactly (Decimal, never float), on what the buyer actually paid for the goods:

- 消法 §55 (3 × price, at least ¥500) only with fraud facts the buyer states (以假充真,
  虚构原价 …, from the catalog's checked list): a defect alone is not fraud;
- 食品安全法 §148 (10 × price, at least ¥1,000) for food;
- a seller's own promise (假一赔N, 价保, 晚发必赔), which the platform enforces (Art. 15);
- the platform's late-shipment payout (an UNCONFIRMED setting).

Keep-the-goods demands (价保, a late-shipment payout, a harassment complaint) never add a
refund. Taobao generally does not award statutory damages (争议处理规则 Art. 6(6)): a
statutory demand is refused in the seller and platform channels, with the advice to draft
for 12315 or a court instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from helper.complaint.amounts import CENT, Amounts
from helper.complaint.catalog import Index
from helper.models import (
    Channel,
    CompensationBasis,
    ComplaintSettings,
    ComplaintType,
    DemandCheck,
    DemandKind,
    DemandReason,
    DraftRequest,
    GoodsKind,
)

REFUND_KINDS = (DemandKind.refund_only, DemandKind.return_refund)
KEEP_GOODS_TYPES = (ComplaintType.late_shipment, ComplaintType.price_protection,
                    ComplaintType.service_harassment)
"""Compensation for these is paid while the buyer keeps the goods: never a refund on top."""
GOODS_ARE_FINE = (ComplaintType.price_protection, ComplaintType.service_harassment)
"""The goods themselves are not at fault: a full refund would mean returning them."""
NEGOTIATING_CHANNELS = (Channel.seller, Channel.platform)
"""Where statutory damages are not awarded: the seller and the platform."""
CHANNEL_NAMES = {Channel.seller: "卖家", Channel.platform: "平台", Channel.regulator: "12315",
                 Channel.association: "消费者协会", Channel.court: "法院"}


def money(value: Decimal) -> str:
    """Yuan with two decimals, as the contract's Money strings ("14800.00")."""
    return str(value.quantize(CENT, ROUND_HALF_UP))


def yuan(value: Decimal) -> str:
    """For people: ¥14,800.00."""
    return f"¥{value.quantize(CENT, ROUND_HALF_UP):,}"


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


def accepted_fraud_facts(request: DraftRequest, index: Index) -> list[str]:
    """The request's fraud facts that the catalog knows, each once, in the order given."""
    return [f for f in dict.fromkeys(request.fraud_facts) if f in index.fraud_facts]


def compensation_bases(request: DraftRequest, amounts: Amounts, index: Index,
                       settings: ComplaintSettings) -> list[CompensationBasis]:
    """Every basis that supports compensation here, each with its exact limit."""
    type_bases = index.types[request.complaint_type].bases
    price = amounts.price
    keeps = request.complaint_type in KEEP_GOODS_TYPES
    bases: list[CompensationBasis] = []
    if price is not None and "csl_55" in type_bases and accepted_fraud_facts(request, index):
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
                                       formula=_multiple(promise.multiplier, price, None), channel="platform",
                                       keeps_goods=keeps))
    if promise is not None and promise.amount is not None:
        bases.append(CompensationBasis(basis="seller_promise", title=f"卖家承诺“{promise.text}”",
                                       limit=money(Decimal(promise.amount)),
                                       formula=f"承诺金额 {promise.amount}", channel="platform", keeps_goods=keeps))
    if request.complaint_type is ComplaintType.late_shipment and price is not None:
        rate, cap = settings.late_shipment_payout_rate, settings.late_shipment_payout_cap
        bases.append(CompensationBasis(
            basis="platform_late_shipment", title="平台延迟发货赔付规则",
            limit=money(min(price * rate, cap)),
            formula=f"{rate} × {money(price)}，上限 {money(cap)}", channel="platform",
            keeps_goods=True, confirmed=False))
    return bases


def _verdict(reasons: Iterable[DemandReason]) -> str:
    levels = {r.level for r in reasons}
    return "block" if "block" in levels else "warn" if "warn" in levels else "ok"


FRAUD_PREMISE = ("第五十五条以经营者欺诈为前提：须写明欺诈事实（如{labels}）并有证据；"
                 "不影响质量的标签瑕疵不构成欺诈（实施条例第四十九条），单纯的质量问题也不是欺诈。")


def check_demand(request: DraftRequest, amounts: Amounts, index: Index,
                 settings: ComplaintSettings) -> DemandCheck:
    demand, channel_for = request.demand, request.channel
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
    unknown = [f for f in request.fraud_facts if f not in index.fraud_facts]
    if unknown:
        reason("block", "unknown_fraud_fact",
               f"无法识别的欺诈事实：{'、'.join(unknown)}；请从清单中勾选：{'、'.join(index.fraud_facts)}。")
    fraud = accepted_fraud_facts(request, index)
    fraud_labels = "、".join(list(index.fraud_facts)[:5])
    keeps_goods = request.complaint_type in KEEP_GOODS_TYPES

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
        elif request.complaint_type in GOODS_ARE_FINE and demand.amount is None:
            reason("warn", "full_refund_keeps_goods",
                   f"“{type_info.label}”通常保留商品，只补偿差价或损失：全额退款需退回商品，"
                   "请填写差价金额，或改为“退货退款”。")
        total = refund
    elif demand.kind is DemandKind.compensation:
        assert demand.amount is not None  # the model requires it
        compensation = Decimal(demand.amount)
        bases = compensation_bases(request, amounts, index, settings)
        if not keeps_goods:
            refund = amounts.paid
        total = compensation + (refund or 0)
        if amounts.price is None:
            reason("warn", "price_unknown", "订单没有商品价格，无法按倍数计算赔偿上限。")
        fraud_possible = "csl_55" in type_info.bases and not fraud
        if fraud_possible:
            reason("info", "fraud_must_be_shown", FRAUD_PREMISE.format(labels=fraud_labels))
        if not bases:
            if fraud_possible and amounts.price is not None:
                reason("block", "fraud_not_stated",
                       f"赔偿 {yuan(compensation)} 只能依据《消费者权益保护法》第五十五条（欺诈）主张，"
                       f"但没有写明欺诈事实。{FRAUD_PREMISE.format(labels=fraud_labels)}"
                       "没有欺诈事实时，请改为退货退款、换货或维修。")
            else:
                reason("block", "no_basis",
                       "赔偿诉求需要依据：卖家承诺（假一赔N、价保、晚发必赔）、平台延迟发货赔付、"
                       "食品安全法第一百四十八条（食品）或消法第五十五条（欺诈）；本案没有可用的依据。")
        else:
            best = max(bases, key=lambda b: Decimal(b.limit))
            if compensation > Decimal(best.limit):
                hint = ("（如存在欺诈，写明欺诈事实后可按消法第五十五条主张）" if fraud_possible else "")
                reason("block", "above_basis",
                       f"赔偿金额 {yuan(compensation)} 超过{best.title}的上限 {yuan(Decimal(best.limit))}"
                       f"（{best.formula}）{hint}。")
            covering = [b for b in bases if compensation <= Decimal(b.limit)]
            if covering and not any(b.channel == "platform" for b in covering):
                channel = "12315_or_court"
                titles = "、".join(b.title for b in covering)
                if channel_for in NEGOTIATING_CHANNELS:
                    reason("block", "statutory_not_on_platform",
                           f"赔偿 {yuan(compensation)} 依据{titles}，属于法定赔偿：淘宝一般不处理"
                           "（《淘宝平台争议处理规则》第六条第六项）。向卖家和平台只提退款、退货或换货；"
                           "法定赔偿请改用“12315”或“法院”草稿主张。")
                else:
                    reason("warn", "platform_no_statutory_damages",
                           f"赔偿依据{titles}，属于法定赔偿，淘宝一般不处理（《淘宝平台争议处理规则》第六条第六项）："
                           f"本稿向{CHANNEL_NAMES[channel_for]}提出；经营者不同意的，12315 与消费者协会只能调解，"
                           "可向法院起诉。")
            elif covering and not all(b.confirmed for b in covering if b.channel == "platform"):
                reason("info", "payout_setting", "平台延迟发货赔付按设置的比例与上限计算，提交前请在平台规则页核对金额。")
    if keeps_goods and refund is None and demand.kind is DemandKind.compensation:
        reason("info", "keeps_goods", f"“{type_info.label}”的赔付不以退货为前提：诉求只写赔付金额，不加退款。")
    return DemandCheck(
        verdict=_verdict(reasons), reasons=reasons,  # type: ignore[arg-type]
        price=money(amounts.price) if amounts.price is not None else None,
        paid=money(amounts.paid) if amounts.paid is not None else None,
        refund=money(refund) if refund is not None else None,
        compensation=money(compensation) if compensation is not None else None,
        total=money(total) if total is not None else None,
        bases=bases, channel=channel,  # type: ignore[arg-type]
        advice=_advice(channel, channel_for, index.demands[demand.kind].service_kind),
        for_channel=channel_for, fraud_facts=fraud, keeps_goods=keeps_goods and refund is None)


def _advice(channel: str, channel_for: Channel, service_kind: str | None) -> str:
    if channel == "12315_or_court":
        if channel_for in NEGOTIATING_CHANNELS:
            return ("向卖家和平台以退款、退货为诉求；法定赔偿部分保存证据包后向全国12315平台投诉，"
                    "或向法院起诉（平台一般不处理法定赔偿）。")
        return "法定赔偿向全国12315平台投诉或向消费者协会请求调解；调解不成的，可向法院起诉。"
    step = f"在订单页申请售后（服务类型：{service_kind}）" if service_kind else "在订单页联系卖家或发起投诉"
    return f"先{step}；卖家拒绝或超时未处理时，申请平台客服介入；仍未解决可向全国12315平台投诉。"
