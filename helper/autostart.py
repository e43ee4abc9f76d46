"""Start the helper at login, the way each OS expects it: a systemd user unit on Linux, a
LaunchAgent on macOS, a Startup-folder entry on Windows.

The entry runs this very Python with `-m helper serve`, so it works the same for a
`pipx install .` and for the developer's `.venv`. Writing the file is what `on` promises;
activating it now (systemctl/launchctl) is tried and, where that is not possible (no user
session bus in a container, say), the command to do it is printed instead.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

LABEL = "cn.tousu.helper"
UNIT = "tousu-helper.service"


@dataclass(frozen=True)
class Entry:
    path: Path
    content: str
    activate: list[list[str]]
    deactivate: list[list[str]]
    manual: str


def command(data_dir: Path | None) -> list[str]:
    """What the login entry runs; the data dir only when the buyer chose one."""
    return [sys.executable, "-m", "helper", "serve", *(["--data-dir", str(data_dir)] if data_dir else [])]


def entry(system: str, data_dir: Path | None, home: Path | None = None) -> Entry:
    home = home or Path.home()
    cmd = command(data_dir)
    if system == "linux":
        config = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
        content = ("[Unit]\nDescription=投诉助手 helper (tousu-helper)\nAfter=default.target\n\n"
                   f"[Service]\nExecStart={shlex.join(cmd)}\nRestart=on-failure\nRestartSec=5\n\n"
                   "[Install]\nWantedBy=default.target\n")
        return Entry(config / "systemd" / "user" / UNIT, content,
                     [["systemctl", "--user", "daemon-reload"], ["systemctl", "--user", "enable", "--now", UNIT]],
                     [["systemctl", "--user", "disable", "--now", UNIT]],
                     f"systemctl --user daemon-reload && systemctl --user enable --now {UNIT}")
    if system == "darwin":
        args = "".join(f"    <string>{_xml(a)}</string>\n" for a in cmd)
        content = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                   '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" '
                   '"http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n<plist version="1.0">\n<dict>\n'
                   f"  <key>Label</key>\n  <string>{LABEL}</string>\n"
                   f"  <key>ProgramArguments</key>\n  <array>\n{args}  </array>\n"
                   "  <key>RunAtLoad</key>\n  <true/>\n  <key>KeepAlive</key>\n  <dict>\n"
                   "    <key>SuccessfulExit</key>\n    <false/>\n  </dict>\n</dict>\n</plist>\n")
        path = home / "Library" / "LaunchAgents" / f"{LABEL}.plist"
        return Entry(path, content, [["launchctl", "load", "-w", str(path)]],
                     [["launchctl", "unload", "-w", str(path)]], f"launchctl load -w {path}")
    if system == "windows":
        appdata = Path(os.environ.get("APPDATA") or home / "AppData" / "Roaming")
        quoted = " ".join(f'"{a}"' for a in cmd)
        content = f'@echo off\r\nrem 投诉助手 helper, started at login\r\nstart "tousu-helper" /min {quoted}\r\n'
        path = appdata / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "Startup" / "tousu-helper.cmd"
        return Entry(path, content, [], [], "it starts at the next login")
    raise ValueError(f"autostart is not supported on {system}")


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def current_system() -> str:
    return {"win32": "windows", "darwin": "darwin"}.get(sys.platform, "linux")


def _run(commands: list[list[str]]) -> bool:
    """Run each command; False when a tool is missing or fails (the caller says what to do)."""
    for cmd in commands:
        if shutil.which(cmd[0]) is None:
            return False
        if subprocess.run(cmd, capture_output=True, timeout=30).returncode != 0:
            return False
    return True


def turn_on(data_dir: Path | None, system: str | None = None) -> tuple[Entry, bool]:
    """Write the login entry; True when it was also activated now."""
    e = entry(system or current_system(), data_dir)
    e.path.parent.mkdir(parents=True, exist_ok=True)
    e.path.write_text(e.content, encoding="utf-8", newline="")
    return e, _run(e.activate) if e.activate else False


def turn_off(system: str | None = None) -> tuple[Entry, bool]:
    """Remove the login entry; True when there was one."""
    e = entry(system or current_system(), None)
    existed = e.path.exists()
    if existed and e.deactivate:
        _run(e.deactivate)
    e.path.unlink(missing_ok=True)
    return e, existed
