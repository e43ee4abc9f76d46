"""`GET /cases/{id}/verify`: re-hash every artifact, walk the audit chain, check the signature."""

from __future__ import annotations

from aiohttp import web

from helper.api.routes import Route, json_response
from helper.models import VerifyReport
from helper.state import SECRETS, STORE


async def verify(request: web.Request) -> web.Response:
    case_id = request.match_info["case_id"]
    store = request.app[STORE]
    await store.cases.get(case_id)
    from helper.integrity import verify_case  # cryptography loads on first use

    report = await verify_case(store, request.app[SECRETS], case_id)
    return json_response(report)


ROUTES = [
    Route("GET", "/cases/{case_id}/verify", verify,
          "Check the case's evidence: every hash, the audit chain, the signed manifest "
          "(200 with ok=false and the exact problems when something was tampered with)",
          response=VerifyReport),
]
