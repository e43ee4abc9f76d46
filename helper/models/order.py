"""The order as the extension reads it; field names are fixed by DESIGN.md."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints

from helper.models.common import ChinaTime, Contract, DigitId, HttpUrl, Money, ShortText


class Platform(StrEnum):
    taobao = "taobao"
    tmall = "tmall"


class OrderItem(Contract):
    sub_order_id: DigitId
    item_id: DigitId | None = None
    title: ShortText | None = None
    sku: ShortText | None = None
    unit_price: Money | None = None
    quantity: int = Field(default=1, ge=1, le=100_000)
    item_url: HttpUrl | None = None
    snapshot_url: HttpUrl | None = None


class Logistics(Contract):
    company: ShortText | None = None
    tracking_no: Annotated[str, StringConstraints(max_length=64)] | None = None


class Order(Contract):
    """One Taobao/Tmall order as the extension read it from the buyer's page."""

    order_id: DigitId
    platform: Platform
    shop_name: ShortText | None = None
    seller_nick: ShortText | None = None
    created_at: ChinaTime | None = None
    paid_at: ChinaTime | None = None
    shipped_at: ChinaTime | None = None
    received_at: ChinaTime | None = None
    status_text: ShortText | None = None
    actual_fee: Money | None = None
    items: list[OrderItem] = Field(default_factory=list, max_length=200)
    logistics: Logistics | None = None
    detail_url: HttpUrl | None = None
    source_url: HttpUrl | None = None
