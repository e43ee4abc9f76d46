"""The archive review web UI: pages at `/`, static assets, thumbnails and evidence frames.

Everything here is served by the helper itself (no CDN, no build step) from `helper/ui/`.
Pages and the API calls they make need the session cookie set by the one-time login
URL (`helper/api/session.py`); every UI response carries a strict CSP and refuses to be
framed. Archived web pages are shown in a sandboxed frame of their own: scripts off,
no network (only `data:` images and inline styles), links and meta refreshes disarmed.
PDFs never reach the browser's PDF viewer (it runs a PDF's JavaScript): the UI shows
their pages as images rendered by the helper (helper/pdf_pages.py).
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Annotated, Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from helper.api.routes import Offset, Route, json_response, parse_query
from helper.api.session import new_login
from helper import media_types
from helper.archive import framed_page, page_kind
from helper.sessions import SESSIONS, Sessions, cookie_name, own_origin, ui_session_ok
from helper.errors import ApiError, not_found
from helper.models import (
    Artifact,
    CaseStatus,
    Evidence,
    Platform,
    UiCaseList,
    UiCaseSummary,
    UiLogin,
    utc_now,
)
from helper.state import AGENDA, SECRETS, SETTINGS, STORE
from helper.pdf_pages import PdfPages, PdfUnreadable
from helper.thumbnails import Thumbnails, source_artifact

UI_DIR = Path(__file__).resolve().parent.parent / "ui"
ASSET_NAME = re.compile(r"^[a-z0-9_-]{1,64}\.(js|css|svg|png|ico)$")
ASSET_TYPES = {"js": "text/javascript", "css": "text/css", "svg": "image/svg+xml",
               "png": "image/png", "ico": "image/x-icon"}

UI_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
          "media-src 'self'; connect-src 'self'; frame-src 'self'; font-src 'self'; "
          "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
ARCHIVE_CSP = ("sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline' data:; "
               "font-src data:; media-src data:; form-action 'none'; base-uri 'none'; "
               "frame-ancestors 'self'")
TEXT_CSP = "sandbox; default-src 'none'; frame-ancestors 'self'"
MAX_ARCHIVE_BYTES = 64 * 1024 * 1024

THUMBNAILS = web.AppKey("thumbnails", Thumbnails)
PDF_PAGES = web.AppKey("pdf_pages", PdfPages)


def setup_ui(app: web.Application) -> None:
    """Attach sessions, the thumbnail and PDF page caches and the UI's non-API routes to the app."""
    app[SESSIONS] = Sessions()
    app[THUMBNAILS] = Thumbnails(app[SETTINGS].data_dir / "thumbs", app[STORE].blobs)
    app[PDF_PAGES] = PdfPages(app[SETTINGS].data_dir / "pdf-pages", app[STORE].blobs)
    app.router.add_get("/", index)
    app.router.add_get("/login", login, allow_head=False)  # a HEAD must not use up the ticket
    app.router.add_post("/logout", logout)
    app.router.add_get("/ui/{name}", asset)
    app.router.add_get("/ui/thumb/{evidence_id}", thumbnail)
    app.router.add_get("/ui/view/{evidence_id}/{role}", view)
    app.router.add_get("/ui/pdf/{evidence_id}/{role}", pdf_preview)
    app.router.add_get("/ui/pdf/{evidence_id}/{role}/{page}", pdf_page)


def _page_headers(response: web.StreamResponse) -> web.StreamResponse:
    response.headers["Content-Security-Policy"] = UI_CSP
    response.headers["X-Frame-Options"] = "DENY"
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def _message_page(status: int, title: str, body: str) -> web.Response:
    html = (UI_DIR / "message.html").read_text(encoding="utf-8")
    html = html.replace("{{title}}", _escape(title)).replace("{{body}}", _escape(body))
    return _page_headers(web.Response(text=html, status=status, content_type="text/html"))  # type: ignore[return-value]


def _escape(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def _require_session(request: web.Request) -> None:
    if not ui_session_ok(request):
        raise ApiError(401, "unauthorized",
                       "no review-UI session; run `tousu-helper open` for a login link")


async def index(request: web.Request) -> web.StreamResponse:
    if not ui_session_ok(request):
        return _message_page(
            401, "请先登录 · Please log in",
            "在终端运行 tousu-helper open 打开一次性登录链接。 "
            "Run `tousu-helper open` in a terminal to get a one-time login link.")
    return _page_headers(web.Response(text=_index_html(), content_type="text/html", charset="utf-8"))


_INDEX: dict[str, str] = {}


def asset_version() -> str:
    """A hash of the UI files: asset URLs carry it, so browsers may cache them for good."""
    if "v" not in _INDEX:
        import hashlib

        digest = hashlib.sha256()
        for name in sorted(p.name for p in UI_DIR.iterdir() if ASSET_NAME.match(p.name)):
            digest.update(name.encode() + (UI_DIR / name).read_bytes())
        _INDEX["v"] = digest.hexdigest()[:12]
    return _INDEX["v"]


def _index_html() -> str:
    if "html" not in _INDEX:
        _INDEX["html"] = (UI_DIR / "index.html").read_text(encoding="utf-8").replace("{{v}}", asset_version())
    return _INDEX["html"]


async def login(request: web.Request) -> web.StreamResponse:
    ticket = request.query.get("ticket", "")
    sid = request.app[SESSIONS].redeem(ticket) if 0 < len(ticket) <= 128 else None
    if sid is None:
        return _message_page(
            403, "登录链接无效 · Login link not valid",
            "这个链接已用过或已过期（2 分钟内有效，只能用一次）。请重新运行 tousu-helper open。 "
            "This link was already used or has expired (valid 2 minutes, once). "
            "Run `tousu-helper open` again.")
    response = web.Response(status=303, headers={"Location": "/"})
    response.set_cookie(cookie_name(request), sid, httponly=True, samesite="Strict", path="/")
    _page_headers(response)
    return response


async def logout(request: web.Request) -> web.StreamResponse:
    if request.headers.get("Origin") != own_origin(request):
        raise ApiError(403, "forbidden_origin", "log out from the review UI itself")
    request.app[SESSIONS].end(request.cookies.get(cookie_name(request)))
    response = web.Response(status=303, headers={"Location": "/"})
    response.del_cookie(cookie_name(request), path="/")
    return response


async def asset(request: web.Request) -> web.StreamResponse:
    name = request.match_info["name"]
    if not ASSET_NAME.match(name) or not (UI_DIR / name).is_file():
        raise ApiError(404, "not_found", f"no such UI file: {name}")
    versioned = request.query.get("v") == asset_version()
    response = web.FileResponse(UI_DIR / name, headers={
        "Content-Type": ASSET_TYPES[name.rsplit(".", 1)[1]] + "; charset=utf-8",
        "Cache-Control": "private, max-age=31536000, immutable" if versioned else "no-cache"})
    return _page_headers(response)


# -- thumbnails -----------------------------------------------------------------------------

PLACEHOLDER = """<svg xmlns="http://www.w3.org/2000/svg" width="320" height="240" viewBox="0 0 320 240">
<rect width="320" height="240" fill="#eef1f5"/><rect x="120" y="60" width="80" height="100" rx="6"
fill="#fff" stroke="#98a2b3" stroke-width="3"/><text x="160" y="200" font-family="sans-serif"
font-size="28" text-anchor="middle" fill="#475467">{label}</text></svg>"""
PLACEHOLDER_LABELS = (("application/pdf", "PDF"), ("text/html", "HTML"), ("multipart/related", "MHTML"),
                      ("message/rfc822", "MHTML"), ("video/", "VIDEO"), ("audio/", "AUDIO"),
                      ("text/", "TEXT"), ("image/", "IMAGE"))


def _placeholder(evidence: Evidence) -> web.Response:
    first = evidence.artifacts[0].media_type if evidence.artifacts else ""
    label = next((lbl for prefix, lbl in PLACEHOLDER_LABELS if first.startswith(prefix)), "FILE")
    return web.Response(text=PLACEHOLDER.format(label=label), content_type="image/svg+xml",
                        headers={"Cache-Control": "private, max-age=300",
                                 "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"})


async def thumbnail(request: web.Request) -> web.StreamResponse:
    _require_session(request)
    evidence_id = request.match_info["evidence_id"]
    evidence = await request.app[STORE].evidence.get(evidence_id)
    if evidence is None:
        raise not_found("evidence", evidence_id)
    artifact = source_artifact(evidence)
    if artifact is None:
        return _placeholder(evidence)
    path = await request.app[THUMBNAILS].get(artifact)
    if path is None:
        return _placeholder(evidence)
    return web.FileResponse(path, headers={
        "Content-Type": "image/jpeg", "ETag": f'"{artifact.sha256[:32]}"',
        # the UI asks with ?v=<sha256>, so a changed image is a new URL
        "Cache-Control": "private, max-age=31536000, immutable" if request.query.get("v") == artifact.sha256
        else "private, no-cache"})


# -- evidence frames (archived HTML sandboxed) and PDF page images ---------------------------

async def _stored_artifact(request: web.Request) -> tuple[Artifact, Path]:
    """The artifact named by the URL's evidence id and role, and its file (which must exist)."""
    _require_session(request)
    store = request.app[STORE]
    evidence_id, role = request.match_info["evidence_id"], request.match_info["role"]
    evidence = await store.evidence.get(evidence_id)
    if evidence is None:
        raise not_found("evidence", evidence_id)
    artifact = next((a for a in evidence.artifacts if a.role == role), None)
    if artifact is None:
        raise ApiError(404, "not_found", f"evidence {evidence_id} has no {role!r} artifact")
    path = store.blobs.path(artifact.sha256)
    if not path.is_file():
        raise ApiError(410, "blob_missing",
                       f"the stored file for {evidence_id}/{role} is missing; run `tousu-helper verify`")
    return artifact, path


async def view(request: web.Request) -> web.StreamResponse:
    artifact, path = await _stored_artifact(request)
    evidence_id, role = request.match_info["evidence_id"], request.match_info["role"]
    frame = {"X-Frame-Options": "SAMEORIGIN", "Cache-Control": "private, no-store",
             "Cross-Origin-Resource-Policy": "same-origin"}
    media = media_types.essence(artifact.media_type)
    if kind := page_kind(artifact.media_type, artifact.filename):
        if artifact.size > MAX_ARCHIVE_BYTES:
            raise ApiError(413, "too_large", "this archived page is too large to show; download it instead")
        data = await asyncio.to_thread(path.read_bytes)
        try:
            html = await asyncio.to_thread(framed_page, data, kind, artifact.media_type)
        except ValueError as exc:
            raise ApiError(422, "unreadable_archive", f"cannot show {evidence_id}/{role}: {exc}") from None
        return web.Response(text=html, content_type="text/html", charset="utf-8",
                            headers={**frame, "Content-Security-Policy": ARCHIVE_CSP})
    if media.startswith("text/"):
        return web.FileResponse(path, headers={
            **frame, "Content-Type": "text/plain; charset=utf-8", "Content-Security-Policy": TEXT_CSP})
    if media == "application/pdf":  # never to the browser's PDF viewer: it runs the PDF's scripts
        raise ApiError(415, "not_viewable", "PDFs are shown as page images (/ui/pdf/…), not framed")
    raise ApiError(415, "not_viewable", f"{media} is shown directly by the UI or downloaded, not framed")


async def _pdf_artifact(request: web.Request) -> Artifact:
    artifact, _ = await _stored_artifact(request)
    if media_types.essence(artifact.media_type) != "application/pdf":
        raise ApiError(415, "not_a_pdf", f"{artifact.media_type} has no page images; only PDFs do")
    return artifact


def _unreadable_pdf(exc: PdfUnreadable) -> ApiError:
    return ApiError(422, "unreadable_pdf",
                    f"this PDF cannot be shown as images ({exc}); download the original instead")


async def pdf_preview(request: web.Request) -> web.Response:
    """How many pages the PDF has, how many the viewer shows, and each image's size."""
    artifact = await _pdf_artifact(request)
    try:
        preview = await request.app[PDF_PAGES].preview(artifact.sha256)
    except PdfUnreadable as exc:
        raise _unreadable_pdf(exc) from None
    response = json_response(preview)
    response.headers["Cache-Control"] = "private, no-store"
    return response


async def pdf_page(request: web.Request) -> web.StreamResponse:
    """One page as a PNG, rendered once per PDF content (the UI asks with ?v=<sha256>)."""
    artifact = await _pdf_artifact(request)
    number = request.match_info["page"]
    if not number.isdigit() or len(number) > 4:
        raise ApiError(404, "not_found", f"no page {number!r}")
    try:
        path = await request.app[PDF_PAGES].page(artifact.sha256, int(number))
    except IndexError:
        raise ApiError(404, "not_found", f"page {number} is not among the pages shown") from None
    except PdfUnreadable as exc:
        raise _unreadable_pdf(exc) from None
    return web.FileResponse(path, headers={
        "Content-Type": "image/png", "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'", "Cross-Origin-Resource-Policy": "same-origin",
        "Cache-Control": "private, max-age=31536000, immutable" if request.query.get("v") == artifact.sha256
        else "private, no-cache"})


# -- UI data API (under /api/v1) -------------------------------------------------------------

class UiCaseQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    q: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = Field(
        default=None, description="order id, shop, seller or item title")
    status: CaseStatus | None = None
    platform: Platform | None = None
    sort: Literal["updated", "deadline"] = "updated"
    limit: int = Field(default=50, ge=1, le=200)
    offset: Offset = 0


async def ui_cases(request: web.Request) -> web.Response:
    """The list, with each case's nearest deadline from the agenda the store keeps."""
    query = parse_query(request, UiCaseQuery)
    store, agenda, now = request.app[STORE], request.app[AGENDA], utc_now()
    filters = {"status": query.status, "q": query.q, "platform": query.platform}
    if query.sort == "updated":
        page = await store.cases.list(**filters, limit=query.limit, offset=query.offset)
    else:
        page = await store.cases.list_by_deadline(now, **filters, limit=query.limit, offset=query.offset)
    nexts = await store.agenda.next_deadlines([c.id for c in page.cases], now)
    from helper.bundle.signer import local_fingerprint  # the export package loads on first use

    return json_response(UiCaseList(
        cases=[UiCaseSummary(**c.model_dump(), next_deadline=agenda.next_deadline(nexts.get(c.id), now))
               for c in page.cases],
        total=page.total, limit=query.limit, offset=query.offset,
        signing_key_sha256=await asyncio.to_thread(local_fingerprint, request.app[SECRETS])))


ROUTES = [
    Route("GET", "/ui/cases", ui_cases,
          "Case list for the review UI: search, filter by status and platform, sort",
          query=UiCaseQuery, response=UiCaseList),
    Route("POST", "/ui/login", new_login,
          "One-time login URL for the review UI (the extension's 打开档案 link)",
          response=UiLogin, status=201, name="extension_login"),
]
