"""`tousu-helper autostart on|off`: the login entry each OS expects, and on Linux the
unit's own command really starts a helper that answers."""

from __future__ import annotations

import json
import plistlib
import shlex
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from helper import autostart


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "helper", *args], capture_output=True, text=True,
                          timeout=60, env=env, cwd=Path(__file__).resolve().parents[1])


def test_linux_unit_is_written_and_its_command_starts_a_helper(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "config.toml").write_text('secrets_backend = "file"\nport = 0\n', encoding="utf-8")
    # no systemctl on PATH: the file is written and the command to enable it is printed
    env = {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"), "PATH": "/nonexistent"}
    on = _cli("autostart", "on", "--data-dir", str(data), env=env)
    assert on.returncode == 0, on.stderr
    unit = tmp_path / "config" / "systemd" / "user" / "tousu-helper.service"
    assert str(unit) in on.stdout and "systemctl --user enable --now tousu-helper.service" in on.stdout
    text = unit.read_text(encoding="utf-8")
    assert "WantedBy=default.target" in text and "Restart=on-failure" in text
    exec_line = next(line for line in text.splitlines() if line.startswith("ExecStart="))
    cmd = shlex.split(exec_line.removeprefix("ExecStart="))
    assert cmd[1:] == ["-m", "helper", "serve", "--data-dir", str(data)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            cwd=Path(__file__).resolve().parents[1])
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, "the unit's command exited"
            try:
                port = json.loads((data / "daemon.json").read_text())["port"]
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=2) as r:
                    assert json.loads(r.read())["name"] == "tousu-helper"
                    break
            except (FileNotFoundError, ValueError, OSError):
                assert time.monotonic() < deadline, "no helper answered"
                time.sleep(0.1)
    finally:
        proc.terminate()
        proc.wait(10)
    off = _cli("autostart", "off", env=env)
    assert off.returncode == 0 and not unit.exists()
    assert "没有设置" in _cli("autostart", "off", env=env).stdout


def test_macos_launch_agent_and_windows_startup_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    mac = autostart.entry("darwin", None, home=tmp_path)
    assert mac.path == tmp_path / "Library" / "LaunchAgents" / "cn.tousu.helper.plist"
    plist = plistlib.loads(mac.content.encode())
    assert plist["Label"] == "cn.tousu.helper" and plist["RunAtLoad"] is True
    assert plist["ProgramArguments"] == [sys.executable, "-m", "helper", "serve"]
    win = autostart.entry("windows", tmp_path / "数据", home=tmp_path)
    assert win.path == tmp_path / "Roaming" / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "Startup" / "tousu-helper.cmd"
    assert f'"{sys.executable}" "-m" "helper" "serve" "--data-dir" "{tmp_path / "数据"}"' in win.content
    assert win.content.endswith("\r\n")
    with pytest.raises(ValueError):
        autostart.entry("plan9", None, home=tmp_path)
