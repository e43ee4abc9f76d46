"""Timestamping what the archive holds: a capture's first committed hash and each sealed
case manifest (where each is kept: records.py).

* A capture's first committed artifact (the DOM at `load`, or a tab snapshot's HTML as
  received) is the earliest hash of its evidence. Its token is kept as two artifacts of
  the evidence — `timestamp` (the DER response: `openssl ts -verify -in`) and
  `timestamp_chain` (the TSA certificates it was checked against, PEM: `-CAfile`) — so
  the audit log, the signed manifest, `verify` and the export carry it like any file.
* A sealed manifest's token is kept with the manifest (`store.manifests.add_timestamp`,
  audited as `manifest_timestamped`); a newer seal replaces both, and is timestamped in
  turn. `ManifestStamper` asks after each seal, one request per case at a time: seals
  made while one is out are covered by one more request, for the newest manifest.
"""

from __future__ import annotations

import asyncio
import base64
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from helper.models import Artifact
from helper.store.hashing import sha256_hex
from helper.timestamps.client import NotStamped, Stamp, TsaClient
from helper.timestamps.records import (
    CHAIN_MEDIA,
    CHAIN_ROLE,
    TOKEN_MEDIA,
    TOKEN_ROLE,
    first_hash,
    has_token,
    manifest_record,
)

if TYPE_CHECKING:
    from helper.store import Store

log = logging.getLogger("tousu.timestamps")

async def token_artifacts(store: Store, stamp: Stamp, covered: Artifact) -> list[Artifact]:
    """The token and its chain as blobs, named after the file they cover."""
    refs = []
    for data, role, media, name in (
            (stamp.response, TOKEN_ROLE, TOKEN_MEDIA, f"{covered.filename}.tsr"),
            (stamp.chain_pem.encode(), CHAIN_ROLE, CHAIN_MEDIA, "tsa-chain.pem")):
        ref = await asyncio.to_thread(store.blobs.put_bytes, data)
        refs.append(Artifact(role=role, sha256=ref.sha256, size=ref.size, media_type=media, filename=name))
    return refs


async def stamp_manifest(store: Store, client: TsaClient, case_id: str, *,
                         late: bool = False) -> Stamp | NotStamped | None:
    """A token for the case's latest sealed manifest (None: it has none, or it changed
    while the token was fetched — the newer one is then stamped by whoever sealed it)."""
    stored = await store.manifests.load(case_id)
    if stored is None:
        return None
    digest = sha256_hex(stored["manifest_json"].encode())
    result = await client.stamp(digest, late=late)
    record = result.record()
    if isinstance(result, Stamp):
        record |= {"token_b64": base64.b64encode(result.response).decode(), "chain_pem": result.chain_pem}
    if not await store.manifests.add_timestamp(case_id, digest, record):
        return None
    return result


@dataclass
class CaseStamps:
    """What `tousu-helper timestamp` (or the UI button) added to one case."""

    evidence: list[tuple[str, Stamp | NotStamped]]
    manifest: Stamp | NotStamped | None
    """None: the manifest already had a token and nothing new needed one."""

    @property
    def ok(self) -> bool:
        return all(isinstance(r, Stamp) for _, r in self.evidence) and not isinstance(self.manifest, NotStamped)


async def stamp_case(store: Store, secrets: Any, client: TsaClient, case_id: str) -> CaseStamps:
    """Tokens for every capture of the case without one (late: they prove existence from
    now on), then a fresh seal — the manifest now lists those tokens — and its token.
    A manifest that already has a token and no new evidence token is left as it is."""
    from helper.integrity import seal_case

    results: list[tuple[str, Stamp | NotStamped]] = []
    for ev in await store.evidence.list(case_id):
        covered = first_hash(ev)
        if covered is None or has_token(ev):
            continue
        result = await client.stamp(covered.sha256, late=True)
        if isinstance(result, Stamp):
            await store.evidence.add_artifacts(ev.id, await token_artifacts(store, result, covered), ev.status)
        results.append((ev.id, result))
    stored = await store.manifests.load(case_id)
    record = manifest_record(stored)
    if stored is None or any(isinstance(r, Stamp) for _, r in results) or not (record and "token_b64" in record):
        await seal_case(store, secrets, case_id, timestamping=True)
        return CaseStamps(results, await stamp_manifest(store, client, case_id, late=True))
    return CaseStamps(results, None)


class ManifestStamper:
    """After each seal of a case, a token for its latest manifest (when the buyer agreed)."""

    def __init__(self, store: Store, client: TsaClient,
                 spawn: Callable[[Coroutine[Any, Any, None]], asyncio.Task[None]]) -> None:
        self.store, self.client, self._spawn = store, client, spawn
        self._running: dict[str, asyncio.Task[None]] = {}
        self._again: set[str] = set()

    def sealed(self, case_id: str) -> None:
        if not self.client.agreed:
            return
        if case_id in self._running:
            self._again.add(case_id)
            return
        self._running[case_id] = self._spawn(self._run(case_id))

    async def _run(self, case_id: str) -> None:
        try:
            while True:
                self._again.discard(case_id)
                try:
                    await stamp_manifest(self.store, self.client, case_id)
                except Exception:
                    log.exception("could not timestamp the manifest of %s", case_id)
                if case_id not in self._again:
                    return
        finally:
            self._running.pop(case_id, None)

    async def idle(self) -> None:
        """Wait until no manifest token is being fetched."""
        while self._running:
            await asyncio.wait(list(self._running.values()))
