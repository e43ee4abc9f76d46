"""The real `tousu-helper serve` in a subprocess, for CLI, crash and end-to-end tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from helper.secrets import FileBackend, Secrets


class Daemon:
    def __init__(self, data_dir: Path, proc: subprocess.Popen[bytes], port: int) -> None:
        self.data_dir, self.proc, self.port = data_dir, proc, port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def admin_token(self) -> str:
        """What `tousu-helper pair` uses: the local admin token from the secret store."""
        return Secrets(FileBackend(self.data_dir), self.data_dir).admin_token()

    def call(self, method: str, path: str, token: str | None = None, body: Any = None,
             timeout: float = 10) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        return self._send(method, path, token, data, "application/json", timeout)

    def upload(self, token: str, case_id: str, filename: str, content: bytes,
               timeout: float = 30) -> tuple[int, Any]:
        """POST one file as multipart/form-data, as the extension's upload does."""
        boundary = "tousu" + os.urandom(8).hex()
        data = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
                ).encode() + content + f"\r\n--{boundary}--\r\n".encode()
        return self._send("POST", f"/cases/{case_id}/evidence", token, data,
                          f"multipart/form-data; boundary={boundary}", timeout)

    def _send(self, method: str, path: str, token: str | None, data: bytes | None,
              content_type: str, timeout: float) -> tuple[int, Any]:
        request = urllib.request.Request(self.url + "/api/v1" + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", content_type)
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())

    def pair(self, name: str = "test") -> str:
        status, code = self.call("POST", "/admin/pairing-code", token=self.admin_token())
        assert status == 201, code
        status, body = self.call("POST", "/pair", body={"code": code["code"], "client_name": name})
        assert status == 201, body
        return body["token"]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def cli(*args: str, data_dir: Path, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "helper", *args, "--data-dir", str(data_dir)],
                          capture_output=True, text=True, timeout=timeout)


def start_daemon(data_dir: Path, *extra: str, port: int = 0, timeout: float = 15) -> Daemon:
    """Start `serve --port PORT` (default 0: any free one) and wait until it records its
    port and answers /health."""
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "config.toml").write_text('secrets_backend = "file"\n', encoding="utf-8")
    runtime = data_dir / "daemon.json"
    runtime.unlink(missing_ok=True)
    log = data_dir / "daemon.log"  # a file, not a pipe: an unread pipe fills and blocks the daemon
    with log.open("ab") as out:
        proc = subprocess.Popen([sys.executable, "-m", "helper", "serve", "--port", str(port),
                                 "--data-dir", str(data_dir), *extra], stdout=out, stderr=out)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"daemon exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            port = json.loads(runtime.read_text())["port"]
            daemon = Daemon(data_dir, proc, port)
            if daemon.call("GET", "/health", timeout=1)[0] == 200:
                return daemon
        except (FileNotFoundError, ValueError, OSError):
            pass
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError("daemon did not start in time")
