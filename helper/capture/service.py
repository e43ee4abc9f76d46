"""The capture service: queues captures, runs them in the warm browser, commits the evidence.

Fast acknowledgement: a capture's evidence row is committed — its primary artifacts'
hashes in the audit log with the capture facts (URLs, redirect chain, HTTP status, TLS
certificate, server address, time, browser), the case manifest re-signed — as soon as
those artifacts exist: for a URL capture the DOM at the `load` event, for a tab snapshot
the HTML as received (and the buyer's screenshot). The slower derived artifacts follow in
the background and are chained with `add_artifacts`: after lazy images are revealed, the
MHTML (page + resources), the full-page PNG, the PDF, and a capture log (timings, blocked
requests, reasons for a `partial` status).

Faults end in a job error or a `partial` capture, never a hang: the navigation and the
whole capture have deadlines (`capture.navigation_timeout_s`, `capture.capture_timeout_s`),
a crashed browser is restarted (the capture is retried once if nothing was committed yet),
and blobs are written atomically before any row points at them.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import logging
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from helper import __version__
from helper.capture import pages
from helper.capture.browser import BrowserManager, BrowserUnavailable
from helper.capture.guard import STATIC_ASSET_HOSTS, GuardError, UrlGuard, redact_url
from helper.capture.jobs import JobRegistry
from helper.capture.proxy import GuardProxy, parse_resolver_rules
from helper.config import Settings
from helper.models import (
    Artifact,
    CaptureCookie,
    EvidenceCategory,
    EvidenceKind,
    Job,
    JobState,
    TabSnapshot,
    utc_now,
)
from helper.secrets import Secrets
from helper.store import CaseNotFound, CaseStore

log = logging.getLogger("tousu.capture")

VIEWPORT = {"width": 1280, "height": 800}
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class CaptureFailed(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


class BrowserCrashed(Exception):
    pass


def guess_category(url: str) -> EvidenceCategory:
    parts = urlsplit(url)
    host, path = (parts.hostname or "").lower(), parts.path.lower()
    if "tradesnap" in path or host.startswith(("item.", "detail.")) or "item.htm" in path:
        return EvidenceCategory.listing_snapshot
    if "wuliu" in host or "logistic" in path:
        return EvidenceCategory.logistics
    if "trade" in host or "trade" in path or "refund" in host:
        return EvidenceCategory.order_page
    if "im." in host or "wangwang" in host or "chat" in path:
        return EvidenceCategory.chat_log
    return EvidenceCategory.other


@dataclass
class Run:
    """One capture in progress: its job, what it produced, and why it may be partial."""

    job_id: str
    case_id: str
    started: float = field(default_factory=time.monotonic)
    deadline: float = 0.0
    evidence_id: str | None = None
    artifacts: list[Artifact] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)

    def remaining(self) -> float:
        return max(0.1, self.deadline - time.monotonic())


class CaptureService:
    def __init__(self, settings: Settings, store: CaseStore, secrets: Secrets) -> None:
        self.settings = settings
        self.store = store
        self.secrets = secrets
        self.jobs = JobRegistry()
        self._manager: BrowserManager | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._spare: asyncio.Task[Prepared] | None = None
        self._seal_lock = asyncio.Lock()  # manifests are signed in commit order
        self._closing = False

    # -- plumbing -----------------------------------------------------------------------

    @property
    def manager(self) -> BrowserManager:
        if self._manager is None:
            self._manager = BrowserManager(self.settings.capture)
        return self._manager

    def guard(self) -> UrlGuard:
        return UrlGuard.from_settings(self.settings.capture)

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def close(self) -> None:
        self._closing = True
        self.jobs.close_streams()
        if self._spare is not None:
            spare, self._spare = self._spare, None
            try:
                prepared = await asyncio.wait_for(spare, 10)
                await _close_quietly(prepared.context, prepared.proxy)
            except BaseException:  # noqa: BLE001 - the browser is closing anyway
                spare.cancel()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=10)
        if self._manager is not None:
            await self._manager.close()

    def _step(self, run: Run, stage: str) -> None:
        self.jobs.update(run.job_id, stage=stage)

    def _timed(self, run: Run, stage: str, since: float) -> None:
        run.timings[stage] = round(time.monotonic() - since, 3)
        self.jobs.timing(run.job_id, stage, time.monotonic() - since)

    async def _store_blob(self, data: bytes, role: str, media_type: str, filename: str) -> Artifact:
        limit = self.settings.capture.max_artifact_mb * 1024 * 1024
        if len(data) > limit:
            raise CaptureFailed("artifact_too_large",
                                f"the {role} is {len(data) // (1024 * 1024)} MB, over the "
                                f"{self.settings.capture.max_artifact_mb} MB limit")
        ref = await asyncio.to_thread(self.store.blobs.put_bytes, data)
        return Artifact(role=role, sha256=ref.sha256, size=ref.size, media_type=media_type,
                        filename=filename)

    async def _seal(self, case_id: str) -> None:
        from helper.integrity import seal_case

        try:
            async with self._seal_lock:
                await asyncio.to_thread(seal_case, self.store, self.secrets, case_id)
        except Exception:  # noqa: BLE001 - verify will report an unsealed case; never lose evidence
            log.exception("could not sign the manifest of %s", case_id)

    def _check_case(self, case_id: str) -> None:
        try:
            self.store.get_case(case_id)
        except CaseNotFound:
            raise CaptureFailed("not_found", f"case {case_id!r} does not exist") from None

    # -- URL captures -------------------------------------------------------------------

    def submit_url(self, case_id: str, url: str, cookies: list[CaptureCookie] | None = None,
                   category: EvidenceCategory | None = None, title: str | None = None) -> Job:
        """Validate and queue a capture; raises GuardError / CaptureFailed for bad input."""
        self._check_case(case_id)
        guard = self.guard()
        guard.check(url)
        for cookie in cookies or []:
            try:
                guard.check(f"https://{cookie.domain.lstrip('.')}/")
            except GuardError:
                raise GuardError("cookie_forbidden",
                                 f"a cookie for {cookie.domain} may not be sent: only cookies of "
                                 "allowlisted hosts are forwarded") from None
        job = self.jobs.create(EvidenceKind.url_capture, case_id)
        self._spawn(self._run_url(job.id, case_id, url, list(cookies or []), category, title))
        return job

    async def _run_url(self, job_id: str, case_id: str, url: str, cookies: list[CaptureCookie],
                       category: EvidenceCategory | None, title: str | None) -> None:
        try:
            async with self.manager.slots:
                for attempt in (1, 2):
                    run = Run(job_id, case_id)
                    run.deadline = run.started + self.settings.capture.capture_timeout_s
                    self.jobs.update(job_id, state=JobState.running, stage="browser")
                    try:
                        await self._url_attempt(run, url, cookies, category, title)
                        return
                    except BrowserCrashed:
                        if run.evidence_id is not None:
                            await self._finish(run, crashed=True)
                            return
                        if attempt == 2:
                            raise CaptureFailed("browser_crashed",
                                                "the capture browser crashed twice on this page; "
                                                "nothing was stored") from None
                        log.warning("capture browser crashed before the evidence was committed; retrying")
        except CaptureFailed as exc:
            self.jobs.fail(job_id, exc.code, exc.message)
        except BrowserUnavailable as exc:
            self.jobs.fail(job_id, "browser_unavailable", str(exc))
        except asyncio.CancelledError:
            self.jobs.fail(job_id, "cancelled", "the helper stopped before the capture finished")
            raise
        except Exception:
            log.exception("capture job %s failed", job_id)
            self.jobs.fail(job_id, "internal_error", "the capture hit an unexpected error; nothing "
                           "half-written was stored")
        finally:
            cookies.clear()  # forwarded cookies live for this capture only
            self._prepare_spare()

    async def _url_attempt(self, run: Run, url: str, cookies: list[CaptureCookie],
                           category: EvidenceCategory | None, title: str | None) -> None:
        from playwright.async_api import Error as PlaywrightError
        from playwright.async_api import TimeoutError as PlaywrightTimeout

        cap = self.settings.capture
        manager = self.manager
        t = time.monotonic()
        try:
            prepared = await asyncio.wait_for(self._take_prepared(), run.remaining())
        except PlaywrightError as exc:
            raise BrowserCrashed() from exc
        proxy, context, page, netlog = prepared.proxy, prepared.context, prepared.page, prepared.netlog
        self._timed(run, "context", t)
        main: dict[str, Any] = {}
        t = time.monotonic()
        try:
            if cookies:
                await context.add_cookies([_pw_cookie(c) for c in cookies])
            self._timed(run, "page", t)

            def on_response(response: Any) -> None:
                try:
                    if response.request.is_navigation_request() and response.frame == page.main_frame:
                        main["response"] = response
                except Exception:  # noqa: BLE001
                    pass

            page.on("response", on_response)
            captured_at = utc_now()
            self._step(run, "navigate")
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
                if netlog.blocked_navigation or proxy.blocked:
                    where = netlog.blocked_navigation or proxy.blocked[0]
                    raise CaptureFailed("redirect_forbidden",
                                        f"the page led to a forbidden address: {where}; "
                                        "nothing was stored") from None
                reason = str(exc).splitlines()[0].split(" at ")[0][:200]
                raise CaptureFailed("navigation_failed", f"{redact_url(url)} could not be loaded: {reason}") from None
            response = response or main.get("response")
            self._timed(run, "navigate", t)
            final_url = page.url
            if not self.guard().allows(final_url):
                raise CaptureFailed("redirect_forbidden",
                                    f"the page ended on a forbidden address ({redact_url(final_url)})")
            # primary artifact: the document as loaded, hashed and committed right away
            self._step(run, "snapshot")
            t = time.monotonic()
            try:
                html_text, page_title, user_agent = await asyncio.wait_for(asyncio.gather(
                    page.content(), page.title(), page.evaluate("navigator.userAgent")),
                    run.remaining())
            except asyncio.TimeoutError:
                raise CaptureFailed("capture_timeout", "the page could not be copied within "
                                    f"{cap.capture_timeout_s:g} s; nothing was stored") from None
            except PlaywrightError as exc:
                if not manager_connected(manager):
                    raise BrowserCrashed() from exc
                raise CaptureFailed("snapshot_failed", "the page could not be copied: "
                                    + str(exc).splitlines()[0][:200]) from None
            self._timed(run, "snapshot", t)
            t = time.monotonic()
            html_art = await self._store_blob(html_text.encode("utf-8"), "html",
                                              "text/html; charset=utf-8", "page.html")
            del html_text
            facts = await pages.response_facts(response)
            facts["server"] = proxy.servers.get(urlsplit(final_url).hostname or "") or facts["server"]
            metadata = {
                "requested_url": url, "final_url": final_url, **facts,
                "title": page_title[:500], "captured_at": captured_at.isoformat(),
                "acknowledged_at": utc_now().isoformat(),
                "environment": {**manager.environment(), "user_agent": user_agent,
                                "viewport": VIEWPORT, "device_scale_factor": 1,
                                "helper_version": __version__},
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
                "network": {"requests": netlog.requests,
                            "blocked": [*netlog.blocked, *(f"proxy: {b}" for b in proxy.blocked)]},
                "partial_reasons": list(run.partial),
            }
            run.artifacts = [html_art]
            evidence = await asyncio.to_thread(
                self.store.add_evidence, run.case_id, kind=EvidenceKind.url_capture,
                category=category or guess_category(final_url),
                title=title or page_title[:200] or redact_url(final_url),
                artifacts=run.artifacts, metadata=metadata, status="pending")
            run.evidence_id = evidence.id
            await self._seal(run.case_id)
            self._timed(run, "commit", t)
            run.timings["acknowledged"] = round(time.monotonic() - run.started, 3)
            self.jobs.update(run.job_id, state=JobState.acknowledged, evidence_id=evidence.id,
                             evidence_status="pending", stage="settle",
                             timings={**self.jobs.get(run.job_id).timings,
                                      "acknowledged": run.timings["acknowledged"]})

            # derived artifacts, chained when done: first let lazy content load
            if not run.partial:
                self._step(run, "settle")
                t = time.monotonic()
                try:
                    run.facts["lazy_content"] = await asyncio.wait_for(
                        pages.reveal_lazy_content(page, VIEWPORT),
                        min(4.0, run.remaining()))
                except (asyncio.TimeoutError, PlaywrightError):
                    run.facts["lazy_content"] = None
                if not await pages.settle(netlog, quiet_s=0.1, max_s=min(2.0, run.remaining())):
                    run.facts["settled"] = False
                self._timed(run, "settle", t)
            await self._derived(run, context, page, PlaywrightError, with_mhtml=True)
            run.facts["network"] = {"requests": netlog.requests,
                                    "blocked": [*netlog.blocked, *(f"proxy: {b}" for b in proxy.blocked)]}
        finally:
            try:
                await asyncio.wait_for(context.close(), 5)
            except Exception:  # noqa: BLE001 - a dead browser's context cannot close
                pass
            await proxy.close()
        await self._finish(run)

    def _prepare_key(self) -> tuple[Any, ...]:
        cap = self.settings.capture
        return (self.guard(), cap.host_resolver_rules, cap.ignore_https_errors,
                cap.navigation_timeout_s, self.manager.launches)

    async def _prepare(self) -> Prepared:
        """A fresh, never-used context (own guarding proxy, guard routes) and a blank page."""
        from playwright.async_api import Error as PlaywrightError

        key = self._prepare_key()
        guard = key[0]
        proxy = await self._proxy(guard)
        try:
            context = await self.manager.new_context(
                viewport=VIEWPORT, device_scale_factor=1, locale="zh-CN", timezone_id="Asia/Shanghai",
                service_workers="block", accept_downloads=False, proxy=_proxy_option(proxy),
                ignore_https_errors=self.settings.capture.ignore_https_errors)
        except BaseException:
            await proxy.close()
            raise
        netlog = pages.NetworkLog()
        try:
            _, page = await asyncio.gather(
                pages.install_guard(context, guard, netlog, only_suspicious=True), context.new_page())
        except (PlaywrightError, asyncio.CancelledError):
            await _close_quietly(context, proxy)
            raise
        return Prepared(key=(*key[:-1], self.manager.launches), proxy=proxy, context=context,
                        page=page, netlog=netlog)

    async def _take_prepared(self) -> Prepared:
        """The spare context if it still fits (same settings, same browser), else a new one;
        then start preparing the next spare, so a queued capture finds one ready."""
        spare, self._spare = self._spare, None
        prepared = None
        if spare is not None and not manager_connected(self.manager):
            spare.cancel()  # made for a browser that is gone; calls on it may never return
            spare.add_done_callback(_close_prepared)
        elif spare is not None:
            try:
                candidate = await asyncio.wait_for(asyncio.shield(spare), 5)
                if candidate.key == self._prepare_key() and manager_connected(self.manager):
                    prepared = candidate
                else:
                    await _close_quietly(candidate.context, candidate.proxy)
            except Exception:  # noqa: BLE001 - a spare from a dead browser: make a new one
                spare.cancel()
                spare.add_done_callback(_close_prepared)
        if prepared is None:
            prepared = await self._prepare()
        return prepared

    def _prepare_spare(self) -> None:
        """After a capture, get the next context ready while the helper is idle, so the
        next capture skips context and page creation (~0.3–0.5 s on a busy machine)."""
        if self._closing or self._spare is not None or not manager_connected(self.manager):
            return
        self._spare = asyncio.get_running_loop().create_task(self._prepare())
        self._spare.add_done_callback(_swallow)

    async def idle(self) -> None:
        """Wait until background preparation is done (benchmarks measure from a quiet state)."""
        if self._spare is not None:
            await asyncio.wait([self._spare])

    async def _proxy(self, guard: UrlGuard) -> GuardProxy:
        return await GuardProxy(guard, parse_resolver_rules(self.settings.capture.host_resolver_rules),
                                connect_timeout=self.settings.capture.navigation_timeout_s).start()

    async def _derived(self, run: Run, context: Any, page: Any, pw_error: type[Exception],
                       with_mhtml: bool = False) -> None:
        steps = ((("mhtml", lambda: pages.mhtml(context, page)),) if with_mhtml else ()) + (
            ("screenshot", lambda: pages.full_page_png(context, page)),
            ("pdf", lambda: pages.pdf(page)))
        for stage, make in steps:
            self._step(run, stage)
            t = time.monotonic()
            try:
                result = await asyncio.wait_for(make(), run.remaining())
            except asyncio.TimeoutError:
                run.partial.append(f"{stage}_timeout: the {stage} was not ready within the "
                                   f"{self.settings.capture.capture_timeout_s:g} s capture limit")
                return
            except pw_error as exc:
                if not manager_connected(self.manager):
                    run.partial.append(f"browser_crashed: the browser stopped during the {stage}")
                    return
                run.partial.append(f"{stage}_failed: {str(exc).splitlines()[0][:200]}")
                continue
            if stage == "mhtml":
                data, media, name = result, "multipart/related", "page.mhtml"
            elif stage == "screenshot":
                png, info = result
                run.facts["screenshot"] = info
                if info["truncated"]:
                    run.partial.append(f"screenshot_truncated: the page is {info['height']} px tall; "
                                       f"the screenshot stops at {info['captured_height']} px")
                data, media, name = png, "image/png", "screenshot.png"
            else:
                data, media, name = result, "application/pdf", "page.pdf"
            try:
                run.artifacts.append(await self._store_blob(data, stage, media, name))
            except CaptureFailed as exc:
                run.partial.append(f"{stage}_too_large: {exc.message}")
            self._timed(run, stage, t)

    async def _finish(self, run: Run, crashed: bool = False) -> None:
        """Chain the derived artifacts and a capture log; the job is done."""
        if crashed:
            run.partial.append("browser_crashed: the browser stopped after the page was copied")
        status = "partial" if run.partial else "complete"
        run.timings["total"] = round(time.monotonic() - run.started, 3)
        capture_log = {"evidence_id": run.evidence_id, "status": status,
                       "partial_reasons": run.partial, "timings": run.timings,
                       "facts": run.facts, "finished_at": utc_now().isoformat()}
        log_art = await self._store_blob(
            json.dumps(capture_log, ensure_ascii=False, indent=1, sort_keys=True).encode(),
            "capture_log", "application/json", "capture-log.json")
        existing = {a.role for a in (self.store.get_evidence(run.evidence_id).artifacts
                                     if run.evidence_id else [])}
        late = [a for a in run.artifacts if a.role not in existing] + [log_art]
        await asyncio.to_thread(self.store.add_artifacts, run.evidence_id, late, status)
        await self._seal(run.case_id)
        self.jobs.update(run.job_id, state=JobState.done, stage=None, evidence_status=status)

    # -- tab snapshots ------------------------------------------------------------------

    async def submit_snapshot(self, case_id: str, snapshot: TabSnapshot,
                              category: EvidenceCategory | None = None, title: str | None = None,
                              client_name: str | None = None) -> Job:
        """Store the HTML as received and acknowledge; render PNG + PDF in the background."""
        self._check_case(case_id)
        self.guard().check(snapshot.url)
        shot: bytes | None = None
        if snapshot.screenshot_png:
            encoded = snapshot.screenshot_png.split(",", 1)[1] \
                if snapshot.screenshot_png.startswith("data:") else snapshot.screenshot_png
            try:
                shot = base64.b64decode(encoded, validate=True)
            except (binascii.Error, ValueError):
                raise CaptureFailed("invalid_screenshot", "screenshot_png is not valid base64") from None
            if not shot.startswith(PNG_MAGIC):
                raise CaptureFailed("invalid_screenshot", "screenshot_png is not a PNG image")
        job = self.jobs.create(EvidenceKind.tab_snapshot, case_id)
        run = Run(job.id, case_id)
        run.deadline = run.started + self.settings.capture.capture_timeout_s
        html = snapshot.html.encode("utf-8")
        try:
            arts = [await self._store_blob(html, "html", "text/html; charset=utf-8", "page.html")]
            if shot:
                arts.append(await self._store_blob(shot, "buyer_screenshot", "image/png",
                                                   "buyer-screenshot.png"))
        except CaptureFailed as exc:
            self.jobs.fail(job.id, exc.code, exc.message)
            raise
        viewport = {"width": snapshot.viewport_width or VIEWPORT["width"],
                    "height": snapshot.viewport_height or VIEWPORT["height"]}
        metadata = {
            "source": "tab_snapshot", "url": snapshot.url, "title": snapshot.title[:500],
            "received_at": utc_now().isoformat(), "client": client_name,
            "html_as_received": True, "buyer_screenshot": shot is not None,
            "viewport": viewport, "helper_version": __version__,
            "render": {"javascript": False, "network": list(STATIC_ASSET_HOSTS),
                       "artifacts": ["screenshot", "pdf"]},
        }
        run.artifacts = arts
        evidence = await asyncio.to_thread(
            self.store.add_evidence, case_id, kind=EvidenceKind.tab_snapshot,
            category=category or guess_category(snapshot.url),
            title=title or snapshot.title[:200] or redact_url(snapshot.url),
            artifacts=arts, metadata=metadata, status="pending")
        run.evidence_id = evidence.id
        await self._seal(case_id)
        run.timings["acknowledged"] = round(time.monotonic() - run.started, 3)
        job = self.jobs.update(job.id, state=JobState.acknowledged, evidence_id=evidence.id,
                               evidence_status="pending", stage="queued_render",
                               timings={"acknowledged": run.timings["acknowledged"]})
        self._spawn(self._run_render(run, snapshot.url, html, viewport))
        return job

    async def _run_render(self, run: Run, url: str, html: bytes, viewport: dict[str, int]) -> None:
        try:
            async with self.manager.slots:
                run.deadline = time.monotonic() + self.settings.capture.capture_timeout_s
                await self._render(run, url, html, viewport)
            await self._finish(run)
        except asyncio.CancelledError:
            self.jobs.fail(run.job_id, "cancelled", "the helper stopped before the render finished")
            raise
        except Exception as exc:  # noqa: BLE001 - the evidence is committed; mark it partial
            if not isinstance(exc, (BrowserCrashed, BrowserUnavailable)):
                log.exception("snapshot render of %s failed", run.evidence_id)
            run.partial.append(f"render_failed: {type(exc).__name__}")
            try:
                await self._finish(run)
            except Exception:  # noqa: BLE001
                log.exception("could not record the failed render of %s", run.evidence_id)
                self.jobs.fail(run.job_id, "internal_error", "the render failed")

    async def _render(self, run: Run, url: str, html: bytes, viewport: dict[str, int]) -> None:
        from playwright.async_api import Error as PlaywrightError
        from playwright.async_api import TimeoutError as PlaywrightTimeout

        cap = self.settings.capture
        self.jobs.update(run.job_id, stage="render")
        static_guard = self.guard().restricted_to(STATIC_ASSET_HOSTS)
        proxy = await self._proxy(static_guard)
        options = dict(viewport=viewport, device_scale_factor=1, locale="zh-CN",
                       timezone_id="Asia/Shanghai", java_script_enabled=False,
                       service_workers="block", accept_downloads=False, proxy=_proxy_option(proxy),
                       ignore_https_errors=cap.ignore_https_errors)
        try:
            try:
                context = await asyncio.wait_for(self.manager.new_context(**options), run.remaining())
            except PlaywrightError:  # the browser died since the last capture: once more, fresh
                context = await asyncio.wait_for(self.manager.new_context(**options), run.remaining())
        except BaseException:
            await proxy.close()
            raise
        netlog = pages.NetworkLog()
        doc_url = url.split("#", 1)[0]
        try:
            await pages.install_guard(context, static_guard, netlog, static_only=True,
                                      document=(doc_url, html))
            page = await context.new_page()
            t = time.monotonic()
            try:
                await page.goto(doc_url, wait_until="load",
                                timeout=min(cap.navigation_timeout_s, run.remaining()) * 1000)
            except PlaywrightTimeout:
                run.partial.append("render_timeout: assets did not finish loading; rendered what had")
            except PlaywrightError as exc:
                if not manager_connected(self.manager):
                    run.partial.append("browser_crashed: the browser stopped during the render")
                    return
                run.partial.append(f"render_failed: {str(exc).splitlines()[0][:200]}")
                return
            await pages.settle(netlog, max_s=min(1.0, run.remaining()))
            self._timed(run, "render", t)
            await self._derived(run, context, page, PlaywrightError)
        finally:
            run.facts["network"] = {"requests": netlog.requests,
                                    "blocked": [*netlog.blocked, *(f"proxy: {b}" for b in proxy.blocked)]}
            try:
                await asyncio.wait_for(context.close(), 5)
            except Exception:  # noqa: BLE001
                pass
            await proxy.close()


@dataclass
class Prepared:
    key: tuple[Any, ...]
    proxy: GuardProxy
    context: Any
    page: Any
    netlog: pages.NetworkLog


async def _close_quietly(context: Any, proxy: GuardProxy) -> None:
    try:
        await asyncio.wait_for(context.close(), 5)
    except Exception:  # noqa: BLE001
        pass
    await proxy.close()


def _close_prepared(task: asyncio.Task[Prepared]) -> None:
    if task.cancelled() or task.exception() is not None:
        return
    prepared = task.result()
    asyncio.get_running_loop().create_task(_close_quietly(prepared.context, prepared.proxy))


def _swallow(task: asyncio.Task[Any]) -> None:
    if not task.cancelled():
        task.exception()  # retrieved, so asyncio does not log it; _take_prepared handles it


def _proxy_option(proxy: GuardProxy) -> dict[str, str]:
    # "<-loopback>" removes Chromium's implicit bypass, so 127.0.0.1 goes to the guard too
    return {"server": proxy.url, "bypass": "<-loopback>"}


def manager_connected(manager: BrowserManager) -> bool:
    browser = manager._browser  # noqa: SLF001 - same package
    return browser is not None and browser.is_connected()


def _pw_cookie(cookie: CaptureCookie) -> dict[str, Any]:
    out: dict[str, Any] = {"name": cookie.name, "value": cookie.value.get_secret_value(),
                           "domain": cookie.domain, "path": cookie.path or "/",
                           "secure": cookie.secure, "httpOnly": cookie.http_only}
    if cookie.same_site:
        out["sameSite"] = cookie.same_site
    if cookie.expires is not None:
        out["expires"] = cookie.expires
    return out
