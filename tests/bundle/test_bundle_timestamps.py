"""A bundle's trusted timestamps, checked as a reviewer would: the `openssl ts -verify`
commands VERIFY.txt prints, run in the unzipped bundle, and `verify-bundle`, which names a
token for another hash, a forged token, a TSA certificate that does not chain and a clock
skew beyond the stated tolerance — each in a bundle re-signed with the buyer's own key, so
only the token is wrong."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from helper.bundle import layout, verify_bundle
from helper.bundle.explain import explain
from helper.integrity import sign_manifest
from helper.state import SECRETS
from helper.store.audit import canonical_json
from tests.capture.conftest import CaptureEnv
from tests.capture.test_timestamps import _captured, _settings, _use
from tests.capture.tsa import LocalTsa

pytestmark = pytest.mark.browser


async def _bundle(env: CaptureEnv, tsa: LocalTsa, tmp_path: Path) -> Path:
    _use(env, _settings(tsa))
    await _captured(env)
    response = await env.api.get(f"/cases/{env.case_id}/export")
    assert response.status == 200, await response.text()
    out = tmp_path / "bundle.zip"
    out.write_bytes(await response.read())
    return out


def _resign(src: Path, dst: Path, key: Any, files: dict[str, bytes] | None = None,
            edit: Any = None) -> None:
    """The bundle with some files replaced, its manifest edited, every hash and the
    signature made again with `key`: a consistent bundle whose only fault is what changed."""
    files = files or {}
    with zipfile.ZipFile(src) as zin:
        contents = {i.filename: zin.read(i.filename) for i in zin.infolist()}
    contents.update(files)
    manifest = json.loads(contents[layout.MANIFEST])
    if edit is not None:
        edit(manifest)
    for entry in manifest["files"]:
        if entry["path"] != layout.SUMS:
            data = contents[entry["path"]]
            entry["sha256"], entry["size"] = hashlib.sha256(data).hexdigest(), len(data)
    sums = "".join(f"{e['sha256']}  {e['path']}\n" for e in manifest["files"] if e["path"] != layout.SUMS)
    contents[layout.SUMS] = sums.encode()
    for entry in manifest["files"]:
        if entry["path"] == layout.SUMS:
            entry["sha256"], entry["size"] = hashlib.sha256(sums.encode()).hexdigest(), len(sums.encode())
    contents[layout.MANIFEST] = canonical_json(manifest)
    contents[layout.SIGNATURE] = sign_manifest(manifest, key)
    with zipfile.ZipFile(dst, "w") as zout:
        for name, data in contents.items():
            zout.writestr(name, data)


async def test_the_openssl_commands_of_verify_txt_pass_and_verify_bundle_agrees(
        env: CaptureEnv, tsa: LocalTsa, tmp_path: Path) -> None:
    bundle = await _bundle(env, tsa, tmp_path)
    check = verify_bundle(bundle)
    assert check.ok, check.problems
    assert len(check.timestamps) == 2 and all(t.ok for t in check.timestamps)
    assert {t.covers for t in check.timestamps} >= {layout.SEALED_MANIFEST}
    root = hashlib.sha256(tsa.authority.ca_cert.public_bytes(Encoding.DER)).hexdigest()
    assert all(t.tsa_root_sha256 == root for t in check.timestamps)
    assert check.manifest_timestamp.startswith("timestamped")
    text = "\n".join(explain(check, bundle.name))
    assert "可信时间戳 · trusted timestamps (RFC 3161): 2" in text and f"root sha256:{root}" in text

    unzipped = tmp_path / "unzipped"
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(unzipped)
        verify_txt = zf.read(layout.VERIFY).decode()
    commands = re.findall(r"^ +(openssl ts -verify .+)$", verify_txt, re.MULTILINE)
    assert len(commands) == 2, verify_txt
    assert verify_txt.index("第 6 步") < verify_txt.index("Step 6")  # Chinese first
    for command in commands:
        done = subprocess.run(command.split(), cwd=unzipped, capture_output=True, text=True, timeout=30, check=False)
        assert done.returncode == 0 and "Verification: OK" in done.stdout, (command, done.stderr)
    x509 = re.search(r"^ +(openssl x509 -in .+)$", verify_txt, re.MULTILINE)[1]
    done = subprocess.run(x509.split(), cwd=unzipped, capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == 0 and "Tousu Test TSA" in done.stdout


async def test_verify_bundle_names_each_bad_token(env: CaptureEnv, tsa: LocalTsa, tmp_path: Path) -> None:
    bundle = await _bundle(env, tsa, tmp_path)
    key = env.api.app[SECRETS].signing_key()
    with zipfile.ZipFile(bundle) as zf:
        manifest = json.loads(zf.read(layout.MANIFEST))
        stamp = manifest["timestamps"]["evidence"][0]
        token, sealed_token = zf.read(stamp["token"]), zf.read(layout.SEALED_TOKEN)
    cases: dict[str, tuple[dict[str, bytes], Any, str]] = {}
    forged = bytearray(token)
    forged[-40] ^= 0x01
    cases["forged"] = ({stamp["token"]: bytes(forged)}, None, "(forged)")
    cases["other_hash"] = ({stamp["token"]: sealed_token}, None, "(other_hash)")
    cases["untrusted"] = ({stamp["chain"]: tsa.rogue.ca_pem}, None, "(untrusted)")

    def later(m: dict[str, Any]) -> None:
        m["timestamps"]["evidence"][0]["claimed_at"] = "2999-01-01T00:00:00+00:00"
    cases["clock_skew"] = ({}, later, "(clock_skew)")
    for name, (files, edit, named) in cases.items():
        bad = tmp_path / f"{name}.zip"
        _resign(bundle, bad, key, files, edit)
        check = verify_bundle(bad)
        assert check.signature_valid, (name, check.problems)  # only the token is wrong
        assert not check.ok, name
        failing = [p for p in check.problems if named in p]
        assert failing and stamp["covers"] in failing[0], (name, check.problems)

    # an evidence file edited after the manifest was timestamped, the bundle re-signed
    screenshot = next(f["path"] for f in manifest["files"] if f.get("role") == "screenshot")
    edited = tmp_path / "edited.zip"
    _resign(bundle, edited, key, {screenshot: b"\x89PNG edited"})
    check = verify_bundle(edited)
    assert check.signature_valid and not check.ok
    assert any(p.startswith(layout.SEALED_MANIFEST) and "/screenshot is not the file the timestamped "
               "case manifest recorded" in p for p in check.problems), check.problems

