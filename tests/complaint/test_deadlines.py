"""Deadlines: Beijing days, 民法典 §201–§202 counting, month ends, missing dates, reminders."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from helper.complaint import deadlines
from helper.complaint.agenda import Agenda
from helper.complaint.deadlines import add_months
from helper.models import CaseStatus, ComplaintSettings, GoodsKind, TimelineEntry
from tests.complaint.helpers import case, order

SETTINGS = ComplaintSettings()
FAR_PAST = datetime(2020, 1, 1, tzinfo=timezone.utc)


def last_days(received_at: str, now: datetime = FAR_PAST, goods: GoodsKind | None = None,
              **order_fields: object) -> dict[str, date]:
    items, _ = deadlines.compute(case(order(received_at=received_at, **order_fields)), SETTINGS, now, goods)
    return {d.key: d.last_day for d in items}


@pytest.mark.parametrize(("received_at", "no_reason_last_day"), [
    ("2025-01-31T14:00:00+08:00", date(2025, 2, 7)),  # across a month end
    ("2025-01-31T23:30:00+08:00", date(2025, 2, 7)),  # late evening in Beijing is still 1-31
    ("2025-01-31T16:30:00+00:00", date(2025, 2, 8)),  # = 2-01 00:30 in Beijing
    ("2025-01-31T15:59:59+00:00", date(2025, 2, 7)),  # = 1-31 23:59:59 in Beijing
    ("2024-02-25T10:00:00+08:00", date(2024, 3, 3)),  # leap February
    ("2025-02-25T10:00:00+08:00", date(2025, 3, 4)),
    ("2025-12-28T10:00:00+08:00", date(2026, 1, 4)),  # across a year end
])
def test_seven_day_window_starts_the_day_after_signing(received_at: str, no_reason_last_day: date) -> None:
    days = last_days(received_at)
    assert days["no_reason_return"] == no_reason_last_day
    assert days["quality_return"] == no_reason_last_day


@pytest.mark.parametrize(("start", "months", "expected"), [
    (date(2025, 8, 31), 6, date(2026, 2, 28)),  # no 2-31: the month's last day
    (date(2023, 8, 31), 6, date(2024, 2, 29)),  # leap year
    (date(2025, 3, 31), 6, date(2025, 9, 30)),
    (date(2025, 7, 15), 6, date(2026, 1, 15)),
    (date(2024, 2, 29), 24, date(2026, 2, 28)),
    (date(2025, 12, 31), 2, date(2026, 2, 28)),
])
def test_months_end_on_the_corresponding_day_or_month_end(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_all_periods_from_one_signing() -> None:
    days = last_days("2025-08-31T20:00:00+08:00")
    assert days == {
        "no_reason_return": date(2025, 9, 7), "quality_return": date(2025, 9, 7),
        "after_sales": date(2025, 9, 15), "durable_burden": date(2026, 2, 28),
        "regulator_limit": date(2028, 8, 31), "civil_limitation": date(2028, 8, 31),
    }


def test_durable_and_no_reason_periods_follow_the_goods() -> None:
    general = last_days("2025-08-31T20:00:00+08:00", goods=GoodsKind.general)
    assert "durable_burden" not in general
    custom = deadlines.compute(case(order(received_at="2025-08-31T20:00:00+08:00")), SETTINGS, FAR_PAST,
                               GoodsKind.custom_made)
    assert "no_reason_return" not in {d.key for d in custom[0]}
    assert "no_reason_excluded" in {w.code for w in custom[1]}


def test_platform_numbers_are_settings_and_marked_unconfirmed() -> None:
    items, _ = deadlines.compute(case(order(received_at="2025-01-20T09:00:00+08:00")),
                                 ComplaintSettings(after_sales_days=20), FAR_PAST)
    after_sales = next(d for d in items if d.key == "after_sales")
    assert after_sales.last_day == date(2025, 2, 9)
    assert not after_sales.confirmed and "UNCONFIRMED" not in after_sales.note and "未经核实" in after_sales.note


def test_ends_at_is_midnight_beijing_and_state_flips_on_the_day_boundary() -> None:
    the_case = case(order(received_at="2025-01-31T14:00:00+08:00"))
    just_before = datetime(2025, 2, 7, 15, 59, 59, tzinfo=timezone.utc)  # 23:59:59 Beijing
    at_midnight = datetime(2025, 2, 7, 16, 0, 0, tzinfo=timezone.utc)  # 2-08 00:00 Beijing
    before = {d.key: d for d in deadlines.compute(the_case, SETTINGS, just_before)[0]}["no_reason_return"]
    after = {d.key: d for d in deadlines.compute(the_case, SETTINGS, at_midnight)[0]}["no_reason_return"]
    assert before.ends_at.isoformat() == "2025-02-08T00:00:00+08:00"
    assert (before.state, before.days_left) == ("due_soon", 0)
    assert (after.state, after.days_left) == ("passed", -1)


def test_missing_dates_are_warnings_not_errors() -> None:
    bare = case(order(received_at=None, shipped_at=None))
    items, warnings = deadlines.compute(bare, SETTINGS, FAR_PAST)
    assert items == []
    assert {w.code for w in warnings} == {"missing_received_at", "missing_shipped_at"}


def test_auto_confirm_counts_from_shipping_until_received() -> None:
    shipped = case(order(received_at=None, shipped_at="2025-11-25T18:00:00+08:00"))
    items, warnings = deadlines.compute(shipped, SETTINGS, FAR_PAST)
    assert {d.key: d.last_day for d in items} == {"auto_confirm": date(2025, 12, 5)}
    assert [w.code for w in warnings] == ["missing_received_at"]


def _submitted(at: datetime, status: CaseStatus = CaseStatus.submitted):  # noqa: ANN202
    entry = TimelineEntry(id=1, at=at, kind="status_changed", text="状态", data={"from": "drafted", "to": "submitted"})
    return case(order(received_at="2025-11-10T14:02:00+08:00"), status=status, timeline=[entry])


def test_seller_reply_window_crosses_midnight_in_beijing() -> None:
    submitted = datetime(2025, 11, 12, 15, 30, tzinfo=timezone.utc)  # 23:30 Beijing
    items, _ = deadlines.compute(_submitted(submitted), SETTINGS, submitted)
    reply = next(d for d in items if d.key == "seller_reply")
    assert reply.ends_at == submitted + timedelta(hours=48)
    assert reply.last_day == date(2025, 11, 14)


def test_reminders_for_soon_deadlines_and_due_follow_ups() -> None:
    submitted = datetime(2025, 11, 12, 2, 0, tzinfo=timezone.utc)
    now = submitted + timedelta(days=2, minutes=1)
    found = Agenda(SETTINGS).for_case(_submitted(submitted), now, within_days=3)
    keys = {r.key for r in found}
    assert "follow_up_2d" in keys and "follow_up_7d" not in keys
    assert "no_reason_return" in keys  # ends 11-17, three days away
    assert all(r.order_id == "4865640015090004803" for r in found)
    quiet = Agenda(SETTINGS).for_case(_submitted(submitted, CaseStatus.resolved), now, within_days=3)
    assert quiet == []


def test_platform_numbers_come_from_config_toml(tmp_path) -> None:  # noqa: ANN001
    from helper.config import ConfigError, load_settings

    (tmp_path / "config.toml").write_text(
        "[complaint]\nafter_sales_days = 20\nseller_reply_hours = 24\nlate_shipment_payout_rate = \"0.25\"\n",
        encoding="utf-8")
    settings = load_settings(tmp_path, secrets_backend="file").complaint
    assert (settings.after_sales_days, settings.seller_reply_hours) == (20, 24)
    assert str(settings.late_shipment_payout_rate) == "0.25"
    (tmp_path / "config.toml").write_text("[complaint]\nafter_sales_days = -1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="after_sales_days"):
        load_settings(tmp_path, secrets_backend="file")
