"""HTTP API v1: one module per resource, each exporting its `ROUTES`."""

from helper.api import cases, drafts, evidence, health, orders, pairing
from helper.api.routes import Route

PREFIX = "/api/v1"


def all_routes() -> list[Route]:
    from helper.api import export, openapi, session, ui

    from helper.api import captures, jobs, verify

    from helper.api import captures, jobs, verify

    return [*health.ROUTES, *pairing.ROUTES, *orders.ROUTES, *cases.ROUTES, *evidence.ROUTES,
            *captures.ROUTES, *jobs.ROUTES, *verify.ROUTES,
            *captures.ROUTES, *jobs.ROUTES, *verify.ROUTES, *drafts.ROUTES,
            *openapi.ROUTES, *session.ROUTES, *ui.ROUTES, *export.ROUTES]
