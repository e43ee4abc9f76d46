"""`tousu-helper verify [CASE_ID]`, `tousu-helper capture URL --case CASE_ID` and
`tousu-helper timestamp CASE_ID`.

All work on the data dir directly (SQLite in WAL mode takes a second writer while the
daemon runs). Exit codes: 0 all good, 1 usage/not found/capture failed/not timestamped,
2 verify found problems.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from helper.config import load_settings
from helper.errors import CliError


def _open(args: argparse.Namespace):  # noqa: ANN202
    from helper.secrets import Secrets, secret_backend
    from helper.store import open_store

    settings = load_settings(args.data_dir)
    store = open_store(settings.data_dir)
    secrets = Secrets(secret_backend(settings.data_dir, settings.secrets_backend), settings.data_dir)
    return settings, store, secrets


def cmd_verify(args: argparse.Namespace) -> int:
    from helper.integrity import seal_case, verify_all, verify_case
    from helper.store import CaseNotFound

    settings, store, secrets = _open(args)
    tolerance = settings.evidence.clock_tolerance_s

    async def check() -> tuple[list[Any], bool]:
        if args.case_id:
            try:
                await store.cases.get(args.case_id)
            except CaseNotFound:
                raise CliError(f"no case {args.case_id!r}; `tousu-helper cases` lists them") from None
            reports = [await verify_case(store, secrets, args.case_id, tolerance_s=tolerance)]
        else:
            reports = await verify_all(store, secrets, tolerance_s=tolerance)
        ok = all(r.ok for r in reports)
        if ok and args.seal:
            for r in reports:
                await seal_case(store, secrets, r.case_id)
        return reports, ok

    try:
        reports, ok = asyncio.run(check())
        if args.json:
            doc = reports[0].model_dump(mode="json") if args.case_id else {
                "ok": ok, "cases": [r.model_dump(mode="json") for r in reports]}
            print(json.dumps(doc, ensure_ascii=False, indent=2))
        else:
            for r in reports:
                signed = f"manifest signed {r.manifest_signed_at:%Y-%m-%d %H:%M} UTC" \
                    if r.manifest_signed_at else "no signed manifest yet"
                head = "OK " if r.ok else "BROKEN"
                print(f"{head} {r.case_id}: {r.evidence_checked} evidence, {r.artifacts_checked} files "
                      f"re-hashed, {r.audit_entries_checked} audit entries, {signed}, "
                      f"{r.timestamps_checked} timestamp tokens checked")
                if r.manifest_timestamp:
                    print(f"  可信时间戳 · manifest timestamp: {r.manifest_timestamp}")
                for p in r.problems:
                    print(f"  [{p.kind}] {p.item}: {p.message}")
            if not reports:
                print("no cases yet")
            if ok and args.seal:
                print("sealed: a fresh manifest was signed for each case")
        return 0 if ok else 2
    finally:
        store.close()


def cmd_capture(args: argparse.Namespace) -> int:
    from helper.capture.guard import GuardError
    from helper.capture.service import CaptureFailed, CaptureService
    from helper.models import EvidenceCategory

    settings, store, secrets = _open(args)
    category = None
    if args.category:
        try:
            category = EvidenceCategory(args.category)
        except ValueError:
            raise CliError(f"unknown category {args.category!r}; one of: "
                           + ", ".join(c.value for c in EvidenceCategory)) from None

    async def run() -> int:
        service = CaptureService(settings, store, secrets)
        try:
            try:
                job = await service.submit_url(args.case_id, args.url, category=category, title=args.title)
            except GuardError as exc:
                raise CliError(f"refused: {exc.message}") from None
            except CaptureFailed as exc:
                raise CliError(exc.message) from None
            stage = None
            while True:
                current = service.jobs.get(job.id)
                if current.stage != stage and current.stage and not args.json:
                    print(f"… {current.stage}", file=sys.stderr, flush=True)
                    stage = current.stage
                if current.state.value in ("done", "failed"):
                    break
                await asyncio.sleep(0.1)
            if args.json:
                out = current.model_dump(mode="json")
                if current.evidence_id:
                    out["evidence"] = (await store.evidence.get(current.evidence_id)).model_dump(mode="json")
                print(json.dumps(out, ensure_ascii=False, indent=2))
            if current.state.value == "failed":
                if not args.json:
                    print(f"capture failed ({current.error.code}): {current.error.message}", file=sys.stderr)
                return 1
            if not args.json:
                ev = await store.evidence.get(current.evidence_id)
                print(f"captured {ev.id} ({ev.status}) into {args.case_id}: {ev.title}")
                for a in ev.artifacts:
                    print(f"  {a.role:12} {a.size:>10} bytes  sha256 {a.sha256}")
                for reason in ev.metadata.get("partial_reasons", []):
                    print(f"  partial: {reason}")
            return 0
        finally:
            await service.close()

    try:
        return asyncio.run(run())
    finally:
        store.close()


def cmd_timestamp(args: argparse.Namespace) -> int:
    """Tokens for a case's captures and its manifest, where they have none. Running the
    command is the buyer's own request for this case, so it works whatever
    `[evidence] timestamps` says; only SHA-256 hashes are sent."""
    from helper.store import CaseNotFound
    from helper.timestamps import Stamp, TsaClient
    from helper.timestamps.stamping import stamp_case

    settings, store, secrets = _open(args)
    client = TsaClient(settings.evidence.model_copy(update={"timestamps": True}))
    print("只发送哈希值，不发送任何内容 · only SHA-256 hashes are sent, never content: "
          + ", ".join(settings.evidence.tsa_urls or ["(no tsa_urls configured)"]), file=sys.stderr)

    async def run() -> Any:
        try:
            await store.cases.get(args.case_id)
        except CaseNotFound:
            raise CliError(f"no case {args.case_id!r}; `tousu-helper cases` lists them") from None
        return await stamp_case(store, secrets, client, args.case_id)

    def line(what: str, result: Any) -> str:
        if isinstance(result, Stamp):
            return f"  OK  {what}: {result.gen_time:%Y-%m-%d %H:%M:%S} UTC · {result.tsa_subject} ({result.tsa_url})"
        return f"  --  {what}: {result.reason}"

    try:
        done = asyncio.run(run())
    finally:
        store.close()
    if args.json:
        print(json.dumps({"ok": done.ok, "evidence": {ev: r.record() for ev, r in done.evidence},
                          "manifest": done.manifest.record() if done.manifest else None},
                         ensure_ascii=False, indent=2))
    else:
        print(f"timestamp {args.case_id}:")
        for evidence_id, result in done.evidence:
            print(line(f"evidence {evidence_id}", result))
        print(line("manifest", done.manifest) if done.manifest else
              "  OK  manifest: already timestamped, nothing new to cover")
    return 0 if done.ok else 1

