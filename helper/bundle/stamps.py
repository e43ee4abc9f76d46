"""The bundle's trusted timestamps: what the export ships so anyone can check them with
`openssl ts -verify`, and the same checks in `verify-bundle`.

The export adds the case manifest exactly as it was sealed (`sealed/case-manifest.json`)
and, when it was timestamped, its token and the TSA's certificate chain; each capture's
token and chain are evidence files already. The sealed manifest is covered by the
bundle's signature like every file; its token shows it existed, as it is, at its time. The signed
`manifest.json` lists them under `timestamps` with the times each check needs: when the
helper says the thing was made (`claimed_at`: captured, or signed) and when the token came
(`added_at`, from the audit log), and the tolerance the check allows.

`verify-bundle` checks every token against the SHA-256 of the file it covers and the
chain shipped beside it (tokens.py names another hash, a forged token, a certificate that
does not chain, a clock skew), and, when the sealed manifest is timestamped, that every
file it lists is the bundle's file: the token pins its hashes to its time, so a file
changed since is named even in a bundle re-signed by someone else. (Without a token the
sealed manifest proves nothing the bundle's own signature does not.) The chain is the bundle's own: a reviewer
holds the printed TSA root fingerprint against the authority's published certificate.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from helper.bundle import layout
from helper.bundle.manifest import (
    BundleFile,
    BundleTimestamps,
    EvidenceStamp,
    SealedManifestStamp,
    describe,
)
from helper.bundle.safezip import BundleReadError, json_shape_problem, read_capped
from helper.models import Evidence
from helper.models.integrity import BundleTimestamp

if TYPE_CHECKING:
    from helper.store import BlobStore, Store


@dataclass
class ExportStamps:
    """What the writer adds: files (name, bytes, media type) and the manifest's section."""

    files: list[tuple[str, bytes, str]] = field(default_factory=list)
    section: dict[str, Any] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        """What report.pdf says of the sealed case manifest's timestamp."""
        from helper.timestamps.tokens import describe

        sealed = self.section.get("case_manifest")
        if sealed is None:
            return "案件清单尚未封存 · the case manifest has not been sealed"
        token = next((data for name, data, _ in self.files if name == layout.SEALED_TOKEN), None)
        if token is not None:
            return ("封存的案件清单（sealed/case-manifest.json）已加盖可信时间戳 · the sealed case manifest is "
                    f"timestamped: {describe(token) or ''}")
        return ("封存的案件清单未加盖可信时间戳 · the sealed case manifest is not timestamped: "
                + (sealed.get("reason") or "none was asked for (the buyer did not agree)"))

    @property
    def commands(self) -> list[tuple[str, str, str]]:
        """(token, data, chain) paths, for VERIFY.txt's `openssl ts -verify` lines."""
        out = []
        sealed = self.section.get("case_manifest") or {}
        if sealed.get("token"):
            out.append((sealed["token"], sealed["path"], sealed["chain"]))
        out += [(e["token"], e["covers"], e["chain"]) for e in self.section.get("evidence", [])]
        return out


async def export_stamps(store: Store, case_id: str, evidence: list[Evidence],
                        paths: dict[tuple[str, str], str], tolerance_s: float) -> ExportStamps:
    from helper.integrity import claimed_time
    from helper.timestamps.records import (
        CHAIN_ROLE,
        TOKEN_ROLE,
        first_hash,
        manifest_record,
        manifest_token,
    )

    out = ExportStamps(section={"tolerance_s": tolerance_s, "evidence": []})
    added = {(e.data.get("evidence_id"), a.get("role")): e.at
             for e in await store.audit.entries(case_id) if e.action in ("evidence_added", "artifacts_added")
             for a in e.data.get("artifacts", [])}
    for ev in evidence:
        roles = {a.role for a in ev.artifacts}
        covered = first_hash(ev)
        if covered is not None and {TOKEN_ROLE, CHAIN_ROLE} <= roles:
            out.section["evidence"].append({
                "evidence_id": ev.id, "covers": paths[(ev.id, covered.role)],
                "token": paths[(ev.id, TOKEN_ROLE)], "chain": paths[(ev.id, CHAIN_ROLE)],
                "claimed_at": claimed_time(ev).isoformat(), "added_at": added.get((ev.id, TOKEN_ROLE))})
    stored = await store.manifests.load(case_id)
    if stored is None:
        return out
    record = manifest_record(stored)
    sealed: dict[str, Any] = {"path": layout.SEALED_MANIFEST, "signed_at": stored["signed_at"],
                              "status": record["status"] if record else "not_requested"}
    out.files.append((layout.SEALED_MANIFEST, stored["manifest_json"].encode(), "application/json"))
    token = manifest_token(stored)
    if record and token is not None:
        sealed |= {"token": layout.SEALED_TOKEN, "chain": layout.SEALED_CHAIN, "added_at": record.get("received_at")}
        out.files += [(layout.SEALED_TOKEN, token, "application/timestamp-reply"),
                      (layout.SEALED_CHAIN, str(record.get("chain_pem", "")).encode(),
                       "application/pem-certificate-chain")]
    elif record:
        sealed["reason"] = str(record.get("reason", ""))[:1000]
    out.section["case_manifest"] = sealed
    return out


def report_lines(blobs: BlobStore, evidence: list[Evidence]) -> dict[str, str]:
    """Per capture, what report.pdf says of its timestamp: when and by whom, this computer's
    clock offset against the authority, or why there is none (runs in a thread)."""
    from helper.timestamps.records import TOKEN_ROLE
    from helper.timestamps.tokens import describe

    lines = {}
    for ev in evidence:
        arts = {a.role: a for a in ev.artifacts}
        record: dict[str, Any] = {}
        if "capture_log" in arts:
            try:
                record = json.loads(blobs.path(arts["capture_log"].sha256).read_bytes()).get(
                    "facts", {}).get("timestamp") or {}
            except (OSError, ValueError, AttributeError):
                record = {}
        if TOKEN_ROLE in arts:
            try:
                when = describe(blobs.path(arts[TOKEN_ROLE].sha256).read_bytes())
            except OSError:
                when = None
            offset = record.get("clock_offset_s") if record.get("status") == "timestamped" else None
            lines[ev.id] = (f"已加盖可信时间戳 · timestamped {when or ''}"
                            + (f"; 本机时钟与 TSA 相差 · clock offset {offset:+.1f} s" if offset is not None else ""))
        elif record.get("status") == "not_timestamped":
            lines[ev.id] = f"未加盖可信时间戳 · not timestamped: {record.get('reason', '')}"
    return lines


# -- checking ----------------------------------------------------------------------------

def _time(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


class _Reader:
    """Small listed files of the bundle, read with a cap (the main loop hashes them)."""

    def __init__(self, zf: zipfile.ZipFile, listed: dict[str, BundleFile]) -> None:
        self.zf, self.listed = zf, listed

    def read(self, name: str, cap: int) -> bytes:
        if name not in self.listed:
            raise BundleReadError(f"{name}: named under timestamps in {layout.MANIFEST} but not listed")
        return read_capped(self.zf, self.zf.getinfo(name), cap)


def check_stamps(zf: zipfile.ZipFile, document: dict[str, Any], listed: dict[str, BundleFile],
                 add: Callable[[str], None]) -> tuple[list[BundleTimestamp], str | None]:
    """The tokens' checks; every problem goes to `add` (the bundle's problem list)."""
    raw = document.get("timestamps")
    if raw is None:
        return [], None
    try:
        section = BundleTimestamps.model_validate(raw)
    except ValidationError as exc:
        add(f"{layout.MANIFEST}: timestamps: {describe(exc)}")
        return [], None
    reader = _Reader(zf, listed)
    results = [_check_evidence(reader, stamp, section.tolerance_s, add) for stamp in section.evidence]
    summary = None
    sealed = section.case_manifest
    if sealed is not None:
        summary, checked = _check_sealed(reader, sealed, section.tolerance_s, add)
        results += checked
    return results, summary


def _check_token(reader: _Reader, token: str, covers: str, chain: str, claimed: datetime | None,
                 added: datetime | None, tolerance_s: float, add: Callable[[str], None]) -> BundleTimestamp:
    from helper.timestamps import check_token_sync
    from helper.timestamps.tokens import certificates_of

    result = BundleTimestamp(token=token, covers=covers, ok=False)
    try:
        response = reader.read(token, layout.MAX_TOKEN_BYTES)
        pem = reader.read(chain, layout.MAX_TOKEN_BYTES)
        if covers not in reader.listed:
            raise BundleReadError(f"{covers}: a timestamp covers it, but it is not listed")
    except (BundleReadError, KeyError) as exc:
        result.problems.append(str(exc))
        add(f"{token}: {exc}")
        return result
    try:
        certs = certificates_of(pem)
    except ValueError:
        certs = []
    if not certs:
        result.problems.append(f"{chain}: no certificate in it")
        add(f"{chain}: 不是 TSA 证书链 · not a PEM certificate chain")
        return result
    result.tsa_root_sha256 = hashlib.sha256(certs[-1]).hexdigest()
    check = check_token_sync(response, sha256_hex=reader.listed[covers].sha256, roots=certs[-1:],
                             others=certs[:-1], claimed_at=claimed, added_at=added, tolerance_s=tolerance_s)
    result.gen_time, result.tsa = check.gen_time, check.tsa_subject
    result.problems = [f"{p.code}: {p.message}" for p in check.problems]
    result.ok = check.ok
    for p in check.problems:
        add(f"{token}: 可信时间戳无效 · the timestamp of {covers} fails ({p.code}): {p.message}")
    return result


def _check_evidence(reader: _Reader, stamp: EvidenceStamp, tolerance_s: float, add: Callable[[str], None]) -> BundleTimestamp:
    entry = reader.listed.get(stamp.token)
    if entry is not None and entry.evidence_id not in (None, stamp.evidence_id):
        add(f"{stamp.token}: listed for evidence {entry.evidence_id}, named under timestamps for "
            f"{stamp.evidence_id}")
    return _check_token(reader, stamp.token, stamp.covers, stamp.chain, _time(stamp.claimed_at),
                        _time(stamp.added_at), tolerance_s, add)


def _check_sealed(reader: _Reader, sealed: SealedManifestStamp, tolerance_s: float,
                  add: Callable[[str], None]) -> tuple[str, list[BundleTimestamp]]:
    try:
        raw = reader.read(sealed.path, layout.MAX_MANIFEST_BYTES)
        if shape := json_shape_problem(raw):
            raise ValueError(shape)
        document = json.loads(raw)
    except (BundleReadError, ValueError, RecursionError) as exc:
        add(f"{sealed.path}: {exc}")
        return "unreadable", []
    if sealed.status != "timestamped" or not (sealed.token and sealed.chain):
        reason = sealed.reason or ("none was asked for" if sealed.status == "not_requested" else "")
        return f"not timestamped ({reason})", []
    by_item = {(e.evidence_id, e.role): e for e in reader.listed.values() if e.evidence_id}
    for item in document.get("evidence", []) if isinstance(document, dict) else []:
        for artifact in item.get("artifacts", []) if isinstance(item, dict) else []:
            entry = by_item.get((item.get("id"), artifact.get("role")))
            if entry is None or entry.sha256 != artifact.get("sha256"):
                add(f"{sealed.path}: evidence {item.get('id')}/{artifact.get('role')} is not the file the "
                    "timestamped case manifest recorded (changed or missing since)")
    checked = _check_token(reader, sealed.token, sealed.path, sealed.chain, _time(sealed.signed_at),
                           _time(sealed.added_at), tolerance_s, add)
    state = "timestamped" if checked.ok else "timestamp FAILED"
    return f"{state} {checked.gen_time or ''} by {checked.tsa}", [checked]
