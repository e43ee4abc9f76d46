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

Trusted timestamps (helper/timestamps/, when the buyer agreed): right after the commit a
token is asked for the first committed artifact's SHA-256, alongside the derived
artifacts, and chained with them (`timestamp`, `timestamp_chain`); every seal of the
manifest is followed by a token for it. Neither delays the acknowledgement, and an
authority that is down or wrong only leaves the reason in the capture log.

The kinds of capture live in their own modules (`url_capture`, `tab_snapshot`), as does
the pool of fresh browser contexts (`contexts`); this module holds what they share: the
job queue, the browser, and committing evidence, derived artifacts and the capture log.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Coroutine
from typing import Any, TypeVar
from urllib.parse import urlsplit

from helper.capture import pages
from helper.capture.browser import BrowserManager
from helper.capture.contexts import PreparedContexts, manager_connected
from helper.capture.guard import UrlGuard, redact_url
from helper.capture.jobs import JobRegistry
from helper.capture.runs import CaptureFailed, Run
from helper.capture.tab_snapshot import TabSnapshots
from helper.capture.url_capture import UrlCapture
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
from helper.store import CaseNotFound, Store
from helper.timestamps import Stamp, TsaClient
from helper.timestamps.client import NOT_AGREED
from helper.timestamps.stamping import ManifestStamper, token_artifacts

__all__ = ["CaptureFailed", "CaptureService", "guess_category"]  # CaptureFailed: what submit_* raise

log = logging.getLogger("tousu.capture")
T = TypeVar("T")


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


class CaptureService:
    def __init__(self, settings: Settings, store: Store, secrets: Secrets) -> None:
        self.settings = settings
        self.store = store
        self.secrets = secrets
        self.jobs = JobRegistry()
        self.contexts = PreparedContexts(settings, lambda: self.manager)
        self._urls = UrlCapture(self)
        self._snapshots = TabSnapshots(self)
        self._manager: BrowserManager | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self.tsa = TsaClient(settings.evidence)
        self.manifest_stamps = ManifestStamper(store, self.tsa, self.spawn)

    # -- what callers ask for ---------------------------------------------------------------

    async def submit_url(self, case_id: str, url: str, cookies: list[CaptureCookie] | None = None,
                         category: EvidenceCategory | None = None, title: str | None = None) -> Job:
        """Validate and queue a URL capture; raises GuardError / CaptureFailed for bad input."""
        return await self._urls.submit(case_id, url, cookies, category, title)

    async def submit_snapshot(self, case_id: str, snapshot: TabSnapshot,
                              category: EvidenceCategory | None = None, title: str | None = None,
                              client_name: str | None = None) -> Job:
        """Store the HTML as received and acknowledge; render PNG + PDF in the background."""
        return await self._snapshots.submit(case_id, snapshot, category, title, client_name)

    async def idle(self) -> None:
        """Wait until background preparation and manifest timestamps are done (benchmarks
        measure from a quiet state)."""
        await self.contexts.idle()
        await self.manifest_stamps.idle()

    async def close(self) -> None:
        self.jobs.close_streams()
        await self.contexts.close()  # before the tasks end: none of them may prepare a spare
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=10)
        if self._manager is not None:
            await self._manager.close()

    # -- shared by every kind of capture ----------------------------------------------------

    @property
    def manager(self) -> BrowserManager:
        if self._manager is None:
            self._manager = BrowserManager(self.settings.capture)
        return self._manager

    def guard(self) -> UrlGuard:
        return UrlGuard.from_settings(self.settings.capture)

    def spawn(self, coro: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        """A background task of the service: cancelled when it closes."""
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def step(self, run: Run, stage: str) -> None:
        self.jobs.update(run.job_id, stage=stage)

    def timed(self, run: Run, stage: str, since: float) -> None:
        run.timings[stage] = round(time.monotonic() - since, 3)
        self.jobs.timing(run.job_id, stage, time.monotonic() - since)

    async def check_case(self, case_id: str) -> None:
        try:
            await self.store.cases.get(case_id)
        except CaseNotFound:
            raise CaptureFailed("not_found", f"case {case_id!r} does not exist") from None

    async def store_blob(self, data: bytes, role: str, media_type: str, filename: str) -> Artifact:
        limit = self.settings.capture.max_artifact_mb * 1024 * 1024
        if len(data) > limit:
            raise CaptureFailed("artifact_too_large",
                                f"the {role} is {len(data) // (1024 * 1024)} MB, over the "
                                f"{self.settings.capture.max_artifact_mb} MB limit")
        ref = await asyncio.to_thread(self.store.blobs.put_bytes, data)
        return Artifact(role=role, sha256=ref.sha256, size=ref.size, media_type=media_type,
                        filename=filename)

    async def seal(self, case_id: str) -> None:
        """Sign the case manifest after a commit and, when the buyer agreed, have it
        timestamped in the background (uploads seal through here too)."""
        from helper.integrity import seal_case

        try:  # one transaction: in commit order
            await seal_case(self.store, self.secrets, case_id, timestamping=self.tsa.agreed)
        except Exception:  # noqa: BLE001 - verify will report an unsealed case; never lose evidence
            log.exception("could not sign the manifest of %s", case_id)
            return
        self.manifest_stamps.sealed(case_id)

    async def acknowledge(self, run: Run, *, kind: EvidenceKind, url: str,
                          category: EvidenceCategory | None, title: str | None,
                          metadata: dict[str, Any], stage: str,
                          commit_started: float | None = None) -> Job:
        """Commit the evidence row with the run's primary artifacts (status `pending`), sign
        the manifest and tell the job: from here on the evidence exists, whatever follows."""
        evidence = await self.store.evidence.add(
            run.case_id, kind=kind, category=category or guess_category(url),
            title=title or redact_url(url), artifacts=run.artifacts, metadata=metadata,
            status="pending")
        run.evidence_id = evidence.id
        if self.tsa.agreed:
            run.stamp = self.spawn(self.tsa.stamp(run.artifacts[0].sha256))
        await self.seal(run.case_id)
        if commit_started is not None:
            self.timed(run, "commit", commit_started)
        run.timings["acknowledged"] = round(time.monotonic() - run.started, 3)
        return self.jobs.update(run.job_id, state=JobState.acknowledged, evidence_id=evidence.id,
                                evidence_status="pending", stage=stage,
                                timings={**self.jobs.get(run.job_id).timings,
                                         "acknowledged": run.timings["acknowledged"]})

    async def derived(self, run: Run, context: Any, page: Any, pw_error: type[Exception],
                      with_mhtml: bool = False) -> None:
        """The slower artifacts of a loaded page, each stored as it is ready; a step that
        fails or runs out of time is a `partial` reason, not an error."""
        steps = ((("mhtml", lambda: pages.mhtml(context, page)),) if with_mhtml else ()) + (
            ("screenshot", lambda: pages.full_page_png(context, page)),
            ("pdf", lambda: pages.pdf(page)))
        for stage, make in steps:
            self.step(run, stage)
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
                run.artifacts.append(await self.store_blob(data, stage, media, name))
            except CaptureFailed as exc:
                run.partial.append(f"{stage}_too_large: {exc.message}")
            self.timed(run, stage, t)

    async def finish(self, run: Run, crashed: bool = False) -> None:
        """Chain the derived artifacts and a capture log; the job is done."""
        if crashed:
            run.partial.append("browser_crashed: the browser stopped after the page was copied")
        stamped = await self._first_hash_token(run)
        status = "partial" if run.partial else "complete"
        run.timings["total"] = round(time.monotonic() - run.started, 3)
        capture_log = {"evidence_id": run.evidence_id, "status": status,
                       "partial_reasons": run.partial, "timings": run.timings,
                       "facts": run.facts, "finished_at": utc_now().isoformat()}
        log_art = await self.store_blob(
            json.dumps(capture_log, ensure_ascii=False, indent=1, sort_keys=True).encode(),
            "capture_log", "application/json", "capture-log.json")
        committed = await self.store.evidence.get(run.evidence_id) if run.evidence_id else None
        existing = {a.role for a in (committed.artifacts if committed else [])}
        late = [a for a in run.artifacts if a.role not in existing] + stamped + [log_art]
        await self.store.evidence.add_artifacts(run.evidence_id, late, status)
        await self.seal(run.case_id)
        self.jobs.update(run.job_id, state=JobState.done, stage=None, evidence_status=status)

    async def _first_hash_token(self, run: Run) -> list[Artifact]:
        """The token for the first committed artifact, as artifacts to chain; its outcome
        (or why there is none) goes into the capture log."""
        if run.stamp is None:
            run.facts["timestamp"] = {"status": "not_timestamped", "reason": NOT_AGREED}
            return []
        try:
            result = await run.stamp
        except Exception as exc:  # noqa: BLE001 - the evidence stands without a token
            log.exception("timestamping evidence %s failed", run.evidence_id)
            run.facts["timestamp"] = {"status": "not_timestamped", "reason": f"internal error: {type(exc).__name__}"}
            return []
        run.facts["timestamp"] = result.record()
        if not isinstance(result, Stamp):
            return []
        run.timings["timestamp"] = round((result.received_at - result.requested_at).total_seconds(), 3)
        return await token_artifacts(self.store, result, run.artifacts[0])
