"""The daemon as a process: it restarts at once on its port, one data dir has one daemon,
a busy port is described truthfully, and idle or half-sent connections cannot pile up."""

from __future__ import annotations

import json
import os
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from helper.listen import IDLE_TIMEOUT_S, MAX_CONNECTIONS
from tests.support.daemon import Daemon, cli, start_daemon

HEALTH = b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: keep-alive\r\n\r\n"


@pytest.fixture
def daemon(tmp_path: Path) -> Iterator[Daemon]:
    d = start_daemon(tmp_path / "data")
    yield d
    d.stop()


def _keep_alive_client(port: int) -> socket.socket:
    """A client that made a request and keeps its connection open, like a browser does."""
    client = socket.create_connection(("127.0.0.1", port), timeout=10)
    client.sendall(HEALTH % port)
    assert client.recv(65536).startswith(b"HTTP/1.1 200")
    return client


@pytest.mark.parametrize("how", ["stop", "kill -9"])
def test_the_helper_restarts_at_once_on_its_port(tmp_path: Path, how: str) -> None:
    data = tmp_path / "data"
    first = start_daemon(data)
    port = first.port
    client = _keep_alive_client(port)
    try:
        if how == "stop":
            first.stop()  # closes the client's connection: the port's side waits in TIME_WAIT
        else:
            os.kill(first.proc.pid, signal.SIGKILL)
            first.proc.wait()
        again = start_daemon(data, port=port)
        try:
            assert again.port == port
            assert again.call("GET", "/health")[0] == 200
        finally:
            again.stop()
    finally:
        client.close()


def test_a_second_daemon_on_the_same_data_dir_refuses_and_leaves_the_first_alone(
        daemon: Daemon) -> None:
    second = cli("serve", "--port", "0", data_dir=daemon.data_dir)
    assert second.returncode == 1
    assert f"pid {daemon.proc.pid}" in second.stderr
    assert f"127.0.0.1:{daemon.port}" in second.stderr
    assert "投诉助手已在为这个数据目录运行" in second.stderr and "Traceback" not in second.stderr

    runtime = json.loads((daemon.data_dir / "daemon.json").read_text())
    assert runtime == {"pid": daemon.proc.pid, "port": daemon.port}
    status = cli("status", data_dir=daemon.data_dir)
    assert f"running on http://127.0.0.1:{daemon.port} (pid {daemon.proc.pid})" in status.stdout
    assert cli("pair", data_dir=daemon.data_dir).returncode == 0


def test_the_data_dir_is_free_again_once_its_daemon_is_killed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = start_daemon(data)
    os.kill(first.proc.pid, signal.SIGKILL)
    first.proc.wait()
    second = start_daemon(data)  # the stale daemon.json and lock file do not stop it
    try:
        assert json.loads((data / "daemon.json").read_text())["pid"] == second.proc.pid
    finally:
        second.stop()
    assert not (data / "daemon.json").exists()


def test_a_port_held_by_another_helper_says_so(daemon: Daemon, tmp_path: Path) -> None:
    result = cli("serve", "--port", str(daemon.port), data_dir=tmp_path / "other")
    assert result.returncode == 1
    assert "另一个投诉助手" in result.stderr and "another tousu-helper" in result.stderr
    if Path("/proc/net/tcp").exists():
        assert f"pid {daemon.proc.pid}" in result.stderr


def _closed_by_server(conn: socket.socket, deadline: float) -> bool:
    conn.settimeout(max(0.1, deadline - time.monotonic()))
    try:
        return conn.recv(65536) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def test_half_sent_requests_are_capped_and_dropped(daemon: Daemon) -> None:
    partial = HEALTH.split(b"\r\n")[0] + b"\r\nHost: 127.0.0.1"  # headers never finished
    held = []
    try:
        for _ in range(MAX_CONNECTIONS):
            conn = socket.create_connection(("127.0.0.1", daemon.port), timeout=10)
            conn.sendall(partial)
            held.append(conn)
        # every slot taken by a half-sent request: one more is told so and hung up on
        with socket.create_connection(("127.0.0.1", daemon.port), timeout=10) as extra:
            answer = b""
            while chunk := extra.recv(65536):
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 503")
        assert json.loads(answer.partition(b"\r\n\r\n")[2])["error"]["code"] == "too_many_connections"

        deadline = time.monotonic() + IDLE_TIMEOUT_S + 30
        assert all(_closed_by_server(conn, deadline) for conn in held)
    finally:
        for conn in held:
            conn.close()
    assert daemon.call("GET", "/health")[0] == 200
