"""The agenda: which dates each case has, and what is due today.

A case's dates (its deadlines, and the follow-ups after a submitted complaint) depend
only on the case, not on today, so they are computed when the case changes — the store
calls `Agenda.plan` inside every write — and kept in the store's agenda table. "What is
due" (the badge's reminders) and "which deadline is next" (the review UI's sort) are
then indexed queries plus a little arithmetic on today's date, instead of recomputing
every open case on every call.

A buyer who submitted a complaint and heard nothing needs a nudge to escalate (平台介入,
then 12315) — "follow progress" in the product brief. Closed and resolved cases are quiet.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

from helper import __version__
from helper.complaint import deadlines
from helper.models import (
    Case,
    CaseStatus,
    ComplaintSettings,
    GoodsKind,
    NextDeadline,
    Reminder,
    ReminderList,
)
from helper.store import AgendaRow, DueRow, Store

QUIET = (CaseStatus.resolved, CaseStatus.closed)
FOLLOW_UP = ("投诉已提交 {days} 天：请查看卖家或平台是否答复；未答复可申请平台客服介入，"
             "仍未解决可向全国12315平台投诉。")


class Agenda:
    """Deadline and follow-up planning with the platform numbers in effect."""

    def __init__(self, settings: ComplaintSettings) -> None:
        self.settings = settings

    @property
    def fingerprint(self) -> str:
        """Changes when the rules or numbers that make the dates change: then the store
        recomputes every case's agenda once (`AgendaRepository.rebuild_if_stale`)."""
        return hashlib.sha256(f"{__version__}\n{deadlines.RULES}\n{self.settings.model_dump_json()}".encode()).hexdigest()

    def plan(self, case: Case, goods: GoodsKind | None = None) -> list[AgendaRow]:
        """Every date of the case, whether or not it has passed."""
        if case.status in QUIET:
            return []
        items, _ = deadlines.compute(case, self.settings, case.updated_at, goods)
        rows = [AgendaRow("deadline", d.key, d.label, d.last_day, d.ends_at, d.confirmed) for d in items]
        submitted = deadlines.submitted_at(case)
        if case.status is CaseStatus.submitted and submitted is not None:
            for days in sorted(set(self.settings.follow_up_days)):
                due = submitted + timedelta(days=days)
                rows.append(AgendaRow("follow_up", f"follow_up_{days}d", FOLLOW_UP.format(days=days),
                                      deadlines.local_day(due), due, True))
        return rows

    def next_deadline(self, row: AgendaRow | None, now: datetime) -> NextDeadline | None:
        if row is None:
            return None
        days_left = (row.last_day - deadlines.local_day(now)).days
        state = "due_soon" if days_left <= self.settings.reminder_window_days else "open"
        return NextDeadline(key=row.key, label=row.label, last_day=row.last_day.isoformat(),
                            ends_at=row.ends_at.astimezone(deadlines.SHANGHAI), days_left=days_left,
                            state=state)

    async def reminders(self, store: Store, now: datetime, within_days: int | None = None) -> ReminderList:
        """Deadlines about to pass and follow-ups due, across every open case."""
        within = self.settings.reminder_window_days if within_days is None else within_days
        today = deadlines.local_day(now)
        found = [reminder(d, today) for d in await store.agenda.due(now, today, within)]
        return ReminderList(reminders=found, count=len(found))

    def for_case(self, case: Case, now: datetime, within_days: int,
                 goods: GoodsKind | None = None) -> list[Reminder]:
        """One case's reminders without a store (the same rule as the agenda query)."""
        today = deadlines.local_day(now)
        due = [r for r in self.plan(case, goods)
               if (r.kind == "deadline" and r.ends_at > now and (r.last_day - today).days <= within_days)
               or (r.kind == "follow_up" and r.ends_at <= now)]
        title = case.order.items[0].title if case.order.items else None
        return [reminder(DueRow(case.id, case.order.order_id, title, r), today)
                for r in sorted(due, key=lambda r: r.ends_at)]


def reminder(due: DueRow, today: date) -> Reminder:
    row = due.row
    days_left = (row.last_day - today).days
    if row.kind == "deadline":
        message = f"{row.label}：{row.last_day.isoformat()} 截止（还剩 {days_left} 天）"
    else:
        message = row.label
    return Reminder(case_id=due.case_id, order_id=due.order_id, title=due.title, kind=row.kind, key=row.key,
                    message=message, due_at=row.ends_at.astimezone(deadlines.SHANGHAI), days_left=days_left,
                    overdue=row.kind == "follow_up", confirmed=row.confirmed)
