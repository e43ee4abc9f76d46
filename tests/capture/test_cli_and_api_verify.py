"""`tousu-helper capture` end to end, and `GET /cases/{id}/verify` through the API."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import sys
from pathlib import Path

from helper.config import Settings
from helper.models import Order
from helper.store import Store
from tests.capture.conftest import CaptureEnv
from tests.conftest import sample_order
from tests.support.browser import system_chromium
from tests.support.site import FixtureSite

ROOT = Path(__file__).resolve().parents[2]


async def test_cli_capture_then_verify(settings: Settings, fixture_site: FixtureSite) -> None:
    data = settings.data_dir
    (data / "config.toml").write_text(
        f'secrets_backend = "file"\n[capture]\nbrowser = "{system_chromium()}"\n'
        f'host_resolver_rules = "{fixture_site.resolver_rules}"\nignore_https_errors = true\n',
        encoding="utf-8")
    store = Store(data)
    case, _, _ = await store.cases.upsert(Order.model_validate(sample_order()))
    store.close()

    async def cli(*args: str) -> tuple[int, str, str]:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "helper", *args, "--data-dir", str(data), cwd=ROOT,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await asyncio.wait_for(proc.communicate(), 120)
        return proc.returncode, out.decode(), err.decode()

    code, out, err = await cli("capture", "https://item.taobao.com/capture-item.htm", "--case", case.id,
                               "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["state"] == "done" and result["evidence"]["status"] == "complete"
    assert {a["role"] for a in result["evidence"]["artifacts"]} >= {"html", "mhtml", "screenshot", "pdf"}
    code, out, err = await cli("verify", case.id)
    assert code == 0, out + err
    code, out, err = await cli("capture", "https://evil.example/x", "--case", case.id)
    assert code == 1 and "refused" in err


async def test_api_verify_reports_tampering(env: CaptureEnv) -> None:
    job = await env.capture({"tab_snapshot": {"url": "https://item.taobao.com/capture-item.htm",
                                              "html": "<p>接口校验</p>"}})
    await env.wait(job["id"])
    report = await env.api.json("GET", f"/cases/{env.case_id}/verify")
    assert report["ok"] is True, report
    assert report["manifest_signed_at"] and report["artifacts_checked"] == 4
    db = sqlite3.connect(env.store.path, isolation_level=None)
    db.execute("DELETE FROM artifacts WHERE evidence_id = ? AND role = 'pdf'", (job["evidence_id"],))
    db.close()
    report = await env.api.json("GET", f"/cases/{env.case_id}/verify")
    assert report["ok"] is False
    assert {(p["kind"], p["item"]) for p in report["problems"]} == {("missing", f"{job['evidence_id']}/pdf")}
    assert (await env.api.get("/cases/case-000000000000/verify")).status == 404
