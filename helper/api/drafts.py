"""Complaint drafting API: catalog, drafts (versioned on the case), tone lint, demand
check, deadlines and reminders. Thin: the work is in helper/complaint. Linting and
drafting run in a worker thread: 200,000 characters of pasted notes take a few hundred
milliseconds, which must not stall the other requests of the event loop."""

from __future__ import annotations

import asyncio

from aiohttp import web

from helper.api.routes import MiB, Route, json_response, parse_query, read_json
from helper.complaint import catalog, deadlines, draft, reminders, rules
from helper.complaint.tone import lint_first
from helper.errors import ApiError, not_found
from helper.models import (
    Case,
    CaseStatus,
    Catalog,
    ComplaintSettings,
    DeadlineReport,
    DemandCheck,
    Draft,
    DraftList,
    DraftRequest,
    Evidence,
    GoodsKind,
    LintRequest,
    LintResult,
    ReminderList,
    ReminderQuery,
    utc_now,
)
from helper.state import SETTINGS, STORE
from helper.store import CaseNotFound, CaseStore

CASE_PAGE = 500
MAX_LINT_FINDINGS = 1000


def _case(request: web.Request) -> Case:
    case_id = request.match_info["case_id"]
    try:
        return request.app[STORE].get_case(case_id)
    except CaseNotFound:
        raise not_found("case", case_id) from None


def _latest_goods(request: web.Request, case_id: str) -> GoodsKind | None:
    latest = request.app[STORE].get_draft(case_id)
    return latest[0].goods if latest else None


def _amounts(case: Case, body: DraftRequest) -> rules.Amounts:
    try:
        return rules.order_amounts(case.order, body.sub_order_id)
    except KeyError:
        raise ApiError(422, "unknown_sub_order",
                       f"sub_order_id {body.sub_order_id} is not an item of order {case.order.order_id}") from None


async def get_catalog(request: web.Request) -> web.Response:
    return json_response(catalog.load().with_settings(request.app[SETTINGS].complaint))


async def post_lint(request: web.Request) -> web.Response:
    body = await read_json(request, LintRequest)
    findings, total = await asyncio.to_thread(lint_first, body.text, MAX_LINT_FINDINGS)
    return json_response(LintResult(findings=findings, truncated=total > len(findings)))


async def post_draft(request: web.Request) -> web.Response:
    body = await read_json(request, DraftRequest)
    case = _case(request)
    _amounts(case, body)
    store = request.app[STORE]
    evidence: list[Evidence] = store.list_evidence(case.id)
    try:
        content = await asyncio.to_thread(draft.build, case, evidence, body, catalog.load(),
                                          request.app[SETTINGS].complaint, utc_now())
    except draft.DraftRejected as exc:
        raise ApiError(422, "demand_rejected", str(exc),
                       [r.model_dump() for r in exc.check.reasons]) from None
    return json_response(store.save_draft(case.id, body, content), status=201)


async def list_drafts(request: web.Request) -> web.Response:
    case = _case(request)
    return json_response(DraftList(drafts=request.app[STORE].list_drafts(case.id)))


async def get_draft(request: web.Request) -> web.Response:
    case = _case(request)
    raw = request.match_info["version"]
    if raw != "latest" and not (raw.isdigit() and len(raw) < 10):
        raise ApiError(400, "invalid_version", "version must be a positive number or `latest`")
    found = request.app[STORE].get_draft(case.id, None if raw == "latest" else int(raw))
    if found is None:
        raise not_found("draft", f"{case.id}/{raw}")
    return json_response(found[1])


async def post_demand_check(request: web.Request) -> web.Response:
    body = await read_json(request, DraftRequest)
    case = _case(request)
    return json_response(rules.check_demand(body, _amounts(case, body), catalog.load(),
                                            request.app[SETTINGS].complaint))


async def get_deadlines(request: web.Request) -> web.Response:
    case = _case(request)
    now = utc_now()
    items, warnings = deadlines.compute(case, request.app[SETTINGS].complaint, now,
                                        _latest_goods(request, case.id))
    return json_response(DeadlineReport(case_id=case.id, computed_at=now, deadlines=items, warnings=warnings))


def _reminders(store: CaseStore, settings: ComplaintSettings, within: int) -> ReminderList:
    now, found = utc_now(), []
    for status in CaseStatus:
        if status in reminders.QUIET:
            continue
        offset = 0
        while True:
            page = store.list_cases(status=status, limit=CASE_PAGE, offset=offset)
            for summary in page.cases:
                latest = store.get_draft(summary.id)
                found += reminders.for_case(store.get_case(summary.id), settings, now, within,
                                            latest[0].goods if latest else None)
            offset += CASE_PAGE
            if offset >= page.total:
                break
    found.sort(key=lambda r: r.due_at)
    return ReminderList(reminders=found, count=len(found))


async def get_reminders(request: web.Request) -> web.Response:
    """Reads every open case: in a worker thread, so the badge's poll never stalls the helper."""
    query = parse_query(request, ReminderQuery)
    settings = request.app[SETTINGS].complaint
    within = settings.reminder_window_days if query.within_days is None else query.within_days
    return json_response(await asyncio.to_thread(_reminders, request.app[STORE], settings, within))


ROUTES = [
    Route("GET", "/catalog", get_catalog,
          "Complaint types, demands, evidence checklists, bases and the platform numbers in effect",
          response=Catalog),
    Route("POST", "/lint", post_lint, "Tone findings (spans, category, severity, neutral suggestion)",
          body=LintRequest, body_kind="json", max_body=1 * MiB, response=LintResult),
    Route("POST", "/cases/{case_id}/draft", post_draft,
          "Draft a complaint for the case and store it as a new version",
          body=DraftRequest, body_kind="json", max_body=1 * MiB, response=Draft, status=201),
    Route("GET", "/cases/{case_id}/drafts", list_drafts, "The case's draft versions", response=DraftList),
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
