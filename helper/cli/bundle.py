"""Bundles: `export` a case as a signed ZIP, `verify-bundle` one (no archive needed)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from helper.cli.common import helper_command, open_secrets
from helper.config import load_settings
from helper.errors import CliError


def cmd_export(args: argparse.Namespace) -> int:
    from helper.bundle import ExportError, export_case
    from helper.bundle.wacz import export_wacz
    from helper.store import Store

    settings = load_settings(args.data_dir)
    store = Store(settings.data_dir)
    wacz = getattr(args, "format", "zip") == "wacz"
    try:
        if wacz:
            result = export_wacz(store, open_secrets(settings), args.case_id, Path(args.output))
        else:
            result = export_case(store, open_secrets(settings), args.case_id, Path(args.output),
                                 settings=settings)
    except ExportError as exc:
        raise CliError(str(exc)) from None
    finally:
        store.close()
    if wacz:
        print(f"exported {result.case_id} as WACZ ({result.files} files, {result.size / 1e6:.1f} MB) to "
              f"{result.path}\n"
              "  在 ReplayWeb.page 中打开回放 · open it in ReplayWeb.page to replay the captured pages;\n"
              "  签名的证据包是 ZIP 导出 · the signed evidence is the ZIP export (--format zip)")
        return 0
    print(f"exported {result.case_id} ({result.files} files, {result.size / 1e6:.1f} MB) to "
          f"{result.path}\n"
          f"签名公钥 · signing key: sha256:{result.public_key_sha256}\n"
          "  请另行把这个指纹告诉审核方 · give this fingerprint to the reviewer separately\n"
          f"verify it with:  {helper_command()} verify-bundle {result.path} --key {result.public_key_sha256}")
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
        return local_fingerprint(open_secrets(settings))
    except Exception as exc:  # noqa: BLE001 - a locked keyring: check without the local key
        print(f"tousu-helper: 读不到本机密钥 · cannot read this computer's helper key ({exc})", file=sys.stderr)
        return None


def cmd_verify_bundle(args: argparse.Namespace) -> int:
    from helper.bundle import parse_key, verify_bundle
    from helper.bundle.explain import explain

    try:
        expected = parse_key(args.key) if args.key else None
    except ValueError as exc:
        raise CliError(f"--key: {exc}") from None
    report = verify_bundle(Path(args.bundle), expected_key=expected, local_key=_local_key(args.data_dir),
                           anchor=args.anchor)
    if args.json:
        print(report.model_dump_json(indent=2))
    else:
        print("\n".join(explain(report, args.bundle)), file=sys.stdout if report.ok else sys.stderr)
    if not report.ok:
        return 1
    return 1 if args.strict and not report.signer_verified else 0
