"""Browser-side steps of a capture: guarded routing, navigation, settling, and the artifacts.

Each function does one thing and is bounded in time by its caller. The guard is
installed on the *context* with Playwright routing, so it sees every request of every
page and frame the capture opens — redirect hops and subresources included — and also
WebSocket connections.
"""

from __future__ import annotations

import asyncio
import base64
import re
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from helper.capture.guard import GuardError, UrlGuard, redact_url

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext, Page, Response, Route, WebSocketRoute

MAX_SCREENSHOT_PX = 16_384
"""Chromium's largest texture; taller pages are captured down to here and marked."""
STATIC_RESOURCE_TYPES = frozenset({"image", "stylesheet", "font", "media"})
SCROLL_JS = """async ({step, pause, maxMs}) => {
  const start = performance.now();
  const height = () => Math.max(document.documentElement ? document.documentElement.scrollHeight : 0,
                                document.body ? document.body.scrollHeight : 0);
  let y = 0;
  while (y < height() && performance.now() - start < maxMs) {
    y += step;
    window.scrollTo(0, y);
    await new Promise(r => setTimeout(r, pause));
  }
  window.scrollTo(0, 0);
  return {height: height(), scrolled: y, ms: Math.round(performance.now() - start)};
}"""


REVEAL_JS = """() => new Promise(resolve => {
  window.dispatchEvent(new Event('scroll'));
  document.dispatchEvent(new Event('scroll'));
  requestAnimationFrame(() => requestAnimationFrame(() => {
    window.scrollTo(0, document.documentElement.scrollHeight);
    window.dispatchEvent(new Event('scroll'));
    requestAnimationFrame(() => resolve(true));
  }));
})"""


@dataclass
class NetworkLog:
    """What the capture browser asked for; blocked URLs are recorded without query strings."""

    requests: int = 0
    blocked: list[str] = field(default_factory=list)
    blocked_navigation: str | None = None
    inflight: int = 0
    last_activity: float = field(default_factory=time.monotonic)

    def note_blocked(self, url: str, reason: str, navigation: bool) -> None:
        entry = f"{redact_url(url)} ({reason})"
        if len(self.blocked) < 100:
            self.blocked.append(entry)
        if navigation and self.blocked_navigation is None:
            self.blocked_navigation = entry

    def facts(self, proxy_blocked: list[str]) -> dict[str, Any]:
        """For the evidence metadata: how many requests, and what the guard and proxy refused."""
        return {"requests": self.requests,
                "blocked": [*self.blocked, *(f"proxy: {b}" for b in proxy_blocked)]}


def not_allowed_pattern(guard: UrlGuard) -> re.Pattern[str]:
    """A regex matching every URL that is *not* a plain https URL of an allowlisted host.

    Playwright matches regex routes inside its driver, so requests to allowed hosts go
    straight to the network (through the guarding proxy) without a round trip to Python
    for each of a heavy page's hundreds of images; everything else reaches the Python
    guard, which decides (and logs) with the full rules.
    """
    hosts = "|".join(re.escape(h) for h in guard.allowed_hosts)
    schemes = "https?" if guard.allow_http else "https"
    return re.compile(rf"^(?!{schemes}://(?:[a-z0-9-]+\.)*(?:{hosts})(?::443)?(?:[/?#]|$))")


async def install_guard(context: BrowserContext, guard: UrlGuard, log: NetworkLog, *,
                        static_only: bool = False,
                        document: tuple[str, bytes] | None = None,
                        only_suspicious: bool = False) -> None:
    """Route the context's requests through the guard.

    `static_only`: only GETs of images, styles, fonts and media pass (snapshot renders).
    `document`: (url, html) served from memory for that one navigation instead of the network.
    `only_suspicious`: route only URLs outside the allowlist's plain https form (see
    `not_allowed_pattern`); the guarding proxy still checks every connection.
    """
    served = False

    async def handle(route: Route) -> None:
        nonlocal served
        request = route.request
        url = request.url
        navigation = request.is_navigation_request()
        try:
            if document is not None and navigation and url == document[0] and not served \
                    and request.frame.parent_frame is None:
                served = True
                await route.fulfill(status=200, body=document[1],
                                    headers={"Content-Type": "text/html; charset=utf-8"})
                return
            reason = None
            try:
                guard.check(url)
            except GuardError as exc:
                reason = exc.code
            if reason is None and static_only and (
                    request.method != "GET" or navigation
                    or request.resource_type not in STATIC_RESOURCE_TYPES):
                reason = f"not a static asset: {request.resource_type}"
            if reason is not None:
                log.note_blocked(url, reason, navigation)
                if navigation:
                    # 204 = "stay where you are": the page (or frame) keeps its document
                    # instead of being replaced by an error page
                    await route.fulfill(status=204, body=b"")
                else:
                    await route.abort("blockedbyclient")
                return
            await route.continue_()
        except Exception:  # noqa: BLE001 - the page or context closed under us
            pass

    async def handle_ws(ws: WebSocketRoute) -> None:
        log.note_blocked(ws.url, "websocket", False)
        await ws.close(code=1008, reason="blocked by the capture guard")

    await context.route(not_allowed_pattern(guard) if only_suspicious else "**/*", handle)
    await context.route_web_socket("**/*", handle_ws)

    def started(_: Any) -> None:
        log.requests += 1
        log.inflight += 1
        log.last_activity = time.monotonic()

    def ended(_: Any) -> None:
        log.inflight = max(0, log.inflight - 1)
        log.last_activity = time.monotonic()

    context.on("request", started)
    context.on("requestfinished", ended)
    context.on("requestfailed", ended)


async def settle(log: NetworkLog, *, quiet_s: float = 0.15, max_s: float = 2.0) -> bool:
    """Wait until no request has been in flight for `quiet_s`, at most `max_s`. True if quiet."""
    deadline = time.monotonic() + max_s
    while time.monotonic() < deadline:
        if log.inflight == 0 and time.monotonic() - log.last_activity >= quiet_s:
            return True
        await asyncio.sleep(0.03)
    return False


async def scroll_through(page: Page, viewport_height: int, max_s: float = 3.0) -> dict[str, Any]:
    """Scroll down a viewport at a time so lazy images load, then back to the top."""
    return await page.evaluate(SCROLL_JS, {"step": max(200, viewport_height - 100), "pause": 25,
                                           "maxMs": int(max_s * 1000)})


async def reveal_lazy_content(page: Page, viewport: dict[str, int],
                              restore: bool = True) -> dict[str, Any]:
    """Make lazy images load: one tall viewport (everything intersects it at once, so
    native `loading=lazy` and IntersectionObserver loaders fire) and a scroll event for
    scroll-position loaders. One layout instead of a scroll loop of a dozen steps.

    `restore=False` keeps the tall viewport: the full-page screenshot then needs no
    second resize (it is what `captureBeyondViewport` would do anyway), and MHTML and
    PDF do not depend on the viewport."""
    height = await page.evaluate(
        "Math.max(document.documentElement ? document.documentElement.scrollHeight : 0,"
        " document.body ? document.body.scrollHeight : 0)")
    tall = min(max(int(height), viewport["height"]), MAX_SCREENSHOT_PX)
    if tall > viewport["height"]:
        await page.set_viewport_size({"width": viewport["width"], "height": tall})
        await page.evaluate(REVEAL_JS)
        if restore:
            await page.set_viewport_size(viewport)
    await page.evaluate("window.scrollTo(0, 0)")
    return {"height": int(height), "revealed_height": tall}


async def mhtml(context: BrowserContext, page: Page) -> bytes:
    cdp = await context.new_cdp_session(page)
    try:
        result = await cdp.send("Page.captureSnapshot", {"format": "mhtml"})
    finally:
        _detach_later(cdp)
    return result["data"].encode("utf-8")


async def full_page_png(context: BrowserContext, page: Page) -> tuple[bytes, dict[str, Any]]:
    """A full-page PNG through CDP (fast PNG encoding), at most MAX_SCREENSHOT_PX tall."""
    cdp = await context.new_cdp_session(page)
    try:
        metrics = await cdp.send("Page.getLayoutMetrics")
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        width = max(1, int(size["width"]))
        height = max(1, int(size["height"]))
        clipped = min(height, MAX_SCREENSHOT_PX)
        visible = metrics.get("cssLayoutViewport", {}).get("clientHeight", 0)
        result = await cdp.send("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": clipped > visible, "optimizeForSpeed": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": clipped, "scale": 1}})
    finally:
        _detach_later(cdp)
    return base64.b64decode(result["data"]), {"width": width, "height": height,
                                              "captured_height": clipped,
                                              "truncated": clipped < height}


async def pdf(page: Page) -> bytes:
    return await page.pdf(format="A4", print_background=True)


_PENDING: set[asyncio.Task[Any]] = set()


def _detach_later(cdp: Any) -> None:
    """Detach without waiting: after a timeout the browser may be busy for a long time
    finishing the abandoned command, and the capture must not wait for it."""
    task = asyncio.get_running_loop().create_task(cdp.detach())
    task.add_done_callback(lambda t: t.cancelled() or t.exception())
    _PENDING.add(task)
    task.add_done_callback(_PENDING.discard)


def tls_summary(details: dict[str, Any] | None) -> dict[str, Any] | None:
    if not details:
        return None
    return {"protocol": details.get("protocol"), "subject": details.get("subjectName"),
            "issuer": details.get("issuer"), "valid_from": details.get("validFrom"),
            "valid_to": details.get("validTo")}


async def response_facts(response: Response | None) -> dict[str, Any]:
    """HTTP status, redirect chain, TLS summary and server address of the main document."""
    if response is None:
        return {"http_status": None, "redirect_chain": [], "tls": None, "server": None}
    chain: list[str] = []
    request = response.request.redirected_from
    while request is not None:
        chain.insert(0, request.url)
        request = request.redirected_from
    try:
        tls = tls_summary(await response.security_details())
    except Exception:  # noqa: BLE001 - not available for every response
        tls = None
    try:
        server = await response.server_addr()
    except Exception:  # noqa: BLE001
        server = None
    return {"http_status": response.status, "status_text": response.status_text,
            "redirect_chain": chain, "tls": tls,
            "server": {"ip": server["ipAddress"], "port": server["port"]} if server else None}
