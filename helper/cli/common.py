"""What the command groups share: the command's own name, the secrets, a store for one command,
and plain words for storage failures."""

from __future__ import annotations

import asyncio
import shutil
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from helper.config import Settings

T = TypeVar("T")


def helper_command() -> str:
    exe = Path(sys.argv[0])
    if exe.name == "tousu-helper" and not shutil.which("tousu-helper"):
        return str(exe)
    return "tousu-helper"


def open_secrets(settings: Settings):  # noqa: ANN202 - keeps helper.secrets import lazy
    from helper.secrets import Secrets, secret_backend

    return Secrets(secret_backend(settings.data_dir, settings.secrets_backend), settings.data_dir)


def with_store(data_dir: Path, work: Callable[[Any], Awaitable[T]]) -> T:
    """Run `work(store)` on a store opened for this command (repositories are async)."""
    from helper.store import Store

    async def run() -> T:
        store = Store(data_dir)
        try:
            await store.open()
            return await work(store)
        finally:
            store.close()
    return asyncio.run(run())


def storage_problem(exc: Exception, data_dir: Path | None) -> str:
    """A full disk, read-only data dir or damaged database, said plainly; re-raises any
    other error, which is a bug and keeps its traceback."""
    from helper.diagnose import explain

    problem = explain(exc, data_dir)
    if problem is None:
        raise exc
    return str(problem)
