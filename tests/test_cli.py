"""The commands a buyer (or the README) runs, as real subprocesses against a real daemon."""

import json
import os
import socket
import stat
from pathlib import Path

import pytest

from helper.config import ConfigError, load_settings
from tests.conftest import ORDER_ID, sample_order
from tests.support.daemon import cli, start_daemon


@pytest.fixture
def daemon(tmp_path: Path):  # noqa: ANN201
    d = start_daemon(tmp_path / "data")
    yield d
    d.stop()


def test_serve_pair_and_an_authenticated_order(daemon) -> None:  # noqa: ANN001
    paired = cli("pair", "--json", data_dir=daemon.data_dir)
    assert paired.returncode == 0, paired.stderr
    code = json.loads(paired.stdout)
    assert len(code["code"].replace("-", "")) >= 8 and code["expires_at"]
    status, body = daemon.call("POST", "/pair", body={"code": code["code"], "client_name": "Chrome"})
    assert status == 201
    token = body["token"]
    status, created = daemon.call("POST", "/orders", token, sample_order())
    assert status == 201 and created["case"]["order"]["order_id"] == ORDER_ID

    listed = cli("cases", "--json", data_dir=daemon.data_dir)
    assert json.loads(listed.stdout)["cases"][0]["order_id"] == ORDER_ID
    shown = cli("cases", "show", created["case"]["id"], data_dir=daemon.data_dir)
    assert json.loads(shown.stdout)["order"]["items"][0]["sub_order_id"] == ORDER_ID

    clients = json.loads(cli("clients", "--json", data_dir=daemon.data_dir).stdout)
    assert [c["name"] for c in clients] == ["Chrome"]
    revoked = cli("clients", "revoke", clients[0]["id"], data_dir=daemon.data_dir)
    assert revoked.returncode == 0 and "revoked" in revoked.stdout
    status, error = daemon.call("GET", "/cases", token)
    assert status == 401 and error["error"]["code"] == "invalid_token"


def test_pair_prints_a_human_readable_code(daemon) -> None:  # noqa: ANN001
    result = cli("pair", data_dir=daemon.data_dir)
    assert result.returncode == 0
    assert "配对码" in result.stdout and "5 minutes" in result.stdout


def test_status_reports_daemon_and_file_secrets(daemon) -> None:  # noqa: ANN001
    assert cli("pair", data_dir=daemon.data_dir).returncode == 0
    result = cli("status", data_dir=daemon.data_dir)
    assert result.returncode == 0
    assert f"running on http://127.0.0.1:{daemon.port}" in result.stdout
    assert "secrets:  file (no keyring)" in result.stdout
    secrets_file = daemon.data_dir / "secrets.json"
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600


def test_pair_without_a_daemon_fails_clearly(tmp_path: Path) -> None:
    result = cli("pair", data_dir=tmp_path / "data")
    assert result.returncode == 1
    assert "the helper is not running" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_refuses_non_loopback(tmp_path: Path) -> None:
    for host in ("0.0.0.0", "192.168.1.5", "example.com"):
        result = cli("serve", "--host", host, "--port", "0", data_dir=tmp_path / "data")
        assert result.returncode == 1
        assert "only binds to loopback" in result.stderr, result.stderr


def test_serve_on_a_busy_port_says_so(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = cli("serve", "--port", str(port), data_dir=tmp_path / "data")
    assert result.returncode == 1
    assert "Is the helper already running?" in result.stderr
    # ... and answers it truthfully: not the helper, but another program, named where the
    # OS tells (Linux: /proc); Chinese first, like every CLI message
    assert f"端口 {port} 已被另一个程序占用" in result.stderr and "another program" in result.stderr
    if Path("/proc/net/tcp").exists():
        assert f"pid {os.getpid()}" in result.stderr


def test_revoking_an_unknown_client_is_a_clear_error(tmp_path: Path) -> None:
    result = cli("clients", "revoke", "cl-nope", data_dir=tmp_path / "data")
    assert result.returncode == 1 and "no client 'cl-nope'" in result.stderr


def test_config_file_env_and_flags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "config.toml").write_text(
        'port = 18000\n[capture]\nhost_resolver_rules = "MAP *.taobao.com:443 127.0.0.1:8443"\n',
        encoding="utf-8")
    monkeypatch.setenv("TOUSU_DATA_DIR", str(data))
    settings = load_settings()
    assert settings.data_dir == data and settings.port == 18000
    assert settings.capture.host_resolver_rules == "MAP *.taobao.com:443 127.0.0.1:8443"
    assert load_settings(port=18001).port == 18001
    assert load_settings().capture.allow_http is False


@pytest.mark.parametrize("content,message", [
    ("port = [", "not valid TOML"),
    ('port = "many"', "port"),
    ('host = "0.0.0.0"', "only binds to loopback"),
    ("[capture]\nshoe = 1", "capture.shoe"),
])
def test_bad_config_is_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "config.toml").write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_settings(tmp_path)
    result = cli("status", data_dir=tmp_path)
    assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr
