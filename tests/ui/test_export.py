"""The signed export bundle: contents, verify-bundle, plain sha256sum + openssl, tampering,
a missing blob, complaint.txt with and without a draft, and the CLI commands."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import time
import unicodedata
import warnings
import zipfile
from pathlib import Path
from typing import Any

import pytest

from helper.bundle import ExportError, export_case, verify_bundle
from helper.state import SECRETS, STORE
from tests.conftest import Api
from tests.ui.conftest import login_url, seed_case

pytestmark = pytest.mark.browser

DRAFT_REQUEST = {
    "complaint_type": "quality_problem",
    "demand": {"kind": "return_refund"},
    "facts": [{"date": "2025-11-12", "text": "收到耳机后左耳没有声音，已拍摄开箱视频。"}],
}


async def _export(api: Api, case_id: str, tmp_path: Path) -> Path:
    response = await api.get(f"/cases/{case_id}/export")
    assert response.status == 200, await response.text()
    assert response.headers["Content-Type"] == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    out = tmp_path / "bundle.zip"
    out.write_bytes(await response.read())
    return out


def _rewrite(src: Path, dst: Path, change: dict[str, bytes | None]) -> None:
    """Copy a ZIP, replacing (bytes) or dropping (None) some members."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            if info.filename in change:
                if change[info.filename] is not None:
                    zout.writestr(info.filename, change[info.filename])
                continue
            zout.writestr(info, zin.read(info.filename))
        for name, data in change.items():
            if name not in zin.namelist() and data is not None:
                zout.writestr(name, data)


async def test_bundle_contents_and_checks(api: Api, tmp_path: Path) -> None:
    seeded = await seed_case(api)
    draft = await api.json("POST", f"/cases/{seeded['case_id']}/draft", expect=201, json=DRAFT_REQUEST)
    bundle = await _export(api, seeded["case_id"], tmp_path)

    check = verify_bundle(bundle)
    assert check.ok, check.problems
    assert check.case_id == seeded["case_id"] and check.order_id == seeded["order_id"]

    with zipfile.ZipFile(bundle) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
        complaint = zf.read("complaint.txt").decode()
        verify_txt = zf.read("VERIFY.txt").decode()
        report = zf.read("report.pdf")
    for required in ("manifest.json", "manifest.json.sig", "public_key.pem", "SHA256SUMS",
                     "complaint.txt", "report.pdf", "VERIFY.txt", "case.json"):
        assert required in names
    evidence_files = [f for f in manifest["files"] if f.get("evidence_id")]
    assert len(evidence_files) == 1 + 1 + 3 + 2  # photo, pdf, capture (3), snapshot (2)
    assert {f["path"] for f in manifest["files"]} | {"manifest.json", "manifest.json.sig", "public_key.pem"} == names
    # capture metadata travels in the signed case manifest
    capture = next(e for e in manifest["case_manifest"]["evidence"] if e["id"] == seeded["capture"])
    assert capture["metadata"]["tls"]["issuer"] == "GlobalSign"
    assert manifest["public_key_sha256"] == check.public_key_sha256
    # the evidence bytes are the archive's bytes
    store = api.app[STORE]
    for f in evidence_files:
        ev = await store.evidence.get(f["evidence_id"])
        art = next(a for a in ev.artifacts if a.role == f["role"])
        assert f["sha256"] == art.sha256 and f["size"] == art.size
    assert draft["text"] in complaint and f"第 {draft['version']} 版" in complaint
    assert "sha256sum -c SHA256SUMS" in verify_txt and "openssl pkeyutl -verify" in verify_txt
    assert report.startswith(b"%PDF")
    from pypdf import PdfReader

    # NFKC: the CJK font's ToUnicode maps some glyphs to Kangxi radicals (⽚ for 片)
    text = unicodedata.normalize("NFKC", "".join(p.extract_text() for p in PdfReader(io.BytesIO(report)).pages))
    assert seeded["order_id"] in text and "投诉证据报告" in text and "好物数码旗舰店" in text
    assert "listing capture" in text and "tab snapshot" in text  # the evidence list
    # the signing key's fingerprint, where verify-bundle reads it back: the PDF's title, complaint.txt
    assert PdfReader(io.BytesIO(report)).metadata.title.endswith(f"sha256:{check.public_key_sha256}")
    assert check.public_key_sha256 in complaint and check.public_key_sha256 in verify_txt
    assert [c.matches for c in check.key_checks] == [True, True, True]  # report.pdf, complaint.txt, VERIFY.txt

    # plain tools, exactly as VERIFY.txt says
    out = tmp_path / "unzipped"
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(out)
    sums = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=out, capture_output=True, text=True)
    assert sums.returncode == 0, sums.stdout + sums.stderr
    assert sums.stdout.count(": OK") == len(manifest["files"]) - 1
    if shutil.which("openssl"):
        sig = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "public_key.pem",
                              "-rawin", "-in", "manifest.json", "-sigfile", "manifest.json.sig"],
                             cwd=out, capture_output=True, text=True)
        assert sig.returncode == 0 and "Signature Verified Successfully" in sig.stdout, sig.stderr
        der = subprocess.run(["openssl", "pkey", "-pubin", "-in", "public_key.pem", "-outform", "DER"],
                             cwd=out, capture_output=True, check=True).stdout
        assert hashlib.sha256(der[-32:]).hexdigest() == check.public_key_sha256
    sums_hash = hashlib.sha256((out / "SHA256SUMS").read_bytes()).hexdigest()
    assert f'"path":"SHA256SUMS","sha256":"{sums_hash}"' in (out / "manifest.json").read_text()

    # tampering, each named precisely
    ev_path = evidence_files[0]["path"]
    with zipfile.ZipFile(bundle) as zf:
        original = zf.read(ev_path)
    flipped = bytes([original[0] ^ 0x01]) + original[1:]
    cases = {
        "flipped evidence byte": ({ev_path: flipped}, ev_path),
        "edited complaint": ({"complaint.txt": b"forged"}, "complaint.txt"),
        "added file": ({"evidence/extra.png": b"x"}, "evidence/extra.png"),
        "removed file": ({ev_path: None}, ev_path),
        "forged manifest": ({"manifest.json": json.dumps(manifest).encode()}, "manifest.json"),
    }
    for label, (change, named) in cases.items():
        tampered = tmp_path / f"{label.replace(' ', '-')}.zip"
        _rewrite(bundle, tampered, change)
        result = verify_bundle(tampered)
        assert not result.ok, label
        assert any(named in p for p in result.problems), (label, result.problems)
    # a second copy of a file (unzip would extract the last one) and a symlink entry
    dup = tmp_path / "duplicate.zip"
    shutil.copy(bundle, dup)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(dup, "a") as zf:
            zf.writestr(ev_path, flipped)
    result = verify_bundle(dup)
    assert not result.ok and any("more than once" in p and ev_path in p for p in result.problems)
    link = tmp_path / "symlink.zip"
    shutil.copy(bundle, link)
    with zipfile.ZipFile(link, "a") as zf:
        info = zipfile.ZipInfo("evidence/link")
        info.external_attr = (0o120777 << 16)
        zf.writestr(info, "/etc/passwd")
    result = verify_bundle(link)
    assert not result.ok and any("not a regular file" in p for p in result.problems)

    # a re-signed manifest with another key: the fingerprint no longer matches the buyer's
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    from helper.integrity import sign_manifest
    from helper.store.audit import canonical_json

    other = Ed25519PrivateKey.generate()
    forged = dict(manifest, order_id="1")
    resigned = tmp_path / "resigned.zip"
    _rewrite(bundle, resigned, {"manifest.json": canonical_json(forged),
                                "manifest.json.sig": sign_manifest(forged, other),
                                "public_key.pem": other.public_key().public_bytes(
                                    Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)})
    result = verify_bundle(resigned)
    assert not result.ok and result.public_key_sha256 != check.public_key_sha256

    # a flipped byte anywhere in the raw ZIP file is detected
    raw = bytearray(bundle.read_bytes())
    with zipfile.ZipFile(bundle) as zf:
        info = zf.getinfo(ev_path)
    offset = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 100
    raw[offset] ^= 0xFF
    corrupted = tmp_path / "corrupted.zip"
    corrupted.write_bytes(bytes(raw))
    result = verify_bundle(corrupted)
    assert not result.ok and any(ev_path in p for p in result.problems), result.problems
    sums = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=out, capture_output=True)
    assert sums.returncode == 0  # (the unzipped copy is untouched)


async def test_no_draft_note_and_missing_blob(api: Api, tmp_path: Path) -> None:
    seeded = await seed_case(api)
    bundle = await _export(api, seeded["case_id"], tmp_path)
    with zipfile.ZipFile(bundle) as zf:
        complaint = zf.read("complaint.txt").decode()
    assert "尚无投诉草稿" in complaint and "No complaint draft yet" in complaint

    store = api.app[STORE]
    capture = await store.evidence.get(seeded["capture"])
    mhtml = next(a for a in capture.artifacts if a.role == "mhtml")
    store.blobs.path(mhtml.sha256).unlink()
    response = await api.get(f"/cases/{seeded['case_id']}/export")
    body = await response.json()
    assert response.status == 409 and body["error"]["code"] == "export_failed"
    message = body["error"]["message"]
    assert seeded["capture"] in message and "mhtml" in message and "missing" in message
    with pytest.raises(ExportError, match=seeded["capture"]):
        await asyncio.to_thread(export_case, store, api.app[SECRETS], seeded["case_id"],
                                tmp_path / "x.zip")
    assert not (tmp_path / "x.zip").exists()
    assert not list(tmp_path.glob(".export-*"))


def _cli(*args: str, data_dir: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TOUSU_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "helper", *args], capture_output=True, text=True,
                          env=env, timeout=timeout)


async def _cli_export(api: Api, data_dir: Path,
                      out: Path) -> tuple[dict[str, Any], subprocess.CompletedProcess[str]]:
    """Seed a case through the API, then `tousu-helper export` it on the data dir (no daemon)."""
    seeded = await seed_case(api)
    (data_dir / "config.toml").write_text('secrets_backend = "file"\n', encoding="utf-8")
    done = _cli("export", seeded["case_id"], "-o", str(out), data_dir=data_dir, timeout=120)
    assert done.returncode == 0, done.stderr
    return seeded, done


async def test_cli_open_export_verify(api: Api, tmp_path: Path, settings) -> None:  # noqa: ANN001
    """`tousu-helper open --no-browser` against a real daemon; `export` and `verify-bundle`."""
    data_dir = settings.data_dir
    # export and verify-bundle work on the data dir without the daemon
    out = tmp_path / "cli.zip"
    seeded, done = await _cli_export(api, data_dir, out)
    assert "verify-bundle" in done.stdout and out.is_file()
    ok = _cli("verify-bundle", str(out), data_dir=data_dir)
    assert ok.returncode == 0 and ok.stdout.startswith("OK:"), ok.stdout + ok.stderr
    raw = bytearray(out.read_bytes())
    raw[len(raw) // 3] ^= 0x55
    bad_file = tmp_path / "bad.zip"
    bad_file.write_bytes(bytes(raw))
    bad = _cli("verify-bundle", str(bad_file), data_dir=data_dir)
    assert bad.returncode == 1 and "FAILED" in bad.stderr
    missing = _cli("export", "case-nope", "-o", str(tmp_path / "n.zip"), data_dir=data_dir)
    assert missing.returncode == 1 and "case-nope" in missing.stderr

    # open: talks to the running daemon for a one-time URL
    no_daemon = _cli("open", "--no-browser", data_dir=tmp_path / "empty")
    assert no_daemon.returncode == 1 and "not running" in no_daemon.stderr
    daemon = subprocess.Popen([sys.executable, "-m", "helper", "serve", "--port", "0"],
                              env={**os.environ, "TOUSU_DATA_DIR": str(data_dir)},
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while not (data_dir / "daemon.json").exists():
            assert daemon.poll() is None, daemon.stderr.read()
            assert time.monotonic() < deadline, "daemon did not start"
            time.sleep(0.1)
        opened = _cli("open", "--no-browser", data_dir=data_dir)
        assert opened.returncode == 0, opened.stderr
        url = opened.stdout.strip().splitlines()[-1]
        port = json.loads((data_dir / "daemon.json").read_text())["port"]
        assert url.startswith(f"http://127.0.0.1:{port}/login?ticket=")
        import urllib.error
        import urllib.request

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *a, **k):  # noqa: ANN002, ANN003, ANN201
                return None

        opener = urllib.request.build_opener(NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as redirect:
            opener.open(url, timeout=5)
        assert redirect.value.code == 303
        assert "HttpOnly" in redirect.value.headers["Set-Cookie"]
        with pytest.raises(urllib.error.HTTPError) as reused:
            opener.open(url, timeout=5)
        assert reused.value.code == 403
    finally:
        daemon.terminate()
        daemon.wait(timeout=20)


def _forge(src: Path, dst: Path, *, rewrite_printed: bool = False) -> str:
    """What a forger does: edit the notes in case.json and an evidence file, re-sign with a
    fresh Ed25519 key and make manifest, signature, public key and SHA256SUMS consistent
    again. `rewrite_printed`: also replace the old fingerprint where the bundle prints it
    (complaint.txt, VERIFY.txt, and report.pdf's title: UTF-16 hex of the same length).
    Returns the forger's fingerprint."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    from helper.store.audit import canonical_json

    with zipfile.ZipFile(src) as zf:
        files = {name: zf.read(name) for name in zf.namelist()}
    manifest = json.loads(files["manifest.json"])
    case = json.loads(files["case.json"])
    case["notes"] = "卖家已同意赔偿 5000 元（伪造 forged）"
    files["case.json"] = json.dumps(case, ensure_ascii=False, indent=2).encode()
    evidence = next(f for f in manifest["files"] if f.get("evidence_id"))
    files[evidence["path"]] = b"forged " + files[evidence["path"]]
    key = Ed25519PrivateKey.generate()
    new = hashlib.sha256(key.public_key().public_bytes_raw()).hexdigest()
    if rewrite_printed:
        old = manifest["public_key_sha256"]
        for name in ("complaint.txt", "VERIFY.txt"):
            files[name] = files[name].replace(old.encode(), new.encode())
        utf16 = lambda fp: fp.encode("utf-16-be").hex().upper().encode()  # noqa: E731
        assert utf16(old) in files["report.pdf"]
        files["report.pdf"] = files["report.pdf"].replace(utf16(old), utf16(new))
    manifest["public_key_sha256"] = new
    for entry in manifest["files"]:
        if entry["path"] != "SHA256SUMS":
            entry["sha256"] = hashlib.sha256(files[entry["path"]]).hexdigest()
            entry["size"] = len(files[entry["path"]])
    by_item = {(f.get("evidence_id"), f.get("role")): f for f in manifest["files"]}
    for ev in manifest["case_manifest"]["evidence"]:
        for artifact in ev["artifacts"]:
            artifact["sha256"] = by_item[(ev["id"], artifact["role"])]["sha256"]
    files["SHA256SUMS"] = "".join(f"{f['sha256']}  {f['path']}\n" for f in manifest["files"]
                                  if f["path"] != "SHA256SUMS").encode()
    sums = next(f for f in manifest["files"] if f["path"] == "SHA256SUMS")
    sums["sha256"], sums["size"] = hashlib.sha256(files["SHA256SUMS"]).hexdigest(), len(files["SHA256SUMS"])
    files["manifest.json"] = canonical_json(manifest)
    files["manifest.json.sig"] = key.sign(files["manifest.json"])
    files["public_key.pem"] = key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in files.items():
            zout.writestr(name, data)
    return new


async def test_verify_bundle_names_the_signer_and_catches_a_re_signed_forgery(
        api: Api, tmp_path: Path, settings) -> None:  # noqa: ANN001
    """A forger who re-signs an edited bundle with a new key passes every hash and the
    signature; verify-bundle must still say whose key signed and that it is not the buyer's."""
    data_dir = settings.data_dir
    bundle = tmp_path / "real.zip"
    _, exported = await _cli_export(api, data_dir, bundle)
    with zipfile.ZipFile(bundle) as zf:
        real = json.loads(zf.read("manifest.json"))["public_key_sha256"]
        complaint = zf.read("complaint.txt").decode()
        pem = zf.read("public_key.pem")
    assert f"sha256:{real}" in exported.stdout  # export tells the buyer the fingerprint to hand over
    assert real in complaint
    status = _cli("status", data_dir=data_dir)
    assert real in status.stdout, status.stdout + status.stderr
    elsewhere = tmp_path / "reviewer"  # a reviewer's computer: no helper data dir, no key

    # the untouched bundle: verified by --key (a fingerprint, or the PEM file), or by the local key
    for key in (real, f"sha256:{real.upper()}", str(tmp_path / "buyer.pem")):
        (tmp_path / "buyer.pem").write_bytes(pem)
        done = _cli("verify-bundle", str(bundle), "--key", key, "--strict", data_dir=elsewhere)
        assert done.returncode == 0 and done.stdout.startswith("OK:"), done.stdout + done.stderr
        assert "signer verified" in done.stdout and real in done.stdout
    done = _cli("verify-bundle", str(bundle), "--strict", data_dir=data_dir)
    assert done.returncode == 0 and "this computer's helper key" in done.stdout, done.stdout + done.stderr
    unverified = _cli("verify-bundle", str(bundle), data_dir=elsewhere)
    assert unverified.returncode == 0 and "签名者未核实" in unverified.stdout and "UNVERIFIED" in unverified.stdout
    assert _cli("verify-bundle", str(bundle), "--strict", data_dir=elsewhere).returncode == 1
    assert not elsewhere.exists()  # checking a bundle creates neither a data dir nor a key

    # the forgery, printed fingerprints left as they were
    forged = tmp_path / "forged.zip"
    new = _forge(bundle, forged)
    for args, data in (([], data_dir), (["--key", real], elsewhere), (["--strict"], elsewhere)):
        done = _cli("verify-bundle", str(forged), *args, data_dir=data)
        assert done.returncode == 1 and "FAILED" in done.stderr, (args, done.stdout + done.stderr)
        assert f"signed by: sha256:{new}" in done.stderr
        for name in ("report.pdf", "complaint.txt", "VERIFY.txt"):
            assert f"{name}: 印的签名公钥指纹 sha256:{real[:16]}" in done.stderr, (name, done.stderr)
    on_buyers_computer = _cli("verify-bundle", str(forged), data_dir=data_dir).stderr
    assert f"不是本机投诉助手的密钥 sha256:{real[:16]}" in on_buyers_computer
    assert "not signed by this computer's helper key" in on_buyers_computer
    with_key = _cli("verify-bundle", str(forged), "--key", real, data_dir=elsewhere).stderr
    assert "signed by another key than the one given with --key" in with_key

    # a careful forger who also rewrites every printed fingerprint: only the buyer's key tells
    careful = tmp_path / "careful.zip"
    new = _forge(bundle, careful, rewrite_printed=True)
    done = _cli("verify-bundle", str(careful), data_dir=elsewhere)
    assert done.returncode == 0 and f"signed by: sha256:{new}" in done.stdout and "UNVERIFIED" in done.stdout
    assert _cli("verify-bundle", str(careful), "--strict", data_dir=elsewhere).returncode == 1
    for args, data in (([], data_dir), (["--key", real], elsewhere)):
        done = _cli("verify-bundle", str(careful), *args, data_dir=data)
        assert done.returncode == 1 and "FAILED" in done.stderr and new[:16] in done.stderr, done.stderr
    report = json.loads(_cli("verify-bundle", str(careful), "--key", real, "--json", data_dir=elsewhere).stdout)
    assert report["public_key_sha256"] == new and not report["ok"] and not report["signer_verified"]
    assert {"source": "key_option", "fingerprint": real, "matches": False} in report["key_checks"]


async def test_review_ui_listing_names_the_signing_key(api: Api, page: Any, tmp_path: Path) -> None:
    """VERIFY.txt sends reviewers to the buyer's fingerprint; the review UI shows it (and
    asking for it creates no key)."""
    assert (await api.json("GET", "/ui/cases"))["signing_key_sha256"] is None
    seeded = await seed_case(api)
    bundle = await _export(api, seeded["case_id"], tmp_path)
    with zipfile.ZipFile(bundle) as zf:
        fingerprint = json.loads(zf.read("manifest.json"))["public_key_sha256"]
    assert (await api.json("GET", "/ui/cases"))["signing_key_sha256"] == fingerprint
    await page.goto(await login_url(api))
    shown = page.locator("[data-testid=signing-key]")
    await shown.wait_for()
    assert f"sha256:{fingerprint}" in await shown.inner_text()


async def test_review_ui_asks_once_about_timestamps_and_offers_the_wacz(api: Api, page: Any) -> None:
    """The trusted-timestamp question is asked once, in plain Chinese first; the answer
    lands in config.toml and the case page offers the timestamp button; the WACZ export
    says plainly when a case has no page capture to replay."""
    from helper.state import SETTINGS

    seeded = await seed_case(api)
    settings = api.app[SETTINGS]
    settings.evidence.tsa_urls = ["http://127.0.0.1:9/tsr"]  # nothing public is ever asked from a test
    await page.goto(await login_url(api))
    question = page.locator("[data-testid=timestamp-consent]")
    await question.wait_for()
    assert "只发送哈希值，不发送任何内容" in await question.inner_text()
    await question.locator("[data-action=timestamps-agree]").click()
    await question.wait_for(state="detached")
    assert settings.evidence.timestamps is True
    assert "timestamps = true" in (settings.data_dir / "config.toml").read_text(encoding="utf-8")
    await page.reload()
    await page.locator("[data-testid=count]").wait_for()
    assert await page.locator("[data-testid=timestamp-consent]").count() == 0  # asked once

    await page.goto(page.url.split("#")[0] + f"#/case/{seeded['case_id']}")
    stamp = page.locator("[data-action=timestamp]")
    await stamp.wait_for(state="visible")
    await page.locator("[data-action=export-wacz]").click()
    error = page.locator("[data-testid=export-error]")
    await error.wait_for()
    assert "no URL capture" in await error.inner_text()
