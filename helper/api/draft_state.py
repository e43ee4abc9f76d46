"""The buyer's draft choices per case (`/cases/{id}/draft-state`) and the dates the buyer
stated (`/cases/{id}/stated-dates`): one state the extension's tabs and the review UI share."""

from __future__ import annotations

from aiohttp import web

from helper.api.cases import request_case
from helper.api.routes import KiB, Route, json_response, read_json
from helper.errors import ApiError
from helper.models import Order
from helper.models.case import CaseDraftState, DraftChoicesPatch, StatedDates
from helper.state import STORE


async def get_draft_state(request: web.Request) -> web.Response:
    case = await request_case(request)
    return json_response(await request.app[STORE].draft_state.get(case.id))


async def patch_draft_state(request: web.Request) -> web.Response:
    body = await read_json(request, DraftChoicesPatch)
    case = await request_case(request)
    store = request.app[STORE]
    if body.sub_order_ids:
        items = {i.sub_order_id for i in case.order.items}
        unknown = [s for s in body.sub_order_ids if s not in items]
        if unknown:
            raise ApiError(422, "unknown_sub_order",
                           f"{', '.join(unknown)} is not an item of order {case.order.order_id}")
    if body.draft_version is not None and await store.drafts.get(case.id, body.draft_version) is None:
        raise ApiError(422, "unknown_draft_version", f"case {case.id} has no draft version {body.draft_version}")
    changes = {k: getattr(body, k) for k in body.model_fields_set}
    return json_response(await store.draft_state.choose(case.id, changes))


async def put_stated_dates(request: web.Request) -> web.Response:
    """The buyer's answer to "when did it arrive / ship?": merged into the case's order (so
    every deadline is computed from it) and kept as the buyer's word."""
    body = await read_json(request, StatedDates)
    case = await request_case(request)
    given = body.model_dump(exclude_none=True)
    if not given:
        raise ApiError(422, "no_date", "give received_at or shipped_at")
    store = request.app[STORE]
    await store.cases.upsert(Order(order_id=case.order.order_id, platform=case.order.platform, **given))
    return json_response(await store.draft_state.state_dates(case.id, body))


ROUTES = [
    Route("GET", "/cases/{case_id}/draft-state", get_draft_state,
          "The buyer's draft choices (type, demand, items, notes, the draft version shown) and stated dates",
          response=CaseDraftState),
    Route("PATCH", "/cases/{case_id}/draft-state", patch_draft_state,
          "Change some of the buyer's draft choices; fields not sent stay as they are",
          body=DraftChoicesPatch, body_kind="json", max_body=64 * KiB, response=CaseDraftState),
    Route("PUT", "/cases/{case_id}/stated-dates", put_stated_dates,
          "Dates the buyer states (签收/发货) where the pages showed none: merged into the order, kept as stated",
          body=StatedDates, body_kind="json", max_body=4 * KiB, response=CaseDraftState),
]
