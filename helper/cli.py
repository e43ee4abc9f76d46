"""`tousu-helper` command line: serve, pair, clients, status, cases.

Heavy imports (aiohttp, the store) happen inside the commands that need them, so a
quick `tousu-helper pair` or `status` starts fast.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import shutil
import signal
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from helper import __version__
from helper.config import ConfigError, Settings, load_settings
from helper.daemon import AlreadyRunning, DaemonUnavailable, call, running_port
from helper.errors import CliError

T = TypeVar("T")

def _helper_command() -> str:
    exe = Path(sys.argv[0])
    if exe.name == "tousu-helper" and not shutil.which("tousu-helper"):
        return str(exe)
    return "tousu-helper"


def _secrets(settings: Settings):  # noqa: ANN202 - keeps helper.secrets import lazy
    from helper.secrets import Secrets, secret_backend

    return Secrets(secret_backend(settings.data_dir, settings.secrets_backend), settings.data_dir)


# -- serve ------------------------------------------------------------------------------

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
          f"    1. In another terminal run:  {_helper_command()} pair\n"
          "    2. Open the extension's options page, paste the code, press 配对 (Pair).\n"
          "  Press Ctrl+C to stop.", flush=True)
    try:
        await stop.wait()
    finally:
        clear_runtime(settings.data_dir)
        server.close()
        await runner.cleanup()


# -- pair / clients / status ------------------------------------------------------------

def cmd_pair(args: argparse.Namespace) -> int:
    settings = load_settings(args.data_dir)
    port = running_port(settings.data_dir)
    result = call(port, "POST", "/admin/pairing-code", token=_secrets(settings).admin_token())
    if args.json:
        print(json.dumps(result))
    else:
        print(f"配对码 / pairing code:  {result['code']}\n"
              f"Enter it in the 投诉助手 extension's options page within 5 minutes. "
              "It works once.")
    return 0


def _with_store(data_dir: Path, work: Callable[[Any], Awaitable[T]]) -> T:
    """Run `work(store)` on a store opened for this command (repositories are async)."""
    from helper.store import Store

    async def run() -> T:
        store = Store(data_dir)
        try:
            await store.open()
            return await work(store)
        finally:
            store.close()
    return asyncio.run(run())


def cmd_clients(args: argparse.Namespace) -> int:
    settings = load_settings(args.data_dir)
    if args.action == "revoke":
        if not args.client_id:
            raise CliError("say which client: tousu-helper clients revoke CLIENT_ID")
        client = _with_store(settings.data_dir, lambda store: store.clients.revoke(args.client_id))
        if client is None:
            raise CliError(f"no client {args.client_id!r}; `tousu-helper clients` lists them")
        print(f"revoked {client.id} ({client.name}); its token no longer works")
        return 0
    clients = _with_store(settings.data_dir, lambda store: store.clients.list())
    if args.json:
        print(json.dumps([c.model_dump(mode="json") for c in clients], ensure_ascii=False))
        return 0
    if not clients:
        print("no paired clients yet; run `tousu-helper pair`")
    for c in clients:
        state = f"revoked {c.revoked_at:%Y-%m-%d}" if c.revoked_at else "active"
        seen = f"last used {c.last_used_at:%Y-%m-%d %H:%M}" if c.last_used_at else "never used"
        print(f"{c.id}  {c.name}  paired {c.created_at:%Y-%m-%d}  {seen}  {state}")
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
        cases, clients = _with_store(settings.data_dir, counts)
        archive, ok = f"cases:    {cases}\nclients:  {len(clients)} paired", True
    except Exception as exc:  # noqa: BLE001 - _storage_problem re-raises all but storage
        archive, ok = f"archive:  {_storage_problem(exc, settings.data_dir)}", False
    print(f"tousu-helper {__version__}\n"
          f"daemon:   {daemon}\n"
          f"data dir: {settings.data_dir}\n"
          f"secrets:  {_secrets(settings).description}\n"
          f"signing key: {_signing_key_line(settings)}\n"
          f"{archive}")
    return 0 if ok else 1


# -- cases ------------------------------------------------------------------------------

def cmd_cases(args: argparse.Namespace) -> int:
    from helper.store import CaseNotFound

    settings = load_settings(args.data_dir)
    if args.action in ("show", "delete"):
        if not args.case_id:
            raise CliError(f"say which case: tousu-helper cases {args.action} CASE_ID")
        try:
            case = _with_store(settings.data_dir, lambda store: store.cases.get(args.case_id))
        except CaseNotFound:
            raise CliError(f"no case {args.case_id!r}; `tousu-helper cases` lists them") from None
        if args.action == "show":
            print(case.model_dump_json(indent=2))
            return 0
        return _delete_case(settings.data_dir, case, args.yes)
    listing = _with_store(settings.data_dir, lambda store: store.cases.list(q=args.q, limit=args.limit))
    if args.json:
        print(listing.model_dump_json())
        return 0
    for c in listing.cases:
        print(f"{c.id}  {c.order_id}  {c.status.value:9}  {c.shop_name or '-'}  {c.title or ''}")
    print(f"({len(listing.cases)} of {listing.total})")
    return 0


def _delete_case(data_dir: Path, case: Any, yes: bool) -> int:
    """Delete after the buyer confirms (or with --yes): there is no undo, only the audit
    chain's record that the case existed and was deleted."""
    title = case.order.items[0].title if case.order.items else ""
    if not yes:
        if not sys.stdin.isatty():
            raise CliError("deleting a case cannot be undone; add --yes to confirm "
                           "(删除后无法恢复；确认请加 --yes)")
        answer = input(f"删除档案 {case.id}（订单 {case.order.order_id} {title}）及其全部证据？"
                       "此操作无法撤销。Delete it and all its evidence? [y/N] ")
        if answer.strip().lower() not in ("y", "yes", "是"):
            print("未删除 · not deleted")
            return 1
    _with_store(data_dir, lambda store: store.cases.delete(case.id))
    print(f"已删除档案 {case.id}（订单 {case.order.order_id}）；审计日志记录了此次删除 · "
          f"deleted {case.id}; the audit log records the deletion")
    return 0


# -- review UI, export bundle (issue 6) ------------------------------------------------------

def cmd_open(args: argparse.Namespace) -> int:
    settings = load_settings(args.data_dir)
    port = running_port(settings.data_dir)
    result = call(port, "POST", "/admin/ui-login", token=_secrets(settings).admin_token())
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


def cmd_export(args: argparse.Namespace) -> int:
    from helper.bundle import ExportError, export_case
    from helper.store import Store

    settings = load_settings(args.data_dir)
    store = Store(settings.data_dir)
    try:
        result = export_case(store, _secrets(settings), args.case_id, Path(args.output),
                             settings=settings)
    except ExportError as exc:
        raise CliError(str(exc)) from None
    finally:
        store.close()
    print(f"exported {result.case_id} ({result.files} files, {result.size / 1e6:.1f} MB) to "
          f"{result.path}\n"
          f"签名公钥 · signing key: sha256:{result.public_key_sha256}\n"
          "  请另行把这个指纹告诉审核方 · give this fingerprint to the reviewer separately\n"
          f"verify it with:  {_helper_command()} verify-bundle {result.path} --key {result.public_key_sha256}")
    return 0


def _local_key(data_dir: str | None) -> str | None:
    """This computer's helper key, if the data dir exists and has one (a reviewer without
    the helper gets neither a data dir nor a key made for them)."""
    import os

    from helper.bundle import local_fingerprint
    from helper.config import default_data_dir

    root = Path(data_dir or os.environ.get("TOUSU_DATA_DIR") or default_data_dir()).expanduser()
    if not root.is_dir():
        return None
    settings = load_settings(data_dir)
    try:
        return local_fingerprint(_secrets(settings))
    except Exception as exc:  # noqa: BLE001 - a locked keyring: check without the local key
        print(f"tousu-helper: 读不到本机密钥 · cannot read this computer's helper key ({exc})", file=sys.stderr)
        return None


def _signing_key_line(settings: Settings) -> str:
    """For `status`: the fingerprint reviewers check bundles against (VERIFY.txt sends them here)."""
    from helper.bundle import local_fingerprint

    fingerprint = local_fingerprint(_secrets(settings))
    if fingerprint is None:
        return "尚未生成（第一次存证或导出时生成）· none yet (made at the first capture or export)"
    return (f"sha256:{fingerprint}\n"
            "  审核方用它校验证据包 · reviewers check bundles with: verify-bundle FILE.zip --key <this>")


def cmd_verify_bundle(args: argparse.Namespace) -> int:
    from helper.bundle import parse_key, verify_bundle
    from helper.bundle.explain import explain

    try:
        expected = parse_key(args.key) if args.key else None
    except ValueError as exc:
        raise CliError(f"--key: {exc}") from None
    report = verify_bundle(Path(args.bundle), expected_key=expected, local_key=_local_key(args.data_dir))
    if args.json:
        print(report.model_dump_json(indent=2))
    else:
        print("\n".join(explain(report, args.bundle)), file=sys.stdout if report.ok else sys.stderr)
    if not report.ok:
        return 1
    return 1 if args.strict and not report.signer_verified else 0


def _capture_command(name: str, args: argparse.Namespace) -> int:
    from helper.capture import commands  # Playwright loads only when a capture runs

    return getattr(commands, name)(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tousu-helper", description="投诉助手 local helper")
    parser.add_argument("--version", action="version", version=f"tousu-helper {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", help="where cases and evidence live (env TOUSU_DATA_DIR)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", parents=[common], help="run the helper daemon in the foreground")
    p.add_argument("--port", type=int, help="default 17345")
    p.add_argument("--host", help="loopback only: 127.0.0.1 (default) or ::1")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("pair", parents=[common], help="print a one-time code to pair the extension")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_pair)

    p = sub.add_parser("clients", parents=[common], help="list paired extensions, or revoke one")
    p.add_argument("action", nargs="?", choices=["list", "revoke"], default="list")
    p.add_argument("client_id", nargs="?")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_clients)

    p = sub.add_parser("status", parents=[common], help="is the helper running; where is my data")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("cases", parents=[common], help="list cases, show one, or delete one")
    p.add_argument("action", nargs="?", choices=["list", "show", "delete"], default="list")
    p.add_argument("case_id", nargs="?")
    p.add_argument("-q", help="search order id, shop, item title")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")
    p.add_argument("--yes", action="store_true", help="delete without asking")
    p.set_defaults(func=cmd_cases)

    p = sub.add_parser("open", parents=[common], help="open the evidence archive (review UI) in a browser")
    p.add_argument("--no-browser", action="store_true", help="print the one-time login link instead")
    p.set_defaults(func=cmd_open)

    p = sub.add_parser("export", parents=[common], help="export a case as a signed ZIP bundle")
    p.add_argument("case_id")
    p.add_argument("-o", "--output", required=True, help="FILE.zip")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("verify-bundle", parents=[common],
                       help="check an exported bundle and say whose key signed it (no archive needed)")
    p.add_argument("bundle", help="FILE.zip")
    p.add_argument("--key", metavar="FINGERPRINT|PEM",
                   help="the buyer's key: its fingerprint (`tousu-helper status`), or a PEM public key file")
    p.add_argument("--strict", action="store_true",
                   help="exit 1 unless the signer is verified (--key, or this computer's helper key)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_verify_bundle)
    p = sub.add_parser("verify", parents=[common],
                       help="re-hash all evidence, walk the audit chain, check the signed manifest")
    p.add_argument("case_id", nargs="?", help="one case (default: every case)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--seal", action="store_true",
                   help="when everything checks out, sign a fresh manifest (e.g. after uploads)")
    p.set_defaults(func=lambda a: _capture_command("cmd_verify", a))

    p = sub.add_parser("capture", parents=[common], help="capture a web page as evidence for a case")
    p.add_argument("url")
    p.add_argument("--case", dest="case_id", required=True, help="the case to add the evidence to")
    p.add_argument("--category", help="listing_snapshot, order_page, chat_log, logistics, other …")
    p.add_argument("--title")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=lambda a: _capture_command("cmd_capture", a))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except (CliError, ConfigError, DaemonUnavailable, AlreadyRunning) as exc:
        print(f"tousu-helper: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - _storage_problem re-raises all but storage
        print(f"tousu-helper: {_storage_problem(exc, _data_dir_of(args))}", file=sys.stderr)
        return 1


def _storage_problem(exc: Exception, data_dir: Path | None) -> str:
    """A full disk, read-only data dir or damaged database, said plainly; re-raises any
    other error, which is a bug and keeps its traceback."""
    from helper.diagnose import explain

    problem = explain(exc, data_dir)
    if problem is None:
        raise exc
    return str(problem)


def _data_dir_of(args: argparse.Namespace) -> Path | None:
    try:
        return load_settings(getattr(args, "data_dir", None)).data_dir
    except ConfigError:
        return None
