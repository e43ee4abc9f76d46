"""Real small and read-only file systems for storage-failure tests: a tmpfs of a fixed size
(a disk that really fills up) that can be remounted read-only.

Mounting needs root with CAP_SYS_ADMIN (these machines run tests as root). Where that is
not possible the test is skipped with the reason — a fake ENOSPC would test nothing.
"""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _mount(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["mount", *args], capture_output=True, text=True, timeout=30, check=False)


@contextmanager
def small_disk(path: Path, size: str = "16m") -> Iterator[Path]:
    """A tmpfs of `size` mounted at `path` for the duration of the block."""
    path.mkdir(parents=True, exist_ok=True)
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    mounted = _mount("-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(path))
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True, timeout=30, check=False)


def remount(path: Path, mode: str) -> None:
    """`mode` is "ro" or "rw"."""
    result = _mount("-o", f"remount,{mode}", str(path))
    assert result.returncode == 0, result.stderr


def fill(path: Path) -> Path:
    """Write one file until the disk holding `path` is full; delete it to free the space."""
    filler = path / "filler"
    block = b"\0" * (1 << 16)
    with filler.open("wb", buffering=0) as out:
        try:
            while True:
                out.write(block)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC, exc
    return filler
