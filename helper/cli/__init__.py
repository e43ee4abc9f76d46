"""`tousu-helper` command line, one module per command group: serve.py (the running
helper: serve, pair, status, open), cases.py (clients, cases), bundle.py (export,
verify-bundle), evidence.py (verify, capture, timestamp).

Heavy imports (aiohttp, the store, Playwright) happen inside the commands that need
them, so a quick `tousu-helper pair` or `status` starts fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from helper import __version__
from helper.cli import bundle, cases, evidence, serve
from helper.cli.common import storage_problem
from helper.config import ConfigError, load_settings
from helper.daemon import AlreadyRunning, DaemonUnavailable
from helper.errors import CliError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tousu-helper", description="投诉助手 local helper")
    parser.add_argument("--version", action="version", version=f"tousu-helper {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", help="where cases and evidence live (env TOUSU_DATA_DIR)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", parents=[common], help="run the helper daemon in the foreground")
    p.add_argument("--port", type=int, help="default 17345")
    p.add_argument("--host", help="loopback only: 127.0.0.1 (default) or ::1")
    p.set_defaults(func=serve.cmd_serve)

    p = sub.add_parser("pair", parents=[common], help="print a one-time code to pair the extension")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=serve.cmd_pair)

    p = sub.add_parser("clients", parents=[common], help="list paired extensions, or revoke one")
    p.add_argument("action", nargs="?", choices=["list", "revoke"], default="list")
    p.add_argument("client_id", nargs="?")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cases.cmd_clients)

    p = sub.add_parser("status", parents=[common], help="is the helper running; where is my data")
    p.set_defaults(func=serve.cmd_status)

    p = sub.add_parser("cases", parents=[common], help="list cases, show one, or delete one")
    p.add_argument("action", nargs="?", choices=["list", "show", "delete"], default="list")
    p.add_argument("case_id", nargs="?")
    p.add_argument("-q", help="search order id, shop, item title")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")
    p.add_argument("--yes", action="store_true", help="delete without asking")
    p.set_defaults(func=cases.cmd_cases)

    p = sub.add_parser("autostart", parents=[common], help="start the helper at login, or stop doing so")
    p.add_argument("state", choices=["on", "off"])
    p.set_defaults(func=serve.cmd_autostart)

    p = sub.add_parser("open", parents=[common], help="open the evidence archive (review UI) in a browser")
    p.add_argument("--no-browser", action="store_true", help="print the one-time login link instead")
    p.set_defaults(func=serve.cmd_open)

    p = sub.add_parser("export", parents=[common], help="export a case as a signed ZIP bundle (or a WACZ)")
    p.add_argument("case_id")
    p.add_argument("-o", "--output", required=True, help="FILE.zip (FILE.wacz with --format wacz)")
    p.add_argument("--format", choices=["zip", "wacz"], default="zip",
                   help="zip: the signed bundle (default); wacz: web archive for ReplayWeb.page")
    p.set_defaults(func=bundle.cmd_export)

    p = sub.add_parser("verify-bundle", parents=[common],
                       help="check an exported bundle and say whose key signed it (no archive needed)")
    p.add_argument("bundle", help="FILE.zip")
    p.add_argument("--key", metavar="FINGERPRINT|PEM",
                   help="the buyer's key: its fingerprint (`tousu-helper status`), or a PEM public key file")
    p.add_argument("--anchor", metavar="TEXT",
                   help="the evidence anchor line (证据包校验值 SHA-256：…) from a filed complaint")
    p.add_argument("--strict", action="store_true",
                   help="exit 1 unless the signer is verified (--key, or this computer's helper key)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=bundle.cmd_verify_bundle)
    p = sub.add_parser("verify", parents=[common],
                       help="re-hash all evidence, walk the audit chain, check the signed manifest")
    p.add_argument("case_id", nargs="?", help="one case (default: every case)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--seal", action="store_true",
                   help="when everything checks out, sign a fresh manifest (e.g. after uploads)")
    p.set_defaults(func=evidence.cmd_verify)

    p = sub.add_parser("timestamp", parents=[common],
                       help="add RFC 3161 timestamps to a case sealed without them (sends only SHA-256 hashes)")
    p.add_argument("case_id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=evidence.cmd_timestamp)

    p = sub.add_parser("capture", parents=[common], help="capture a web page as evidence for a case")
    p.add_argument("url")
    p.add_argument("--case", dest="case_id", required=True, help="the case to add the evidence to")
    p.add_argument("--category", help="listing_snapshot, order_page, chat_log, logistics, other …")
    p.add_argument("--title")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=evidence.cmd_capture)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except (CliError, ConfigError, DaemonUnavailable, AlreadyRunning) as exc:
        print(f"tousu-helper: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - storage_problem re-raises all but storage
        print(f"tousu-helper: {storage_problem(exc, _data_dir_of(args))}", file=sys.stderr)
        return 1


def _data_dir_of(args: argparse.Namespace) -> Path | None:
    try:
        return load_settings(getattr(args, "data_dir", None)).data_dir
    except ConfigError:
        return None
