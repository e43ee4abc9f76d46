"""The archive on this computer: `clients` (paired extensions) and `cases` (list, show, delete)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from helper.cli.common import with_store
from helper.config import load_settings
from helper.errors import CliError


def cmd_clients(args: argparse.Namespace) -> int:
    settings = load_settings(args.data_dir)
    if args.action == "revoke":
        if not args.client_id:
            raise CliError("say which client: tousu-helper clients revoke CLIENT_ID")
        client = with_store(settings.data_dir, lambda store: store.clients.revoke(args.client_id))
        if client is None:
            raise CliError(f"no client {args.client_id!r}; `tousu-helper clients` lists them")
        print(f"revoked {client.id} ({client.name}); its token no longer works")
        return 0
    clients = with_store(settings.data_dir, lambda store: store.clients.list())
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


def cmd_cases(args: argparse.Namespace) -> int:
    from helper.store import CaseNotFound

    settings = load_settings(args.data_dir)
    if args.action in ("show", "delete"):
        if not args.case_id:
            raise CliError(f"say which case: tousu-helper cases {args.action} CASE_ID")
        try:
            case = with_store(settings.data_dir, lambda store: store.cases.get(args.case_id))
        except CaseNotFound:
            raise CliError(f"no case {args.case_id!r}; `tousu-helper cases` lists them") from None
        if args.action == "show":
            print(case.model_dump_json(indent=2))
            return 0
        return _delete_case(settings.data_dir, case, args.yes)
    listing = with_store(settings.data_dir, lambda store: store.cases.list(q=args.q, limit=args.limit))
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
    with_store(data_dir, lambda store: store.cases.delete(case.id))
    print(f"已删除档案 {case.id}（订单 {case.order.order_id}）；审计日志记录了此次删除 · "
          f"deleted {case.id}; the audit log records the deletion")
    return 0
