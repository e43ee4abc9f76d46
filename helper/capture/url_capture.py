"""URL captures: the helper's own browser loads the page and records what the server sent.

The evidence is committed on the DOM at the `load` event (the buyer waits for that, not
for the slow artifacts); lazy images are then revealed and the MHTML, full-page PNG and
PDF follow, then the page load's HTTP exchanges as a WARC (exchanges.py, warc.py). The navigation has its own deadline (`capture.navigation_timeout_s`): a page
that sent something is captured as far as it loaded (`partial`), one that sent nothing
fails. A browser crash before the commit retries the capture once in a fresh browser;
after the commit the evidence stays, marked `partial`.
"""

from __future__ import annotations

import asyncio
import io
import logging
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from helper.capture import environment, pages
from helper.capture.browser import BrowserUnavailable
from helper.capture.contexts import VIEWPORT, Prepared, close_quietly, manager_connected
from helper.capture.exchanges import Exchange
from helper.capture.guard import GuardError, redact_url
from helper.capture.runs import BrowserCrashed, CaptureFailed, Run
from helper.models import CaptureCookie, EvidenceCategory, EvidenceKind, Job, JobState, utc_now

if TYPE_CHECKING:
    from helper.capture.service import CaptureService

log = logging.getLogger("tousu.capture")


class UrlCapture:
    def __init__(self, service: CaptureService) -> None:
        self.service = service

    async def submit(self, case_id: str, url: str, cookies: list[CaptureCookie] | None = None,
                     category: EvidenceCategory | None = None, title: str | None = None) -> Job:
        """Validate and queue a capture; raises GuardError / CaptureFailed for bad input."""
        service = self.service
        await service.check_case(case_id)
        guard = service.guard()
        guard.check(url)
        for cookie in cookies or []:
            try:
                guard.check(f"https://{cookie.domain.lstrip('.')}/")
            except GuardError:
                raise GuardError("cookie_forbidden",
                                 f"a cookie for {cookie.domain} may not be sent: only cookies of "
                                 "allowlisted hosts are forwarded") from None
        job = service.jobs.create(EvidenceKind.url_capture, case_id)
        service.spawn(self._run(job.id, case_id, url, list(cookies or []), category, title))
        return job

    async def _run(self, job_id: str, case_id: str, url: str, cookies: list[CaptureCookie],
                   category: EvidenceCategory | None, title: str | None) -> None:
        service = self.service
        jobs = service.jobs
        try:
            async with service.manager.slots:
                for attempt in (1, 2):
                    run = Run(job_id, case_id)
                    run.deadline = run.started + service.settings.capture.capture_timeout_s
                    jobs.update(job_id, state=JobState.running, stage="browser")
                    try:
                        await self._attempt(run, url, cookies, category, title)
                        return
                    except BrowserCrashed:
                        if run.evidence_id is not None:
                            await service.finish(run, crashed=True)
                            return
                        if attempt == 2:
                            raise CaptureFailed("browser_crashed",
                                                "the capture browser crashed twice on this page; "
                                                "nothing was stored") from None
                        log.warning("capture browser crashed before the evidence was committed; retrying")
        except CaptureFailed as exc:
            jobs.fail(job_id, exc.code, exc.message)
        except BrowserUnavailable as exc:
            jobs.fail(job_id, "browser_unavailable", str(exc))
        except asyncio.CancelledError:
            jobs.fail(job_id, "cancelled", "the helper stopped before the capture finished")
            raise
        except Exception:
            log.exception("capture job %s failed", job_id)
            jobs.fail(job_id, "internal_error", "the capture hit an unexpected error; nothing "
                      "half-written was stored")
        finally:
            cookies.clear()  # forwarded cookies live for this capture only
            service.contexts.refill()

    async def _attempt(self, run: Run, url: str, cookies: list[CaptureCookie],
                       category: EvidenceCategory | None, title: str | None) -> None:
        from playwright.async_api import Error as PlaywrightError

        service = self.service
        t = time.monotonic()
        try:
            prepared = await asyncio.wait_for(service.contexts.take(), run.remaining())
        except PlaywrightError as exc:
            raise BrowserCrashed() from exc
        service.timed(run, "context", t)
        await self._load(run, prepared, url, cookies, category, title)

    async def _load(self, run: Run, prepared: Prepared, url: str, cookies: list[CaptureCookie],
                    category: EvidenceCategory | None, title: str | None) -> None:
        from playwright.async_api import Error as PlaywrightError
        from playwright.async_api import TimeoutError as PlaywrightTimeout

        service = self.service
        cap = service.settings.capture
        manager = service.manager
        proxy, context, page, netlog = prepared.proxy, prepared.context, prepared.page, prepared.netlog
        main: dict[str, Any] = {}
        t = time.monotonic()
        try:
            if cookies:
                await context.add_cookies([_pw_cookie(c) for c in cookies])
            service.timed(run, "page", t)

            def on_response(response: Any) -> None:
                try:
                    if response.request.is_navigation_request() and response.frame == page.main_frame:
                        main["response"] = response
                except Exception:  # noqa: BLE001
                    pass

            navigation_hosts: set[str] = set()

            def on_request(request: Any) -> None:
                try:
                    if request.is_navigation_request() and request.frame == page.main_frame:
                        navigation_hosts.add(urlsplit(request.url).hostname or "")
                except Exception:  # noqa: BLE001
                    pass

            page.on("response", on_response)
            page.on("request", on_request)
            captured_at = utc_now()
            service.step(run, "navigate")
            t = time.monotonic()
            response = None
            try:
                response = await page.goto(url, wait_until="load",
                                           timeout=min(cap.navigation_timeout_s, run.remaining()) * 1000)
            except PlaywrightTimeout:
                if "response" not in main:
                    raise CaptureFailed("navigation_timeout",
                                        f"{redact_url(url)} sent nothing within "
                                        f"{cap.navigation_timeout_s:g} s; nothing was stored") from None
                run.partial.append(f"navigation_timeout: the page did not finish loading within "
                                   f"{cap.navigation_timeout_s:g} s; captured what had loaded")
            except PlaywrightError as exc:
                if not manager_connected(manager):
                    raise BrowserCrashed() from exc
                raise await self._navigation_error(exc, url, prepared, navigation_hosts) from None
            response = response or main.get("response")
            service.timed(run, "navigate", t)
            final_url = page.url
            if not service.guard().allows(final_url):
                raise CaptureFailed("redirect_forbidden",
                                    f"the page ended on a forbidden address ({redact_url(final_url)})")
            # primary artifact: the document as loaded, hashed and committed right away
            service.step(run, "snapshot")
            t = time.monotonic()
            final_host = urlsplit(final_url).hostname or ""
            try:
                html_text, page_title, user_agent, headers, chain = await asyncio.wait_for(asyncio.gather(
                    page.content(), page.title(), page.evaluate("navigator.userAgent"),
                    _headers(response), _chain(final_host, proxy.servers.get(final_host))),
                    run.remaining())
            except asyncio.TimeoutError:
                raise CaptureFailed("capture_timeout", "the page could not be copied within "
                                    f"{cap.capture_timeout_s:g} s; nothing was stored") from None
            except PlaywrightError as exc:
                if not manager_connected(manager):
                    raise BrowserCrashed() from exc
                raise CaptureFailed("snapshot_failed", "the page could not be copied: "
                                    + str(exc).splitlines()[0][:200]) from None
            service.timed(run, "snapshot", t)
            t = time.monotonic()
            html_art = await service.store_blob(html_text.encode("utf-8"), "html",
                                                "text/html; charset=utf-8", "page.html")
            del html_text
            facts = await pages.response_facts(response)
            facts["server"] = proxy.servers.get(final_host) or facts["server"]
            background = environment.background_requests(proxy.blocked, navigation_hosts, service.guard())
            metadata = {
                "requested_url": url, "final_url": final_url, **facts,
                "title": page_title[:500], "captured_at": captured_at.isoformat(),
                "acknowledged_at": utc_now().isoformat(),
                "environment": environment.report(
                    browser=manager.environment(), user_agent=user_agent, viewport=VIEWPORT,
                    proxy_url=proxy.url, resolver_rules=bool(cap.host_resolver_rules),
                    servers=dict(proxy.servers), chain=chain, browser_tls=facts.get("tls"),
                    response_headers=headers, redirect_chain=facts.get("redirect_chain", []),
                    blocked=netlog.facts(proxy.blocked)["blocked"], background=background),
                "options": {"wait_until": "load", "reveal_lazy_images": True,
                            "navigation_timeout_s": cap.navigation_timeout_s,
                            "capture_timeout_s": cap.capture_timeout_s,
                            "ignore_https_errors": cap.ignore_https_errors,
                            "host_resolver_rules": bool(cap.host_resolver_rules),
                            "javascript": True},
                "artifacts_plan": {"html": "the DOM at the load event (committed first)",
                                   "mhtml": "the page with its resources, after lazy images loaded",
                                   "screenshot": "full-page PNG", "pdf": "A4 print"},
                "cookies_forwarded": len(cookies),
                "network": {**netlog.facts(proxy.blocked), "browser_background": background},
                "partial_reasons": list(run.partial),
            }
            run.artifacts = [html_art]
            await service.acknowledge(
                run, kind=EvidenceKind.url_capture, url=final_url, category=category,
                title=title or page_title[:200], metadata=metadata, stage="settle", commit_started=t)

            # derived artifacts, chained when done: first let lazy content load
            if not run.partial:
                service.step(run, "settle")
                t = time.monotonic()
                try:
                    run.facts["lazy_content"] = await asyncio.wait_for(
                        pages.reveal_lazy_content(page, VIEWPORT),
                        min(4.0, run.remaining()))
                except (asyncio.TimeoutError, PlaywrightError):
                    run.facts["lazy_content"] = None
                if not await pages.settle(netlog, quiet_s=0.1, max_s=min(2.0, run.remaining())):
                    run.facts["settled"] = False
                service.timed(run, "settle", t)
            await service.derived(run, context, page, PlaywrightError, with_mhtml=True)
            run.facts["network"] = netlog.facts(proxy.blocked)
            service.step(run, "warc")
            t = time.monotonic()
            exchanges = await prepared.exchanges.collect(min(10.0, run.remaining()))
        finally:
            await close_quietly(context, proxy)
        await self._warc(run, prepared, exchanges, final_url, metadata, t)
        await service.finish(run)

    async def _warc(self, run: Run, prepared: Prepared, exchanges: list[Exchange], page_url: str,
                    metadata: dict[str, Any], started: float) -> None:
        """The page load's HTTP exchanges as the `warc` artifact; without it the capture
        is `partial`, never failed."""
        from helper.capture.warc import write_warc

        service = self.service
        blocked = {entry.rsplit(" (", 1)[0] for entry in prepared.netlog.blocked}

        def write() -> tuple[bytes, Any]:
            out = io.BytesIO()
            summary = write_warc(exchanges, out, filename=f"{run.evidence_id}.warc.gz",
                                 info={"isPartOf": run.evidence_id, "description": f"page load of {page_url}"},
                                 environment=metadata.get("environment"), page_url=page_url,
                                 evidence_id=run.evidence_id or "", skip=lambda url: redact_url(url) in blocked)
            return out.getvalue(), summary
        try:
            data, summary = await asyncio.to_thread(write)
            run.artifacts.append(await service.store_blob(data, "warc", "application/warc", "page.warc.gz"))
        except CaptureFailed as exc:
            run.partial.append(f"warc_too_large: {exc.message}")
            return
        unread = len(prepared.exchanges.responses) - len(exchanges) + prepared.exchanges.dropped
        run.facts["warc"] = {"exchanges": summary.exchanges, "redacted_headers": summary.redacted_headers,
                             "bodies_missing": summary.bodies_missing, "not_read": unread}
        if unread:
            run.partial.append(f"warc_incomplete: {unread} of the page's responses could not be read in time")
        service.timed(run, "warc", started)


    async def _navigation_error(self, exc: Exception, url: str, prepared: Prepared,
                                navigation_hosts: set[str]) -> CaptureFailed:
        """What a failed navigation was, said as it was: a certificate the browser refused
        (named by its subject and issuer), a forbidden redirect of the page's own
        navigation, or another network error. The browser's background requests the
        proxy refused at the same moment are not the page's and fail nothing."""
        reason = str(exc).splitlines()[0].split(" at ")[0][:200]
        proxy, netlog = prepared.proxy, prepared.netlog
        if "net::ERR_CERT_" in reason or "ERR_SSL" in reason:
            code = reason.split("net::", 1)[-1].split()[0]
            host = urlsplit(url).hostname or ""
            chain = await _chain(host, proxy.servers.get(host))
            leaf = (chain or {}).get("certificates", [{}])[0]
            who = (f"subject {leaf['subject']}, issuer {leaf['issuer']}" if leaf else
                   "its certificate could not be read")
            return CaptureFailed("certificate_error",
                                 f"{host} presented a certificate the browser does not trust ({code}): {who}; "
                                 "nothing was stored")
        forbidden = [b for b in proxy.blocked
                     if environment.blocked_host(b) in navigation_hosts - {urlsplit(url).hostname}]
        if netlog.blocked_navigation or forbidden:
            where = netlog.blocked_navigation or forbidden[0]
            return CaptureFailed("redirect_forbidden",
                                 f"the page led to a forbidden address: {where}; nothing was stored")
        return CaptureFailed("navigation_failed", f"{redact_url(url)} could not be loaded: {reason}")


async def _headers(response: Any) -> dict[str, str]:
    """The main document's response headers as the browser received them."""
    try:
        return await response.all_headers() if response is not None else {}
    except Exception:  # noqa: BLE001 - not available for every response
        return {}


async def _chain(host: str, server: dict[str, Any] | None) -> dict[str, Any] | None:
    if not host or not server:
        return None
    return await environment.server_chain(host, str(server["ip"]), int(server["port"]))


def _pw_cookie(cookie: CaptureCookie) -> dict[str, Any]:
    out: dict[str, Any] = {"name": cookie.name, "value": cookie.value.get_secret_value(),
                           "domain": cookie.domain, "path": cookie.path or "/",
                           "secure": cookie.secure, "httpOnly": cookie.http_only}
    if cookie.same_site:
        out["sameSite"] = cookie.same_site
    if cookie.expires is not None:
        out["expires"] = cookie.expires
    return out
