"""Before an export: a draft older than the case's newest evidence is made again.

A draft describes the evidence the case held when it was written ("目前尚未保存证据" in a
bundle full of evidence is wrong on its face). The export regenerates it from the request
that produced it, as a new version; when that request no longer yields a draft (the
demand check now blocks it), the export refuses with a plain message instead of shipping
a text that contradicts the bundle.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from helper.models import ComplaintSettings, Draft, utc_now

if TYPE_CHECKING:
    from helper.store import Store


class StaleDraft(Exception):
    """The latest draft is older than the newest evidence and cannot be made again."""


async def refresh_stale_draft(store: Store, case_id: str, settings: ComplaintSettings) -> Draft | None:
    """The new version when the latest draft predates the newest evidence, else None."""
    from helper import anchor as evidence_anchor
    from helper.complaint import catalog, draft

    from helper.store import CaseNotFound

    try:
        found = await store.drafts.get(case_id)
    except CaseNotFound:
        return None  # the export itself names the missing case
    if found is None:
        return None
    request, latest = found
    evidence = await store.evidence.list(case_id)
    newest = max((e.created_at for e in evidence), default=None)
    if newest is None or latest.generated_at >= newest:
        return None
    case = await store.cases.get(case_id)
    anchor = await evidence_anchor.line_for(store, case_id, request.language.value)
    try:
        content = await asyncio.to_thread(draft.build, case, evidence, request, catalog.load(), settings, utc_now(),
                                          anchor)
    except (draft.DraftRejected, KeyError) as exc:
        reason = "; ".join(r.message for r in exc.check.reasons if r.level == "block") \
            if isinstance(exc, draft.DraftRejected) else f"item {exc} is no longer part of the order"
        raise StaleDraft(
            f"draft version {latest.version} of case {case_id} was written before the newest evidence "
            f"({newest.isoformat(timespec='seconds')}) and cannot be made again from the same request ({reason}): "
            "generate a new draft in the 投诉助手 panel, then export") from None
    return await store.drafts.save(case_id, request, content)
