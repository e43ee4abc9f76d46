"""A guarding forward proxy, one per capture: the network-level half of the URL guard.

Playwright's routing checks each request's full URL before it leaves the page, but it
does not see every request: redirect hops are followed inside the network stack without
a route call, and WebSockets, prefetches and service workers have their own paths. So
every capture context also sends *all* its traffic through this proxy, bound to
127.0.0.1 on a port of its own:

* `CONNECT host:port` (https, wss) is accepted only if `https://host:port/` passes the
  guard — allowlisted host, default port, no IP literal;
* plain `http://` requests only when `capture.allow_http` is on, each on its own
  upstream connection (`Connection: close`), the absolute URL checked first;
* the host is resolved here: through `capture.host_resolver_rules` mappings when set
  (tests and demos), otherwise by DNS — and a public host name that resolves to a
  loopback, private or link-local address is refused (DNS rebinding);
* the address each host was reached at is recorded for the evidence metadata.

Chromium's implicit proxy bypass for loopback is turned off (`<-loopback>`), so even a
request to 127.0.0.1 that slipped past routing lands here and is refused.
"""

from __future__ import annotations

import asyncio
import contextlib
import fnmatch
import ipaddress
import socket
from dataclasses import dataclass, field

from helper.capture.guard import GuardError, UrlGuard

MAX_HEAD = 64 * 1024


@dataclass(frozen=True)
class HostMap:
    pattern: str
    port: int | None
    target_host: str
    target_port: int | None


def parse_resolver_rules(rules: str | None) -> list[HostMap]:
    """The `MAP pattern[:port] host[:port]` subset of Chromium's --host-resolver-rules."""
    out: list[HostMap] = []
    for rule in (rules or "").split(","):
        words = rule.split()
        if len(words) != 3 or words[0].upper() != "MAP":
            continue
        pattern, target = words[1].lower(), words[2]
        port = None
        if ":" in pattern:
            pattern, p = pattern.rsplit(":", 1)
            port = int(p)
        t_host, t_port = target, None
        if ":" in target and not target.endswith("]"):
            t_host, tp = target.rsplit(":", 1)
            t_port = int(tp)
        out.append(HostMap(pattern, port, t_host, t_port))
    return out


@dataclass
class GuardProxy:
    guard: UrlGuard
    mappings: list[HostMap] = field(default_factory=list)
    connect_timeout: float = 15.0
    blocked: list[str] = field(default_factory=list)
    servers: dict[str, dict[str, object]] = field(default_factory=dict)
    connections: int = 0
    port: int = 0
    _server: asyncio.base_events.Server | None = None
    _writers: set[asyncio.StreamWriter] = field(default_factory=set)

    async def start(self) -> GuardProxy:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.close()
        if self._server is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)

    def _block(self, what: str, reason: str) -> None:
        if len(self.blocked) < 100:
            self.blocked.append(f"{what} ({reason})")

    async def _resolve(self, host: str, port: int) -> tuple[str, int]:
        for rule in self.mappings:
            if fnmatch.fnmatchcase(host, rule.pattern) and rule.port in (None, port):
                return rule.target_host, rule.target_port or port
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        for *_, sockaddr in infos:
            ip = ipaddress.ip_address(sockaddr[0])
            if not ip.is_global:
                raise GuardError("ip_forbidden", f"{host} resolves to a non-public address")
        return infos[0][4][0], port

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        self.connections += 1
        upstream: asyncio.StreamWriter | None = None
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
            if len(head) > MAX_HEAD:
                return
            request_line, *header_lines = head.decode("latin-1").split("\r\n")
            method, target, _version = request_line.split(" ", 2)
            if method.upper() == "CONNECT":
                host, _, port_s = target.rpartition(":")
                url = f"https://{host}:{port_s}/"
            else:
                url = target
            try:
                checked_host = self.guard.check(url)
            except GuardError as exc:
                self._block(target.split("?")[0][:200], exc.code)
                writer.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                await writer.drain()
                return
            port = 443 if method.upper() == "CONNECT" else 80
            try:
                ip, real_port = await self._resolve(checked_host, port)
                up_reader, upstream = await asyncio.wait_for(
                    asyncio.open_connection(ip, real_port), self.connect_timeout)
            except GuardError as exc:
                self._block(checked_host, exc.code)
                writer.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                await writer.drain()
                return
            except (OSError, asyncio.TimeoutError):
                writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                await writer.drain()
                return
            self._writers.add(upstream)
            self.servers[checked_host] = {"ip": ip, "port": real_port}
            if method.upper() == "CONNECT":
                writer.write(b"HTTP/1.1 200 Connection Established\r\n\r\n")
                await writer.drain()
            else:
                upstream.write(_origin_form(method, url, header_lines))
                await upstream.drain()
            await asyncio.gather(_pipe(reader, upstream), _pipe(up_reader, writer))
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.TimeoutError,
                ConnectionError, ValueError):
            pass
        finally:
            for w in (writer, upstream):
                if w is not None:
                    self._writers.discard(w)
                    w.close()


def _origin_form(method: str, url: str, header_lines: list[str]) -> bytes:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = [h for h in header_lines if h and not h.lower().startswith(
        ("proxy-", "connection:", "keep-alive:"))]
    return (f"{method} {path} HTTP/1.1\r\n" + "\r\n".join(headers)
            + "\r\nConnection: close\r\n\r\n").encode("latin-1")


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(1 << 16):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        with contextlib.suppress(Exception):
            if writer.can_write_eof():
                writer.write_eof()
