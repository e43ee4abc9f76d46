"""Tab snapshots: the page as the buyer's own browser shows it, sent by the extension.

Some pages (the logged-in order list) only show the buyer's data in the buyer's browser,
so the extension sends the HTML and, optionally, a screenshot of what the buyer saw. The
HTML as received is the evidence, committed before any rendering; the helper then renders
it for the PNG and PDF with JavaScript off and only the static-asset hosts reachable, so
the render cannot act as the buyer or reach the shop's servers. A failed render leaves
the committed evidence `partial`, never missing. Its metadata says it is buyer-supplied
(`provenance`), with the extension's version when the extension sends it, and report.pdf
labels it so, apart from the helper's own captures.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
import time
from typing import TYPE_CHECKING

from helper import __version__
from helper.capture import pages
from helper.capture.browser import BrowserUnavailable
from helper.capture.contexts import VIEWPORT, close_quietly, manager_connected, new_proxy, proxy_option
from helper.capture.guard import STATIC_ASSET_HOSTS
from helper.capture.runs import BrowserCrashed, CaptureFailed, Run
from helper.models import EvidenceCategory, EvidenceKind, Job, TabSnapshot, utc_now

if TYPE_CHECKING:
    from helper.capture.service import CaptureService

log = logging.getLogger("tousu.capture")

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class TabSnapshots:
    def __init__(self, service: CaptureService) -> None:
        self.service = service

    async def submit(self, case_id: str, snapshot: TabSnapshot,
                     category: EvidenceCategory | None = None, title: str | None = None,
                     client_name: str | None = None) -> Job:
        """Store the HTML as received and acknowledge; render PNG + PDF in the background."""
        service = self.service
        await service.check_case(case_id)
        service.guard().check(snapshot.url)
        shot = _decode_screenshot(snapshot.screenshot_png) if snapshot.screenshot_png else None
        job = service.jobs.create(EvidenceKind.tab_snapshot, case_id)
        run = Run(job.id, case_id)
        run.deadline = run.started + service.settings.capture.capture_timeout_s
        html = snapshot.html.encode("utf-8")
        try:
            arts = [await service.store_blob(html, "html", "text/html; charset=utf-8", "page.html")]
            if shot:
                arts.append(await service.store_blob(shot, "buyer_screenshot", "image/png",
                                                     "buyer-screenshot.png"))
        except CaptureFailed as exc:
            service.jobs.fail(job.id, exc.code, exc.message)
            raise
        viewport = {"width": snapshot.viewport_width or VIEWPORT["width"],
                    "height": snapshot.viewport_height or VIEWPORT["height"]}
        metadata = {
            "source": "tab_snapshot", "provenance": "buyer_supplied", "url": snapshot.url,
            "title": snapshot.title[:500], "received_at": utc_now().isoformat(), "client": client_name,
            "extension_version": snapshot.extension_version,
            "html_as_received": True, "buyer_screenshot": shot is not None,
            "viewport": viewport, "helper_version": __version__,
            "render": {"javascript": False, "network": list(STATIC_ASSET_HOSTS),
                       "artifacts": ["screenshot", "pdf"]},
        }
        run.artifacts = arts
        job = await service.acknowledge(
            run, kind=EvidenceKind.tab_snapshot, url=snapshot.url, category=category,
            title=title or snapshot.title[:200], metadata=metadata, stage="queued_render")
        service.spawn(self._run_render(run, snapshot.url, html, viewport))
        return job

    async def _run_render(self, run: Run, url: str, html: bytes, viewport: dict[str, int]) -> None:
        service = self.service
        try:
            async with service.manager.slots:
                run.deadline = time.monotonic() + service.settings.capture.capture_timeout_s
                await self._render(run, url, html, viewport)
            await service.finish(run)
        except asyncio.CancelledError:
            service.jobs.fail(run.job_id, "cancelled", "the helper stopped before the render finished")
            raise
        except Exception as exc:  # noqa: BLE001 - the evidence is committed; mark it partial
            if not isinstance(exc, (BrowserCrashed, BrowserUnavailable)):
                log.exception("snapshot render of %s failed", run.evidence_id)
            run.partial.append(f"render_failed: {type(exc).__name__}")
            try:
                await service.finish(run)
            except Exception:  # noqa: BLE001
                log.exception("could not record the failed render of %s", run.evidence_id)
                service.jobs.fail(run.job_id, "internal_error", "the render failed")

    async def _render(self, run: Run, url: str, html: bytes, viewport: dict[str, int]) -> None:
        from playwright.async_api import Error as PlaywrightError
        from playwright.async_api import TimeoutError as PlaywrightTimeout

        service = self.service
        cap = service.settings.capture
        service.jobs.update(run.job_id, stage="render")
        static_guard = service.guard().restricted_to(STATIC_ASSET_HOSTS)
        proxy = await new_proxy(service.settings, static_guard)
        options = dict(viewport=viewport, device_scale_factor=1, locale="zh-CN",
                       timezone_id="Asia/Shanghai", java_script_enabled=False,
                       service_workers="block", accept_downloads=False, proxy=proxy_option(proxy),
                       ignore_https_errors=cap.ignore_https_errors)
        try:
            try:
                context = await asyncio.wait_for(service.manager.new_context(**options), run.remaining())
            except PlaywrightError:  # the browser died since the last capture: once more, fresh
                context = await asyncio.wait_for(service.manager.new_context(**options), run.remaining())
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
                if not manager_connected(service.manager):
                    run.partial.append("browser_crashed: the browser stopped during the render")
                    return
                run.partial.append(f"render_failed: {str(exc).splitlines()[0][:200]}")
                return
            await pages.settle(netlog, max_s=min(1.0, run.remaining()))
            service.timed(run, "render", t)
            await service.derived(run, context, page, PlaywrightError)
        finally:
            run.facts["network"] = netlog.facts(proxy.blocked)
            await close_quietly(context, proxy)


def _decode_screenshot(data: str) -> bytes:
    """The buyer's screenshot (base64, optionally a data: URL); it must be a PNG."""
    encoded = data.split(",", 1)[1] if data.startswith("data:") else data
    try:
        shot = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise CaptureFailed("invalid_screenshot", "screenshot_png is not valid base64") from None
    if not shot.startswith(PNG_MAGIC):
        raise CaptureFailed("invalid_screenshot", "screenshot_png is not a PNG image")
    return shot
