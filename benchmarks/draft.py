"""Draft generation benchmark: a quality-problem case with 20 evidence items, per channel.

Prints one JSON document. The target (issues 4 and 11) is p50 < 5 ms for `draft.build` on
a case with 20 evidence items, four dated facts and notes, for every channel (seller,
platform, regulator, association, court). Measured in the same run:
- `draft_20_evidence`: the engine alone (order + evidence already loaded), platform channel;
- `channels`: the same case drafted for each channel (the regulator, association and court
  drafts with the buyer's details, so their party sections are rendered too);
- `baseline_minimal`: the same engine on a case with no evidence, facts or notes, so the
  ratio shows what evidence and buyer text cost on this machine;
- `lint_1k_chars`: the tone linter on 1,000 characters of buyer text;
- `store_round_trip`: list evidence + build + save_draft in real SQLite (WAL,
  synchronous=FULL: dominated by the fsync of the commit, reported for context).
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from benchmarks import percentiles
from helper.complaint import catalog, draft
from helper.complaint.tone import lint
from helper.models import (
    Artifact,
    Channel,
    ComplaintSettings,
    DraftRequest,
    EvidenceCategory,
    EvidenceKind,
    Order,
    utc_now,
)
from helper.store import Store
from tests.conftest import sample_order

CATEGORIES = list(EvidenceCategory)
FACTS = [
    {"date": "2025-11-10", "text": "开箱后发现左耳机无声音，重新配对三次结果相同。"},
    {"date": "2025-11-11T09:30:00+08:00", "text": "通过旺旺联系客服，客服要求寄回检测，但未说明运费由谁承担。"},
    {"date": "2025-11-12", "text": "按客服要求拍摄了问题视频并上传。"},
    {"date": "2025-11-13", "text": "客服称需要等待售后专员处理，至今未收到处理方案。"},
]
REQUEST = DraftRequest.model_validate({
    "complaint_type": "quality_problem", "demand": {"kind": "return_refund"}, "facts": FACTS,
    "notes": "耳机右耳正常，充电仓指示灯正常。" * 5, "form_limit": 200})
MINIMAL = DraftRequest.model_validate({"complaint_type": "quality_problem", "demand": {"kind": "return_refund"}})
PARTIES = {"complainant": {"name": "李明", "phone": "13912345678", "address": "杭州市西湖区文三路 100 号"},
           "respondent": {"operator_name": "杭州好物数码科技有限公司", "operator_address": "杭州市余杭区文一西路 969 号"}}
WITH_PARTIES = DraftRequest.model_validate({**REQUEST.model_dump(mode="json", exclude_none=True), **PARTIES})
BY_CHANNEL = {channel: (WITH_PARTIES if channel in (Channel.regulator, Channel.association, Channel.court)
                        else REQUEST).model_copy(update={"channel": channel}) for channel in Channel}


def _percentiles(samples: list[float]) -> dict[str, float]:
    cuts = percentiles(samples, 50, 95)
    return {"median_ms": round(cuts[50] * 1000, 4), "p50_ms": round(cuts[50] * 1000, 4),
            "p95_ms": round(cuts[95] * 1000, 4), "runs": len(samples)}


def _time(fn: Callable[[], object], runs: int, warmup: int = 20) -> dict[str, float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return _percentiles(samples)


async def _case_with_evidence(store: Store, n: int) -> str:
    order = Order.model_validate(sample_order(shipped_at="2025-11-09T10:00:00+08:00",
                                              received_at="2025-11-10T14:02:00+08:00"))
    case, _, _ = await store.cases.upsert(order)
    for i in range(n):
        ref = store.blobs.put_bytes(f"evidence {i}".encode())
        await store.evidence.add(case.id, kind=EvidenceKind.upload, category=CATEGORIES[i % len(CATEGORIES)],
                           title=f"证据{i + 1}.jpg", artifacts=[Artifact(
                               role="original", sha256=ref.sha256, size=ref.size, media_type="image/jpeg",
                               filename=f"{i + 1}.jpg")])
    return case.id


async def _atime(fn: Callable[[], Awaitable[object]], runs: int, warmup: int = 20) -> dict[str, float]:
    for _ in range(warmup):
        await fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        await fn()
        samples.append(time.perf_counter() - start)
    return _percentiles(samples)


async def main() -> dict[str, Any]:
    index, settings = catalog.load(), ComplaintSettings()
    now = utc_now()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp))
        try:
            case_id = await _case_with_evidence(store, 20)
            case, evidence = await store.cases.get(case_id), await store.evidence.list(case_id)
            full = _time(lambda: draft.build(case, evidence, REQUEST, index, settings, now), runs=500)
            channels = {channel.value: _time(lambda r=request: draft.build(case, evidence, r, index, settings, now),
                                             runs=300)
                        for channel, request in BY_CHANNEL.items()}
            minimal = _time(lambda: draft.build(case, [], MINIMAL, index, settings, now), runs=500)
            text = ("开箱后发现左耳机无声音，重新配对三次结果相同。客服说要寄回检测！！" * 40)[:1000]
            linted = _time(lambda: lint(text), runs=500)

            async def round_trip() -> None:
                content = draft.build(await store.cases.get(case_id), await store.evidence.list(case_id), REQUEST,
                                      index, settings, now + timedelta(seconds=1))
                await store.drafts.save(case_id, REQUEST, content)

            stored = await _atime(round_trip, runs=50, warmup=3)
        finally:
            store.close()
    return {
        "benchmark": "draft",
        "case": {"evidence_items": 20, "facts": len(FACTS), "form_limit": 200},
        "draft_20_evidence": full,
        "channels": channels,
        "baseline_minimal": minimal,
        "ratio_p50_vs_minimal": round(full["p50_ms"] / minimal["p50_ms"], 2),
        "lint_1k_chars": linted,
        "store_round_trip": stored,
        "target": {"p50_ms_below": 5, "met": all(c["p50_ms"] < 5 for c in [full, *channels.values()])},
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main()), ensure_ascii=False, indent=2))
