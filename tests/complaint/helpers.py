"""Builders for complaint tests: orders, cases and evidence without the HTTP layer."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from helper.models import Artifact, Case, DraftRequest, Evidence, EvidenceCategory, Order
from tests.conftest import sample_order

NOW = datetime(2025, 11, 11, 2, 0, tzinfo=timezone.utc)  # 2025-11-11 10:00 in Beijing


def order(**overrides: Any) -> Order:
    base: dict[str, Any] = {"shipped_at": "2025-11-09T10:00:00+08:00", "received_at": "2025-11-10T14:02:00+08:00",
                            "logistics": {"company": "圆通速递", "tracking_no": "YT7501234567890"}}
    return Order.model_validate(sample_order(**{**base, **overrides}))


def priced_order(price: str, **overrides: Any) -> Order:
    """A one-item order whose item costs `price` and which cost `price` in total."""
    raw = sample_order(actual_fee=price, **overrides)
    raw["items"][0]["unit_price"] = price
    return Order.model_validate(raw)


def case(the_order: Order | None = None, **fields: Any) -> Case:
    return Case(id="case-test", order=the_order or order(), status=fields.pop("status", "open"),
                created_at=NOW, updated_at=NOW, **fields)


def evidence(categories: list[EvidenceCategory], start: datetime = NOW) -> list[Evidence]:
    return [Evidence(id=f"ev-{n}", case_id="case-test", kind="upload", category=category,
                     title=f"{category.value}-{n}.jpg", created_at=start + timedelta(minutes=n),
                     artifacts=[Artifact(role="original", sha256=f"{n:02x}" * 32, size=100,
                                         media_type="image/jpeg", filename=f"{n}.jpg")])
            for n, category in enumerate(categories, start=1)]


def request(complaint_type: str = "quality_problem", kind: str = "return_refund", **extra: Any) -> DraftRequest:
    demand = {"kind": kind, **extra.pop("demand", {})}
    return DraftRequest.model_validate({"complaint_type": complaint_type, "demand": demand, **extra})
