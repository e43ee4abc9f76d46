"""Start-up repair: evidence a crash left `pending`.

A capture commits its evidence `pending` at acknowledgement and makes it `complete` or
`partial` when its derived artifacts are chained. If the helper stopped in between, the
committed artifacts are intact (blobs are written before rows), but nothing will ever
finish them. At start-up each such item gets a capture log saying so and becomes
`partial`, and its case manifest is signed again — never left half-sealed.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

from helper.models import Artifact, utc_now

if TYPE_CHECKING:
    from helper.secrets import Secrets
    from helper.store import Store

log = logging.getLogger("tousu.capture")

INTERRUPTED = ("interrupted: the helper stopped before this capture finished (found pending at start-up); "
               "the artifacts committed before that are intact, the later ones were never made")


async def repair_pending(store: Store, secrets: Secrets) -> list[str]:
    """Mark every pending evidence item `partial` with a log of why; the ids repaired."""
    import asyncio

    from helper.integrity import seal_case

    repaired, cases = [], set()
    for ev in await store.evidence.pending():
        roles = {a.role for a in ev.artifacts}
        role = "capture_log" if "capture_log" not in roles else "repair_log"
        record = {"evidence_id": ev.id, "status": "partial", "partial_reasons": [INTERRUPTED],
                  "finished_at": utc_now().isoformat(), "repaired_at_startup": True}
        ref = await asyncio.to_thread(store.blobs.put_bytes, json.dumps(
            record, ensure_ascii=False, indent=1, sort_keys=True).encode())
        await store.evidence.add_artifacts(ev.id, [Artifact(
            role=role, sha256=ref.sha256, size=ref.size, media_type="application/json",
            filename="capture-log.json")], "partial")
        repaired.append(ev.id)
        cases.add(ev.case_id)
    for case_id in sorted(cases):
        try:
            await seal_case(store, secrets, case_id)
        except Exception:  # noqa: BLE001 - verify names an unsealed case; the repair stands
            log.exception("could not sign the manifest of %s after the repair", case_id)
    if repaired:
        log.warning("repaired %d capture(s) interrupted by a stop: %s", len(repaired), ", ".join(repaired))
    return repaired
