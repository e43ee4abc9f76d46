"""Finding the running daemon: it records its port and pid in `daemon.json` in the data dir,
so `pair`, `status` and `open` work without flags.

One data dir, one daemon: two would both migrate the database, and the second would
overwrite `daemon.json` and delete it on exit while the first still serves, so the CLI
would say "not running". The daemon therefore holds an exclusive lock on `daemon.lock`
for its whole life (the OS drops it when the process dies, kill -9 included), and only
the lock holder writes or removes `daemon.json`.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO, Any, Self

RUNTIME_FILE = "daemon.json"
LOCK_FILE = "daemon.lock"


class AlreadyRunning(Exception):
    """Another daemon holds this data dir's lock; the message names its pid and port."""


class DataDirLock:
    """An exclusive, non-blocking lock on `daemon.lock`, held until `release()` or exit.

    `flock` (POSIX) and `msvcrt.locking` (Windows) locks belong to the open file, not to
    the file name, so a crashed daemon never leaves a stale lock behind. The file also
    holds the owner's pid, which names it before `daemon.json` exists.
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.path = data_dir / LOCK_FILE
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the process
        try:
            _lock(handle)
        except OSError:
            owner = _read_owner(handle)
            handle.close()
            raise AlreadyRunning(_running_message(self.data_dir, owner)) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._file = handle

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing the file drops the lock
            self._file = None

    def __enter__(self) -> Self:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _lock(handle: IO[str]) -> None:
    """Lock `handle` or raise OSError at once if another process holds it."""
    if os.name == "nt":
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


def _read_owner(handle: IO[str]) -> int | None:
    """The pid the lock holder wrote (Windows refuses to read a locked byte: None)."""
    try:
        handle.seek(0)
        text = handle.read().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _running_message(data_dir: Path, owner: int | None) -> str:
    runtime = read_runtime(data_dir) or {}
    current = bool(runtime.get("port")) and owner in (None, runtime.get("pid"))
    pid = runtime.get("pid") if current else owner
    who = f"pid {pid}" if pid else "另一个进程 / another process"
    if current:
        where = f"http://127.0.0.1:{runtime['port']}"
        return (f"投诉助手已在为这个数据目录运行（{who}，{where}），不需要再启动一个。 / "
                f"the helper already runs for the data dir {data_dir} ({who}, {where}); a "
                "second one would fight over the same files. Use that one, or stop it first.")
    return (f"投诉助手正在为这个数据目录启动或停止（{who}），请稍候再试。 / "
            f"a helper is starting or stopping for the data dir {data_dir} ({who}); wait a "
            "moment and try again, or stop it first.")


def write_runtime(data_dir: Path, port: int) -> Path:
    """Record where this process serves; only the holder of the `DataDirLock` calls it."""
    path = data_dir / RUNTIME_FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"pid": os.getpid(), "port": port}), encoding="utf-8")
    os.replace(tmp, path)
    return path


def clear_runtime(data_dir: Path) -> None:
    """Remove `daemon.json` only if this process wrote it."""
    path = data_dir / RUNTIME_FILE
    try:
        if json.loads(path.read_text(encoding="utf-8")).get("pid") == os.getpid():
            path.unlink()
    except (FileNotFoundError, ValueError):
        pass


def read_runtime(data_dir: Path) -> dict[str, Any] | None:
    try:
        return json.loads((data_dir / RUNTIME_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


class DaemonUnavailable(Exception):
    pass


def call(port: int, method: str, path: str, token: str | None = None,
         body: dict[str, Any] | None = None, timeout: float = 5) -> dict[str, Any]:
    """A small JSON client for the CLI (no Origin header: it is not a browser)."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1{path}", data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        try:
            message = json.loads(exc.read())["error"]["message"]
        except (ValueError, KeyError, TypeError):
            message = f"HTTP {exc.code}"
        raise DaemonUnavailable(message) from None
    except (urllib.error.URLError, OSError) as exc:
        raise DaemonUnavailable(f"no helper answers on 127.0.0.1:{port} ({exc})") from None


def running_port(data_dir: Path) -> int:
    """The port of the daemon serving this data dir; raises if none runs."""
    runtime = read_runtime(data_dir)
    if runtime is None:
        raise DaemonUnavailable("the helper is not running (start it with scripts/run or `tousu-helper serve`)")
    port = int(runtime["port"])
    try:
        health = call(port, "GET", "/health", timeout=2)
    except DaemonUnavailable:
        raise DaemonUnavailable(
            f"the helper is not running (it last used port {port}); start it with scripts/run "
            "or `tousu-helper serve`") from None
    if health.get("name") != "tousu-helper":
        raise DaemonUnavailable(f"another program answers on port {port}, not the helper")
    return port
