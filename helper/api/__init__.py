"""HTTP API v1: one module per resource, each exporting its `ROUTES`."""

from helper.api import (
    captures,
    cases,
    draft_state,
    drafts,
    evidence,
    export,
    health,
    jobs,
    openapi,
    orders,
    pairing,
    session,
    timestamps,
    ui,
    verify,
)
from helper.api.routes import PREFIX, Route

__all__ = ["PREFIX", "Route", "all_routes"]


def all_routes() -> list[Route]:
    return [*health.ROUTES, *pairing.ROUTES, *orders.ROUTES, *cases.ROUTES, *evidence.ROUTES,
            *captures.ROUTES, *jobs.ROUTES, *verify.ROUTES, *drafts.ROUTES, *draft_state.ROUTES,
            *openapi.ROUTES, *session.ROUTES, *ui.ROUTES, *export.ROUTES, *timestamps.ROUTES]
