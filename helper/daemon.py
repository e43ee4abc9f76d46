"""Finding the running daemon: it records its port and pid in `daemon.json` in the data dir,
so `pair`, `status` and `open` work without flags."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

RUNTIME_FILE = "daemon.json"


def write_runtime(data_dir: Path, port: int) -> Path:
    path = data_dir / RUNTIME_FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"pid": os.getpid(), "port": port}), encoding="utf-8")
    os.replace(tmp, path)
    return path


def clear_runtime(data_dir: Path) -> None:
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
