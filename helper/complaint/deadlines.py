"""Deadlines from the order's dates, in Asia/Shanghai days.

Counting follows 民法典 §201–§203: a period in days starts the day after the event
(so the 7-day no-reason window of a parcel signed on 1-31 ends at the end of 2-07), a
period in months or years ends on the corresponding day of the last month, or that
month's last day when it has none (8-31 + 6 months → 2-28/29). Days are Beijing days:
a parcel signed at 23:30 +08:00 was signed that day, even though it is already the next
day nowhere else. Statutory holidays that would extend a period are not modelled (noted).

Platform windows (after-sales, auto-confirm, seller reply) are UNCONFIRMED settings and
say so; a missing order date yields a warning, not an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from helper.models import (
    Case,
    CaseStatus,
    ComplaintSettings,
    Deadline,
    GoodsKind,
    Notice,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOLIDAY_NOTE = "期限最后一日为法定节假日的顺延至节后第一日（民法典第二百零三条），此处未计算顺延。"
UNCONFIRMED = "平台数值未经核实，为可调整的设置（config.toml [complaint] {key}）。"
NO_REASON_EXCLUDED = (GoodsKind.custom_made, GoodsKind.perishable, GoodsKind.digital_opened,
                      GoodsKind.periodical)


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


def submitted_at(case: Case) -> datetime | None:
    """When the case last moved to `submitted` (from its timeline)."""
    times = [e.at for e in case.timeline
             if e.kind == "status_changed" and e.data.get("to") == CaseStatus.submitted.value]
    return max(times) if times else None


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


def compute(case: Case, settings: ComplaintSettings, now: datetime,
            goods: GoodsKind | None = None) -> tuple[list[Deadline], list[Notice]]:
    """The case's deadlines, sorted by when they pass, and warnings about missing dates.

    `goods` comes from the latest draft when there is one; None means not yet known."""
    order = case.order
    deadlines: list[Deadline] = []
    warnings: list[Notice] = []
    window = settings.reminder_window_days

    def by_days(period: _Period, event: datetime, days: int) -> None:
        day = last_day_after(event, days)
        deadlines.append(_deadline(period, day, end_of_day(day), now, window))

    def by_months(period: _Period, event: datetime, months: int) -> None:
        day = add_months(local_day(event), months)
        deadlines.append(_deadline(period, day, end_of_day(day), now, window))

    def by_hours(period: _Period, event: datetime, hours: int) -> None:
        ends = event + timedelta(hours=hours)
        deadlines.append(_deadline(period, local_day(ends - timedelta(microseconds=1)), ends, now, window))

    received = order.received_at
    if received is None:
        warnings.append(Notice(code="missing_received_at", message=(
            "订单缺少签收时间，无法计算七日退货、耐用商品六个月、售后期与诉讼时效等期限；"
            "请在订单详情页打开一次以补全。")))
    else:
        signed = f"签收（{local_day(received).isoformat()}）次日起算"
        if goods in NO_REASON_EXCLUDED:
            warnings.append(Notice(code="no_reason_excluded", message="该类商品不适用七日无理由退货。"))
        else:
            by_days(_Period("no_reason_return", "七日无理由退货", signed,
                            "《消费者权益保护法》第二十五条；《网络购买商品七日无理由退货暂行办法》第十条",
                            True, HOLIDAY_NOTE), received, 7)
        by_days(_Period("quality_return", "质量问题七日内退货", signed,
                        "《消费者权益保护法》第二十四条", True,
                        "此后仍可按法定解除条件退货，或要求更换、修理。"), received, 7)
        if goods in (None, GoodsKind.durable):
            by_months(_Period("durable_burden", "耐用商品瑕疵由卖家举证", "签收之日起六个月",
                              "《消费者权益保护法》第二十三条第三款", True,
                              "仅适用于电脑、电视、冰箱、空调、洗衣机等耐用商品。"), received, 6)
        by_days(_Period("after_sales", "平台售后申请期", "交易成功次日起算（以签收时间近似）",
                        "淘宝平台售后规则", False,
                        UNCONFIRMED.format(key="after_sales_days")), received, settings.after_sales_days)
        by_months(_Period("quality_limitation", "产品质量损害赔偿诉讼时效", "知道权益受损之日起两年（以签收日近似）",
                          "《产品质量法》第四十五条", True,
                          "自知道或者应当知道权益受到损害时起算，自交付起最长十年。"), received, 24)
    if order.shipped_at is not None and received is None:
        by_days(_Period("auto_confirm", "自动确认收货（确认前请验货）", "发货次日起算",
                        "《淘宝平台争议处理规则》第七十六条：确认收货后外观不符由买家举证", False,
                        UNCONFIRMED.format(key="auto_confirm_days")), order.shipped_at, settings.auto_confirm_days)
    elif order.shipped_at is None and received is None:
        warnings.append(Notice(code="missing_shipped_at",
                               message="订单缺少发货时间，无法计算自动确认收货时间。"))
    if (submitted := submitted_at(case)) is not None:
        by_hours(_Period("seller_reply", "卖家答复期限", "提交之时起算", "淘宝平台退款规则", False,
                         UNCONFIRMED.format(key="seller_reply_hours")), submitted, settings.seller_reply_hours)
    deadlines.sort(key=lambda d: d.ends_at)
    return deadlines, warnings

