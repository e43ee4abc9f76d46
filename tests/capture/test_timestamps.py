"""RFC 3161 timestamps: a local TSA on loopback (OpenSSL's `ts -reply` behind aiohttp, with
a test CA made here), the helper's client against it and against authorities that
misbehave, captures timestamped end to end, `verify` naming bad tokens, and
`tousu-helper timestamp` for a case captured without consent."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from asn1crypto import tsp

from helper.config import EvidenceSettings
from helper.integrity import verify_case
from helper.state import SECRETS
from helper.timestamps import NotStamped, Stamp, TsaClient
from tests.capture.conftest import CaptureEnv
from tests.capture.tsa import LocalTsa, start_tsa, unused_port

ITEM = "https://item.taobao.com/capture-item.htm?id=712345678901"
DIGEST = hashlib.sha256(b"the manifest").hexdigest()


@pytest.fixture
async def tsa(tmp_path: Path) -> AsyncIterator[LocalTsa]:
    authority = await start_tsa(tmp_path)
    yield authority
    await authority.stop()


def _settings(tsa: LocalTsa, **changes: object) -> EvidenceSettings:
    values: dict[str, object] = {"timestamps": True, "tsa_urls": [tsa.url],
                                 "tsa_ca_file": str(tsa.authority.ca_file), "tsa_timeout_s": 1}
    return EvidenceSettings.model_validate({**values, **changes})


def openssl_verify(token: bytes, data: bytes, chain_pem: bytes, tmp: Path) -> subprocess.CompletedProcess[str]:
    """What VERIFY.txt tells a reviewer to run."""
    (tmp / "t.tsr").write_bytes(token)
    (tmp / "d.bin").write_bytes(data)
    (tmp / "chain.pem").write_bytes(chain_pem)
    return subprocess.run(["openssl", "ts", "-verify", "-in", str(tmp / "t.tsr"), "-data", str(tmp / "d.bin"),
                           "-CAfile", str(tmp / "chain.pem")], capture_output=True, text=True, timeout=30,
                          check=False)


# -- the client --------------------------------------------------------------------------

async def test_only_the_hash_leaves_and_the_token_verifies_with_openssl(tsa: LocalTsa, tmp_path: Path) -> None:
    stamp = await TsaClient(_settings(tsa)).stamp(DIGEST)
    assert isinstance(stamp, Stamp), stamp
    request = tsp.TimeStampReq.load(tsa.requests[-1])
    sent = request.native
    assert {k for k, v in sent.items() if v is not None} == {"version", "message_imprint", "nonce", "cert_req"}
    assert sent["message_imprint"] == {"hash_algorithm": {"algorithm": "sha256", "parameters": None},
                                       "hashed_message": bytes.fromhex(DIGEST)}
    assert len(tsa.requests[-1]) < 100  # an imprint, a nonce, a flag: nothing of the content
    assert stamp.tsa_subject and "Tousu Test TSA" in stamp.tsa_subject
    assert abs(stamp.clock_offset_s) < 2  # OpenSSL's time has whole seconds
    result = openssl_verify(stamp.response, b"the manifest", stamp.chain_pem.encode(), tmp_path)
    assert result.returncode == 0 and "Verification: OK" in result.stdout, result.stderr
    assert openssl_verify(stamp.response, b"another manifest", stamp.chain_pem.encode(), tmp_path).returncode != 0


@pytest.mark.parametrize(("mode", "reason"), [
    ("garbage", "not an RFC 3161 timestamp response"),
    ("error", "answered HTTP 503"),
    ("other_hash", "a token for another file"),
    ("untrusted", "does not chain to a trusted time-stamping root"),
])
async def test_a_misbehaving_authority_is_named_and_nothing_is_accepted(
        tsa: LocalTsa, mode: str, reason: str) -> None:
    tsa.mode = mode
    result = await TsaClient(_settings(tsa)).stamp(DIGEST)
    assert isinstance(result, NotStamped)
    assert tsa.url in result.reason and reason in result.reason
    assert result.record() == {"status": "not_timestamped", "imprint_sha256": DIGEST,
                               "reason": result.reason, "at": result.at.isoformat()}


async def test_authorities_are_tried_in_order_each_with_its_timeout(tsa: LocalTsa) -> None:
    down = f"http://127.0.0.1:{unused_port()}/tsr"
    slow = await start_tsa_copy(tsa, delay_s=3)
    try:
        settings = _settings(tsa, tsa_urls=[down, slow.url, tsa.url])
        result = await TsaClient(settings).stamp(DIGEST)
        assert isinstance(result, Stamp) and result.tsa_url == tsa.url
        settings.tsa_urls = [down, slow.url]
        result = await TsaClient(settings).stamp(DIGEST)
        assert isinstance(result, NotStamped)
        assert f"{down}: cannot be reached" in result.reason
        assert f"{slow.url}: no answer within 1 s" in result.reason
    finally:
        await slow.stop()


async def start_tsa_copy(tsa: LocalTsa, delay_s: float) -> LocalTsa:
    """Another endpoint of the same authority, slower than the timeout."""
    return await LocalTsa(tsa.authority, tsa.rogue, delay_s=delay_s).start()


# -- captures, verify and the timestamp command -------------------------------------------

def _use(env: CaptureEnv, evidence: EvidenceSettings) -> None:
    """The [evidence] settings of the running helper (config.toml's, as the daemon holds them)."""
    env.service.settings.evidence = evidence
    env.service.tsa.settings = evidence


async def _captured(env: CaptureEnv) -> dict:
    job = await env.wait((await env.capture({"url": ITEM}))["id"])
    assert job["state"] == "done", job
    await env.service.idle()  # the manifest's token is fetched after the last seal
    return await env.evidence(job["evidence_id"])


async def test_a_capture_and_its_manifest_are_timestamped(env: CaptureEnv, tsa: LocalTsa, tmp_path: Path) -> None:
    _use(env, _settings(tsa))
    ev = await _captured(env)
    roles = {a["role"]: a for a in ev["artifacts"]}
    assert {"timestamp", "timestamp_chain"} <= set(roles)
    html = await env.artifact(ev["id"], "html")
    token = await env.artifact(ev["id"], "timestamp")
    chain = await env.artifact(ev["id"], "timestamp_chain")
    assert roles["timestamp"]["filename"] == "page.html.tsr"
    result = openssl_verify(token, html, chain, tmp_path)
    assert result.returncode == 0, result.stderr
    log = json.loads(await env.artifact(ev["id"], "capture_log"))
    assert log["facts"]["timestamp"]["status"] == "timestamped"
    assert log["facts"]["timestamp"]["imprint_sha256"] == roles["html"]["sha256"]

    stored = await env.store.manifests.load(env.case_id)
    manifest = json.loads(stored["manifest_json"])
    assert manifest["timestamping"]["requested"] is True
    record = json.loads(stored["timestamp_json"])
    assert record["status"] == "timestamped"
    assert record["imprint_sha256"] == hashlib.sha256(stored["manifest_json"].encode()).hexdigest()
    assert openssl_verify(base64.b64decode(record["token_b64"]), stored["manifest_json"].encode(),
                          record["chain_pem"].encode(), tmp_path).returncode == 0

    report = await verify_case(env.store, env.api.app[SECRETS], env.case_id)
    assert report.ok, report.problems
    assert report.timestamps_checked == 2
    assert report.manifest_timestamp and "Tousu Test TSA" in report.manifest_timestamp


async def test_an_upload_seals_a_timestamped_manifest_too(env: CaptureEnv, tsa: LocalTsa, tmp_path: Path) -> None:
    """Uploads are sealed like captures: with the buyer's consent, the new manifest gets a token."""
    _use(env, _settings(tsa))
    await env.api.json("POST", f"/cases/{env.case_id}/evidence", expect=201,
                       data={"file": io.BytesIO(b"\x89PNG photo of the box"), "title": "外包装照片"})
    await env.service.idle()
    stored = await env.store.manifests.load(env.case_id)
    assert [e["title"] for e in json.loads(stored["manifest_json"])["evidence"]] == ["外包装照片"]
    record = json.loads(stored["timestamp_json"])
    assert record["status"] == "timestamped"
    assert openssl_verify(base64.b64decode(record["token_b64"]), stored["manifest_json"].encode(),
                          record["chain_pem"].encode(), tmp_path).returncode == 0


async def test_without_consent_nothing_is_sent_and_the_manifest_says_so(env: CaptureEnv, tsa: LocalTsa) -> None:
    _use(env, _settings(tsa, timestamps=False))
    ev = await _captured(env)
    assert not tsa.requests
    assert "timestamp" not in {a["role"] for a in ev["artifacts"]}
    log = json.loads(await env.artifact(ev["id"], "capture_log"))
    assert log["facts"]["timestamp"]["status"] == "not_timestamped"
    assert "not agreed" in log["facts"]["timestamp"]["reason"]
    stored = await env.store.manifests.load(env.case_id)
    assert json.loads(stored["manifest_json"])["timestamping"] == {
        "requested": False, "note": log["facts"]["timestamp"]["reason"]}
    assert stored["timestamp_json"] is None
    report = await verify_case(env.store, env.api.app[SECRETS], env.case_id)
    assert report.ok and report.timestamps_checked == 0
    assert report.manifest_timestamp == "not timestamped (none was asked for)"


async def test_a_tsa_that_is_down_leaves_the_capture_whole_and_says_why(env: CaptureEnv) -> None:
    down = f"http://127.0.0.1:{unused_port()}/tsr"
    _use(env, EvidenceSettings(timestamps=True, tsa_urls=[down], tsa_timeout_s=1))
    ev = await _captured(env)
    assert ev["status"] == "complete"
    assert {"html", "mhtml", "screenshot", "pdf", "capture_log"} <= {a["role"] for a in ev["artifacts"]}
    log = json.loads(await env.artifact(ev["id"], "capture_log"))
    assert log["facts"]["timestamp"]["status"] == "not_timestamped"
    assert f"{down}: cannot be reached" in log["facts"]["timestamp"]["reason"]
    stored = await env.store.manifests.load(env.case_id)
    record = json.loads(stored["timestamp_json"])
    assert record["status"] == "not_timestamped" and down in record["reason"]
    report = await verify_case(env.store, env.api.app[SECRETS], env.case_id)
    assert report.ok and down in (report.manifest_timestamp or "")


async def test_verify_names_a_replaced_forged_or_skewed_manifest_token(env: CaptureEnv, tsa: LocalTsa) -> None:
    _use(env, _settings(tsa))
    await _captured(env)
    store, secrets = env.store, env.api.app[SECRETS]
    stored = await store.manifests.load(env.case_id)
    record = json.loads(stored["timestamp_json"])
    token = bytearray(base64.b64decode(record["token_b64"]))
    token[-40] ^= 0x01  # a byte of the signature

    def edit(sql: str, *args: object) -> None:
        import sqlite3

        with sqlite3.connect(store.path) as conn:
            conn.execute(sql, args)

    forged = {**record, "token_b64": base64.b64encode(bytes(token)).decode()}
    edit("UPDATE manifests SET timestamp_json = ? WHERE case_id = ?", json.dumps(forged), env.case_id)
    report = await verify_case(store, secrets, env.case_id)
    messages = [p.message for p in report.problems if p.kind == "timestamp"]
    assert any("it was replaced" in m for m in messages), messages
    assert any("forged" in m for m in messages), messages

    # a genuine token whose time is 2 hours off this computer's clock
    tsa.mode, tsa.skew = "skew", dt.timedelta(hours=2)
    from helper.timestamps.stamping import stamp_manifest

    edit("UPDATE manifests SET timestamp_json = NULL WHERE case_id = ?", env.case_id)
    await stamp_manifest(store, env.service.tsa, env.case_id)
    report = await verify_case(store, secrets, env.case_id, tolerance_s=300)
    skew = [p for p in report.problems if p.kind == "timestamp"]
    assert len(skew) == 1 and "clock_skew" in skew[0].message and "300 s tolerance" in skew[0].message
    assert (await verify_case(store, secrets, env.case_id, tolerance_s=3 * 3600)).ok


async def test_the_timestamp_command_covers_a_case_captured_without_consent(
        env: CaptureEnv, tsa: LocalTsa, tmp_path: Path) -> None:
    from helper.cli import main

    _use(env, _settings(tsa, timestamps=False))
    ev = await _captured(env)
    assert not tsa.requests
    data_dir = env.service.settings.data_dir
    (data_dir / "config.toml").write_text(
        f'[evidence]\ntsa_urls = ["{tsa.url}"]\ntsa_ca_file = "{tsa.authority.ca_file}"\n', encoding="utf-8")
    import asyncio

    code = await asyncio.to_thread(main, ["timestamp", env.case_id, "--data-dir", str(data_dir), "--json"])
    assert code == 0
    assert len(tsa.requests) == 2  # the capture's first hash, then the re-sealed manifest
    after = await env.evidence(ev["id"])
    assert {"timestamp", "timestamp_chain"} <= {a["role"] for a in after["artifacts"]}
    record = json.loads((await env.store.manifests.load(env.case_id))["timestamp_json"])
    assert record["status"] == "timestamped" and record["late"] is True
    report = await verify_case(env.store, env.api.app[SECRETS], env.case_id)
    assert report.ok, report.problems
    assert report.timestamps_checked == 2
    # nothing new to cover: no request, still fine
    assert await asyncio.to_thread(main, ["timestamp", env.case_id, "--data-dir", str(data_dir)]) == 0
    assert len(tsa.requests) == 2
