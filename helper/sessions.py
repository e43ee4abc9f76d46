"""Review-UI sessions (used by the security middleware and the UI routes alike): a one-time login URL from the CLI, then an HttpOnly cookie.

`tousu-helper open` asks the daemon (with the local admin token, like `pair`) for a
login URL holding a one-time ticket (2 minutes, single use). Visiting it trades the
ticket for a session cookie (HttpOnly, SameSite=Strict, Path=/) and redirects to `/`,
so no secret stays in any page URL. Sessions live in the daemon's memory only: a
restart logs the buyer out, which is fine for a local tool.

Cookies are not port-scoped, so the cookie name carries the port: two helpers (or a
test run) on one machine never overwrite each other's session.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from aiohttp import web

def local_port(request: web.Request) -> int | None:
    """The port this request arrived on (the helper's own origin and cookie carry it)."""
    sockname = request.transport.get_extra_info("sockname") if request.transport else None
    return sockname[1] if sockname else None


SESSION_COOKIE = "tousu_session_{port}"
TICKET_TTL_S = 120
SESSION_IDLE_S = 12 * 3600
SESSION_MAX_S = 7 * 24 * 3600


@dataclass
class _Session:
    created: float
    last_seen: float


class Sessions:
    """One-time login tickets and live sessions, in memory only. Both are random 256-bit
    values; they are kept by their HMAC, so a lookup's timing says nothing about a guess."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._tickets: dict[str, float] = {}
        self._sessions: dict[str, _Session] = {}

    @staticmethod
    def _key(value: str) -> str:
        # Looking up by an HMAC of the value keeps timing independent of the secret's prefix.
        return hmac.new(b"tousu-ui", value.encode(), "sha256").hexdigest()

    def new_ticket(self) -> tuple[str, datetime]:
        now = self._clock()
        self._tickets = {k: exp for k, exp in self._tickets.items() if exp > now}
        ticket = secrets.token_urlsafe(32)
        self._tickets[self._key(ticket)] = now + TICKET_TTL_S
        return ticket, datetime.now(timezone.utc) + timedelta(seconds=TICKET_TTL_S)

    def redeem(self, ticket: str) -> str | None:
        """A new session id for a valid ticket (exactly once), else None."""
        expires = self._tickets.pop(self._key(ticket), None)
        now = self._clock()
        if expires is None or expires <= now:
            return None
        self._sessions = {k: s for k, s in self._sessions.items() if self._alive(s, now)}
        sid = secrets.token_urlsafe(32)
        self._sessions[self._key(sid)] = _Session(created=now, last_seen=now)
        return sid

    def _alive(self, session: _Session, now: float) -> bool:
        return now - session.last_seen < SESSION_IDLE_S and now - session.created < SESSION_MAX_S

    def check(self, sid: str | None) -> bool:
        if not sid:
            return False
        key = self._key(sid)
        session = self._sessions.get(key)
        now = self._clock()
        if session is None or not self._alive(session, now):
            self._sessions.pop(key, None)
            return False
        session.last_seen = now
        return True

    def end(self, sid: str | None) -> None:
        if sid:
            self._sessions.pop(self._key(sid), None)


SESSIONS = web.AppKey("ui_sessions", Sessions)


def cookie_name(request: web.Request) -> str:
    return SESSION_COOKIE.format(port=local_port(request))


def own_origin(request: web.Request) -> str:
    return f"http://127.0.0.1:{local_port(request)}"


def has_session(request: web.Request) -> bool:
    """A valid session cookie on a same-origin request (see `security.auth`)."""
    sessions = request.app.get(SESSIONS)
    if sessions is None:
        return False
    return sessions.check(request.cookies.get(cookie_name(request)))


SAFE_METHODS = ("GET", "HEAD")


def same_origin(request: web.Request) -> bool:
    """Only the UI's own pages: Origin absent (top-level GET, <img>) or exactly ours, and
    never a cross-site or same-site (another port on 127.0.0.1) fetch. Writes must carry
    our Origin: browsers always send it on POST/PATCH, so a missing one is not a browser
    page of ours."""
    origin = request.headers.get("Origin")
    if request.headers.get("Sec-Fetch-Site") not in (None, "same-origin", "none"):
        return False
    if origin is None:
        return request.method in SAFE_METHODS
    return origin == own_origin(request)


def ui_session_ok(request: web.Request) -> bool:
    return same_origin(request) and has_session(request)
