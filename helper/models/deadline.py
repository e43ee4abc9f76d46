"""Deadlines computed for a case and the reminders built from them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import ConfigDict, Field

from helper.models.common import Model, Notice


class Deadline(Model):
    key: str
    label: str
    last_day: date = Field(description="the last day (Asia/Shanghai) on which it can still be done")
    ends_at: datetime = Field(description="the moment it passes (+08:00)")
    counted_from: str = Field(description="the event the period counts from")
    basis: str
    confirmed: bool = Field(description="false for UNCONFIRMED platform numbers (settings)")
    note: str | None = None
    days_left: int = Field(description="days from today (Asia/Shanghai) to last_day; negative = passed")
    state: Literal["open", "due_soon", "passed"]


class DeadlineReport(Model):
    case_id: str
    computed_at: datetime
    timezone: Literal["Asia/Shanghai"] = "Asia/Shanghai"
    deadlines: list[Deadline]
    warnings: list[Notice]


class Reminder(Model):
    case_id: str
    order_id: str
    title: str | None
    kind: Literal["deadline", "follow_up"]
    key: str
    message: str
    due_at: datetime
    days_left: int
    overdue: bool
    confirmed: bool


class ReminderList(Model):
    reminders: list[Reminder]
    count: int = Field(description="for the extension badge")


class ReminderQuery(Model):
    model_config = ConfigDict(extra="forbid")

    within_days: int | None = Field(default=None, ge=0, le=60,
                                    description="default: setting reminder_window_days")
