"""What the buyer paid for the goods complained about: the numbers every demand is measured against.

A refund cannot exceed what was paid, and the statutory multiples (消法 §55, 食品安全法
§148) apply to the price the buyer actually paid for the goods, not to the listed unit
price: an item listed at ¥399 and bought for ¥356 with a coupon is a ¥356 purchase. When
only some items of an order are complained about, the order's own figures share the
amount paid out by the items' listed totals (the discount falls on each item in
proportion), in cents, with the rounding remainder on the last item so the shares add up
to what was paid.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from helper.models import Order, OrderItem

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Amounts:
    """The numbers a demand is measured against."""

    price: Decimal | None
    """what was paid for the goods themselves: the statutory multiples apply to it"""
    paid: Decimal | None
    """what the buyer paid for what is complained about (shipping included): a refund cannot exceed it"""
    listed: Decimal | None
    """the items' listed total (unit price × quantity), for the reader"""
    items: tuple[OrderItem, ...]
    """the items complained about, in the order's order"""


def _listed(item: OrderItem) -> Decimal | None:
    return Decimal(item.unit_price) * item.quantity if item.unit_price is not None else None


def _shares(fee: Decimal, totals: list[Decimal]) -> list[Decimal]:
    """`fee` shared out in proportion to `totals`, in cents, adding up to `fee` exactly."""
    whole = sum(totals, Decimal(0))
    shares = [(fee * t / whole).quantize(CENT, ROUND_HALF_UP) for t in totals[:-1]]
    return [*shares, fee - sum(shares, Decimal(0))]


def order_amounts(order: Order, items: list[str] | str | None) -> Amounts:
    """Price and paid amount of the chosen sub-orders, or of the whole order (None).

    Raises KeyError naming the first sub-order id the order does not have."""
    wanted = [items] if isinstance(items, str) else items
    known = {i.sub_order_id for i in order.items}
    for sub_order_id in wanted or []:
        if sub_order_id not in known:
            raise KeyError(sub_order_id)
    chosen = tuple(i for i in order.items if wanted is None or i.sub_order_id in wanted)
    fee = Decimal(order.actual_fee) if order.actual_fee is not None else None
    listed = [_listed(i) for i in order.items]
    chosen_listed = [_listed(i) for i in chosen]
    chosen_total = sum(chosen_listed, Decimal(0)) if chosen and None not in chosen_listed else None  # type: ignore[arg-type]
    whole_order = len(chosen) == len(order.items)
    if whole_order:
        paid = fee if fee is not None else chosen_total
    elif fee is not None and None not in listed and sum(listed, Decimal(0)) > 0:  # type: ignore[arg-type]
        shares = dict(zip((i.sub_order_id for i in order.items), _shares(fee, listed), strict=True))  # type: ignore[arg-type]
        paid = sum((shares[i.sub_order_id] for i in chosen), Decimal(0))
    else:
        paid = chosen_total
    if paid is None:
        price = chosen_total
    elif chosen_total is None:
        price = paid
    else:
        price = min(paid, chosen_total)
    return Amounts(price=price, paid=paid, listed=chosen_total, items=chosen)
