"""`POST /orders`: the extension files an order; the same order always lands in one case."""

from aiohttp import web

from helper.api.routes import KiB, Route, json_response, read_json
from helper.models import Order, OrderUpsertResult
from helper.state import STORE


async def upsert_order(request: web.Request) -> web.Response:
    order = await read_json(request, Order)
    case, created, changed = await request.app[STORE].cases.upsert(order)
    return json_response(OrderUpsertResult(case=case, created=created, changed=changed),
                         status=201 if created else 200)


ROUTES = [Route("POST", "/orders", upsert_order,
                "Create the order's case, or merge new facts into it (upsert by order_id)",
                body=Order, body_kind="json", max_body=256 * KiB, response=OrderUpsertResult,
                status=201, other_statuses=(200,))]
