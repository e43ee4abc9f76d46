"""On-disk caches of files derived from evidence (thumbnails, PDF page images).

Derived files are keyed by the SHA-256 of what they show, so they never go stale. Two
things every such cache needs: a file is made once even when many requests for it arrive
together, and a file is written under a temporary name and renamed, so a reader never
sees half of one (a crash leaves at most a stray temporary file).
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Awaitable, Callable, Hashable
from pathlib import Path
from typing import BinaryIO, Generic, TypeVar

T = TypeVar("T")


class OnceAtATime(Generic[T]):
    """Runs one `make` per key at a time; callers asking for the same key meanwhile share
    its result (or its exception)."""

    def __init__(self) -> None:
        self._pending: dict[Hashable, asyncio.Future[T]] = {}

    async def run(self, key: Hashable, make: Callable[[], Awaitable[T]]) -> T:
        if (pending := self._pending.get(key)) is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._pending[key] = future
        try:
            result = await make()
            future.set_result(result)
            return result
        except BaseException as exc:
            future.set_exception(exc)
            raise
        finally:
            self._pending.pop(key, None)
            if not future.cancelled():
                future.exception()  # retrieved: no "exception was never retrieved" warning


def write_atomic(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Write `path` through `write(file)` under a temporary name, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
