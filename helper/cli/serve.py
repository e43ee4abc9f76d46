"""The running helper: `serve`, `pair`, `status`, `open`.

`serve` holds the data dir's lock for its whole life; the others find the daemon through
the port and pid it records there (helper/daemon.py)."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import signal
import sys
from pathlib import Path
from typing import Any

from helper import __version__
from helper.cli.common import helper_command, open_secrets, storage_problem, with_store
from helper.config import Settings, load_settings
from helper.daemon import DaemonUnavailable, call, running_port
from helper.errors import CliError


def cmd_serve(args: argparse.Namespace) -> int:
    settings = load_settings(args.data_dir, port=args.port, host=args.host)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        asyncio.run(_serve(settings))
    except KeyboardInterrupt:
        pass
    return 0


async def _serve(settings: Settings) -> None:
    from helper.daemon import DataDirLock

    with DataDirLock(settings.data_dir):  # before the store opens: one daemon per data dir
        await _serve_locked(settings)


async def _serve_locked(settings: Settings) -> None:
    from helper.app import AccessLogger, create_app
    from helper.daemon import clear_runtime, write_runtime
    from helper.listen import PortBusy, listen, make_runner

    app = create_app(settings)
    runner = make_runner(app, AccessLogger)
    await runner.setup()
    try:
        server = await listen(runner, settings.host, settings.port, settings.data_dir)
    except PortBusy as exc:
        await runner.cleanup()
        raise CliError(str(exc)) from None
    port = server.sockets[0].getsockname()[1]
    write_runtime(settings.data_dir, port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except NotImplementedError:  # Windows
            pass
    print(f"投诉助手 helper {__version__} is running on http://127.0.0.1:{port}\n"
          f"  data: {settings.data_dir}\n"
          "  Pair the browser extension (once):\n"
          f"    1. In another terminal run:  {helper_command()} pair\n"
          "    2. Open the extension's options page, paste the code, press 配对 (Pair).\n"
          "  Press Ctrl+C to stop.", flush=True)
    try:
        await stop.wait()
    finally:
        clear_runtime(settings.data_dir)
        server.close()
        await runner.cleanup()


def cmd_pair(args: argparse.Namespace) -> int:
    settings = load_settings(args.data_dir)
    port = running_port(settings.data_dir)
    result = call(port, "POST", "/admin/pairing-code", token=open_secrets(settings).admin_token())
    if args.json:
        print(json.dumps(result))
    else:
        print(f"配对码 / pairing code:  {result['code']}\n"
              f"Enter it in the 投诉助手 extension's options page within 5 minutes. "
              "It works once.")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from helper.daemon import read_runtime

    settings = load_settings(args.data_dir)
    try:
        port = running_port(settings.data_dir)
        daemon = f"running on http://127.0.0.1:{port} (pid {read_runtime(settings.data_dir)['pid']})"
    except DaemonUnavailable as exc:
        daemon = f"not running — {exc}"

    async def counts(store: Any) -> tuple[int, list[Any]]:
        return await store.cases.count(), [c for c in await store.clients.list() if not c.revoked_at]
    try:
        cases, clients = with_store(settings.data_dir, counts)
        archive, ok = f"cases:    {cases}\nclients:  {len(clients)} paired", True
    except Exception as exc:  # noqa: BLE001 - storage_problem re-raises all but storage
        archive, ok = f"archive:  {storage_problem(exc, settings.data_dir)}", False
    print(f"tousu-helper {__version__}\n"
          f"daemon:   {daemon}\n"
          f"data dir: {settings.data_dir}\n"
          f"secrets:  {open_secrets(settings).description}\n"
          f"signing key: {_signing_key_line(settings)}\n"
          f"timestamps: {_timestamps_line(settings)}\n"
          f"{archive}")
    return 0 if ok else 1


def _signing_key_line(settings: Settings) -> str:
    """For `status`: the fingerprint reviewers check bundles against (VERIFY.txt sends them here)."""
    from helper.bundle import local_fingerprint

    fingerprint = local_fingerprint(open_secrets(settings))
    if fingerprint is None:
        return "尚未生成（第一次存证或导出时生成）· none yet (made at the first capture or export)"
    return (f"sha256:{fingerprint}\n"
            "  审核方用它校验证据包 · reviewers check bundles with: verify-bundle FILE.zip --key <this>")


def _timestamps_line(settings: Settings) -> str:
    """For `status`: the buyer's answer to the trusted-timestamp question, and where hashes go."""
    from helper.config import timestamp_consent_asked

    where = ", ".join(settings.evidence.tsa_urls) or "(no tsa_urls)"
    if settings.evidence.timestamps:
        return (f"已同意 on — 只发送哈希值，不发送任何内容 · only SHA-256 hashes are sent, never content\n"
                f"  to: {where}")
    if timestamp_consent_asked(settings):
        return "未同意 off — 买家选择不申请可信时间戳 · declined ([evidence] timestamps = false)"
    return ("未设置 off — 尚未询问 · not asked yet: the review UI asks once, or set "
            "[evidence] timestamps = true in config.toml")


def cmd_open(args: argparse.Namespace) -> int:
    settings = load_settings(args.data_dir)
    port = running_port(settings.data_dir)
    result = call(port, "POST", "/admin/ui-login", token=open_secrets(settings).admin_token())
    url = result["url"]
    if not args.no_browser:
        import webbrowser

        if webbrowser.open(url):
            print("已在浏览器中打开证据档案 · opened the archive in your browser")
            return 0
        print("could not start a browser; open this link yourself:", file=sys.stderr)
    print(url)
    print("一次性登录链接，2 分钟内有效 · one-time login link, valid for 2 minutes", file=sys.stderr)
    return 0


def cmd_autostart(args: argparse.Namespace) -> int:
    """`autostart on|off`: start the helper at login (systemd user unit, LaunchAgent, Startup entry)."""
    from helper import autostart

    if args.state == "on":
        entry, active = autostart.turn_on(Path(args.data_dir).expanduser() if args.data_dir else None)
        print(f"已设置登录时自动启动投诉助手 · the helper starts at login: {entry.path}")
        if not active:
            print(f"  现在启用请运行 · to start it now: {entry.manual}")
        return 0
    entry, existed = autostart.turn_off()
    print(f"已取消自动启动 · autostart removed: {entry.path}" if existed
          else "没有设置自动启动 · autostart was not on")
    return 0
