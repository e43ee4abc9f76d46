"""Deadlines from the order's dates, in Asia/Shanghai days.

Counting follows 民法典 §201–§203: a period in days starts the day after the event
(so the 7-day no-reason window of a parcel signed on 1-31 ends at the end of 2-07), a
period in months or years ends on the corresponding day of the last month, or that
month's last day when it has none (8-31 + 6 months → 2-28/29). Days are Beijing days:
a parcel signed at 23:30 +08:00 was signed that day, even though it is already the next
day nowhere else. A last day that falls on a statutory rest day is kept (the buyer should
act by it) and the note names the day §203 moves it to, from the Chinese holiday calendar.

The periods that fit the case: the 7-day windows and the durable-goods burden from the
signing; the three years for a 12315 complaint (暂行办法 §15(4)) and for a lawsuit (民法典
§188) from when the buyer knew of the harm; 产品质量法 §45's two years only when a defect
caused injury. Platform windows (after-sales, auto-confirm, seller reply) are UNCONFIRMED
settings and say so. An order that has not shipped has no shipping or receipt dates to
miss, so it gets no warning about them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from helper.complaint import situation, workdays
from helper.models import (
    Case,
    CaseStatus,
    ComplaintSettings,
    ComplaintType,
    Deadline,
    GoodsKind,
    Notice,
)

RULES = "2"
"""The revision of these rules: part of the agenda's fingerprint, so a change recomputes every case."""
SHANGHAI = ZoneInfo("Asia/Shanghai")
UNCONFIRMED = "平台数值未经核实，为可调整的设置（config.toml [complaint] {key}）。"
NO_REASON_EXCLUDED = (GoodsKind.custom_made, GoodsKind.perishable, GoodsKind.digital_opened,
                      GoodsKind.periodical)
HARM_FROM_ORDERING = (ComplaintType.late_shipment, ComplaintType.not_received, ComplaintType.price_fraud,
                      ComplaintType.service_harassment)
"""Complaints whose harm is known before (or without) a signed parcel."""
AUTO_CONFIRM_SOON_DAYS = 3
EXTEND_RECEIPT_TYPES = (ComplaintType.not_received, ComplaintType.late_shipment, ComplaintType.damaged_or_missing)


def local_day(moment: datetime) -> date:
    return moment.astimezone(SHANGHAI).date()


def end_of_day(day: date) -> datetime:
    """The moment a day ends in Beijing (= the next day's 00:00 +08:00)."""
    return datetime.combine(day + timedelta(days=1), time(0), SHANGHAI)


def add_months(day: date, months: int) -> date:
    """民法典 §202: the corresponding day, or the month's last day when there is none
    (relativedelta clips to the month's end the same way)."""
    return day + relativedelta(months=months)


def last_day_after(event: datetime, days: int) -> date:
    """民法典 §201: the event's day is not counted; day 1 is the next (Beijing) day."""
    return local_day(event) + timedelta(days=days)


def rest_day_note(day: date) -> str | None:
    """民法典 §203 for a last day on a statutory rest day: where the period moves to."""
    moved, known = workdays.next_workday_from(day)
    if moved == day:
        return None if known else "该年节假日安排尚未公布，期限是否顺延以公布的安排为准。"
    return (f"最后一日 {day.isoformat()} 为法定休假日，依民法典第二百零三条顺延至 {moved.isoformat()}；"
            "平台按自身规则计时，建议不晚于 " + day.isoformat() + " 办理。")


def submitted_at(case: Case) -> datetime | None:
    """When the case last moved to `submitted` (from its timeline)."""
    times = [e.at for e in case.timeline
             if e.kind == "status_changed" and e.data.get("to") == CaseStatus.submitted.value]
    return max(times) if times else None


@dataclass(frozen=True)
class CaseFacts:
    """What the draft request adds to the order's dates (None fields: not known yet)."""

    complaint_type: ComplaintType | None = None
    injury: bool = False
    ship_within_hours: int | None = None


@dataclass(frozen=True)
class _Period:
    key: str
    label: str
    counted_from: str
    basis: str
    confirmed: bool
    note: str | None


def _deadline(period: _Period, last_day: date, ends_at: datetime, now: datetime,
              window_days: int) -> Deadline:
    days_left = (last_day - local_day(now)).days
    state = "passed" if now >= ends_at else "due_soon" if days_left <= window_days else "open"
    return Deadline(key=period.key, label=period.label, last_day=last_day, ends_at=ends_at,
                    counted_from=period.counted_from, basis=period.basis, confirmed=period.confirmed,
                    note=period.note, days_left=days_left, state=state)  # type: ignore[arg-type]


def harm_known(case: Case, facts: CaseFacts) -> tuple[datetime, str] | None:
    """When the buyer knew (or should have known) of the harm, approximated from the order:
    the signing; for a late or missing delivery, the promised shipping time (or payment)."""
    order = case.order
    if facts.complaint_type in HARM_FROM_ORDERING and order.paid_at is not None:
        if facts.ship_within_hours is not None:
            return order.paid_at + timedelta(hours=facts.ship_within_hours), "承诺的发货期限届满"
        return order.paid_at, "付款"
    if order.received_at is not None:
        return order.received_at, "签收"
    return None


def compute(case: Case, settings: ComplaintSettings, now: datetime,
            goods: GoodsKind | None = None, facts: CaseFacts | None = None) -> tuple[list[Deadline], list[Notice]]:
    """The case's deadlines, sorted by when they pass, and warnings about missing dates.

    `goods` comes from the latest draft when there is one; None means not yet known."""
    facts = facts or CaseFacts()
    order = case.order
    deadlines: list[Deadline] = []
    warnings: list[Notice] = []
    window = settings.reminder_window_days

    def by_days(period: _Period, event: datetime, days: int) -> Deadline:
        day = last_day_after(event, days)
        deadlines.append(_deadline(period, day, end_of_day(day), now, window))
        return deadlines[-1]

    def by_months(period: _Period, event: datetime, months: int) -> None:
        day = add_months(local_day(event), months)
        deadlines.append(_deadline(period, day, end_of_day(day), now, window))

    def by_hours(period: _Period, event: datetime, hours: int) -> None:
        ends = event + timedelta(hours=hours)
        deadlines.append(_deadline(period, local_day(ends - timedelta(microseconds=1)), ends, now, window))

    received = order.received_at
    shipped = situation.was_shipped(order)
    if received is None and shipped and facts.complaint_type is not ComplaintType.not_received:
        warnings.append(Notice(code="missing_received_at", message=(
            "订单缺少签收时间，无法计算七日退货、耐用商品六个月、售后期等期限；"
            "请在订单详情页打开一次以补全。")))
    elif received is not None:
        day = last_day_after(received, 7)
        signed = f"签收（{local_day(received).isoformat()}）次日起算"
        if goods in NO_REASON_EXCLUDED:
            warnings.append(Notice(code="no_reason_excluded", message="该类商品不适用七日无理由退货。"))
        else:
            by_days(_Period("no_reason_return", "七日无理由退货", signed,
                            "《消费者权益保护法》第二十五条；《网络购买商品七日无理由退货暂行办法》第十条",
                            True, rest_day_note(day)), received, 7)
        by_days(_Period("quality_return", "质量问题七日内退货", signed,
                        "《消费者权益保护法》第二十四条", True,
                        " ".join(filter(None, ["此后仍可按法定解除条件退货，或要求更换、修理。", rest_day_note(day)]))),
                received, 7)
        if goods is GoodsKind.durable:
            exchange = last_day_after(received, 15)
            by_days(_Period("sanbao_exchange", "三包：十五日内换货", signed,
                            "《部分商品修理更换退货责任规定》（三包规定）", True,
                            " ".join(filter(None, ["自售出（网购以签收近似）之日起十五日内发生性能故障可选择换货或修理；"
                                                   "此后在三包有效期内修理。", rest_day_note(exchange)]))),
                    received, 15)
        if goods in (None, GoodsKind.durable):
            by_months(_Period("durable_burden", "耐用商品瑕疵由卖家举证", "签收之日起六个月",
                              "《消费者权益保护法》第二十三条第三款", True,
                              "仅适用于电脑、电视、冰箱、空调、洗衣机等耐用商品。"), received, 6)
        by_days(_Period("after_sales", "平台售后申请期", "交易成功次日起算（以签收时间近似）",
                        "淘宝平台售后规则", False,
                        UNCONFIRMED.format(key="after_sales_days")), received, settings.after_sales_days)
        if facts.injury:
            by_months(_Period("quality_limitation", "产品缺陷致损的赔偿诉讼时效（两年）",
                              "知道权益受损之日起两年（以签收日近似）", "《产品质量法》第四十五条", True,
                              "仅适用于因产品缺陷造成人身或他人财产损害的赔偿；自交付起最长十年。"), received, 24)
    if (harm := harm_known(case, facts)) is not None:
        moment, event = harm
        start = f"知道权益受损之日起三年（以{event}日 {local_day(moment).isoformat()} 近似）"
        by_months(_Period("regulator_limit", "向12315投诉的期限（三年）", start,
                          "《市场监督管理投诉举报处理暂行办法》第十五条第（四）项", True,
                          "超过三年的投诉，市场监管部门不予受理（法律另有规定的除外）。"), moment, 36)
        by_months(_Period("civil_limitation", "起诉的诉讼时效（三年）", start,
                          "《民法典》第一百八十八条", True,
                          "向卖家提出请求、卖家同意履行或起诉，会使时效中断并重新计算（民法典第一百九十五条）。"),
                  moment, 36)
    if order.shipped_at is not None and received is None:
        confirm = by_days(_Period("auto_confirm", "自动确认收货（确认前请验货）", "发货次日起算",
                                  "《淘宝平台争议处理规则》第七十六条：确认收货后外观不符由买家举证", False,
                                  UNCONFIRMED.format(key="auto_confirm_days")), order.shipped_at, settings.auto_confirm_days)
        if facts.complaint_type in EXTEND_RECEIPT_TYPES:
            warnings += _auto_confirm_advice(confirm)
    elif received is None and shipped:
        warnings.append(Notice(code="missing_shipped_at",
                               message="订单缺少发货时间，无法计算自动确认收货时间。"))
    if (submitted := submitted_at(case)) is not None:
        by_hours(_Period("seller_reply", "卖家答复期限", "提交之时起算", "淘宝平台退款规则", False,
                         UNCONFIRMED.format(key="seller_reply_hours")), submitted, settings.seller_reply_hours)
    deadlines.sort(key=lambda d: d.ends_at)
    return deadlines, warnings


def _auto_confirm_advice(confirm: Deadline) -> list[Notice]:
    """Not received yet and the platform is about to (or did) confirm receipt for the buyer."""
    if confirm.state == "passed":
        return [Notice(code="auto_confirm_passed", message=(
            f"按设置的天数推算，自动确认收货约在 {confirm.last_day.isoformat()} 已到期：请立即查看订单状态；"
            "未收到货却已确认的，尽快申请售后或平台客服介入，说明未收到货并附物流记录。"))]
    if confirm.days_left <= AUTO_CONFIRM_SOON_DAYS:
        return [Notice(code="extend_receipt", message=(
            f"按设置的天数推算，自动确认收货约在 {confirm.last_day.isoformat()} 到期：未收到货前，"
            "请在订单页点击“延长收货时间”，避免货款在未收到货时自动打给卖家。"))]
    return []
