"""Reminders for the extension badge: deadlines about to pass and follow-ups after submission.

A buyer who submitted a complaint and heard nothing needs a nudge to escalate (平台介入,
then 12315) — "follow progress" in the product brief. Closed and resolved cases are quiet.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from helper.complaint import deadlines
from helper.models import Case, CaseStatus, ComplaintSettings, GoodsKind, Reminder

QUIET = (CaseStatus.resolved, CaseStatus.closed)


def for_case(case: Case, settings: ComplaintSettings, now: datetime, within_days: int,
             goods: GoodsKind | None = None) -> list[Reminder]:
    if case.status in QUIET:
        return []
    title = case.order.items[0].title if case.order.items else None
    found: list[Reminder] = []
    items, _ = deadlines.compute(case, settings, now, goods)
    for d in items:
        if d.state != "passed" and d.days_left <= within_days:
            found.append(Reminder(
                case_id=case.id, order_id=case.order.order_id, title=title, kind="deadline", key=d.key,
                message=f"{d.label}：{d.last_day.isoformat()} 截止（还剩 {d.days_left} 天）",
                due_at=d.ends_at, days_left=d.days_left, overdue=False, confirmed=d.confirmed))
    submitted = deadlines.submitted_at(case)
    if case.status is CaseStatus.submitted and submitted is not None:
        today = deadlines.local_day(now)
        for days in sorted(set(settings.follow_up_days)):
            due = submitted + timedelta(days=days)
            if now >= due:
                found.append(Reminder(
                    case_id=case.id, order_id=case.order.order_id, title=title, kind="follow_up",
                    key=f"follow_up_{days}d",
                    message=(f"投诉已提交 {days} 天：请查看卖家或平台是否答复；未答复可申请平台客服介入，"
                             "仍未解决可向全国12315平台投诉。"),
                    due_at=due, days_left=(deadlines.local_day(due) - today).days, overdue=True,
                    confirmed=True))
    return found
