"""The sentences of a draft, from the case: order facts, the dated chronology (the buyer's
facts among the order's milestones), the evidence list, the demand and its bases, each
with its place in the channel's layout and its priority when a form must be cut.

`draft.build` asks the writer for the parts and assembles, fits and warns. Over 400 lines
on purpose: it is one concept (what a draft says), and every part reads the same case,
amounts and phrase table; split across modules, each would need the whole state again."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from helper.complaint import channels, clean, deadlines, rules, situation
from helper.complaint.amounts import Amounts
from helper.complaint.buyer_text import BuyerText
from helper.complaint.catalog import Index
from helper.complaint.channels import Event, Parts
from helper.complaint.fitting import Piece
from helper.complaint.phrases import PLATFORMS, phrases
from helper.models import (
    Case,
    CaseStatus,
    Channel,
    ChecklistItem,
    ComplaintSettings,
    ComplaintType,
    Deadline,
    DemandCheck,
    DemandKind,
    DraftBasis,
    DraftRequest,
    Evidence,
    EvidenceCategory,
    Language,
    Notice,
)

SHA_PREFIX = 12
COMPLAINT_TYPES_WITH_SELLER_SHIPPING = frozenset(ComplaintType) - {
    ComplaintType.other, ComplaintType.price_protection, ComplaintType.service_harassment, ComplaintType.price_fraud}
SELLER_ANSWER = re.compile(r"(?<![品牌官方快递物流])(?:卖家|客服|商家|店家|店铺|掌柜|对方|售后)[^。！？；!?;]{0,24}?"
                           r"(?:拒绝|不同意|驳回|不予|不给|不退|不换|不处理|不承认|不认|回复|答复|表示|称|说|要求)")
"""A sentence reporting what the seller answered: the decisive fact when a form must be cut."""
REGULATOR_CHANNELS = (Channel.regulator, Channel.association, Channel.court)
"""Channels whose texts carry the buyer's name, phone and address (and only these)."""





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
SELLER_ANSWER_PRIORITY = 1.0
EVIDENCE_PRIORITY = 1.2
FIRST_FACT_PRIORITY = 1.5
LATENESS_PRIORITY = 0.9
"""In the form: the order id and the demand always; then the seller's latest answer, the
evidence summary, the type and the first fact (the problem); then later facts before
earlier ones, the order's own milestones (签收 first) last."""


def _evidence_sha(evidence: Evidence) -> str:
    by_role = {a.role: a for a in evidence.artifacts}
    artifact = by_role.get("original") or by_role.get("screenshot") or evidence.artifacts[0]
    return artifact.sha256[:SHA_PREFIX]


def _duration(p: dict[str, str], delta: timedelta) -> str:
    hours = int(delta.total_seconds() // 3600)
    days, hours = divmod(hours, 24)
    return p["late_days"].format(days=days, hours=hours) if days else p["late_hours"].format(hours=hours)


class Writer:
    """Renders the parts of one draft; holds what every section needs."""

    def __init__(self, case: Case, evidence: list[Evidence], request: DraftRequest, index: Index,
                 settings: ComplaintSettings, now: datetime, amounts: Amounts) -> None:
        self.case, self.order, self.request, self.index = case, case.order, request, index
        self.settings, self.now, self.amounts = settings, now, amounts
        self.lang = request.language
        self.p = phrases(self.lang)
        self.type = index.types[request.complaint_type]
        self.demand = index.demands[request.demand.kind]
        self.evidence = [e for e in evidence if e.artifacts]
        self.items = list(amounts.items)
        self.item = self.items[0] if self.items else None
        self.state = situation.order_state(self.order)
        self.warnings: list[Notice] = []

    def label(self, zh: str, en: str) -> str:
        return en if self.lang is Language.en else zh

    @property
    def platform_name(self) -> str:
        return PLATFORMS[self.lang][self.order.platform]

    # -- the order -----------------------------------------------------------------------

    def order_lines(self) -> list[str]:
        p, o = self.p, self.order
        lines = [p["order_id"].format(order_id=o.order_id, platform=self.platform_name)]
        if o.shop_name:
            lines.append(p["shop"].format(shop=o.shop_name))
        if o.seller_nick:
            lines.append(p["seller"].format(seller=o.seller_nick))
        for item in self.items:
            if not item.title:
                continue
            sku = (self.label(f"（{item.sku}）", f" ({item.sku})") if item.sku else "")
            key = "item" if item.unit_price else "item_no_price"
            lines.append(p[key].format(title=item.title, sku=sku, quantity=item.quantity,
                                       price=rules.yuan(Decimal(item.unit_price or 0))))
        if self.amounts.paid is not None:
            lines.append(p["paid"].format(paid=rules.yuan(self.amounts.paid)))
        for key in ("created_at", "paid_at", "shipped_at", "received_at"):
            if (moment := getattr(o, key)) is not None:
                lines.append(p[key].format(at=_at(moment)))
        if o.logistics and (o.logistics.company or o.logistics.tracking_no):
            lines.append(p["logistics"].format(company=o.logistics.company or "",
                                               tracking=f" {o.logistics.tracking_no}" if o.logistics.tracking_no else ""))
        return lines

    def item_short(self) -> str:
        titles = [i.title for i in self.items if i.title]
        if not titles:
            return ""
        short = (titles[0][:20] + "…") if len(titles[0]) > 20 else titles[0]
        if len(titles) > 1:
            short += self.label(f" 等 {len(titles)} 件", f" and {len(titles) - 1} more")
        return short

    # -- what happened -------------------------------------------------------------------

    def lateness(self) -> list[Event]:
        """How late the shipment is, from the promise and the order's own times."""
        request, o, p = self.request, self.order, self.p
        if request.complaint_type is not ComplaintType.late_shipment:
            return []
        if request.ship_within_hours is None or o.paid_at is None:
            self.warnings.append(Notice(code="ship_promise_unknown", message=(
                "没有填写页面承诺的发货时间（如“48小时内发货”）与付款时间，草稿无法写明晚了多久；"
                "请补充 ship_within_hours，并保存页面承诺的交易快照。")))
            return []
        promised = o.paid_at + timedelta(hours=request.ship_within_hours)
        shipped = o.shipped_at
        if shipped is not None and shipped <= promised:
            self.warnings.append(Notice(code="shipped_on_time", message=(
                f"按订单时间，卖家在承诺期限（{_at(promised)} 前）内发货，不构成延迟发货；"
                "如页面另有更短的承诺，请以交易快照为准填写。")))
            return []
        if shipped is None and self.now <= promised:
            self.warnings.append(Notice(code="not_late_yet", message=(
                f"承诺的发货期限尚未届满（{_at(promised)}），此时投诉延迟发货不会被支持。")))
            return []
        if shipped is not None:
            text = p["late_shipped"].format(hours=request.ship_within_hours, promised=_at(promised),
                                            late=_duration(p, shipped - promised))
            return [Event(shipped, text, LATENESS_PRIORITY)]
        text = p["late_unshipped"].format(hours=request.ship_within_hours, now=_at(self.now),
                                          late=_duration(p, self.now - promised))
        return [Event(promised, text, LATENESS_PRIORITY)]

    def timeline(self, buyer: BuyerText) -> list[Event]:
        """Order milestones, the engine's derived facts and the buyer's facts, in date order
        (undated facts last). The latest fact reporting the seller's answer is marked."""
        p, o = self.p, self.order
        logistics = ""
        if o.logistics and o.logistics.company:
            logistics = f"（{o.logistics.company}）" if self.lang is Language.zh else f" ({o.logistics.company})"
        events: list[Event] = []
        if o.paid_at:
            events.append(Event(o.paid_at, p["m_paid"], MILESTONE_PRIORITY, milestone=True))
        if o.shipped_at:
            events.append(Event(o.shipped_at, p["m_shipped"].format(logistics=logistics), MILESTONE_PRIORITY,
                                milestone=True))
        if o.received_at:
            events.append(Event(o.received_at, p["m_received"], RECEIVED_PRIORITY, milestone=True))
        events += self.lateness()
        answers = [i for i, f in enumerate(buyer.facts) if f.seller_reply or SELLER_ANSWER.search(f.text)]
        latest = max(answers, key=lambda i: (_fact_key(buyer.facts[i].date), i)) if answers else None
        events += [Event(f.date, clean.end_sentence(f.text), None, i == latest) for i, f in enumerate(buyer.facts)]
        return sorted(events, key=lambda e: _fact_key(e.when))

    def summary(self) -> str:
        state = ("received" if self.order.received_at is not None or self.state is situation.OrderState.received
                 else "unshipped" if self.state in situation.UNSHIPPED else "shipped")
        summaries = self.type.summaries_en if self.lang is Language.en else self.type.summaries
        default = self.label(self.type.summary, self.type.summary_en)
        return summaries.get(state, default)  # type: ignore[call-overload]

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

    def evidence_summary(self) -> str | None:
        if not self.evidence:
            return None
        p = self.p
        kinds = Counter(e.category for e in self.evidence)
        listed = p["list_sep"].join(p["form_evidence_kind"].format(label=self.index.evidence_label(c, self.lang), n=n)
                                    for c, n in kinds.items())
        return p["form_evidence"].format(n=len(self.evidence), kinds=listed)

    # -- the demand and its bases -------------------------------------------------------

    def covering_basis(self, check: DemandCheck) -> str:
        """The basis the demand names: one the platform applies when it covers the amount
        (then the statutory articles are not cited at all, so the demand must not name
        them either), else the smallest statutory basis that covers it."""
        amount = Decimal(check.compensation or 0)
        covering = [b for b in check.bases if Decimal(b.limit) >= amount]
        preferred = [b for b in covering if b.channel == "platform"] or covering
        return min(preferred, key=lambda b: Decimal(b.limit)).title if preferred else self.label("相关规定", "the rules")

    def demand_sentence(self, check: DemandCheck) -> str:
        p, kind = self.p, self.request.demand.kind
        refund = check.refund
        if kind in rules.REFUND_KINDS:
            shipping = (p["shipping_seller"] if kind is DemandKind.return_refund and not self.request.demand.no_reason
                        and self.request.complaint_type in COMPLAINT_TYPES_WITH_SELLER_SHIPPING else "")
            if refund is None:
                return p[f"demand_{kind.value}_full"].format(shipping=shipping)
            return p[f"demand_{kind.value}"].format(amount=rules.yuan(Decimal(refund)), shipping=shipping)
        if kind is DemandKind.compensation:
            amount = Decimal(check.compensation or 0)
            basis = self.covering_basis(check)
            if refund is not None:
                return p["demand_compensation_refund"].format(
                    refund=rules.yuan(Decimal(refund)), basis=basis, amount=rules.yuan(amount),
                    total=rules.yuan(Decimal(check.total or 0)))
            return p["demand_compensation"].format(basis=basis, amount=rules.yuan(amount))
        return p[f"demand_{kind.value}"]

    def claims(self, check: DemandCheck) -> list[str]:
        """The demand as a court's 诉讼请求: one claim per remedy, costs last."""
        p, kind = self.p, self.request.demand.kind
        claims = []
        if check.refund is not None:
            claims.append(p["c_refund"].format(amount=rules.yuan(Decimal(check.refund))))
        if kind is DemandKind.compensation:
            claims.append(p["c_compensation"].format(basis=self.covering_basis(check),
                                                     amount=rules.yuan(Decimal(check.compensation or 0))))
        elif kind not in rules.REFUND_KINDS:
            claims.append(p[f"c_{kind.value}"])
        claims.append(p["c_costs"])
        end = self.label("；", ";")
        return [f"{n}. {c}{end if n < len(claims) else self.label('。', '.')}" for n, c in enumerate(claims, start=1)]

    def bases(self, check: DemandCheck) -> list[DraftBasis]:
        """The bases that apply here, in the order a reviewer should read them. A §25
        no-reason return cites §25, 实施条例 §19 and the 办法 first and leaves the quality
        articles out; statutory damages only for a compensation demand that rests on them
        (none when a platform basis covers the amount, and never on the platform: Art.
        6(6)); §23 and the 三包 rules only for durable goods; the seller's promise (Art. 15)
        as its own entry."""
        request = self.request
        compensation_ids = {b.basis for b in check.bases} if check.channel != "platform" else set()
        ids = [*self.type.bases, *self.demand.bases]
        if request.demand.no_reason:
            ids = ["csl_25", "csl_reg_19", "nr_measures", *(i for i in ids if i not in ("csl_24", "pql_40", "sanbao"))]
        elif request.goods.value == "durable" and "csl_24" in ids:
            ids.insert(ids.index("csl_24") + 1, "sanbao")
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
        chosen.sort(key=lambda b: b.id not in compensation_ids)  # the demand's own basis first
        if request.seller_promise is not None:
            promise = self.index.bases["tb_15"]
            chosen.append(DraftBasis(
                id="seller_promise", kind="seller_promise",
                title=self.label(f"卖家承诺“{request.seller_promise.text}”", f"Seller's promise \u201c{request.seller_promise.text}\u201d"),
                summary=self.label(promise.summary, promise.summary_en) + self.label(f"（{promise.title}）", f" ({promise.title_en})"),
                channel="platform"))
        return chosen

    def basis_lines(self, bases: list[DraftBasis]) -> list[str]:
        p = self.p
        lines = [p["basis_line"].format(n=n, title=b.title, summary=b.summary)
                 for n, b in enumerate((b for b in bases if b.kind != "seller_promise"), start=1)]
        if self.request.seller_promise is not None:
            lines.append(p["basis_promise"].format(n=len(lines) + 1, promise=self.request.seller_promise.text))
        return lines

    # -- the parties (12315, 消协, court) ------------------------------------------------

    def complainant_lines(self) -> list[str]:
        p, who = self.p, self.request.complainant
        if who is None:
            return [p["person_missing"]]
        return [p["person_name"].format(name=who.name), p["person_phone"].format(phone=who.phone),
                p["person_address"].format(address=who.address)]

    def respondent_lines(self) -> list[str]:
        p, o, r = self.p, self.order, self.request.respondent
        lines = []
        if o.shop_name:
            lines.append(p["resp_shop"].format(shop=o.shop_name, platform=self.platform_name))
        if o.seller_nick:
            lines.append(p["resp_seller"].format(seller=o.seller_nick))
        if r is not None and r.operator_name:
            lines.append(p["resp_operator"].format(name=r.operator_name))
        if r is not None and r.operator_address:
            lines.append(p["resp_address"].format(address=r.operator_address))
        if r is not None and r.credit_code:
            lines.append(p["resp_credit"].format(code=r.credit_code))
        if r is None or not (r.operator_name and r.operator_address):
            lines.append(p["resp_missing"])
        return lines

    def court_parties(self) -> list[str]:
        p, who, r = self.p, self.request.complainant, self.request.respondent
        shop = self.order.shop_name or self.order.seller_nick or self.platform_name
        plaintiff = (p["c_plaintiff"].format(name=who.name, phone=who.phone, address=who.address)
                     if who is not None else p["c_plaintiff_missing"])
        defendant = (p["c_defendant"].format(name=r.operator_name, address=r.operator_address, shop=shop)
                     if r is not None and r.operator_name and r.operator_address
                     else p["c_defendant_missing"].format(shop=shop))
        return [plaintiff, defendant]

    def limitation(self, items: list[Deadline], key: str, phrase: str) -> str:
        found = next((d for d in items if d.key == key), None)
        if found is None:
            return self.p[f"{phrase}_unknown"]
        start = re.search(r"\d{4}-\d{2}-\d{2}", found.counted_from)
        return self.p[phrase].format(start=start.group() if start else found.counted_from,
                                     last_day=found.last_day.isoformat())

    def tried(self, events: list[Event]) -> str | None:
        """"已与卖家协商" only when the case shows it: a reported answer of the seller, or a
        complaint already submitted."""
        if any(e.seller_answer for e in events) or self.case.status in (CaseStatus.submitted, CaseStatus.escalated):
            return self.p["tried"]
        return None

    # -- assembly ------------------------------------------------------------------------

    def parts(self, check: DemandCheck, buyer: BuyerText, items: list[Deadline]) -> Parts:
        p = self.p
        events = self.timeline(buyer)
        has_buyer_facts = bool(buyer.facts)
        summary = self.summary() if not has_buyer_facts else None
        fact_lines = [f"{_fact_date_text(e.when)} {e.text}" if e.when is not None else e.text for e in events]
        if summary is not None:
            fact_lines.append(p["no_facts_evidence" if self.evidence else "no_facts"].format(summary=summary))
        if buyer.notes:
            fact_lines.append(p["notes"].format(notes=buyer.notes))
        buyer_lines = [f"{_fact_date_text(e.when)} {e.text}" if e.when is not None else e.text
                       for e in events if not e.milestone]
        bases = self.bases(check)
        hours = self.settings.seller_reply_hours
        return Parts(
            order_id=self.order.order_id, label=self.label(self.type.label, self.type.label_en),
            item_short=self.item_short(), order=self.order_lines(), events=events, fact_lines=fact_lines,
            buyer_lines=buyer_lines, summary=summary, notes=buyer.notes, evidence=self.evidence_lines(),
            evidence_summary=self.evidence_summary(), demand=self.demand_sentence(check), claims=self.claims(check),
            bases=bases, basis_lines=self.basis_lines(bases),
            reply_at=_at(self.now + timedelta(hours=hours)), reply_hours=hours,
            complainant=self.complainant_lines(), respondent=self.respondent_lines(),
            limitation=self.limitation(items, "regulator_limit", "r_limit"),
            court_limitation=self.limitation(items, "civil_limitation", "c_limit"),
            court_parties=self.court_parties(), tried=self.tried(events),
            fraud=p["fraud"].format(facts=p["list_sep"].join(check.fraud_facts)) if check.fraud_facts else None)

    def pieces(self, parts: Parts, rendered: channels.Rendered) -> list[Piece]:
        """The form text's sentences, each with its section (from the channel's layout)
        and priority (lower = kept first); kinds the layout does not name are left out."""
        p, o, layout = self.p, self.order, rendered.layout
        out: list[Piece] = list(rendered.extra)

        def add(kind: str, priority: float, text: str | None) -> None:
            if text and kind in layout:
                out.append(Piece(layout[kind], priority, text))

        add("order_id", 0, p["form_order_id"].format(order_id=o.order_id))
        for k, item in enumerate(i for i in self.items if i.title):
            add("item", 5 + k / 1000, p["form_item"].format(title=item.title))
        if self.amounts.paid is not None:
            add("paid", 5.1, p["paid"].format(paid=rules.yuan(self.amounts.paid)))
        add("type", 1, p["form_type"].format(label=self.label(self.type.label, self.type.label_en)))
        buyer_events = [e for e in parts.events if e.priority is None]
        recency = {id(e): n for n, e in enumerate(reversed(buyer_events))}
        for event in parts.events:
            prefix = f"{_fact_date_text(event.when)} " if event.when is not None else ""
            for k, sentence in enumerate(clean.sentences(event.text)):
                if event.priority is not None:
                    priority = event.priority
                elif event.seller_answer and (SELLER_ANSWER.search(sentence) or len(clean.sentences(event.text)) == 1):
                    priority = SELLER_ANSWER_PRIORITY
                elif event is buyer_events[0]:
                    priority = FIRST_FACT_PRIORITY + k / 1000
                else:
                    priority = 3 + recency[id(event)] / 100 + k / 10000
                add("milestone" if event.milestone else "facts", priority, (prefix if k == 0 else "") + sentence)
        if parts.summary is not None:
            add("facts", FIRST_FACT_PRIORITY, parts.summary)
        for k, sentence in enumerate(clean.sentences(parts.notes)):
            add("facts", 6 + k / 1000, (p["notes"].format(notes="") if k == 0 else "") + sentence)
        add("demand", 0, p["form_demand"].format(demand=parts.demand))
        add("evidence", EVIDENCE_PRIORITY, parts.evidence_summary)
        titles = [b.title for b in parts.bases if b.kind != "seller_promise"] or [b.title for b in parts.bases[:1]]
        if titles:
            add("basis", 2.5, p["form_basis"].format(titles=titles[0]))
            if len(titles) > 1:
                add("basis", 7, p["form_basis_more"].format(titles=p["list_sep"].join(titles[1:])))
        add("reply", 4, p["form_deadline"].format(at=parts.reply_at))
        add("limitation", 3.5, parts.limitation)
        add("court_limitation", 3.5, parts.court_limitation)
        add("tried", 2, parts.tried)
        return out

    def checklist(self) -> tuple[list[ChecklistItem], list[Notice]]:
        counts = Counter(e.category for e in self.evidence)
        items, warnings = [], []
        for req in self.type.evidence:
            label = req.label_en if self.lang is Language.en else req.label
            # an order that never shipped has no tracking to show
            required = req.required and not (req.category is EvidenceCategory.logistics
                                              and not situation.was_shipped(self.order))
            items.append(ChecklistItem(category=req.category, label=label, required=required,
                                       present=counts[req.category], why=req.why))
            if required and not counts[req.category]:
                warnings.append(Notice(code="missing_evidence", message=f"缺少必需的证据：{req.label}（{req.why}）。"))
        if any(e.status != "complete" for e in self.evidence):
            warnings.append(Notice(code="evidence_incomplete", message="有证据采集不完整（partial/pending），建议重新采集。"))
        return items, warnings
