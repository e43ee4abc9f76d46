"""`export --format wacz`: a WACZ that Webrecorder's own validator (`wacz validate`)
accepts, with the captured page, its screenshot and its environment report; and the
checker refuses WACZ files with zip-slip names, duplicate entries or links."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import io
import json
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from helper.bundle import verify_bundle
from helper.cli import main
from tests.capture.conftest import CaptureEnv

pytestmark = pytest.mark.browser

ITEM = "https://item.taobao.com/capture-item.htm?id=712345678901"


async def _wacz(env: CaptureEnv, tmp_path: Path) -> Path:
    job = await env.wait((await env.capture({"url": ITEM}))["id"])
    assert job["state"] == "done", job
    out = tmp_path / "case.wacz"
    code = await asyncio.to_thread(main, ["export", env.case_id, "-o", str(out), "--format", "wacz",
                                          "--data-dir", str(env.service.settings.data_dir)])
    assert code == 0 and out.is_file()
    return out


def wacz_validate(path: Path) -> subprocess.CompletedProcess[str]:
    tool = Path(sys.executable).with_name("wacz")
    return subprocess.run([str(tool if tool.exists() else shutil.which("wacz")), "validate", "-f", str(path)],
                          capture_output=True, text=True, timeout=120, check=False)


async def test_the_wacz_validates_and_holds_page_screenshot_and_environment(env: CaptureEnv, tmp_path: Path) -> None:
    wacz = await _wacz(env, tmp_path)
    done = await asyncio.to_thread(wacz_validate, wacz)
    assert done.returncode == 0 and "the passed WACZ is valid" in done.stdout, done.stdout + done.stderr
    with zipfile.ZipFile(wacz) as zf:
        names = set(zf.namelist())
        package = json.loads(zf.read("datapackage.json"))
        pages = [json.loads(line) for line in zf.read("pages/pages.jsonl").decode().splitlines()]
        warcs = {n: zf.read(n) for n in names if n.startswith("archive/")}
    assert {"datapackage.json", "datapackage-digest.json", "indexes/index.cdx.gz", "pages/pages.jsonl"} <= names
    assert pages[0]["format"] == "json-pages-1.0"
    assert pages[1]["url"] == ITEM and pages[1]["title"] == "无线蓝牙耳机 降噪版-淘宝网"
    assert package["mainPageURL"] == ITEM
    listed = {r["path"] for r in package["resources"]}
    assert any(p.startswith("logs/environment-") for p in listed)
    records = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read())
               for data in warcs.values() for r in ArchiveIterator(io.BytesIO(data))]
    uris = {uri for _, uri, _ in records}
    assert ITEM in uris and f"urn:screenshot:{ITEM}" in uris
    shot = next(body for kind, uri, body in records if uri == f"urn:screenshot:{ITEM}")
    assert shot.startswith(b"\x89PNG")
    environment = next(body for kind, uri, body in records if (uri or "").startswith("urn:tousu:environment:"))
    assert json.loads(environment)["browser_version"]
    assert gzip.decompress(zipfile.ZipFile(wacz).read("indexes/index.cdx.gz"))
    check = verify_bundle(wacz)
    assert check.ok, check.problems
    assert check.files_checked == len(package["resources"])


def _hostile(src: Path, dst: Path, extra: list[tuple[zipfile.ZipInfo, bytes]]) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info.filename))
        for info, data in extra:
            zout.writestr(info, data)


async def test_the_checker_refuses_zip_slip_duplicates_and_links(env: CaptureEnv, tmp_path: Path) -> None:
    wacz = await _wacz(env, tmp_path)
    link = zipfile.ZipInfo("archive/link.warc.gz")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    cases = {
        "slip": ([(zipfile.ZipInfo("../../outside.txt"), b"x")], "unsafe path"),
        "duplicate": ([(zipfile.ZipInfo("pages/pages.jsonl"), b'{"format": "json-pages-1.0", "id": "x"}\n')],
                      "appears more than once"),
        "link": ([(link, b"/etc/passwd")], "not a regular file"),
    }
    for name, (extra, named) in cases.items():
        bad = tmp_path / f"{name}.wacz"
        with pytest.warns(UserWarning) if name == "duplicate" else contextlib.nullcontext():
            _hostile(wacz, bad, extra)
        check = verify_bundle(bad)
        assert not check.ok and any(named in p for p in check.problems), (name, check.problems)
    # a file changed inside: named by its hash in datapackage.json
    changed = tmp_path / "changed.wacz"
    with zipfile.ZipFile(wacz) as zin, zipfile.ZipFile(changed, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info, b'{"format": "json-pages-1.0", "id": "forged"}\n' if info.filename ==
                          "pages/pages.jsonl" else data)
    check = verify_bundle(changed)
    assert not check.ok and any("pages/pages.jsonl" in p and "datapackage.json" in p for p in check.problems)


async def test_the_api_serves_the_wacz_and_says_when_there_is_nothing_to_replay(
        env: CaptureEnv, tmp_path: Path) -> None:
    empty = await env.api.get(f"/cases/{env.case_id}/export", params={"format": "wacz"})
    assert empty.status == 409
    assert "no URL capture" in (await empty.json())["error"]["message"]
    job = await env.wait((await env.capture({"url": ITEM}))["id"])
    assert job["state"] == "done", job
    response = await env.api.get(f"/cases/{env.case_id}/export", params={"format": "wacz"})
    assert response.status == 200
    assert response.headers["Content-Type"] == "application/wacz"
    assert response.headers["Content-Disposition"].endswith('.wacz"')
    out = tmp_path / "api.wacz"
    out.write_bytes(await response.read())
    assert verify_bundle(out).ok
    assert (await asyncio.to_thread(wacz_validate, out)).returncode == 0
