"""Content-addressed blob store: `blobs/sha256/ab/cd/abcd…`, each write atomic, each content once.

Atomic means: bytes go to a temp file in the same directory tree, are fsynced, then
renamed into place, and the directory is fsynced — a crash leaves either no blob or the
whole blob, never a torn one. A blob's name is its hash, so verifying it is re-hashing it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
CHUNK = 1 << 20
_PROCESS_START = time.time()
"""Temp files older than this process are a crash's leftovers or another live process's
uploads; `BlobWriter`'s lock tells the two apart."""


@dataclass(frozen=True)
class BlobRef:
    sha256: str
    size: int


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root / "sha256"
        self.tmp = root / "tmp"
        self.root.mkdir(parents=True, exist_ok=True)
        self.tmp.mkdir(parents=True, exist_ok=True)
        self.remove_crash_leftovers()

    def remove_crash_leftovers(self) -> int:
        """Delete `tmp/incoming-*` files a crashed writer left behind; how many.

        Only files older than this process, and only those no live writer holds: each
        `BlobWriter` keeps an exclusive lock on its file, so an upload that the running
        daemon (or a `capture` command) is streaming right now is never touched. On
        Windows a file being written cannot be deleted at all, which is just as safe.
        """
        removed = 0
        for path in self.tmp.glob("incoming-*"):
            try:
                if path.stat().st_mtime >= _PROCESS_START or not _unlocked(path):
                    continue
                path.unlink()
                removed += 1
            except OSError:  # gone meanwhile, or held open on Windows
                continue
        return removed

    def path(self, sha256: str) -> Path:
        if not _SHA256.match(sha256):
            raise ValueError(f"not a sha256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put_bytes(self, data: bytes) -> BlobRef:
        return self.put_chunks([data])

    def put_file(self, stream: BinaryIO) -> BlobRef:
        return self.put_chunks(iter(lambda: stream.read(CHUNK), b""))

    def put_chunks(self, chunks: Iterable[bytes]) -> BlobRef:
        """Stream chunks to a temp file while hashing, then move it to its content address."""
        writer = self.writer()
        try:
            for chunk in chunks:
                writer.write(chunk)
            return writer.commit()
        finally:
            writer.discard()

    def writer(self) -> BlobWriter:
        return BlobWriter(self)

    def remove(self, sha256: str) -> bool:
        """Delete a blob no record points at any more (a deleted case's files)."""
        try:
            self.path(sha256).unlink()
            return True
        except FileNotFoundError:
            return False

    def read_bytes(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def hash_file(self, sha256: str) -> str:
        digest = hashlib.sha256()
        with self.path(sha256).open("rb") as fh:
            for chunk in iter(lambda: fh.read(CHUNK), b""):
                digest.update(chunk)
        return digest.hexdigest()


class BlobWriter:
    """Incremental writer for streamed uploads: write() chunks, then commit() or discard()."""

    def __init__(self, store: BlobStore) -> None:
        self._store = store
        fd, name = tempfile.mkstemp(dir=store.tmp, prefix="incoming-")
        _hold(fd)
        self._fh = os.fdopen(fd, "wb")
        self._tmp = Path(name)
        self._digest = hashlib.sha256()
        self.size = 0
        self._done = False

    def write(self, chunk: bytes) -> None:
        self._fh.write(chunk)
        self._digest.update(chunk)
        self.size += len(chunk)

    def commit(self) -> BlobRef:
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        sha = self._digest.hexdigest()
        target = self._store.path(sha)
        if target.is_file():
            self._tmp.unlink()
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self._tmp, target)
            _fsync_dir(target.parent)
        self._done = True
        return BlobRef(sha, self.size)

    def discard(self) -> None:
        if self._done:
            return
        self._done = True
        with contextlib.suppress(OSError):  # flushing fails on a full disk; the file goes anyway
            self._fh.close()
        self._tmp.unlink(missing_ok=True)


def _hold(fd: int) -> None:
    """Mark a temp file as being written (see `BlobStore.remove_crash_leftovers`)."""
    if os.name == "posix":
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX)


def _unlocked(path: Path) -> bool:
    """True if no live writer holds the file's lock (always on Windows: see above)."""
    if os.name != "posix":
        return True
    import fcntl

    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # closing drops a lock we took


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
