"""Draft a complaint: order facts + type + demand + the buyer's facts + stored evidence, per channel.

Each channel gets the text its reader expects, in its own section order (`channels.py`):
the seller a short polite message, the platform its form (订单信息 → 问题经过 → 证据清单 →
诉求 → 依据 → 处理期限), 12315 the elements it requires (投诉人, 被投诉人, 投诉请求, 事实与
理由, 证据, 时效), the consumer association its complaint, a court an outline. Every
sentence the engine writes is conditioned on what the case holds: a signed parcel for
"物流显示已签收", evidence for "见证据清单", a refusal for "已与卖家协商". `form_text`
carries the same content fitted to the channel's box by dropping whole lower-priority
sentences: the order id and the demand always stay, then the seller's latest answer and
the evidence summary, before early chronology.

Deterministic: the same case, evidence, request and `now` give the same draft.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

from helper.complaint import channels, deadlines, rules, situation, tone
from helper.complaint.amounts import order_amounts
from helper.complaint.buyer_text import clean_buyer_text
from helper.complaint.catalog import Index
from helper.complaint.fitting import Piece, fit
from helper.complaint.writer import REGULATOR_CHANNELS, Writer
from helper.models import (
    Case,
    Channel,
    ComplaintSettings,
    Deadline,
    DemandCheck,
    DemandKind,
    DraftContent,
    DraftFields,
    DraftRequest,
    EscalationStep,
    Evidence,
    Notice,
    ReasonField,
)


class DraftRejected(ValueError):
    """The demand is blocked (unfounded, above any basis, above what was paid, wrong channel)."""

    def __init__(self, check: DemandCheck) -> None:
        super().__init__("; ".join(r.message for r in check.reasons if r.level == "block"))
        self.check = check





def _form_limit(request: DraftRequest, settings: ComplaintSettings) -> int:
    if request.form_limit is not None:
        return request.form_limit
    return {Channel.seller: settings.seller_message_limit, Channel.platform: settings.form_limit,
            Channel.regulator: settings.regulator_limit, Channel.association: settings.association_limit,
            Channel.court: settings.court_limit}[request.channel]


def escalation(index: Index, items: list[Deadline], now: datetime) -> list[EscalationStep]:
    """平台客服介入 → 12315 → 消费者协会 → 法院, each with what it needs and, where the
    case gives one, the date that applies to it."""
    by_key = {d.key: d for d in items}
    steps = []
    for channel_id, info in index.channels.items():
        deadline = None
        if channel_id is Channel.regulator:
            decided, known = deadlines.workdays.add_workdays(deadlines.local_day(now), 7)
            deadline = f"今天提交的，市场监管部门应在 {decided.isoformat()} 前（七个工作日内）决定是否受理"
            if not known:
                deadline += "（该年节假日安排尚未公布，按周末推算）"
            if (limit := by_key.get("regulator_limit")) is not None:
                deadline += f"；投诉期限至 {limit.last_day.isoformat()}"
        elif channel_id is Channel.court and (limit := by_key.get("civil_limitation")) is not None:
            deadline = f"诉讼时效至 {limit.last_day.isoformat()}"
        steps.append(EscalationStep(channel=channel_id, label=info.label, needs=info.needs, when=info.when,
                                    deadline=deadline))
    return steps


def _channel_warnings(request: DraftRequest, items: list[Deadline]) -> list[Notice]:
    warnings = []
    if request.channel in REGULATOR_CHANNELS:
        if request.complainant is None:
            warnings.append(Notice(code="complainant_missing", message=(
                "12315、消费者协会和法院都需要投诉人的姓名、电话和通讯地址：请填写（只保存在本机）。")))
        r = request.respondent
        if r is None or not (r.operator_name and r.operator_address):
            warnings.append(Notice(code="respondent_missing", message=(
                "需要被投诉经营者的名称和地址：在店铺首页的“营业执照/经营者信息”中查看并填写。")))
    limit = next((d for d in items if d.key == "regulator_limit"), None)
    if request.channel in (Channel.regulator, Channel.association) and limit is not None and limit.state == "passed":
        warnings.append(Notice(code="regulator_limit_passed", message=(
            f"自知道权益受损之日起已超过三年（{limit.last_day.isoformat()} 到期），12315 将不予受理。")))
    return warnings


ANCHOR_PRIORITY = 2.5
"""In the form the anchor comes after the order id, the demand and the decisive facts,
before the early chronology."""


def build(case: Case, evidence: list[Evidence], request: DraftRequest, index: Index,
          settings: ComplaintSettings, now: datetime, anchor: str | None = None) -> DraftContent:
    """The draft for `request` on `case`. Raises KeyError for a sub-order id the order does
    not have and DraftRejected when the demand checker blocks the demand.

    `anchor`: the evidence anchor line (helper/anchor.py), which ends the text and, when
    it fits, the form text."""
    amounts = order_amounts(case.order, request.items)
    check = rules.check_demand(request, amounts, index, settings)
    if check.verdict == "block":
        raise DraftRejected(check)
    writer = Writer(case, evidence, request, index, settings, now, amounts)
    words = tone.product_words(*(t for i in case.order.items for t in (i.title, i.sku)))
    buyer = clean_buyer_text(request, tone.LintContext(product_words=words, situation=request.complaint_type))
    facts = deadlines.CaseFacts(complaint_type=request.complaint_type, injury=request.injury,
                                ship_within_hours=request.ship_within_hours)
    items, deadline_warnings = deadlines.compute(case, settings, now, request.goods, facts)
    parts = writer.parts(check, buyer, items)
    limit = _form_limit(request, settings)
    rendered = channels.render(request.channel, parts, writer.p)
    pieces = writer.pieces(parts, rendered)
    if anchor:
        rendered = dataclasses.replace(rendered, text=f"{rendered.text.rstrip()}\n\n{anchor}")
        pieces.append(Piece(section=max((p.section for p in pieces), default=0) + 1, priority=ANCHOR_PRIORITY,
                            text=anchor))
    form_text = fit(pieces, limit, writer.label("", " "))
    checklist, evidence_warnings = writer.checklist()
    warnings = [*(Notice(code=r.code, message=r.message) for r in check.reasons if r.level == "warn"),
                *situation.status_warnings(case.order, request.complaint_type, now), *writer.warnings,
                *_channel_warnings(request, items), *evidence_warnings, *deadline_warnings, *buyer.warnings]
    if not request.facts and not request.notes:
        warnings.append(Notice(code="no_facts", message="没有填写事实经过：写明何时、发现了什么问题、与卖家沟通的结果。"))
    if len(form_text) > limit:
        warnings.append(Notice(code="form_limit_too_small",
                               message=f"表单字数限制 {limit} 容不下订单号和诉求，已超出 {len(form_text) - limit} 字。"))
    passed = {d.key for d in items if d.state == "passed"}
    if request.demand.no_reason and "no_reason_return" in passed:
        warnings.append(Notice(code="no_reason_window_passed", message="七日无理由退货期限已过，请改按具体问题主张。"))
    if (not request.demand.no_reason and request.demand.kind is DemandKind.return_refund
            and "quality_return" in passed):
        warnings.append(Notice(code="quality_return_window_passed", message=(
            "签收已超过七日：按消法第二十四条，此后退货需符合法定解除条件，否则可要求更换、修理"
            + ("；三包规定下十五日内可换货，此后修理。" if request.goods.value == "durable" else "。"))))
    if request.goods.value == "durable" and request.demand.kind is DemandKind.exchange and "sanbao_exchange" in passed:
        warnings.append(Notice(code="sanbao_exchange_passed", message=(
            "签收已超过十五日：按三包规定，性能故障此后先由经营者修理；修理两次仍不能正常使用的，可要求更换或退货。")))
    if "after_sales" in passed and request.channel in (Channel.seller, Channel.platform):
        warnings.append(Notice(code="after_sales_window_passed", message=(
            "平台售后期可能已过（天数为可调整的设置）；有证据的质量问题、假冒商品不受维权期限限制"
            "（《淘宝平台争议处理规则》第五条），可直接投诉或申请平台介入。")))
    reason = ReasonField(label=writer.type.label, synonyms=writer.type.synonyms)
    amount = check.refund if request.demand.kind in rules.REFUND_KINDS else None
    return DraftContent(
        language=request.language, channel=request.channel, complaint_type=request.complaint_type,
        demand=request.demand, title=rendered.title, text=rendered.text, form_text=form_text, form_limit=limit,
        fields=DraftFields(reason=reason, service_kind=writer.demand.service_kind if request.channel is Channel.platform
                           else None, amount=amount, description=form_text),
        warnings=warnings, checklist=checklist, deadlines=items, basis=parts.bases, demand_check=check,
        findings=buyer.findings, withheld=buyer.withheld, escalation=escalation(index, items, now),
        generated_at=now)
