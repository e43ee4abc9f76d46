"""verify-bundle on hostile bundles: every one ends in a FAILED line that names what is
wrong and exit code 1 — never a traceback — inside 1 GiB of address space (the CLI runs
in a subprocess under RLIMIT_AS, so an unbounded read fails the test instead of passing
slowly). Each bundle is built here, signed with a fresh key where a signature matters."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from helper.bundle import layout
from helper.store.audit import canonical_json

GiB = 1 << 30
MEMORY_LIMIT = 1 * GiB


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def verify(bundle: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TOUSU_DATA_DIR": str(tmp_path / "no-helper-here")}
    return subprocess.run([sys.executable, "-m", "helper", "verify-bundle", str(bundle), *args],
                          capture_output=True, text=True, env=env, timeout=120, preexec_fn=_limit_memory)


def assert_failed(done: subprocess.CompletedProcess[str], *named: str) -> None:
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "FAILED" in done.stderr, output
    assert "Traceback" not in output and "MemoryError" not in output, output
    for text in named:
        assert text in done.stderr, (text, output)


def _pem(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)


def signed_bundle(path: Path, files: dict[str, bytes], **manifest_fields: object) -> Ed25519PrivateKey:
    """A well-formed bundle of `files` (plus SHA256SUMS), its manifest overridable field by
    field; signed with a fresh key."""
    entries = [{"path": n, "sha256": hashlib.sha256(d).hexdigest(), "size": len(d)} for n, d in files.items()]
    sums = "".join(f"{e['sha256']}  {e['path']}\n" for e in entries).encode()
    entries.append({"path": layout.SUMS, "sha256": hashlib.sha256(sums).hexdigest(), "size": len(sums)})
    key = Ed25519PrivateKey.generate()
    manifest = {"format": layout.BUNDLE_FORMAT, "case_id": "case-1", "order_id": "1",
                "public_key_sha256": hashlib.sha256(key.public_key().public_bytes_raw()).hexdigest(),
                "files": entries, "case_manifest": {"evidence": []}, **manifest_fields}
    write_bundle(path, {**files, layout.SUMS: sums}, canonical_json(manifest), key)
    return key


def write_bundle(path: Path, files: dict[str, bytes], manifest: bytes, key: Ed25519PrivateKey) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
        zf.writestr(layout.MANIFEST, manifest)
        zf.writestr(layout.SIGNATURE, key.sign(manifest))
        zf.writestr(layout.PUBLIC_KEY, _pem(key))


def test_a_well_formed_bundle_passes_the_same_checks(tmp_path: Path) -> None:
    """The builder below is sound: without a hostile change, the check passes."""
    bundle = tmp_path / "fine.zip"
    signed_bundle(bundle, {"case.json": b"{}"})
    done = verify(bundle, tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("OK:"), done.stdout + done.stderr


def test_sums_of_a_gibibyte_of_newlines(tmp_path: Path) -> None:
    """~1 MB on disk, 1 GiB unpacked: refused from its declared size, and when the ZIP
    understates the size, never read past what it declares."""
    bundle = tmp_path / "newlines.zip"
    key = Ed25519PrivateKey.generate()
    manifest = canonical_json({"format": layout.BUNDLE_FORMAT, "files": [
        {"path": layout.SUMS, "sha256": "0" * 64, "size": GiB}]})
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        info = zipfile.ZipInfo(layout.SUMS)
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w") as out:
            block = b"\n" * (1 << 20)
            for _ in range(1024):
                out.write(block)
        zf.writestr(layout.MANIFEST, manifest)
        zf.writestr(layout.SIGNATURE, key.sign(manifest))
        zf.writestr(layout.PUBLIC_KEY, _pem(key))
    assert bundle.stat().st_size < 8 << 20
    assert_failed(verify(bundle, tmp_path), f"{layout.SUMS}: {GiB} bytes")

    understated = tmp_path / "understated.zip"
    raw = bytearray(bundle.read_bytes())
    with zipfile.ZipFile(bundle) as zf:
        sums = zf.getinfo(layout.SUMS)
    central = raw.find(b"PK\x01\x02")  # the first central entry is SHA256SUMS
    struct.pack_into("<I", raw, central + 24, 100)  # uncompressed size: "100 bytes"
    struct.pack_into("<I", raw, sums.header_offset + 22, 100)
    understated.write_bytes(bytes(raw))
    assert_failed(verify(understated, tmp_path), layout.SUMS)


def test_manifest_with_files_a_number(tmp_path: Path) -> None:
    bundle = tmp_path / "files5.zip"
    key = Ed25519PrivateKey.generate()
    manifest = canonical_json({"format": layout.BUNDLE_FORMAT, "files": 5})
    write_bundle(bundle, {}, manifest, key)
    assert_failed(verify(bundle, tmp_path), f"{layout.MANIFEST}: not a bundle manifest (files:")


def test_manifest_nested_100k_deep(tmp_path: Path) -> None:
    for label, manifest in {
        "array": b"[" * 100_000 + b"]" * 100_000,
        "in files": b'{"files":' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        "objects": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    }.items():
        bundle = tmp_path / f"deep-{label.replace(' ', '-')}.zip"
        write_bundle(bundle, {}, manifest, Ed25519PrivateKey.generate())
        assert_failed(verify(bundle, tmp_path), f"{layout.MANIFEST}: JSON nested more than")


def test_huge_manifest(tmp_path: Path) -> None:
    """32 MiB of manifest (one long string, a few KB compressed): not read at all."""
    bundle = tmp_path / "huge.zip"
    manifest = b'{"files":[],"format":"' + b"x" * (32 << 20) + b'"}'
    write_bundle(bundle, {}, manifest, Ed25519PrivateKey.generate())
    assert bundle.stat().st_size < 1 << 20
    assert_failed(verify(bundle, tmp_path), f"{layout.MANIFEST}: {len(manifest)} bytes; at most")


def test_manifest_of_a_million_values(tmp_path: Path) -> None:
    bundle = tmp_path / "values.zip"
    manifest = b'{"files":[],"x":[' + b"{}," * 2_000_000 + b'{}],"format":"tousu-helper/bundle/1"}'
    write_bundle(bundle, {}, manifest, Ed25519PrivateKey.generate())
    assert_failed(verify(bundle, tmp_path), "JSON values; at most")


def test_duplicate_entries(tmp_path: Path) -> None:
    bundle = tmp_path / "dup.zip"
    signed_bundle(bundle, {"case.json": b"{}"})
    with pytest.warns(UserWarning, match="Duplicate name"):
        with zipfile.ZipFile(bundle, "a") as zf:
            zf.writestr("case.json", b'{"forged": true}')
    assert_failed(verify(bundle, tmp_path), "case.json: appears more than once")


def test_too_many_entries(tmp_path: Path) -> None:
    bundle = tmp_path / "many.zip"
    with zipfile.ZipFile(bundle, "w") as zf:
        for n in range(layout.MAX_ENTRIES + 1):
            zf.writestr(f"e/{n}", b"")
    assert_failed(verify(bundle, tmp_path), f"declares {layout.MAX_ENTRIES + 1} files")


def test_overlapping_entries(tmp_path: Path) -> None:
    """Two central-directory entries over the same compressed data: the zip bomb trick
    that unpacks one stream many times."""
    bundle = tmp_path / "overlap.zip"
    signed_bundle(bundle, {"evidence/a.bin": b"a" * 5000, "evidence/b.bin": b"b" * 5000})
    raw = bytearray(bundle.read_bytes())
    with zipfile.ZipFile(bundle) as zf:
        first = zf.getinfo("evidence/a.bin").header_offset
    second = raw.find(b"PK\x01\x02", raw.find(b"PK\x01\x02") + 4)  # central entry of b.bin
    struct.pack_into("<I", raw, second + 42, first)
    bundle.write_bytes(bytes(raw))
    assert_failed(verify(bundle, tmp_path), "overlap another entry")


def test_not_a_zip_and_a_truncated_one(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.zip"
    garbage.write_bytes(b"PK\x05\x06 not really" * 1000)
    assert_failed(verify(garbage, tmp_path), "garbage.zip")
    fine = tmp_path / "fine.zip"
    signed_bundle(fine, {"case.json": b"{}" * 10_000})
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(fine.read_bytes()[: fine.stat().st_size // 2])
    assert_failed(verify(truncated, tmp_path), "truncated.zip")


def test_sums_with_more_lines_than_files(tmp_path: Path) -> None:
    bundle = tmp_path / "lines.zip"
    key = Ed25519PrivateKey.generate()
    sums = b"\n" * (4 << 20)
    manifest = canonical_json({"format": layout.BUNDLE_FORMAT, "files": [
        {"path": layout.SUMS, "sha256": hashlib.sha256(sums).hexdigest(), "size": len(sums)}]})
    write_bundle(bundle, {layout.SUMS: sums}, manifest, key)
    assert_failed(verify(bundle, tmp_path), f"{layout.SUMS}: {len(sums)} lines for 1 listed files")


def test_problems_are_capped(tmp_path: Path) -> None:
    bundle = tmp_path / "noisy.zip"
    signed_bundle(bundle, {"case.json": b"{}"})
    with zipfile.ZipFile(bundle, "a") as zf:
        for n in range(500):
            zf.writestr(f"evidence/added-{n}.png", b"x")
    done = verify(bundle, tmp_path)
    assert_failed(done, "evidence/added-0.png", "and 450 more")
    assert done.stderr.count("\n  - ") == layout.MAX_PROBLEMS


def test_json_report_of_a_hostile_bundle(tmp_path: Path) -> None:
    bundle = tmp_path / "files5.zip"
    manifest = canonical_json({"format": layout.BUNDLE_FORMAT, "files": 5})
    write_bundle(bundle, {}, manifest, Ed25519PrivateKey.generate())
    done = verify(bundle, tmp_path, "--json")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    report = json.loads(done.stdout)
    assert report["ok"] is False and report["problems_total"] == 1
    assert report["problems"][0].startswith(f"{layout.MANIFEST}: not a bundle manifest")
