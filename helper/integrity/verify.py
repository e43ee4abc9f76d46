"""`verify`: every record re-derived from the others; each disagreement named (evidence id
and role, audit sequence number, manifest, fact, timestamp). Read-only."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    load_pem_public_key,
)

from helper.integrity.manifest import public_key_sha256, verify_signature
from helper.models import Evidence, VerifyProblem, VerifyReport, utc_now
from helper.secrets import Secrets
from helper.store import AuditEntry, BlobStore, CaseNotFound, Store
from helper.store.hashing import canonical_json, sha256_hex

# -- verification ---------------------------------------------------------------------------

def _expected_from_audit(entries: list[AuditEntry]) -> dict[str, dict[str, Any]]:
    """What the audit log says this case's evidence is: id → {seq, kind, category, metadata, artifacts}."""
    expected: dict[str, dict[str, Any]] = {}
    for entry in entries:
        data = entry.data
        if entry.action == "evidence_added":
            expected[data["evidence_id"]] = {
                "seq": entry.seq, "kind": data.get("kind"), "category": data.get("category"),
                "metadata_sha256": data.get("metadata_sha256"),
                "artifacts": {a["role"]: a for a in data.get("artifacts", [])}}
        elif entry.action == "artifacts_added" and data.get("evidence_id") in expected:
            expected[data["evidence_id"]]["artifacts"].update(
                {a["role"]: a for a in data.get("artifacts", [])})
    return expected


def _public_key(secrets: Secrets) -> tuple[Ed25519PublicKey, list[VerifyProblem]]:
    problems = []
    public = secrets.signing_key().public_key()
    data_dir: Path | None = getattr(secrets, "_data_dir", None)
    pub_file = data_dir / "signing_key.pub" if data_dir else None
    if pub_file is not None and pub_file.is_file():
        try:
            on_disk = load_pem_public_key(pub_file.read_bytes())
            same = isinstance(on_disk, Ed25519PublicKey) and \
                public_key_sha256(on_disk) == public_key_sha256(public)
        except ValueError:
            same = False
        if not same:
            problems.append(VerifyProblem(
                kind="signature", item="signing_key.pub",
                message="signing_key.pub is not the public half of the signing key in the keyring"))
    return public, problems


async def verify_case(store: Store, secrets: Secrets, case_id: str,
                      chain_problems: list[VerifyProblem] | None = None,
                      tolerance_s: float = 300) -> VerifyReport:
    """Re-hash every artifact, walk the audit chain, check the signed manifest, the
    audited facts and the timestamp tokens (`tolerance_s`: how far a token's time may be
    from this computer's clock). Read-only."""
    problems: list[VerifyProblem] = []
    report = VerifyReport(ok=False, case_id=case_id, checked_at=utc_now())
    try:
        evidence = await store.evidence.list(case_id)
    except CaseNotFound:
        report.problems.append(VerifyProblem(kind="missing", item=f"case {case_id}",
                                             message=f"case {case_id} does not exist"))
        return report

    # 1. the audit chain (global: one broken link makes every later entry suspect)
    if chain_problems is None:
        chain_problems = [VerifyProblem(kind="chain", item=f"audit #{p.seq}",
                                        message=f"audit entry #{p.seq}: {p.message}")
                          for p in await store.audit.verify()]
    problems += chain_problems
    entries = await store.audit.entries(case_id)
    expected = _expected_from_audit(entries)
    report.audit_entries_checked = len(entries)

    # 2. database rows against the audit log
    actual = {ev.id: ev for ev in evidence}
    for ev_id, exp in expected.items():
        if ev_id not in actual:
            roles = ", ".join(sorted(exp["artifacts"]))
            problems.append(VerifyProblem(
                kind="missing", item=f"evidence {ev_id}",
                message=f"evidence {ev_id} ({exp['kind']}; {roles}) recorded in audit #{exp['seq']} "
                        "is no longer in the database"))
    for ev in evidence:
        exp = expected.get(ev.id)
        if exp is None:
            problems.append(VerifyProblem(
                kind="added", item=f"evidence {ev.id}",
                message=f"evidence {ev.id} ({ev.title!r}) is in the database but was never recorded "
                        "in the audit log"))
            continue
        if (ev.kind.value, ev.category.value) != (exp["kind"], exp["category"]):
            problems.append(VerifyProblem(
                kind="altered", item=f"evidence {ev.id}",
                message=f"evidence {ev.id}: kind/category is {ev.kind.value}/{ev.category.value}, "
                        f"the audit log recorded {exp['kind']}/{exp['category']}"))
        if exp["metadata_sha256"] and sha256_hex(canonical_json(ev.metadata)) != exp["metadata_sha256"]:
            problems.append(VerifyProblem(
                kind="altered", item=f"evidence {ev.id} metadata",
                message=f"evidence {ev.id}: the capture metadata (URLs, time, TLS …) was changed "
                        f"after audit #{exp['seq']}"))
        have = {a.role: a for a in ev.artifacts}
        for role, a in exp["artifacts"].items():
            if role not in have:
                problems.append(VerifyProblem(
                    kind="missing", item=f"{ev.id}/{role}",
                    message=f"evidence {ev.id}: the {role} artifact ({a['sha256'][:12]}…) is gone "
                            "from the database"))
            elif (have[role].sha256, have[role].size) != (a["sha256"], a["size"]):
                problems.append(VerifyProblem(
                    kind="altered", item=f"{ev.id}/{role}",
                    message=f"evidence {ev.id}: the {role} now points at {have[role].sha256[:12]}… "
                            f"({have[role].size} bytes); the audit log recorded {a['sha256'][:12]}… "
                            f"({a['size']} bytes)"))
        for role in have.keys() - exp["artifacts"].keys():
            problems.append(VerifyProblem(
                kind="added", item=f"{ev.id}/{role}",
                message=f"evidence {ev.id}: a {role} artifact appeared that the audit log never recorded"))

    # 3. the bytes: every artifact's blob, re-hashed (file reads: off the event loop)
    problems += await asyncio.to_thread(_check_blobs, store.blobs, evidence)
    report.evidence_checked = len(evidence)
    report.artifacts_checked = sum(len(ev.artifacts) for ev in evidence)

    # 4. the signed manifest
    public, key_problems = await asyncio.to_thread(_public_key, secrets)
    problems += key_problems
    report.public_key_sha256 = public_key_sha256(public)
    stored = await store.manifests.load(case_id)
    signings = [e for e in entries if e.action == "manifest_signed"]
    if stored is None:
        if signings:
            problems.append(VerifyProblem(
                kind="missing", item="manifest",
                message=f"the signed manifest of this case was deleted (last signed at audit "
                        f"#{signings[-1].seq})"))
    else:
        by_seq = {e.seq: e for e in entries}
        problems += _check_manifest(stored, public, signings, actual, by_seq, case_id)
        report.manifest_signed_at = datetime.fromisoformat(stored["signed_at"])

    # 5. every fact an export carries, against the digest of the last audited write
    problems += _fact_problems(await store.audit.fact_changes(case_id), problems)

    # 6. the RFC 3161 tokens: a capture's first hash, the sealed manifest
    stamps = await _timestamp_problems(store, evidence, entries, stored, tolerance_s)
    problems += stamps.problems
    report.timestamps_checked = stamps.checked
    report.manifest_timestamp = stamps.manifest

    report.problems = _dedupe(problems)
    report.ok = not report.problems
    return report


@dataclass
class _Stamps:
    problems: list[VerifyProblem] = field(default_factory=list)
    checked: int = 0
    manifest: str | None = None


def claimed_time(ev: Evidence) -> datetime:
    """When the evidence says it was made: captured (URL), received (tab snapshot), stored."""
    for key in ("captured_at", "received_at"):
        value = ev.metadata.get(key)
        if isinstance(value, str):
            try:
                return datetime.fromisoformat(value)
            except ValueError:
                break
    return ev.created_at


async def _timestamp_problems(store: Store, evidence: list[Evidence], entries: list[AuditEntry],
                              stored: dict[str, str] | None, tolerance_s: float) -> _Stamps:
    from helper.timestamps import check_token
    from helper.timestamps.records import (
        CHAIN_ROLE,
        TOKEN_ROLE,
        first_hash,
        manifest_record,
    )
    from helper.timestamps.tokens import certificates_of

    out = _Stamps()
    added = {(e.data.get("evidence_id"), a.get("role")): datetime.fromisoformat(e.at)
             for e in entries if e.action in ("evidence_added", "artifacts_added")
             for a in e.data.get("artifacts", [])}

    async def check(item: str, what: str, token: bytes, chain_pem: str, sha: str,
                    claimed: datetime | None, added_at: datetime | None) -> None:
        out.checked += 1
        try:
            certs = certificates_of(chain_pem.encode())
        except ValueError:
            certs = []
        if not certs:
            out.problems.append(VerifyProblem(kind="timestamp", item=item,
                                              message=f"{what}: the TSA certificate chain kept with the token is unreadable"))
            return
        result = await check_token(token, sha256_hex=sha, roots=certs[-1:], others=certs[:-1],
                                   claimed_at=claimed, added_at=added_at, tolerance_s=tolerance_s)
        out.problems += [VerifyProblem(kind="timestamp", item=item, message=f"{what}: {p.code}: {p.message}")
                         for p in result.problems]

    for ev in evidence:
        arts = {a.role: a for a in ev.artifacts}
        token, chain, covered = arts.get(TOKEN_ROLE), arts.get(CHAIN_ROLE), first_hash(ev)
        if token is None:
            continue
        if chain is None or covered is None:
            out.problems.append(VerifyProblem(kind="timestamp", item=f"{ev.id}/{TOKEN_ROLE}",
                                              message=f"evidence {ev.id}: a timestamp token without the "
                                                      "capture hash or TSA chain it belongs to"))
            continue
        try:
            data = await asyncio.to_thread(store.blobs.path(token.sha256).read_bytes)
            pem = await asyncio.to_thread(store.blobs.path(chain.sha256).read_text, "utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # a missing or damaged file is named by the blob check
        await check(f"{ev.id}/{TOKEN_ROLE}", f"evidence {ev.id}'s timestamp of its {covered.role}",
                    data, pem, covered.sha256, claimed_time(ev), added.get((ev.id, TOKEN_ROLE)))

    record = manifest_record(stored) if stored else None
    if stored is not None and record is None:
        out.manifest = "not timestamped (none was asked for)"
    elif record is not None and record.get("status") != "timestamped":
        out.manifest = str(record.get("reason") or "not timestamped")
    elif record is not None and stored is not None:
        out.manifest = f"timestamped {record.get('gen_time')} by {record.get('tsa')}"
        try:
            token = base64.b64decode(record["token_b64"], validate=True)
        except (KeyError, ValueError, TypeError):
            token = b""
        stamped = [e for e in entries if e.action == "manifest_timestamped"
                   and e.data.get("manifest_sha256") == sha256_hex(stored["manifest_json"].encode())]
        if not stamped or stamped[-1].data.get("token_sha256") != hashlib.sha256(token).hexdigest():
            out.problems.append(VerifyProblem(kind="timestamp", item="manifest timestamp record",
                                              message="the manifest's timestamp token is not the one the "
                                                      "audit log recorded: it was replaced"))
        await check("manifest timestamp", "the manifest's timestamp", token, str(record.get("chain_pem", "")),
                    sha256_hex(stored["manifest_json"].encode()),
                    datetime.fromisoformat(stored["signed_at"]),
                    datetime.fromisoformat(record["received_at"]) if record.get("received_at") else None)
    return out


def _check_blobs(blobs: BlobStore, evidence: list[Evidence]) -> list[VerifyProblem]:
    problems = []
    for ev in evidence:
        for a in ev.artifacts:
            path = blobs.path(a.sha256)
            if not path.is_file():
                problems.append(VerifyProblem(
                    kind="missing", item=f"{ev.id}/{a.role}",
                    message=f"evidence {ev.id}: the stored file of the {a.role} ({a.sha256[:12]}…) "
                            "was deleted"))
                continue
            size = path.stat().st_size
            digest = blobs.hash_file(a.sha256)
            if digest != a.sha256 or size != a.size:
                problems.append(VerifyProblem(
                    kind="altered", item=f"{ev.id}/{a.role}",
                    message=f"evidence {ev.id}: the {a.role} file ({a.filename}) was modified — its "
                            f"SHA-256 is now {digest[:12]}…, recorded {a.sha256[:12]}… "
                            f"({size} vs {a.size} bytes)"))
    return problems


def _fact_problems(changes: list[str], found: list[VerifyProblem]) -> list[VerifyProblem]:
    """Facts edited in the database directly; evidence already named by the checks above
    is not reported twice."""
    named = " ".join(p.item for p in found)
    out = []
    for change in changes:
        words = change.split()
        if words[0] == "evidence" and words[1] in named:
            continue
        out.append(VerifyProblem(
            kind="altered", item=change.split(" (")[0],
            message=f"{change}: differs from what the audit log recorded at the last change made "
                    "through the helper — it was edited in the database directly"))
    return out


def _check_manifest(stored: dict[str, str], public: Ed25519PublicKey, signings: list[Any],
                    actual: dict[str, Evidence], by_seq: dict[int, Any],
                    case_id: str) -> list[VerifyProblem]:
    problems: list[VerifyProblem] = []
    try:
        manifest = json.loads(stored["manifest_json"])
        signature = base64.b64decode(stored["signature"], validate=True)
    except (ValueError, TypeError):
        return [VerifyProblem(kind="signature", item="manifest",
                              message="the stored manifest or its signature is unreadable")]
    if not verify_signature(manifest, signature, public):
        return [VerifyProblem(kind="signature", item="manifest",
                              message="the case manifest's signature is not valid: the manifest was "
                                      "forged or edited after signing")]
    if manifest.get("case_id") != case_id:
        problems.append(VerifyProblem(kind="signature", item="manifest",
                                      message=f"the manifest is signed for {manifest.get('case_id')}, "
                                              f"not {case_id}"))
    digest = sha256_hex(stored["manifest_json"].encode())
    if signings and signings[-1].data.get("manifest_sha256") != digest:
        problems.append(VerifyProblem(
            kind="signature", item="manifest",
            message=f"the stored manifest is not the one recorded at audit #{signings[-1].seq} "
                    "(an older or substituted manifest)"))
    head = manifest.get("audit_head")
    if head:
        entry = by_seq.get(head["seq"])
        if entry is None or entry.hash != head["hash"]:
            problems.append(VerifyProblem(
                kind="chain", item=f"audit #{head['seq']}",
                message=f"the audit log up to #{head['seq']} is not the one the manifest signed on "
                        f"{manifest.get('generated_at', '?')[:19]}: it was rewritten or truncated"))
    for item in manifest.get("evidence", []):
        ev = actual.get(item["id"])
        if ev is None:
            problems.append(VerifyProblem(
                kind="missing", item=f"evidence {item['id']}",
                message=f"evidence {item['id']} ({item.get('title', '')!r}, "
                        f"{len(item.get('artifacts', []))} files) is in the signed manifest but no "
                        "longer in the database"))
            continue
        have = {a.role: a for a in ev.artifacts}
        for a in item.get("artifacts", []):
            cur = have.get(a["role"])
            if cur is None:
                problems.append(VerifyProblem(
                    kind="missing", item=f"{ev.id}/{a['role']}",
                    message=f"evidence {ev.id}: the {a['role']} in the signed manifest is gone"))
            elif cur.sha256 != a["sha256"] or cur.size != a["size"]:
                problems.append(VerifyProblem(
                    kind="altered", item=f"{ev.id}/{a['role']}",
                    message=f"evidence {ev.id}: the {a['role']} differs from the signed manifest "
                            f"({cur.sha256[:12]}… vs {a['sha256'][:12]}…)"))
        if item.get("metadata_sha256") and \
                sha256_hex(canonical_json(ev.metadata)) != item["metadata_sha256"]:
            problems.append(VerifyProblem(
                kind="altered", item=f"evidence {ev.id} metadata",
                message=f"evidence {ev.id}: the capture metadata differs from the signed manifest"))
    return problems


def _dedupe(problems: list[VerifyProblem]) -> list[VerifyProblem]:
    seen, out = set(), []
    for p in problems:
        key = (p.kind, p.item)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


async def verify_all(store: Store, secrets: Secrets, tolerance_s: float = 300) -> list[VerifyReport]:
    """Every case, with the (global) audit chain walked once."""
    chain = [VerifyProblem(kind="chain", item=f"audit #{p.seq}",
                           message=f"audit entry #{p.seq}: {p.message}")
             for p in await store.audit.verify()]
    reports = []
    offset = 0
    while True:
        page = await store.cases.list(limit=200, offset=offset)
        for summary in page.cases:
            reports.append(await verify_case(store, secrets, summary.id, chain_problems=chain,
                                             tolerance_s=tolerance_s))
        offset += len(page.cases)
        if not page.cases or offset >= page.total:
            break
    return reports
