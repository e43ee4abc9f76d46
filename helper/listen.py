"""Listening on the loopback port: restart at once, bounded connections, and the truth
about a busy port.

- Restart at once. After a crash or a stop with clients connected, the port's old
  connections sit in TIME_WAIT for about a minute; without SO_REUSEADDR the next
  `serve` cannot bind until they expire. POSIX SO_REUSEADDR only allows that, never two
  listeners on one port (SO_REUSEPORT would, so it stays off). On Windows the same flag
  would let another program bind over us, and TIME_WAIT does not block a listener
  there, so it stays off.
- Bounded connections. Every web page and local program can open connections to
  127.0.0.1. Idle ones — including a request line or headers sent in part and never
  finished — are closed after `IDLE_TIMEOUT_S` (aiohttp's keep-alive timer runs from
  the connection's start and from each response, and only fires while no complete
  request is being handled, so it bounds header reading too without touching uploads
  or event streams). At most `MAX_CONNECTIONS` are open at once; one more is answered
  503 and closed, so a flood cannot use up the file descriptors the database and the
  blob store need.
- A busy port is described as what it is: this data dir's helper, another helper, or
  another program (with its pid and name where the OS tells, e.g. Linux /proc).
"""

from __future__ import annotations

import asyncio
import errno
import json
import os
import urllib.error
import urllib.request
from pathlib import Path

from aiohttp import web

from helper import __version__

IDLE_TIMEOUT_S = 10.0
"""An idle keep-alive connection, or one whose request never arrives complete, is closed
after this long. The extension and the review UI reconnect transparently."""
MAX_CONNECTIONS = 64
"""One buyer's browser uses a handful (about six per origin); the rest is headroom."""
SHUTDOWN_TIMEOUT_S = 5.0
"""How long a stop waits for requests in progress; an unfinished one was never
acknowledged, so cutting it loses nothing the client was told is saved."""
_TCP_STATES_LISTENING = {"0A", "07"}  # LISTEN, CLOSE (bound, not yet listening)


class PortBusy(Exception):
    """The port is held; the message says by whom (Chinese first, then English)."""


def make_runner(app: web.Application, access_log_class: type) -> web.AppRunner:
    return web.AppRunner(app, access_log_class=access_log_class, handle_signals=False,
                         keepalive_timeout=IDLE_TIMEOUT_S, shutdown_timeout=SHUTDOWN_TIMEOUT_S)


class ConnectionCap:
    """The protocol factory for the listening socket: each connection is admitted to
    aiohttp's handler while fewer than `limit` are open, else answered 503 and closed."""

    def __init__(self, server: web.Server, limit: int = MAX_CONNECTIONS) -> None:
        self._server, self._limit = server, limit

    def __call__(self) -> asyncio.Protocol:
        return _Gate(self._server, self._limit)


class _Gate(asyncio.Protocol):
    """Decides at `connection_made`, not in the factory: asyncio may create a batch of
    protocols before any of them connects, but runs their `connection_made` in order, so
    only then does `server.connections` count every connection admitted before this one.
    An admitted connection is handed to aiohttp's handler with `transport.set_protocol`."""

    BODY = json.dumps({"error": {"code": "too_many_connections", "message": (
        "助手同时打开的连接太多，请稍后重试 / the helper has too many open connections; "
        "try again in a moment")}}, ensure_ascii=False).encode()

    def __init__(self, server: web.Server, limit: int) -> None:
        self._server, self._limit = server, limit

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        if len(self._server.connections) < self._limit:
            handler = self._server()
            transport.set_protocol(handler)
            handler.connection_made(transport)
            return
        transport.write(b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json"
                        b"\r\nConnection: close\r\nRetry-After: 1\r\n"
                        + f"X-Tousu-Helper: {__version__}\r\n".encode()
                        + f"Content-Length: {len(self.BODY)}\r\n\r\n".encode() + self.BODY)
        transport.close()


async def listen(runner: web.AppRunner, host: str, port: int, data_dir: Path,
                 limit: int = MAX_CONNECTIONS) -> asyncio.AbstractServer:
    """Listen for the set-up `runner` on host:port; raise PortBusy when it is taken.

    `loop.create_server` rather than `web.TCPSite`, so the connection cap can wrap the
    protocol factory; `runner.cleanup()` still closes every connection on stop, after
    the caller closes the returned server.
    """
    assert runner.server is not None, "call runner.setup() first"
    loop = asyncio.get_running_loop()
    try:
        return await loop.create_server(ConnectionCap(runner.server, limit), host, port,
                                        reuse_address=os.name == "posix", reuse_port=False)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise PortBusy(f"无法在 {host}:{port} 上监听（{exc.strerror}）。请用 --port 换一个端口。 / "
                           f"cannot listen on {host}:{port} ({exc.strerror}); choose another "
                           "port with --port.") from None
        raise PortBusy(await asyncio.to_thread(describe_busy_port, host, port, data_dir)) from None


def describe_busy_port(host: str, port: int, data_dir: Path) -> str:
    """Who holds the port, as far as can be found out; said so the buyer knows what to do."""
    from helper.daemon import read_runtime

    pid = listening_pid(port)
    name = _process_name(pid) if pid else None
    helper_version = _helper_on(host, port)
    runtime = read_runtime(data_dir) or {}
    who = f"pid {pid}" + (f"，{name}" if name else "") if pid else ""
    who_en = f"pid {pid}" + (f", {name}" if name else "") if pid else ""
    if helper_version is not None:
        recorded = runtime.get("pid")
        if runtime.get("port") == port and (recorded == pid if pid else _alive(recorded)):
            return (f"投诉助手已在 {host}:{port} 上为这个数据目录运行（pid {runtime.get('pid')}）。 / "
                    f"cannot listen on {host}:{port}: Is the helper already running? Yes — "
                    f"pid {runtime.get('pid')} serves this data dir there; "
                    "`tousu-helper status` shows it.")
        return (f"端口 {port} 上已有另一个投诉助手 {helper_version} 在运行（{who or '进程未知'}），"
                "它服务的是另一个数据目录。请停止它，或用 --port 换一个端口。 / "
                f"cannot listen on {host}:{port}: Is the helper already running? Yes, but not "
                f"for {data_dir}: another tousu-helper {helper_version} "
                f"({who_en or 'process unknown'}) holds the port. Stop it, or choose another "
                "port with --port.")
    if pid is not None:
        return (f"端口 {port} 已被另一个程序占用（{who}），投诉助手无法启动。请关闭该程序，"
                "或用 --port 换一个端口。 / "
                f"cannot listen on {host}:{port}: the port is held by another program "
                f"({who_en}). Is the helper already running? No — close that program or "
                "choose another port with --port.")
    return (f"端口 {port} 已被另一个程序占用（无法查明是哪个进程），投诉助手无法启动。"
            "请关闭占用它的程序，或用 --port 换一个端口。 / "
            f"cannot listen on {host}:{port}: another program holds the port (which one "
            "could not be found out). Is the helper already running? Not there — close "
            "that program or choose another port with --port.")


def _helper_on(host: str, port: int) -> str | None:
    """The version of the tousu-helper answering on the port, or None if it is not one."""
    netloc = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    try:
        with urllib.request.urlopen(f"http://{netloc}/api/v1/health", timeout=2) as r:
            return r.headers.get("X-Tousu-Helper")
    except urllib.error.HTTPError as exc:
        return exc.headers.get("X-Tousu-Helper")
    except (urllib.error.URLError, OSError, ValueError):
        return None


def listening_pid(port: int) -> int | None:
    """The pid of the process holding a bound socket on `port` (Linux: /proc), else None."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 9 and fields[3] in _TCP_STATES_LISTENING \
                    and int(fields[1].rpartition(":")[2], 16) == port and fields[9] != "0":
                inodes.add(f"socket:[{fields[9]}]")
    if not inodes:
        return None
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                if os.readlink(fd) in inodes:
                    return int(proc.name)
        except OSError:  # gone, or another user's process we may not look into
            continue
    return None


def _alive(pid: object) -> bool:
    """Whether the process exists. On Windows os.kill(pid, 0) would send it Ctrl+C, so
    there the helper answering on its recorded port has to be evidence enough."""
    if not isinstance(pid, int) or pid <= 0:
        return False
    if os.name == "nt":
        return True
    try:
        os.kill(pid, 0)
    except PermissionError:
        return True  # it exists, as another user
    except OSError:
        return False
    return True


def _process_name(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip() or None
    except OSError:
        return None
