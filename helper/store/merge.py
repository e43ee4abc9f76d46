"""Merging a re-sent Order into the stored one.

The list page knows some facts, the detail page others (logistics, payment time), the
refund page only the sub-order. Each visit may send what it saw: known facts are never
erased by a missing field, items merge by `sub_order_id`.
"""

from __future__ import annotations

from typing import Any

from helper.models import Order


def _merge_dict(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    merged = dict(old)
    merged.update({k: v for k, v in new.items() if v is not None})
    return merged


def merge_orders(old: Order, new: Order) -> tuple[Order, list[str]]:
    """Return the merged order and the names of top-level fields whose value changed."""
    before = old.model_dump(mode="json")
    merged = dict(before)
    incoming = new.model_dump(mode="json", include=new.model_fields_set)
    for name, value in incoming.items():
        if value is None:
            continue
        if name == "items":
            items = {i["sub_order_id"]: i for i in before.get("items") or []}
            for item in value:
                items[item["sub_order_id"]] = _merge_dict(items.get(item["sub_order_id"], {}), item)
            merged["items"] = list(items.values())
        elif name == "logistics":
            merged["logistics"] = _merge_dict(before.get("logistics") or {}, value)
        else:
            merged[name] = value
    changed = [k for k in merged if merged[k] != before.get(k)]
    return Order.model_validate(merged), changed
