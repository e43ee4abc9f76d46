"""Draft a complaint: order facts + type + demand + the buyer's facts + stored evidence.

The text follows what a reviewer looks for, in this order: 订单信息 → 问题经过 (dated,
in date order) → 证据清单 (numbered, with capture time and hash prefix) → 诉求 (one
quantified demand) → 依据 (rules and articles) → 处理期限. `form_text` carries the same
content fitted to the platform's text box by dropping whole lower-priority sentences: the
order id and the demand always stay.

Deterministic: the same case, evidence, request and `now` give the same draft.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from helper.complaint import clean, deadlines, rules
from helper.complaint.buyer_text import BuyerText, clean_buyer_text
from helper.complaint.catalog import Index
from helper.complaint.fitting import Piece, fit
from helper.complaint.phrases import PLATFORMS, phrases
from helper.models import (
    Case,
    ChecklistItem,
    ComplaintSettings,
    ComplaintType,
    DemandCheck,
    DemandKind,
    DraftBasis,
    DraftContent,
    DraftFields,
    DraftRequest,
    Evidence,
    Language,
    Notice,
    ReasonField,
)

SHA_PREFIX = 12
COMPLAINT_TYPES_WITH_SELLER_SHIPPING = frozenset(ComplaintType) - {ComplaintType.other}


class DraftRejected(ValueError):
    """The demand is blocked (unfounded, above any basis, above what was paid)."""

    def __init__(self, check: DemandCheck) -> None:
        super().__init__("; ".join(r.message for r in check.reasons if r.level == "block"))
        self.check = check


def _at(moment: datetime) -> str:
    return deadlines.local_day(moment).isoformat() + " " + moment.astimezone(deadlines.SHANGHAI).strftime("%H:%M")


def _fact_key(fact_date: date | datetime | None) -> datetime:
    """Date-only facts sort at the end of their day: on the day of signing, the buyer's
    "opened it and found …" comes after the courier's 签收."""
    if fact_date is None:
        return datetime.max.replace(tzinfo=deadlines.SHANGHAI)
    if isinstance(fact_date, datetime):
        return fact_date
    return datetime.combine(fact_date, time(23, 59, 59), deadlines.SHANGHAI)


def _fact_date_text(fact_date: date | datetime) -> str:
    return _at(fact_date) if isinstance(fact_date, datetime) else fact_date.isoformat()


MILESTONE_PRIORITY = 4.5
RECEIVED_PRIORITY = 3.9
"""In the form, the buyer's own facts outrank the order's milestones; 签收 outranks the rest."""


@dataclass(frozen=True)
class _Event:
    when: date | datetime | None
    text: str
    priority: float | None
    """fixed form priority of an order milestone; None for the buyer's facts (ranked in order)"""


def _evidence_sha(evidence: Evidence) -> str:
    by_role = {a.role: a for a in evidence.artifacts}
    artifact = by_role.get("original") or by_role.get("screenshot") or evidence.artifacts[0]
    return artifact.sha256[:SHA_PREFIX]


class _Writer:
    """Renders one draft; holds what every section needs."""

    def __init__(self, case: Case, evidence: list[Evidence], request: DraftRequest, index: Index,
                 settings: ComplaintSettings, now: datetime) -> None:
        self.case, self.order, self.request, self.index = case, case.order, request, index
        self.settings, self.now = settings, now
        self.lang = request.language
        self.p = phrases(self.lang)
        self.type = index.types[request.complaint_type]
        self.demand = index.demands[request.demand.kind]
        self.evidence = [e for e in evidence if e.artifacts]
        self.item = next((i for i in self.order.items if i.sub_order_id == request.sub_order_id),
                         self.order.items[0] if self.order.items else None)

    def label(self, zh: str, en: str) -> str:
        return en if self.lang is Language.en else zh

    # -- sections ------------------------------------------------------------------------

    def order_lines(self) -> list[str]:
        p, o = self.p, self.order
        lines = [p["order_id"].format(order_id=o.order_id, platform=PLATFORMS[self.lang][o.platform])]
        if o.shop_name:
            lines.append(p["shop"].format(shop=o.shop_name))
        if o.seller_nick:
            lines.append(p["seller"].format(seller=o.seller_nick))
        if self.item is not None and self.item.title:
            sku = (self.label(f"（{self.item.sku}）", f" ({self.item.sku})") if self.item.sku else "")
            key = "item" if self.item.unit_price else "item_no_price"
            lines.append(p[key].format(title=self.item.title, sku=sku, quantity=self.item.quantity,
                                       price=rules.yuan(Decimal(self.item.unit_price or 0))))
        if o.actual_fee:
            lines.append(p["paid"].format(paid=rules.yuan(Decimal(o.actual_fee))))
        for key in ("created_at", "paid_at", "shipped_at", "received_at"):
            if (moment := getattr(o, key)) is not None:
                lines.append(p[key].format(at=_at(moment)))
        if o.logistics and (o.logistics.company or o.logistics.tracking_no):
            lines.append(p["logistics"].format(company=o.logistics.company or "",
                                               tracking=f" {o.logistics.tracking_no}" if o.logistics.tracking_no else ""))
        return lines

    def timeline(self, buyer: BuyerText) -> list[_Event]:
        """Order milestones and the buyer's facts, in date order (undated facts last)."""
        p, o = self.p, self.order
        logistics = ""
        if o.logistics and o.logistics.company:
            logistics = f"（{o.logistics.company}）" if self.lang is Language.zh else f" ({o.logistics.company})"
        events: list[_Event] = []
        if o.paid_at:
            events.append(_Event(o.paid_at, p["m_paid"], MILESTONE_PRIORITY))
        if o.shipped_at:
            events.append(_Event(o.shipped_at, p["m_shipped"].format(logistics=logistics), MILESTONE_PRIORITY))
        if o.received_at:
            events.append(_Event(o.received_at, p["m_received"], RECEIVED_PRIORITY))
        events += [_Event(f.date, clean.end_sentence(f.text), None) for f in buyer.facts]
        return sorted(events, key=lambda e: _fact_key(e.when))

    def evidence_lines(self) -> list[str]:
        p = self.p
        lines = []
        for n, e in enumerate(self.evidence, start=1):
            title, _ = clean.plain_text(e.title)
            lines.append(p["evidence_line"].format(
                n=n, label=self.index.evidence_label(e.category, self.lang),
                title=title[:60] or "-", at=_at(e.created_at), sha=_evidence_sha(e)))
        lines.append(p["evidence_total"].format(n=len(self.evidence)) if self.evidence else p["evidence_none"])
        return lines

    def demand_sentence(self, check: DemandCheck) -> str:
        p, kind = self.p, self.request.demand.kind
        refund = check.refund
        if kind in (DemandKind.refund_only, DemandKind.return_refund):
            shipping = (p["shipping_seller"] if kind is DemandKind.return_refund and not self.request.demand.no_reason
                        and self.request.complaint_type in COMPLAINT_TYPES_WITH_SELLER_SHIPPING else "")
            if refund is None:
                return p[f"demand_{kind.value}_full"].format(shipping=shipping)
            return p[f"demand_{kind.value}"].format(amount=rules.yuan(Decimal(refund)), shipping=shipping)
        if kind is DemandKind.compensation:
            amount = Decimal(check.compensation or 0)
            covering = [b for b in check.bases if Decimal(b.limit) >= amount]
            basis = min(covering, key=lambda b: Decimal(b.limit)).title if covering else self.label("相关规定", "the rules")
            if refund is not None:
                return p["demand_compensation_refund"].format(
                    refund=rules.yuan(Decimal(refund)), basis=basis, amount=rules.yuan(amount),
                    total=rules.yuan(Decimal(check.total or 0)))
            return p["demand_compensation"].format(basis=basis, amount=rules.yuan(amount))
        return p[f"demand_{kind.value}"]

    def bases(self, check: DemandCheck) -> list[DraftBasis]:
        """The type's and the demand's bases that apply here. Statutory damages only for a
        compensation demand that needs them (none when a platform basis such as a seller's
        promise covers the amount: the platform does not award them, Art. 6(6)); §23 only
        for durable goods; the seller's promise (Art. 15) as its own entry."""
        request = self.request
        compensation_ids = {b.basis for b in check.bases} if check.channel != "platform" else set()
        ids = [*self.type.bases, *self.demand.bases]
        if request.demand.no_reason:
            ids += ["csl_25", "csl_reg_19"]
        chosen: list[DraftBasis] = []
        for basis_id in dict.fromkeys(ids):
            basis = self.index.bases[basis_id]
            if basis.statutory_damages and basis_id not in compensation_ids:
                continue
            if basis_id == "csl_23" and request.goods.value != "durable":
                continue
            if basis_id == "tb_15":  # cited by the seller-promise entry below
                continue
            en = self.lang is Language.en
            chosen.append(DraftBasis(id=basis.id, kind=basis.kind, title=basis.title_en if en else basis.title,
                                     summary=basis.summary_en if en else basis.summary, channel=basis.channel))
        if request.seller_promise is not None:
            promise = self.index.bases["tb_15"]
            chosen.append(DraftBasis(
                id="seller_promise", kind="seller_promise",
                title=self.label(f"卖家承诺“{request.seller_promise.text}”", f"Seller's promise \u201c{request.seller_promise.text}\u201d"),
                summary=self.label(promise.summary, promise.summary_en) + self.label(f"（{promise.title}）", f" ({promise.title_en})"),
                channel="platform"))
        return chosen

    def checklist(self) -> tuple[list[ChecklistItem], list[Notice]]:
        counts = Counter(e.category for e in self.evidence)
        items, warnings = [], []
        for req in self.type.evidence:
            label = req.label_en if self.lang is Language.en else req.label
            items.append(ChecklistItem(category=req.category, label=label, required=req.required,
                                       present=counts[req.category], why=req.why))
            if req.required and not counts[req.category]:
                warnings.append(Notice(code="missing_evidence", message=f"缺少必需的证据：{req.label}（{req.why}）。"))
        if any(e.status != "complete" for e in self.evidence):
            warnings.append(Notice(code="evidence_incomplete", message="有证据采集不完整（partial/pending），建议重新采集。"))
        return items, warnings

    # -- assembly ------------------------------------------------------------------------

    def write(self, check: DemandCheck, buyer: BuyerText) -> tuple[str, str, str, list[DraftBasis]]:
        p = self.p
        type_label = self.label(self.type.label, self.type.label_en)
        item_title = self.item.title if self.item is not None and self.item.title else None
        short = (item_title[:20] + "…") if item_title and len(item_title) > 20 else item_title
        title = (p["title"].format(order_id=self.order.order_id, item=short, label=type_label) if short
                 else p["title_no_item"].format(order_id=self.order.order_id, label=type_label))
        events = self.timeline(buyer)
        has_buyer_facts = bool(buyer.facts)
        summary = self.label(self.type.summary, self.type.summary_en)
        fact_lines = [f"{_fact_date_text(e.when)} {e.text}" if e.when is not None else e.text for e in events]
        if not has_buyer_facts:
            fact_lines.append(p["no_facts"].format(summary=summary))
        if buyer.notes:
            fact_lines.append(p["notes"].format(notes=buyer.notes))
        demand = self.demand_sentence(check)
        bases = self.bases(check)
        basis_lines = [p["basis_line"].format(n=n, title=b.title, summary=b.summary)
                       for n, b in enumerate((b for b in bases if b.kind != "seller_promise"), start=1)]
        if self.request.seller_promise is not None:
            basis_lines.append(p["basis_promise"].format(n=len(basis_lines) + 1, promise=self.request.seller_promise.text))
        reply_by = self.now + timedelta(hours=self.settings.seller_reply_hours)
        deadline = p["deadline"].format(at=_at(reply_by), hours=self.settings.seller_reply_hours)
        sections = [
            (p["h_order"], self.order_lines()),
            (p["h_facts"], [f"{n}. {line}" for n, line in enumerate(fact_lines, start=1)]),
            (p["h_evidence"], self.evidence_lines()),
            (p["h_demand"], [demand]),
            (p["h_basis"], basis_lines),
            (p["h_deadline"], [deadline]),
        ]
        text = title + "\n\n" + "\n\n".join(h + "\n" + "\n".join(lines) for h, lines in sections)
        form_text = fit(self.form_pieces(events, has_buyer_facts, summary, buyer, demand, bases, reply_by),
                        self.request.form_limit or self.settings.form_limit, self.label("", " "))
        return title, text, form_text, bases

    def form_pieces(self, events: list[_Event], has_buyer_facts: bool,
                    summary: str, buyer: BuyerText, demand: str, bases: list[DraftBasis],
                    reply_by: datetime) -> list[Piece]:
        """The form text's sentences by section, each with its priority (lower = kept first)."""
        p, o = self.p, self.order
        pieces = [Piece(0, 0, p["form_order_id"].format(order_id=o.order_id))]
        if self.item is not None and self.item.title:
            pieces.append(Piece(0, 5, p["form_item"].format(title=self.item.title)))
        if o.actual_fee:
            pieces.append(Piece(0, 5.1, p["paid"].format(paid=rules.yuan(Decimal(o.actual_fee)))))
        pieces.append(Piece(1, 1, p["form_type"].format(label=self.label(self.type.label, self.type.label_en))))
        rank = 0
        for event in events:
            prefix = f"{_fact_date_text(event.when)} " if event.when is not None else ""
            for k, sentence in enumerate(clean.sentences(event.text)):
                if event.priority is not None:
                    priority = event.priority
                else:
                    priority, rank = (1.5 if rank == 0 else 3 + rank / 1000), rank + 1
                pieces.append(Piece(2, priority, (prefix if k == 0 else "") + sentence))
        if not has_buyer_facts:
            pieces.append(Piece(2, 1.5, summary))
        for k, sentence in enumerate(clean.sentences(buyer.notes)):
            pieces.append(Piece(2, 6 + k / 1000, (p["notes"].format(notes="") if k == 0 else "") + sentence))
        pieces.append(Piece(3, 0, p["form_demand"].format(demand=demand)))
        if self.evidence:
            kinds = Counter(e.category for e in self.evidence)
            listed = p["list_sep"].join(p["form_evidence_kind"].format(label=self.index.evidence_label(c, self.lang), n=n)
                                        for c, n in kinds.items())
            pieces.append(Piece(4, 2, p["form_evidence"].format(n=len(self.evidence), kinds=listed)))
        if bases:
            titles = [b.title for b in bases if b.kind != "seller_promise"] or [bases[0].title]
            pieces.append(Piece(5, 2.5, p["form_basis"].format(titles=titles[0])))
            if len(titles) > 1:
                pieces.append(Piece(5, 7, p["form_basis_more"].format(titles=p["list_sep"].join(titles[1:]))))
        pieces.append(Piece(6, 4, p["form_deadline"].format(at=_at(reply_by))))
        return pieces


def build(case: Case, evidence: list[Evidence], request: DraftRequest, index: Index,
          settings: ComplaintSettings, now: datetime) -> DraftContent:
    """The draft for `request` on `case`. Raises KeyError for a sub_order_id the order does
    not have and DraftRejected when the demand checker blocks the demand."""
    amounts = rules.order_amounts(case.order, request.sub_order_id)
    check = rules.check_demand(request, amounts, index, settings)
    if check.verdict == "block":
        raise DraftRejected(check)
    writer = _Writer(case, evidence, request, index, settings, now)
    buyer = clean_buyer_text(request)
    title, text, form_text, bases = writer.write(check, buyer)
    checklist, evidence_warnings = writer.checklist()
    items, deadline_warnings = deadlines.compute(case, settings, now, request.goods)
    limit = request.form_limit or settings.form_limit
    warnings = [*(Notice(code=r.code, message=r.message) for r in check.reasons if r.level == "warn"),
                *evidence_warnings, *deadline_warnings, *buyer.warnings]
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
            "签收已超过七日：按消法第二十四条，此后退货需符合法定解除条件，否则可要求更换、修理。")))
    if "after_sales" in passed:
        warnings.append(Notice(code="after_sales_window_passed", message=(
            "平台售后期可能已过（天数为未经核实的设置）；有证据的质量问题、假冒商品不受维权期限限制"
            "（《淘宝平台争议处理规则》第五条），可直接投诉或申请平台介入。")))
    reason = ReasonField(label=writer.type.label, synonyms=writer.type.synonyms)
    amount = check.refund if request.demand.kind in rules.REFUND_KINDS else None
    return DraftContent(
        language=request.language, complaint_type=request.complaint_type, demand=request.demand,
        title=title, text=text, form_text=form_text, form_limit=limit,
        fields=DraftFields(reason=reason, service_kind=writer.demand.service_kind, amount=amount,
                           description=form_text),
        warnings=warnings, checklist=checklist, deadlines=items, basis=bases, demand_check=check,
        findings=buyer.findings, generated_at=now)
