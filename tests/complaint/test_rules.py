"""Demand checker: DOMAIN.md §3 arithmetic exactly, bases, channels, blocks."""

from __future__ import annotations

from decimal import Decimal

import pytest

from helper.complaint import catalog
from helper.complaint.amounts import order_amounts
from helper.complaint.rules import check_demand, consumer_law_55, food_safety_148
from helper.models import ComplaintSettings, Order
from tests.complaint.helpers import priced_order, request
from tests.conftest import sample_order

SETTINGS = ComplaintSettings()


def check(the_order: Order, complaint_type: str, kind: str, **extra: object):  # noqa: ANN201
    req = request(complaint_type, kind, **extra)
    return check_demand(req, order_amounts(the_order, req.sub_order_id), catalog.load(), SETTINGS)


@pytest.mark.parametrize(("price", "compensation"), [
    ("14800", "44400.00"),  # DOMAIN.md §3
    ("100", "500.00"),  # the floor
    ("166.66", "500.00"), ("166.67", "500.01"),  # at the floor, exactly
    ("0.01", "500.00"),
    ("33333.33", "99999.99"),
])
def test_consumer_law_55_is_exact(price: str, compensation: str) -> None:
    assert str(consumer_law_55(Decimal(price))) == compensation


@pytest.mark.parametrize(("price", "compensation"), [("50", "1000.00"), ("99.99", "1000.00"),
                                                     ("100.01", "1000.10"), ("388", "3880.00")])
def test_food_safety_148_is_exact(price: str, compensation: str) -> None:
    assert str(food_safety_148(Decimal(price))) == compensation


@pytest.mark.parametrize(("price", "complaint_type", "goods", "amount", "refund", "total"), [
    ("14800", "counterfeit", "general", "44400", "14800.00", "59200.00"),
    ("100", "counterfeit", "general", "500", "100.00", "600.00"),
    ("50", "quality_problem", "food", "1000", "50.00", "1050.00"),
])
def test_domain_examples_total(price: str, complaint_type: str, goods: str, amount: str,
                               refund: str, total: str) -> None:
    fraud = ["以假充真"] if complaint_type == "counterfeit" else []  # §55 needs a stated fraud fact
    result = check(priced_order(price), complaint_type, "compensation", goods=goods, demand={"amount": amount},
                   channel="regulator", fraud_facts=fraud)
    assert result.verdict == "warn"  # statutory damages: not the platform's to award
    assert (result.refund, result.compensation, result.total) == (refund, f"{Decimal(amount):.2f}", total)
    assert result.channel == "12315_or_court"
    assert "platform_no_statutory_damages" in {r.code for r in result.reasons}
    assert "12315" in result.advice


def test_a_peer_bug_total_is_not_four_times_refund_only() -> None:
    result = check(priced_order("14800"), "counterfeit", "compensation", demand={"amount": "59200"},
                   fraud_facts=["以假充真"])
    assert result.verdict == "block"
    assert "above_basis" in {r.code for r in result.reasons}


@pytest.mark.parametrize(("case_args", "verdict", "code"), [
    # refunds
    (("quality_problem", "return_refund", {}), "ok", None),
    (("quality_problem", "refund_only", {"demand": {"amount": "47.41"}}), "block", "refund_above_paid"),
    (("quality_problem", "refund_only", {"demand": {"amount": "47.40"}}), "ok", None),
    # compensation needs a basis
    (("damaged_or_missing", "compensation", {"demand": {"amount": "10"}}), "block", "no_basis"),
    (("damaged_or_missing", "compensation", {"demand": {"amount": "10"},
                                             "seller_promise": {"text": "破损包赔", "amount": "10"}}), "ok", None),
    (("counterfeit", "compensation", {"demand": {"amount": "142.20"},
                                      "seller_promise": {"text": "假一赔三", "multiplier": 3}}), "ok", "fraud_must_be_shown"),
    (("counterfeit", "compensation", {"demand": {"amount": "142.21"}, "channel": "regulator",
                                      "fraud_facts": ["以假充真"],
                                      "seller_promise": {"text": "假一赔三", "multiplier": 3}}), "warn",
     "platform_no_statutory_damages"),
    (("counterfeit", "compensation", {"demand": {"amount": "500.01"}, "fraud_facts": ["以假充真"]}), "block",
     "above_basis"),
    # late shipment payout: 30% of 47.40 = 14.22 (UNCONFIRMED setting)
    (("late_shipment", "compensation", {"demand": {"amount": "14.22"}}), "ok", None),
    (("late_shipment", "compensation", {"demand": {"amount": "14.23"}}), "block", "above_basis"),
    # 7-day no-reason return
    (("other", "return_refund", {"demand": {"no_reason": True}, "goods": "custom_made"}), "block", "no_reason_excluded"),
    (("other", "return_refund", {"demand": {"no_reason": True}, "goods": "perishable"}), "block", "no_reason_excluded"),
    (("other", "return_refund", {"demand": {"no_reason": True}}), "ok", None),
    (("other", "refund_only", {"demand": {"no_reason": True}}), "warn", "no_reason_needs_return"),
    # a demand that does not fit the type
    (("late_shipment", "repair", {}), "warn", "demand_unusual"),
])
def test_verdicts(case_args: tuple[str, str, dict], verdict: str, code: str | None) -> None:
    complaint_type, kind, extra = case_args
    result = check(priced_order("47.40"), complaint_type, kind, **extra)
    assert result.verdict == verdict, result.reasons
    if code:
        assert code in {r.code for r in result.reasons}


def test_late_shipment_payout_respects_the_cap() -> None:
    result = check(priced_order("5000"), "late_shipment", "compensation", demand={"amount": "500"})
    assert result.verdict == "ok" and result.refund is None and result.total == "500.00"
    assert result.bases[0].limit == "500.00"


def test_sub_order_price_and_missing_amounts() -> None:
    raw = sample_order(actual_fee="130.00")
    raw["items"] = [{"sub_order_id": "111", "title": "A", "unit_price": "40.00", "quantity": 2},
                    {"sub_order_id": "222", "title": "B", "unit_price": "50.00", "quantity": 1}]
    the_order = Order.model_validate(raw)
    amounts = order_amounts(the_order, "111")
    assert (amounts.price, amounts.paid) == (Decimal("80.00"), Decimal("80.00"))
    assert order_amounts(the_order, None).paid == Decimal("130.00")
    with pytest.raises(KeyError):
        order_amounts(the_order, "333")
    bare = Order.model_validate({"order_id": "1234567890123456", "platform": "tmall"})
    result = check(bare, "quality_problem", "refund_only")
    assert result.verdict == "warn" and result.refund is None
    assert check(bare, "counterfeit", "compensation", demand={"amount": "500"}).verdict == "block"
