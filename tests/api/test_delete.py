"""Deleting a case: everything recorded on it goes, files another case shares stay, the
audit chain records the deletion and still verifies, and the other cases are untouched."""

from __future__ import annotations

import io
import sqlite3
from datetime import timedelta
from pathlib import Path

from helper.models import CHINA_TZ, utc_now
from helper.state import STORE
from tests.conftest import Api, sample_order
from tests.support.daemon import cli


async def _case_with_photo(api: Api, order_id: str, photo: bytes) -> tuple[str, str]:
    case_id = (await api.json("POST", "/orders", expect=201, json=sample_order(order_id)))["case"]["id"]
    ev = (await api.json("POST", f"/cases/{case_id}/evidence", expect=201,
                         data={"file": io.BytesIO(photo), "title": "商品照片"}))["evidence"][0]
    return case_id, ev["artifacts"][0]["sha256"]


async def test_delete_removes_the_case_and_its_own_files(api: Api) -> None:
    store = api.app[STORE]
    shared, own = b"\x89PNG shared photo", b"\x89PNG only in the deleted case"
    doomed, shared_sha = await _case_with_photo(api, "4000000000000000001", shared)
    own_ev = (await api.json("POST", f"/cases/{doomed}/evidence", expect=201,
                             data={"file": io.BytesIO(own), "title": "独有照片"}))["evidence"][0]
    own_sha = own_ev["artifacts"][0]["sha256"]
    kept, kept_sha = await _case_with_photo(api, "4000000000000000002", shared)
    assert kept_sha == shared_sha

    result = await api.json("DELETE", f"/cases/{doomed}")
    assert result == {"case_id": doomed, "order_id": "4000000000000000001", "evidence_deleted": 2,
                      "drafts_deleted": 0, "files_removed": 1}
    await api.json("GET", f"/cases/{doomed}", expect=404)
    assert (await api.json("GET", "/cases", params={"order_id": "4000000000000000001"}))["total"] == 0
    assert (await api.json("GET", "/cases", params={"q": "4000000000000000001"}))["total"] == 0
    assert not store.blobs.exists(own_sha), "a file only the deleted case used is removed"
    assert store.blobs.exists(shared_sha), "a file another case uses stays"
    deleted = [e for e in await store.audit.entries(doomed) if e.action == "case_deleted"]
    assert [e.data["order_id"] for e in deleted] == ["4000000000000000001"]
    assert await store.audit.verify() == []
    report = await api.json("GET", f"/cases/{kept}/verify")
    assert report["ok"] is True, report["problems"]
    await api.json("DELETE", f"/cases/{doomed}", expect=404)


async def test_one_case_with_an_impossible_date_fails_alone(api: Api) -> None:
    """A date no deadline rule can handle (written straight into the file, as an old
    helper version could have accepted it) leaves that case without dates; the reminders
    and the review list keep working for every other case."""
    store = api.app[STORE]
    received = (utc_now() - timedelta(days=5)).astimezone(CHINA_TZ).isoformat(timespec="seconds")
    good = (await api.json("POST", "/orders", expect=201,
                           json=sample_order("4100000000000000001", received_at=received)))["case"]["id"]
    bad = (await api.json("POST", "/orders", expect=201, json=sample_order("4100000000000000002")))["case"]["id"]
    raw = sqlite3.connect(store.path, isolation_level=None)
    raw.execute("UPDATE cases SET order_json = json_set(order_json, '$.received_at', '9999-12-31T23:00:00+08:00')"
                " WHERE id = ?", (bad,))
    raw.close()
    await api.json("PATCH", f"/cases/{bad}", json={"timeline_note": "重新计算期限"})  # the agenda recomputes
    reminders = await api.json("GET", "/reminders")
    assert {r["case_id"] for r in reminders["reminders"]} == {good}
    listing = await api.json("GET", "/ui/cases", params={"sort": "deadline"})
    assert [c["id"] for c in listing["cases"]] == [good, bad]
    assert listing["cases"][1]["next_deadline"] is None


def test_cli_delete_asks_and_needs_yes(tmp_path: Path) -> None:
    from tests.support.daemon import start_daemon

    data = tmp_path / "data"
    daemon = start_daemon(data)
    try:
        token = daemon.pair()
        _, body = daemon.call("POST", "/orders", token, sample_order("4200000000000000001"))
        case_id = body["case"]["id"]
    finally:
        daemon.stop()
    refused = cli("cases", "delete", case_id, data_dir=data)
    assert refused.returncode == 1 and "--yes" in refused.stderr
    done = cli("cases", "delete", case_id, "--yes", data_dir=data)
    assert done.returncode == 0, done.stderr
    assert case_id in done.stdout
    listing = cli("cases", "--json", data_dir=data)
    assert '"total":0' in listing.stdout.replace(" ", "")
    assert cli("verify", data_dir=data).returncode == 0
