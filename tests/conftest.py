"""Shared fixtures: a fresh data dir, the real helper app on a free port, a paired client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from helper.app import AccessLogger, create_app
from helper.config import Settings, load_settings
from helper.state import PAIRING
from tests.support.site import FixtureSite

ORDER_ID = "4865640015090004803"  # 19 digits: parses to ...5000 as a JS number


def sample_order(order_id: str = ORDER_ID, **overrides: Any) -> dict[str, Any]:
    order = {
        "order_id": order_id, "platform": "taobao", "shop_name": "好物数码旗舰店",
        "seller_nick": "好物数码", "created_at": "2025-11-08 03:44:47",
        "paid_at": "2025-11-08T03:45:10+08:00", "status_text": "卖家已发货", "actual_fee": "47.40",
        "items": [{"sub_order_id": order_id, "item_id": "712345678901", "title": "无线蓝牙耳机 降噪版",
                   "sku": "颜色分类：白色", "unit_price": "47.40", "quantity": 1,
                   "item_url": "https://item.taobao.com/item.htm?id=712345678901",
                   "snapshot_url": f"https://buyertrade.taobao.com/trade/detail/tradeSnap.htm?tradeID={order_id}"}],
        "detail_url": f"https://trade.taobao.com/trade/detail/trade_item_detail.htm?bizOrderId={order_id}",
        "source_url": "https://buyertrade.taobao.com/trade/itemlist/list_bought_items.htm",
    }
    order.update(overrides)
    return order


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(tmp_path / "data", secrets_backend="file")


class Api:
    """The test client plus a bearer token: what the extension's service worker does."""

    def __init__(self, client: TestClient, token: str, app: web.Application) -> None:
        self.client, self.token, self.app = client, token, app

    @property
    def port(self) -> int:
        return self.client.server.port  # type: ignore[return-value]

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", **(headers or {})}

    async def request(self, method: str, path: str, headers: dict[str, str] | None = None,
                      **kwargs: Any):  # noqa: ANN201
        return await self.client.request(method, "/api/v1" + path, headers=self._headers(headers),
                                         **kwargs)

    async def get(self, path: str, **kwargs: Any):  # noqa: ANN201
        return await self.request("GET", path, **kwargs)

    async def post(self, path: str, **kwargs: Any):  # noqa: ANN201
        return await self.request("POST", path, **kwargs)

    async def patch(self, path: str, **kwargs: Any):  # noqa: ANN201
        return await self.request("PATCH", path, **kwargs)

    async def json(self, method: str, path: str, expect: int = 200, **kwargs: Any) -> Any:
        response = await self.request(method, path, **kwargs)
        body = await response.json()
        assert response.status == expect, body
        return body


@pytest.fixture
async def api(aiohttp_client, settings: Settings) -> Api:  # noqa: ANN001
    """The real helper app served by aiohttp on a free loopback port, already paired."""
    app = create_app(settings)
    server = TestServer(app)
    await server.start_server(access_log_class=AccessLogger)  # the daemon's own access log
    client = await aiohttp_client(server)
    code, _ = app[PAIRING].new_code()
    response = await client.post("/api/v1/pair", json={"code": code, "client_name": "pytest"})
    assert response.status == 201, await response.text()
    return Api(client, (await response.json())["token"], app)


@pytest.fixture
async def fixture_site(tmp_path: Path) -> AsyncIterator[FixtureSite]:
    """The fixture pages over HTTPS; point Chromium at it with `site.resolver_rules`."""
    site = await FixtureSite(tmp_path / "site-certs").start()
    yield site
    await site.stop()
