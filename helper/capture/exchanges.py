"""The HTTP exchanges of a URL capture's page load, kept in memory for its WARC.

While the page loads, each response the context receives is only noted (a synchronous
event handler: nothing waits for it, so the acknowledgement is not slowed). After the
derived artifacts, while the context is still open, the details are read from the
browser — request and response headers as sent and received, the body as the browser
decoded it, the server address — several at a time, within a deadline. A body the
browser no longer holds is recorded as missing, not guessed.

Nothing here touches the disk: the buyer's forwarded cookies travel in the request
headers, and warc.py replaces them before anything is written (Playwright's own HAR
recorder would write them to a file first).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

MAX_EXCHANGES = 2000
PARALLEL = 16


@dataclass
class Exchange:
    url: str
    method: str
    request_headers: list[tuple[str, str]]
    request_body: bytes
    status: int
    status_text: str
    response_headers: list[tuple[str, str]]
    body: bytes | None
    """None: the browser no longer held it when the capture asked."""
    server_ip: str | None
    started: datetime


@dataclass
class ExchangeRecorder:
    """Notes each response of one capture context."""

    responses: list[Any] = field(default_factory=list)
    dropped: int = 0

    def on_response(self, response: Any) -> None:
        if len(self.responses) < MAX_EXCHANGES:
            self.responses.append(response)
        else:
            self.dropped += 1

    async def collect(self, deadline_s: float) -> list[Exchange]:
        """Every noted exchange's details, read within `deadline_s` (what is not read by
        then is left out, and counted by the caller)."""
        limit = asyncio.Semaphore(PARALLEL)
        end = time.monotonic() + deadline_s

        async def one(response: Any) -> Exchange | None:
            async with limit:
                remaining = end - time.monotonic()
                if remaining <= 0:
                    return None
                try:
                    return await asyncio.wait_for(_read(response), remaining)
                except Exception:  # noqa: BLE001 - a closed page or frame: this exchange is left out
                    return None

        found = await asyncio.gather(*(one(r) for r in list(self.responses)))
        return [e for e in found if e is not None]


async def _read(response: Any) -> Exchange:
    request = response.request
    request_headers, response_headers = await asyncio.gather(request.headers_array(), response.headers_array())
    try:
        body: bytes | None = await response.body()
    except Exception:  # noqa: BLE001 - evicted from the browser's buffer; a redirect has none
        body = b"" if 300 <= response.status < 400 else None
    try:
        server = await response.server_addr()
    except Exception:  # noqa: BLE001 - not known for every response
        server = None
    start = (request.timing or {}).get("startTime") or time.time() * 1000
    return Exchange(
        url=response.url, method=request.method,
        request_headers=[(h["name"], h["value"]) for h in request_headers],
        request_body=request.post_data_buffer or b"", status=response.status,
        status_text=response.status_text or "",
        response_headers=[(h["name"], h["value"]) for h in response_headers], body=body,
        server_ip=server["ipAddress"] if server else None,
        started=datetime.fromtimestamp(start / 1000, UTC))
