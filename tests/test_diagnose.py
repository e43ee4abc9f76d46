"""Storage failures said plainly: a damaged database, a read-only data dir and a full disk,
each real, each named with its remedy by the CLI and the API — and nothing acknowledged
is lost."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import sqlite3
import subprocess
import urllib.request
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from helper.config import load_settings
from helper.diagnose import explain
from helper.security import errors
from helper.state import SETTINGS
from helper.store import DB_FILE
from tests.conftest import sample_order
from tests.support.daemon import Daemon, cli, start_daemon
from tests.support.fs import fill, remount, small_disk


def _archive_with_one_order(data: Path) -> str:
    """A data dir as a buyer has it: one paired client, one case. Returns the case id."""
    daemon = start_daemon(data)
    try:
        status, body = daemon.call("POST", "/orders", daemon.pair(), sample_order())
        assert status == 201, body
        return body["case"]["id"]
    finally:
        daemon.stop()


def _plain(result: subprocess.CompletedProcess[str], *phrases: str) -> None:
    """Failed, said why in both languages, and no traceback."""
    assert result.returncode != 0, result.stdout
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    for phrase in phrases:
        assert phrase in output, output


def test_a_damaged_database_is_named_and_left_alone(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _archive_with_one_order(data)
    db = data / DB_FILE
    with db.open("r+b") as fh:
        fh.write(b"this is not SQLite any more " * 4)  # garbage over the header
    damaged = db.read_bytes()

    for command in (["serve", "--port", "0"], ["status"], ["cases"], ["verify"]):
        _plain(cli(*command, data_dir=data), "数据库文件已损坏", "The database file is damaged",
               "restore the data dir from a backup")
    assert "data dir:" in cli("status", data_dir=data).stdout  # status still says what it knows
    assert db.read_bytes() == damaged  # never replaced by a fresh, empty archive


def test_a_read_only_data_dir_is_named(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk") as disk:
        data = disk / "data"
        _archive_with_one_order(data)
        remount(disk, "ro")
        try:
            for command in (["serve", "--port", "0"], ["status"], ["cases"]):
                _plain(cli(*command, data_dir=data), "数据目录是只读的", "The data dir is read-only")
        finally:
            remount(disk, "rw")
        listed = cli("cases", "--json", data_dir=data)
        assert json.loads(listed.stdout)["total"] == 1


async def test_the_api_answers_a_read_only_database_with_503(tmp_path: Path) -> None:
    db = tmp_path / "ro.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE t (x)")

    async def write(request: web.Request) -> web.Response:
        read_only = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            read_only.execute("INSERT INTO t VALUES (1)")
        finally:
            read_only.close()
        return web.Response()

    app = web.Application(middlewares=[errors])
    app[SETTINGS] = load_settings(tmp_path / "data", secrets_backend="file")
    app.router.add_post("/write", write)
    async with TestClient(TestServer(app)) as client:
        response = await client.post("/write")
        assert response.status == 503
        error = (await response.json())["error"]
    assert error["code"] == "storage_unavailable"
    assert "数据目录是只读的" in error["message"] and "read-only" in error["message"]


def _content(daemon: Daemon, token: str, evidence_id: str) -> bytes:
    request = urllib.request.Request(f"{daemon.url}/api/v1/evidence/{evidence_id}/content",
                                     headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


def test_a_full_disk_is_a_507_and_loses_nothing_acknowledged(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", size="24m") as disk:
        daemon = start_daemon(disk / "data")
        try:
            token = daemon.pair()
            status, created = daemon.call("POST", "/orders", token, sample_order())
            assert status == 201, created
            case_id = created["case"]["id"]
            kept = os.urandom(300_000)
            status, body = daemon.upload(token, case_id, "unboxing.mp4", kept)
            assert status == 201, body
            kept_id = body["evidence"][0]["id"]

            filler = fill(disk)
            status, body = daemon.upload(token, case_id, "more.mp4", os.urandom(2_000_000))
            assert status == 507, body
            assert body["error"]["code"] == "disk_full"
            assert "磁盘空间不足" in body["error"]["message"]
            assert "The disk is full" in body["error"]["message"]
            for n in range(20):  # orders too: a clear 507 or stored, never a 500
                status, body = daemon.call("POST", "/orders", token,
                                           sample_order(f"48656400150900{n:05}"))
                assert status in (201, 507), body
            assert list((disk / "data" / "blobs" / "tmp").glob("incoming-*")) == []
            assert hashlib.sha256(_content(daemon, token, kept_id)).digest() == \
                hashlib.sha256(kept).digest()

            filler.unlink()
            again = os.urandom(2_000_000)
            status, body = daemon.upload(token, case_id, "more.mp4", again)
            assert status == 201, body
            assert _content(daemon, token, body["evidence"][0]["id"]) == again
            verified = cli("verify", case_id, data_dir=daemon.data_dir)
            assert verified.returncode == 0, verified.stdout + verified.stderr
        finally:
            daemon.stop()


@pytest.mark.parametrize("code,phrase", [(errno.ENOSPC, "磁盘空间不足"), (errno.EROFS, "数据目录是只读的")])
def test_a_storage_error_behind_another_error_is_still_found(code: int, phrase: str) -> None:
    try:
        try:
            raise OSError(code, os.strerror(code))
        except OSError as exc:
            raise RuntimeError("could not seal the manifest") from exc
    except RuntimeError as wrapped:
        problem = explain(wrapped)
    assert problem is not None and phrase in problem.message
