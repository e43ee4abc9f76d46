"""Cases: list/search, read, and change status or notes (each change is audited)."""

from typing import Annotated

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from helper.api.routes import KiB, Offset, Route, json_response, parse_query, read_json
from helper.models import Case, CaseDeleted, CaseList, CasePatch, CaseStatus, DigitId
from helper.state import STORE


class CaseQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: CaseStatus | None = None
    order_id: DigitId | None = None
    sub_order_id: DigitId | None = Field(default=None, description="the refund form only knows this one")
    q: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = Field(
        default=None, description="text search: order id, shop, seller, item titles")
    limit: int = Field(default=50, ge=1, le=500)
    offset: Offset = 0


def case_id(request: web.Request) -> str:
    return request.match_info["case_id"]


async def request_case(request: web.Request) -> Case:
    """The case of a `/cases/{case_id}/…` route (a missing one answers 404 via the errors middleware)."""
    return await request.app[STORE].cases.get(case_id(request))


async def list_cases(request: web.Request) -> web.Response:
    query = parse_query(request, CaseQuery)
    return json_response(await request.app[STORE].cases.list(**query.model_dump()))


async def get_case(request: web.Request) -> web.Response:
    return json_response(await request.app[STORE].cases.get(case_id(request)))


async def patch_case(request: web.Request) -> web.Response:
    patch = await read_json(request, CasePatch)
    return json_response(await request.app[STORE].cases.patch(case_id(request), patch))


async def delete_case(request: web.Request) -> web.Response:
    """Delete the case, its evidence and drafts (the review UI asks the buyer first)."""
    return json_response(await request.app[STORE].cases.delete(case_id(request)))


ROUTES = [
    Route("GET", "/cases", list_cases, "List and search cases", query=CaseQuery, response=CaseList),
    Route("GET", "/cases/{case_id}", get_case, "One case with its order and timeline", response=Case),
    Route("PATCH", "/cases/{case_id}", patch_case, "Change status or notes, or add a timeline note",
          body=CasePatch, body_kind="json", max_body=64 * KiB, response=Case),
    Route("DELETE", "/cases/{case_id}", delete_case,
          "Delete the case with its evidence and drafts; the audit log records the deletion",
          response=CaseDeleted),
]
