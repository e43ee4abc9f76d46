"""Trusted timestamps from the review UI: the buyer's one-time answer to "may hashes be
sent to a time-stamping authority?", and the button that adds tokens to a case captured
without them (what `tousu-helper timestamp CASE_ID` does)."""

from __future__ import annotations

from aiohttp import web

from helper.api.routes import KiB, Route, json_response, read_json
from helper.errors import ApiError
from helper.models.integrity import (
    CaseTimestamps,
    TimestampAnswer,
    TimestampConsent,
    TimestampOutcome,
)
from helper.state import SECRETS, SETTINGS, STORE


def _consent(request: web.Request) -> TimestampConsent:
    from helper.config import timestamp_consent_asked

    settings = request.app[SETTINGS]
    return TimestampConsent(agreed=settings.evidence.timestamps, asked=timestamp_consent_asked(settings),
                            tsa_urls=settings.evidence.tsa_urls)


async def get_consent(request: web.Request) -> web.Response:
    return json_response(_consent(request))


async def put_consent(request: web.Request) -> web.Response:
    """Record the answer in config.toml; the running helper follows it at once."""
    import asyncio

    from helper.config import ConfigError, save_timestamp_consent

    answer = await read_json(request, TimestampAnswer)
    try:
        await asyncio.to_thread(save_timestamp_consent, request.app[SETTINGS], answer.agreed)
    except ConfigError as exc:
        raise ApiError(409, "config_unchanged", str(exc)) from None
    return json_response(_consent(request))


async def timestamp_case(request: web.Request) -> web.Response:
    from helper.api.captures import CAPTURE
    from helper.timestamps import Stamp
    from helper.timestamps.stamping import stamp_case

    case_id = request.match_info["case_id"]
    app = request.app
    await app[STORE].cases.get(case_id)
    if not app[SETTINGS].evidence.timestamps:
        raise ApiError(409, "timestamps_not_agreed",
                       "可信时间戳尚未同意 · the buyer has not agreed to send hashes to a time-stamping authority; "
                       "answer the question in the review UI first")
    done = await stamp_case(app[STORE], app[SECRETS], app[CAPTURE].service.tsa, case_id)

    def outcome(subject: str, result: object) -> TimestampOutcome:
        if isinstance(result, Stamp):
            return TimestampOutcome(subject=subject, timestamped=True,
                                    detail=f"{result.gen_time:%Y-%m-%d %H:%M:%S} UTC · {result.tsa_subject}")
        return TimestampOutcome(subject=subject, timestamped=False, detail=getattr(result, "reason", ""))

    outcomes = [outcome(ev, r) for ev, r in done.evidence]
    outcomes.append(outcome("manifest", done.manifest) if done.manifest is not None else TimestampOutcome(
        subject="manifest", timestamped=True, detail="already timestamped; nothing new to cover"))
    return json_response(CaseTimestamps(ok=done.ok, outcomes=outcomes))


ROUTES = [
    Route("GET", "/ui/timestamps", get_consent,
          "Whether the buyer agreed to trusted timestamps (only SHA-256 hashes are sent), and to whom",
          response=TimestampConsent),
    Route("PUT", "/ui/timestamps", put_consent,
          "Record the buyer's answer to the trusted-timestamp question in config.toml",
          body=TimestampAnswer, body_kind="json", max_body=1 * KiB, response=TimestampConsent,
          other_statuses=(409,)),
    Route("POST", "/cases/{case_id}/timestamp", timestamp_case,
          "Add RFC 3161 tokens to the case's captures and manifest where they have none "
          "(409 until the buyer agreed)", response=CaseTimestamps, other_statuses=(409,)),
]
