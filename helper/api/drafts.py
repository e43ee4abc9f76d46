"""Complaint drafting API: catalog, drafts (versioned on the case), tone lint, demand
check, deadlines and reminders. Thin: the work is in helper/complaint. Linting and
drafting run in a worker thread: 200,000 characters of pasted notes take a few hundred
milliseconds, which must not stall the other requests of the event loop."""

from __future__ import annotations

import asyncio

from aiohttp import web

from helper import anchor as evidence_anchor
from helper.api.cases import request_case
from helper.api.routes import MiB, Route, json_response, parse_query, read_json
from helper.complaint import amounts, catalog, deadlines, draft, rules
from helper.complaint.tone import LintContext, lint_first, product_words
from helper.errors import ApiError, not_found
from helper.models import (
    Case,
    Catalog,
    DeadlineReport,
    DemandCheck,
    Draft,
    DraftList,
    DraftRequest,
    Evidence,
    GoodsKind,
    LintRequest,
    LintResult,
    RedraftRequest,
    ReminderList,
    ReminderQuery,
    utc_now,
)
from helper.state import AGENDA, SETTINGS, STORE

MAX_LINT_FINDINGS = 1000


async def _latest_request(request: web.Request, case_id: str) -> tuple[GoodsKind | None, deadlines.CaseFacts]:
    """What the latest draft said about the case (goods, type, injury, shipping promise):
    the deadlines that fit it depend on them."""
    latest = await request.app[STORE].drafts.get(case_id)
    if latest is None:
        return None, deadlines.CaseFacts()
    body = latest[0]
    return body.goods, deadlines.CaseFacts(complaint_type=body.complaint_type, injury=body.injury,
                                           ship_within_hours=body.ship_within_hours)


def _amounts(case: Case, body: DraftRequest) -> amounts.Amounts:
    try:
        return amounts.order_amounts(case.order, body.items)
    except KeyError as exc:
        raise ApiError(422, "unknown_sub_order",
                       f"sub_order_id {exc.args[0]} is not an item of order {case.order.order_id}") from None


async def get_catalog(request: web.Request) -> web.Response:
    return json_response(catalog.load().with_settings(request.app[SETTINGS].complaint))


async def post_lint(request: web.Request) -> web.Response:
    body = await read_json(request, LintRequest)
    words: tuple[str, ...] = ()
    if body.case_id is not None:
        case = await request.app[STORE].cases.get(body.case_id)
        words = product_words(*(t for i in case.order.items for t in (i.title, i.sku)))
    context = LintContext(product_words=words, situation=body.complaint_type)
    findings, total = await asyncio.to_thread(lint_first, body.text, MAX_LINT_FINDINGS, context)
    return json_response(LintResult(findings=findings, truncated=total > len(findings)))


async def post_draft(request: web.Request) -> web.Response:
    return await _draft(request, await read_json(request, DraftRequest), await request_case(request))


async def post_redraft(request: web.Request) -> web.Response:
    """The stored request of one version, drafted for another channel as a new version."""
    body = await read_json(request, RedraftRequest)
    case = await request_case(request)
    found = await request.app[STORE].drafts.get(case.id, _version(request))
    if found is None:
        raise not_found("draft", f"{case.id}/{request.match_info['version']}")
    return await _draft(request, found[0].model_copy(update={"channel": body.channel}), case)


async def _draft(request: web.Request, body: DraftRequest, case: Case) -> web.Response:
    _amounts(case, body)
    store = request.app[STORE]
    evidence: list[Evidence] = await store.evidence.list(case.id)
    anchor = await evidence_anchor.line_for(store, case.id, body.language.value)
    try:
        content = await asyncio.to_thread(draft.build, case, evidence, body, catalog.load(),
                                          request.app[SETTINGS].complaint, utc_now(), anchor)
    except draft.DraftRejected as exc:
        raise ApiError(422, "demand_rejected", str(exc),
                       [r.model_dump() for r in exc.check.reasons]) from None
    return json_response(await store.drafts.save(case.id, body, content), status=201)


async def list_drafts(request: web.Request) -> web.Response:
    case = await request_case(request)
    return json_response(DraftList(drafts=await request.app[STORE].drafts.list(case.id)))


def _version(request: web.Request) -> int | None:
    raw = request.match_info["version"]
    if raw != "latest" and not (raw.isdigit() and len(raw) < 10):
        raise ApiError(400, "invalid_version", "version must be a positive number or `latest`")
    return None if raw == "latest" else int(raw)


async def get_draft(request: web.Request) -> web.Response:
    case = await request_case(request)
    found = await request.app[STORE].drafts.get(case.id, _version(request))
    if found is None:
        raise not_found("draft", f"{case.id}/{request.match_info['version']}")
    return json_response(found[1])


async def post_demand_check(request: web.Request) -> web.Response:
    body = await read_json(request, DraftRequest)
    case = await request_case(request)
    return json_response(rules.check_demand(body, _amounts(case, body), catalog.load(),
                                            request.app[SETTINGS].complaint))


async def get_deadlines(request: web.Request) -> web.Response:
    case = await request_case(request)
    now = utc_now()
    goods, facts = await _latest_request(request, case.id)
    items, warnings = deadlines.compute(case, request.app[SETTINGS].complaint, now, goods, facts)
    return json_response(DeadlineReport(case_id=case.id, computed_at=now, deadlines=items, warnings=warnings))


async def get_reminders(request: web.Request) -> web.Response:
    """From the agenda the store keeps per case: one indexed query, whatever the case count."""
    query = parse_query(request, ReminderQuery)
    return json_response(await request.app[AGENDA].reminders(request.app[STORE], utc_now(), query.within_days))


ROUTES = [
    Route("GET", "/catalog", get_catalog,
          "Complaint types, demands, evidence checklists, bases and the platform numbers in effect",
          response=Catalog),
    Route("POST", "/lint", post_lint,
          "Tone findings (spans, category, severity, neutral suggestion); with case_id the case's product names are not findings",
          body=LintRequest, body_kind="json", max_body=1 * MiB, response=LintResult),
    Route("POST", "/cases/{case_id}/draft", post_draft,
          "Draft a complaint for the case and store it as a new version",
          body=DraftRequest, body_kind="json", max_body=1 * MiB, response=Draft, status=201),
    Route("GET", "/cases/{case_id}/drafts", list_drafts, "The case's draft versions", response=DraftList),
    Route("POST", "/cases/{case_id}/drafts/{version}/redraft", post_redraft,
          "Draft a stored version's request for another channel (seller, platform, regulator, association, "
          "court) and store it as a new version",
          body=RedraftRequest, body_kind="json", max_body=4096, response=Draft, status=201),
    Route("GET", "/cases/{case_id}/drafts/{version}", get_draft,
          "One stored draft version (a number or `latest`)", response=Draft),
    Route("POST", "/cases/{case_id}/demand-check", post_demand_check,
          "Check a demand without drafting: basis, exact limits, channel",
          body=DraftRequest, body_kind="json", max_body=1 * MiB, response=DemandCheck),
    Route("GET", "/cases/{case_id}/deadlines", get_deadlines,
          "Deadlines from the order's dates (Asia/Shanghai)", response=DeadlineReport),
    Route("GET", "/reminders", get_reminders,
          "Deadlines about to pass and follow-ups due, across open cases (for the badge)",
          query=ReminderQuery, response=ReminderList),
]
