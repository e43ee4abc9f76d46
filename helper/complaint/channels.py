"""One text per channel, each in the order its reader works through it.

- seller: a short first message (旺旺/留言): who, what happened, what is asked, by when.
  Communicate first: no articles, no escalation talk.
- platform: the 申请售后/投诉商家 form: 订单信息 → 问题经过 → 证据清单 → 诉求 → 依据 → 处理期限.
- regulator (12315): the elements 《市场监督管理投诉举报处理暂行办法》 §9 requires, in its
  order: 投诉人, 被投诉人, 投诉请求, 事实与理由, 证据, then the three-year limit (§15(4)).
- association (消费者协会): 投诉方, 被投诉方, 损害事实 (time, place, course, the talks with
  the seller), 证据, 诉求, 依据.
- court: an outline of a statement of claim: 当事人, 诉讼请求, 事实与理由, 证据, 法律依据, 时效.

`layout` says which sentences the channel's form text may carry and in which section;
the priorities that decide what survives cutting are the same everywhere (draft.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from helper.complaint.fitting import Piece
from helper.models import Channel, DraftBasis


@dataclass(frozen=True)
class Event:
    """One dated line of 问题经过: an order milestone, a derived fact or a buyer's fact."""

    when: date | datetime | None
    text: str
    priority: float | None
    """fixed form priority of an engine sentence; None for the buyer's facts (ranked by recency)"""
    seller_answer: bool = False
    milestone: bool = False
    """an order milestone (付款, 发货, 签收): the seller knows those"""


@dataclass(frozen=True)
class Parts:
    """Everything a channel's text is assembled from, computed once per draft (draft.py)."""

    order_id: str
    label: str
    item_short: str
    order: list[str]
    events: list[Event]
    fact_lines: list[str]
    buyer_lines: list[str]
    """the dated facts without the order's own milestones (the seller knows those)"""
    summary: str | None
    notes: str
    evidence: list[str]
    evidence_summary: str | None
    demand: str
    claims: list[str]
    bases: list[DraftBasis]
    basis_lines: list[str]
    reply_at: str
    reply_hours: int
    complainant: list[str]
    respondent: list[str]
    limitation: str
    court_limitation: str
    court_parties: list[str]
    tried: str | None
    fraud: str | None
    """the fraud facts the buyer states (§55): for 12315, the association and a court"""


@dataclass(frozen=True)
class Rendered:
    title: str
    text: str
    layout: dict[str, int]
    extra: tuple[Piece, ...] = ()
    """form sentences only this channel has (the seller's greeting and reply window)"""


def _numbered(lines: list[str]) -> list[str]:
    return [f"{n}. {line}" for n, line in enumerate(lines, start=1)]


def _join(title: str, sections: list[tuple[str, list[str]]], tail: list[str] | None = None) -> str:
    body = "\n\n".join(h + "\n" + "\n".join(lines) for h, lines in sections)
    return title + "\n\n" + body + ("\n\n" + "\n".join(tail) if tail else "")


def _title(p: dict[str, str], key: str, parts: Parts) -> str:
    item = p["s_item"].format(title=parts.item_short) if parts.item_short else ""
    return p[key].format(order_id=parts.order_id, item=item, label=parts.label)


def _facts_and_reasons(parts: Parts) -> list[str]:
    return [*parts.order, *_numbered(parts.fact_lines), *(line for line in (parts.fraud, parts.tried) if line)]


def _seller(parts: Parts, p: dict[str, str]) -> Rendered:
    item = p["s_item"].format(title=parts.item_short) if parts.item_short else ""
    greeting = p["s_greeting"].format(order_id=parts.order_id, item=item)
    problem = parts.buyer_lines or ([parts.summary] if parts.summary else [])
    if parts.notes:
        problem = [*problem, p["notes"].format(notes=parts.notes)]
    closing = [p["s_evidence"]] if parts.evidence_summary else []
    reply = p["s_reply"].format(at=parts.reply_at)
    text = "\n".join([greeting, *problem, p["s_demand"].format(demand=parts.demand), *closing, reply])
    layout = {"facts": 1, "demand": 2, "evidence": 3}
    extra = (Piece(0, 0, greeting), Piece(4, 0.5, reply))
    return Rendered(_title(p, "title_seller", parts), text, layout, extra)


def _platform(parts: Parts, p: dict[str, str]) -> Rendered:
    title = (p["title"].format(order_id=parts.order_id, item=parts.item_short, label=parts.label) if parts.item_short
             else p["title_no_item"].format(order_id=parts.order_id, label=parts.label))
    deadline = p["deadline"].format(at=parts.reply_at, hours=parts.reply_hours)
    text = _join(title, [(p["h_order"], parts.order), (p["h_facts"], _numbered(parts.fact_lines)),
                         (p["h_evidence"], parts.evidence), (p["h_demand"], [parts.demand]),
                         (p["h_basis"], parts.basis_lines), (p["h_deadline"], [deadline])])
    layout = {"order_id": 0, "item": 0, "paid": 0, "type": 1, "facts": 2, "milestone": 2, "demand": 3, "evidence": 4,
              "basis": 5, "reply": 6}
    return Rendered(title, text, layout)


def _regulator(parts: Parts, p: dict[str, str]) -> Rendered:
    title = _title(p, "title_regulator", parts)
    reasons = [p["reasons"], *parts.basis_lines] if parts.basis_lines else []
    text = _join(title, [(p["r_h_complainant"], parts.complainant), (p["r_h_respondent"], parts.respondent),
                         (p["r_h_demand"], [parts.demand]), (p["r_h_facts"], [*_facts_and_reasons(parts), *reasons]),
                         (p["r_h_evidence"], parts.evidence), (p["r_h_limit"], [parts.limitation])])
    layout = {"order_id": 0, "item": 0, "paid": 0, "type": 1, "facts": 1, "milestone": 1, "tried": 1, "demand": 2,
              "evidence": 3, "basis": 4, "limitation": 5}
    return Rendered(title, text, layout)


def _association(parts: Parts, p: dict[str, str]) -> Rendered:
    title = _title(p, "title_association", parts)
    text = _join(title, [(p["a_h_complainant"], parts.complainant), (p["a_h_respondent"], parts.respondent),
                         (p["a_h_damage"], _facts_and_reasons(parts)), (p["a_h_evidence"], parts.evidence),
                         (p["a_h_demand"], [parts.demand]), (p["a_h_basis"], parts.basis_lines)])
    layout = {"order_id": 0, "item": 0, "paid": 0, "type": 1, "facts": 1, "milestone": 1, "tried": 1, "evidence": 2,
              "demand": 3, "basis": 4}
    return Rendered(title, text, layout)


def _court(parts: Parts, p: dict[str, str]) -> Rendered:
    title = _title(p, "title_court", parts)
    text = _join(title, [(p["c_h_parties"], parts.court_parties), (p["c_h_claims"], parts.claims),
                         (p["c_h_facts"], _facts_and_reasons(parts)), (p["c_h_evidence"], parts.evidence),
                         (p["c_h_law"], parts.basis_lines), (p["c_h_limit"], [parts.court_limitation])],
                 [p["c_note"]])
    layout = {"demand": 0, "order_id": 1, "item": 1, "paid": 1, "facts": 2, "milestone": 2, "tried": 2, "evidence": 3,
              "basis": 4, "court_limitation": 5}
    return Rendered(title, text, layout)


RENDERERS: dict[Channel, Callable[[Parts, dict[str, str]], Rendered]] = {
    Channel.seller: _seller, Channel.platform: _platform, Channel.regulator: _regulator,
    Channel.association: _association, Channel.court: _court,
}


def render(channel: Channel, parts: Parts, p: dict[str, str]) -> Rendered:
    return RENDERERS[channel](parts, p)
