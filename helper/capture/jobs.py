"""Capture jobs: their state for `GET /jobs/{id}` and a fan-out of changes for `GET /events`.

A job goes queued → running → acknowledged (the evidence row and its primary hashes are
committed) → done, or → failed with `{code, message}`. Every change is published to each
subscriber's bounded queue; a subscriber that cannot keep up loses old events, never
blocks a capture.
"""

from __future__ import annotations

import asyncio
import secrets
from collections import OrderedDict
from typing import Any

from helper.models import EvidenceKind, Job, JobError, JobState, utc_now

MAX_JOBS = 1000
QUEUE_SIZE = 256


class JobRegistry:
    def __init__(self) -> None:
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._subscribers: set[asyncio.Queue[Job | None]] = set()
        self._done: dict[str, asyncio.Event] = {}
        self._acked: dict[str, asyncio.Event] = {}

    def create(self, kind: EvidenceKind, case_id: str) -> Job:
        now = utc_now()
        job = Job(id=f"job-{secrets.token_hex(6)}", kind=kind, case_id=case_id,
                  state=JobState.queued, created_at=now, updated_at=now)
        self._jobs[job.id] = job
        self._done[job.id] = asyncio.Event()
        self._acked[job.id] = asyncio.Event()
        while len(self._jobs) > MAX_JOBS:
            old, _ = self._jobs.popitem(last=False)
            self._done.pop(old, None)
            self._acked.pop(old, None)
        self._publish(job)
        return job

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def active(self) -> list[Job]:
        return [j for j in self._jobs.values() if j.state not in (JobState.done, JobState.failed)]

    def update(self, job_id: str, **changes: Any) -> Job:
        job = self._jobs[job_id]
        now = utc_now()
        state = changes.get("state")
        if state == JobState.acknowledged:
            changes.setdefault("acknowledged_at", now)
        if state in (JobState.done, JobState.failed):
            changes.setdefault("finished_at", now)
        job = job.model_copy(update={**changes, "updated_at": now})
        self._jobs[job_id] = job
        if state in (JobState.acknowledged, JobState.done, JobState.failed):
            self._acked[job_id].set()
        if state in (JobState.done, JobState.failed):
            self._done[job_id].set()
        self._publish(job)
        return job

    def timing(self, job_id: str, stage: str, seconds: float) -> None:
        job = self._jobs[job_id]
        self._jobs[job_id] = job.model_copy(update={"timings": {**job.timings, stage: round(seconds, 3)}})

    def fail(self, job_id: str, code: str, message: str) -> Job:
        return self.update(job_id, state=JobState.failed, stage=None,
                           error=JobError(code=code, message=message))

    async def wait(self, job_id: str, *, acknowledged: bool = False, timeout: float | None = None) -> Job:
        event = (self._acked if acknowledged else self._done)[job_id]
        await asyncio.wait_for(event.wait(), timeout)
        return self._jobs[job_id]

    def subscribe(self) -> asyncio.Queue[Job | None]:
        queue: asyncio.Queue[Job | None] = asyncio.Queue(QUEUE_SIZE)
        self._subscribers.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[Job | None]) -> None:
        self._subscribers.discard(queue)

    def close_streams(self) -> None:
        for queue in list(self._subscribers):
            self._offer(queue, None)

    def _publish(self, job: Job) -> None:
        for queue in list(self._subscribers):
            self._offer(queue, job)

    @staticmethod
    def _offer(queue: asyncio.Queue[Job | None], item: Job | None) -> None:
        if queue.full():
            try:
                queue.get_nowait()
            except asyncio.QueueEmpty:
                pass
        queue.put_nowait(item)
