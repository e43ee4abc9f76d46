"""`verify-bundle`: check a bundle with nothing but its own contents, its timestamps
(stamps.py), then say whose key signed it (helper/bundle/signer.py explains why the
second half matters). A WACZ export is checked against its datapackage (wacz_check.py).

Every input is hostile until checked: sizes and counts are bounded before anything is
read (safezip.py), the manifest is measured, parsed and validated against
`BundleManifest`, and every malformed thing becomes a problem line naming it — the check
fails closed, never with a traceback.
"""

from __future__ import annotations

import hashlib

import json
import zipfile
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from helper import anchor as evidence_anchor
from helper.bundle import layout
from helper.bundle.manifest import BundleFile, BundleManifest, describe
from helper.bundle.pdf import info_title
from helper.bundle.safezip import (
    READ_ERRORS,
    BundleReadError,
    entry_problems,
    hash_entry,
    json_shape_problem,
    open_bundle,
    read_capped,
)
from helper.bundle.signer import fingerprint_of_pem
from helper.bundle.stamps import check_stamps
from helper.bundle.wacz_check import check_wacz, is_wacz
from helper.models import BundleCheck, KeyComparison
from helper.store.audit import canonical_json

SMALL_FILES = {layout.SUMS: layout.MAX_SUMS_BYTES, layout.COMPLAINT: layout.MAX_TEXT_BYTES,
               layout.VERIFY: layout.MAX_TEXT_BYTES}
"""Listed files read whole for a second check; larger than this, they are not real."""


class _Stop(Exception):
    """What is wrong so far makes the remaining checks meaningless."""


class _Problems:
    def __init__(self) -> None:
        self.shown: list[str] = []
        self.total = 0

    def add(self, text: str) -> None:
        self.total += 1
        if len(self.shown) < layout.MAX_PROBLEMS:
            self.shown.append(text)

    def stop(self, text: str) -> _Stop:
        self.add(text)
        return _Stop()


def verify_bundle(path: Path, *, expected_key: str | None = None,
                  local_key: str | None = None, anchor: str | None = None) -> BundleCheck:
    """`expected_key`: the fingerprint the buyer gave (--key); `local_key`: this data dir's
    own signing key, when it has one. Either, when given, must be the signer's. `anchor`:
    the evidence anchor line of a filed complaint (helper/anchor.py), which must name this
    bundle's sealed case manifest and signer."""
    report = BundleCheck(ok=False)
    problems = _Problems()
    try:
        with open_bundle(path) as zf:
            if is_wacz(zf):
                check_wacz(zf, report, problems.add)
            else:
                _check(zf, report, problems)
                _compare_keys(zf, report, problems, expected_key, local_key)
                if anchor is not None:
                    _check_anchor(zf, report, problems, anchor)
    except BundleReadError as exc:
        problems.add(f"{path.name}: {exc}")
    except _Stop:
        pass
    except Exception as exc:  # noqa: BLE001 - fail closed: an input no check foresaw is not OK
        problems.add(f"{path.name}: could not be checked ({type(exc).__name__}: {str(exc)[:200]})")
    report.problems, report.problems_total = problems.shown, problems.total
    report.ok = problems.total == 0
    report.signer_verified = report.ok and any(
        c.matches for c in report.key_checks if c.source in ("key_option", "local_key"))
    return report


def _check_anchor(zf: zipfile.ZipFile, report: BundleCheck, problems: _Problems, line: str) -> None:
    try:
        manifest_prefix, key_prefix = evidence_anchor.parse(line)
    except ValueError as exc:
        problems.add(f"--anchor: {exc}")
        return
    info = next((i for i in zf.infolist() if i.filename == layout.SEALED_MANIFEST), None)
    if info is None:
        problems.add(f"--anchor: the bundle has no {layout.SEALED_MANIFEST} to compare the anchor with")
        report.anchor_matches = False
        return
    sealed = hashlib.sha256(read_capped(zf, info, layout.MAX_MANIFEST_BYTES)).hexdigest()
    report.anchor_matches = sealed.startswith(manifest_prefix) and (
        key_prefix is None or (report.public_key_sha256 or "").startswith(key_prefix))
    if not sealed.startswith(manifest_prefix):
        problems.add(f"证据锚点 {manifest_prefix[:16]}… 不是本证据包的案件清单 {sealed[:16]}… · the anchor names "
                     "another sealed case manifest: the evidence changed after the complaint was filed, "
                     "or this is another case's bundle")
    elif key_prefix is not None and not (report.public_key_sha256 or "").startswith(key_prefix):
        problems.add(f"证据锚点的签名公钥 {key_prefix[:16]}… 不是签名者 · the anchor names another signing key")


def _check(zf: zipfile.ZipFile, report: BundleCheck, problems: _Problems) -> None:
    for problem in entry_problems(zf):
        problems.add(problem)
    infos = {i.filename: i for i in zf.infolist() if not i.is_dir()}
    for required in layout.UNLISTED:
        if required not in infos:
            problems.add(f"{required} is missing from the bundle")
    if problems.total:
        raise _Stop
    try:
        signature = read_capped(zf, infos[layout.SIGNATURE], layout.SIGNATURE_BYTES)
        pem = read_capped(zf, infos[layout.PUBLIC_KEY], layout.MAX_KEY_BYTES)
        raw = read_capped(zf, infos[layout.MANIFEST], layout.MAX_MANIFEST_BYTES)
    except BundleReadError as exc:
        raise problems.stop(str(exc)) from None
    try:
        report.public_key_sha256 = fingerprint_of_pem(pem)
    except ValueError as exc:
        raise problems.stop(f"{layout.PUBLIC_KEY}: {exc}") from None
    document, manifest = _parse_manifest(raw, problems)
    report.signature_valid = _check_signature(raw, document, signature, pem, problems)
    report.case_id, report.order_id = manifest.case_id, manifest.order_id
    if manifest.public_key_sha256 not in (None, report.public_key_sha256):
        problems.add(f"{layout.PUBLIC_KEY}: its fingerprint differs from the one in {layout.MANIFEST}")
    listed = _listed(manifest.files, problems)
    for name in infos:
        if name not in listed and name not in layout.UNLISTED:
            problems.add(f"{name}: in the ZIP but not listed in {layout.MANIFEST} (added later)")
    for name, entry in listed.items():
        info = infos.get(name)
        if info is None:
            problems.add(f"{name}: listed in {layout.MANIFEST} but missing from the ZIP")
        elif _check_file(zf, info, entry, problems):
            report.files_checked += 1
    _check_sums(zf, infos, listed, problems)
    _check_case_manifest(manifest, listed, problems)
    report.timestamps, report.manifest_timestamp = check_stamps(zf, document, listed, problems.add)


def _parse_manifest(raw: bytes, problems: _Problems) -> tuple[dict[str, Any], BundleManifest]:
    if shape := json_shape_problem(raw):
        raise problems.stop(f"{layout.MANIFEST}: {shape}")
    try:
        document = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise problems.stop(f"{layout.MANIFEST}: not valid JSON ({str(exc)[:200]})") from None
    if not isinstance(document, dict):
        raise problems.stop(f"{layout.MANIFEST}: not a JSON object")
    try:
        manifest = BundleManifest.model_validate(document)
    except ValidationError as exc:
        raise problems.stop(f"{layout.MANIFEST}: not a bundle manifest ({describe(exc)})") from None
    if manifest.unsupported_format():
        raise problems.stop(f"{layout.MANIFEST}: format {manifest.format!r} is not "
                            f"{layout.BUNDLE_FORMAT!r}")
    return document, manifest


def _check_signature(raw: bytes, document: dict[str, Any], signature: bytes, pem: bytes,
                     problems: _Problems) -> bool:
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    from helper.integrity import verify_signature

    canonical = canonical_json(document) == raw
    if not canonical:
        problems.add(f"{layout.MANIFEST}: not in canonical form — it was edited after export")
    valid = len(signature) == layout.SIGNATURE_BYTES and verify_signature(
        document, signature, load_pem_public_key(pem))
    if not valid:
        problems.add(f"{layout.SIGNATURE}: the Ed25519 signature does not match {layout.MANIFEST} — "
                     "the manifest was changed after signing, or signed with another key")
    return canonical and valid


def _listed(files: list[BundleFile], problems: _Problems) -> dict[str, BundleFile]:
    listed: dict[str, BundleFile] = {}
    for entry in files:
        if entry.path in listed:
            problems.add(f"{entry.path}: listed twice in {layout.MANIFEST}")
        elif entry.path in layout.UNLISTED:
            problems.add(f"{entry.path}: listed in {layout.MANIFEST}, which cannot list it")
        else:
            listed[entry.path] = entry
    return listed


def _check_file(zf: zipfile.ZipFile, info: zipfile.ZipInfo, entry: BundleFile, problems: _Problems) -> bool:
    """Hash one listed file; False when it could not be read."""
    cap = SMALL_FILES.get(info.filename)
    if cap is not None and info.file_size > cap:
        problems.add(f"{info.filename}: {info.file_size} bytes; a real one is at most {cap}")
        return False
    if info.file_size != entry.size:
        problems.add(f"{info.filename}: {info.file_size} bytes, the manifest says {entry.size} — "
                     "the file was altered")
        return False
    try:
        sha, size = hash_entry(zf, info)
    except BundleReadError as exc:
        problems.add(str(exc))
        return False
    if sha != entry.sha256 or size != entry.size:
        problems.add(f"{info.filename}: SHA-256 {sha[:16]}… ({size} bytes) does not match the "
                     f"manifest's {entry.sha256[:16]}… ({entry.size} bytes) — the file was altered")
    return True


def _check_sums(zf: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], listed: dict[str, BundleFile],
                problems: _Problems) -> None:
    if layout.SUMS not in listed:
        problems.add(f"{layout.SUMS} is not listed in {layout.MANIFEST}")
        return
    info = infos.get(layout.SUMS)
    if info is None or info.file_size > layout.MAX_SUMS_BYTES:
        return  # already reported as missing or too large
    try:
        data = read_capped(zf, info, layout.MAX_SUMS_BYTES)
        lines_count = data.count(b"\n")
        if lines_count > len(listed):
            problems.add(f"{layout.SUMS}: {lines_count} lines for {len(listed)} listed files")
            return
        lines = data.decode("utf-8").splitlines()
    except BundleReadError:
        return  # already reported as corrupted
    except UnicodeDecodeError:
        problems.add(f"{layout.SUMS}: not UTF-8 text")
        return
    seen = set()
    for line in lines:
        sha, _, name = line.partition("  ")
        seen.add(name)
        if name not in listed or listed[name].sha256 != sha:
            problems.add(f"{layout.SUMS}: the line for {name[:200]!r} disagrees with {layout.MANIFEST}")
    for name in listed:
        if name != layout.SUMS and name not in seen:
            problems.add(f"{layout.SUMS}: {name!r} is missing")


def _check_case_manifest(manifest: BundleManifest, listed: dict[str, BundleFile], problems: _Problems) -> None:
    """Every artifact the case manifest names must be in the bundle with the same hash."""
    by_item = {(e.evidence_id, e.role): e for e in listed.values() if e.evidence_id}
    for ev in manifest.case_manifest.evidence if manifest.case_manifest else []:
        for a in ev.artifacts:
            entry = by_item.get((ev.id, a.role))
            if entry is None:
                problems.add(f"evidence {ev.id}/{a.role}: in the case manifest but not in the bundle")
            elif entry.sha256 != a.sha256:
                problems.add(f"evidence {ev.id}/{a.role}: bundle file hash differs from the case manifest")


# -- whose key ---------------------------------------------------------------------------

def _short(fingerprint: str | None) -> str:
    return f"sha256:{(fingerprint or '')[:16]}…"


def _printed(zf: zipfile.ZipFile, name: str) -> str | None:
    """The fingerprint a file of the bundle prints, if it prints one."""
    try:
        info = zf.getinfo(name)
        if name == layout.REPORT:
            if info.compress_type != zipfile.ZIP_STORED and info.file_size > layout.MAX_SEEK_INFLATE:
                return None  # seeking to its end would inflate all of it; exports store PDFs as-is
            with zf.open(info) as fh:
                title = info_title(fh, info.file_size) or ""
            match = layout.TITLE_FINGERPRINT.search(title)
            return match[1] if match else None
        text = read_capped(zf, info, layout.MAX_TEXT_BYTES).decode("utf-8", "replace")
    except (KeyError, BundleReadError, *READ_ERRORS):
        return None  # missing or unreadable: reported by the file checks
    return layout.printed_fingerprint(text)


def _compare_keys(zf: zipfile.ZipFile, report: BundleCheck, problems: _Problems,
                  expected_key: str | None, local_key: str | None) -> None:
    signer = report.public_key_sha256
    checks = report.key_checks
    for name in (layout.REPORT, layout.COMPLAINT, layout.VERIFY):
        printed = _printed(zf, name)
        checks.append(KeyComparison(source=name, fingerprint=printed,
                                    matches=None if printed is None else printed == signer))
        if printed is not None and printed != signer:
            problems.add(f"{name}: 印的签名公钥指纹 {_short(printed)} 不是签名者 {_short(signer)} · "
                         "names another key than the one that signed the bundle: re-signed by someone else")
    if expected_key is not None:
        checks.append(KeyComparison(source="key_option", fingerprint=expected_key,
                                    matches=expected_key == signer))
        if expected_key != signer:
            problems.add(f"签名者 {_short(signer)} 不是 --key 给出的 {_short(expected_key)} · "
                         "signed by another key than the one given with --key")
    if local_key is not None:
        checks.append(KeyComparison(source="local_key", fingerprint=local_key, matches=local_key == signer))
        if expected_key is None and local_key != signer:
            problems.add(f"签名者 {_short(signer)} 不是本机投诉助手的密钥 {_short(local_key)} · not signed "
                         "by this computer's helper key (a bundle from someone else: check it with "
                         "--key THEIR_FINGERPRINT)")
