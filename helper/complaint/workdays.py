"""Chinese working days: statutory holidays and the make-up workdays the State Council sets each year.

Periods such as "市场监管部门自收到投诉之日起七个工作日内作出受理决定" count working days,
and 民法典 §203 moves a period whose last day is a statutory rest day to the day after it.
The calendar comes from the maintained `chinese-calendar` package (its data is updated
each year when the holiday arrangement is published), never from a list kept here. For a
year the package has no data for yet, weekends alone are counted and the result says so.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar


def workday(day: date) -> tuple[bool, bool]:
    """(is a working day, whether the calendar knows that year)."""
    try:
        return chinese_calendar.is_workday(day), True
    except NotImplementedError:
        return day.weekday() < 5, False


def add_workdays(start: date, count: int) -> tuple[date, bool]:
    """The `count`-th working day after `start` (the start day itself is not counted,
    民法典 §201), and whether every day on the way was in the calendar data."""
    day, left, known = start, count, True
    while left:
        day += timedelta(days=1)
        works, day_known = workday(day)
        known &= day_known
        left -= works
    return day, known


def next_workday_from(day: date) -> tuple[date, bool]:
    """`day` if it is a working day, else the first working day after it (民法典 §203)."""
    known = True
    while True:
        works, day_known = workday(day)
        known &= day_known
        if works:
            return day, known
        day += timedelta(days=1)
