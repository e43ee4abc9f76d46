"""One capture in progress, and the two ways it ends early.

A `Run` carries what a capture has produced so far (the committed evidence id, artifacts
waiting to be chained, reasons for a `partial` status), so every stage can add to it and
the final commit (`CaptureService.finish`) can record it, whatever stage stopped.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from helper.models import Artifact


class CaptureFailed(Exception):
    """The capture ends as a failed job with this code and message (nothing half-written)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


class BrowserCrashed(Exception):
    """The browser went away mid-capture: retried once if nothing was committed yet."""


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
    stamp: asyncio.Task[Any] | None = None
    """The RFC 3161 token being fetched for the first committed artifact (when agreed)."""

    def remaining(self) -> float:
        return max(0.1, self.deadline - time.monotonic())
