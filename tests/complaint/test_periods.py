"""The periods that fit the case: 3-year 12315 and 民法典 §188 limits, §45 only for injury,
延长收货 advice before auto-confirm, §203 and working days from the Chinese holiday calendar."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from helper.complaint import deadlines, workdays
from helper.complaint.agenda import Agenda
from helper.complaint.deadlines import CaseFacts
from helper.models import ComplaintSettings, ComplaintType, GoodsKind
from tests.complaint.helpers import case, order
from tests.conftest import sample_order

SETTINGS = ComplaintSettings()
BEFORE = datetime(2025, 9, 25, 2, 0, tzinfo=timezone.utc)


def compute(the_case, now=BEFORE, goods=None, **facts):  # noqa: ANN001, ANN201
    items, warnings = deadlines.compute(the_case, SETTINGS, now, goods, CaseFacts(**facts))
    return {d.key: d for d in items}, [w.code for w in warnings]


def test_three_year_limits_for_12315_and_court_and_section_45_only_for_injury() -> None:
    items, _ = compute(case(order(received_at="2025-09-24T10:00:00+08:00")))
    assert (items["regulator_limit"].last_day, items["civil_limitation"].last_day) == (date(2028, 9, 24),) * 2
    assert items["regulator_limit"].basis == "《市场监督管理投诉举报处理暂行办法》第十五条第（四）项"
    assert items["civil_limitation"].basis == "《民法典》第一百八十八条"
    assert "quality_limitation" not in items
    injured, _ = compute(case(order(received_at="2025-09-24T10:00:00+08:00")), injury=True)
    assert injured["quality_limitation"].last_day == date(2027, 9, 24)
    assert injured["quality_limitation"].basis == "《产品质量法》第四十五条"


def test_a_late_shipment_counts_its_limits_from_the_broken_promise() -> None:
    items, _ = compute(case(order(received_at=None, shipped_at=None)), complaint_type=ComplaintType.late_shipment,
                       ship_within_hours=48)
    assert items["regulator_limit"].last_day == date(2028, 11, 10)  # paid 11-08 03:45 + 48 h
    assert "承诺的发货期限届满日 2025-11-10" in items["regulator_limit"].counted_from


def test_a_last_day_on_a_holiday_is_kept_and_its_section_203_day_named() -> None:
    items, _ = compute(case(order(received_at="2025-09-24T10:00:00+08:00")))
    no_reason = items["no_reason_return"]
    assert no_reason.last_day == date(2025, 10, 1)  # 国庆节
    assert no_reason.note == ("最后一日 2025-10-01 为法定休假日，依民法典第二百零三条顺延至 2025-10-09；"
                              "平台按自身规则计时，建议不晚于 2025-10-01 办理。")
    plain, _ = compute(case(order(received_at="2025-11-03T10:00:00+08:00")))
    assert plain["no_reason_return"].note is None  # 11-10 is a Monday


@pytest.mark.parametrize(("start", "count", "expected"), [
    (date(2025, 9, 26), 7, date(2025, 10, 13)),  # the 9-28 and 10-11 make-up Sundays/Saturdays count
    (date(2025, 1, 24), 3, date(2025, 2, 5)),  # 1-26 make-up Sunday, Spring Festival 1-28 … 2-04
    (date(2025, 11, 11), 7, date(2025, 11, 20)),
])
def test_working_days_follow_the_holiday_calendar(start: date, count: int, expected: date) -> None:
    assert workdays.add_workdays(start, count) == (expected, True)


def test_a_year_without_calendar_data_counts_weekends_and_says_so() -> None:
    day, known = workdays.add_workdays(date(2099, 12, 31), 1)
    assert (day, known) == (date(2100, 1, 1), False)


def test_extend_receipt_advice_before_auto_confirm_and_a_warning_after() -> None:
    shipped = case(order(received_at=None, shipped_at="2025-11-01T10:00:00+08:00"))
    soon, codes = compute(shipped, now=datetime(2025, 11, 9, 2, tzinfo=timezone.utc),
                          complaint_type=ComplaintType.not_received)
    assert soon["auto_confirm"].last_day == date(2025, 11, 11) and "extend_receipt" in codes
    _, codes = compute(shipped, now=datetime(2025, 11, 12, 2, tzinfo=timezone.utc),
                       complaint_type=ComplaintType.not_received)
    assert "auto_confirm_passed" in codes and "extend_receipt" not in codes
    _, codes = compute(shipped, now=datetime(2025, 11, 2, 2, tzinfo=timezone.utc),
                       complaint_type=ComplaintType.not_received)
    assert not {"extend_receipt", "auto_confirm_passed"} & set(codes)


def test_no_shipping_or_receipt_warnings_for_an_unshipped_order() -> None:
    from helper.models import Order
    unshipped = case(Order.model_validate(sample_order(status_text="买家已付款")))
    items, codes = compute(unshipped)
    assert codes == [] and "auto_confirm" not in items


def test_durable_goods_get_the_15_day_exchange_of_the_three_guarantees() -> None:
    items, _ = compute(case(order(received_at="2025-11-03T10:00:00+08:00")), goods=GoodsKind.durable)
    assert items["sanbao_exchange"].last_day == date(2025, 11, 18)


def test_the_agenda_plans_the_new_periods_and_is_recomputed_when_the_rules_change(
        monkeypatch: pytest.MonkeyPatch) -> None:
    agenda = Agenda(SETTINGS)
    rows = agenda.plan(case(order(received_at="2025-09-24T10:00:00+08:00")))
    assert {"regulator_limit", "civil_limitation"} <= {r.key for r in rows}
    before = agenda.fingerprint
    monkeypatch.setattr(deadlines, "RULES", "a later revision")
    assert agenda.fingerprint != before
