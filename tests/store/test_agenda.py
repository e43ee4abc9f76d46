"""The agenda the store keeps per case: the deadline sort and the reminders agree with a
brute-force computation over every case, page by page, with filters."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from helper.complaint.agenda import Agenda
from helper.models import CHINA_TZ, CasePatch, CaseStatus, ComplaintSettings, Order, utc_now
from helper.store import Store
from tests.conftest import sample_order


async def _world(tmp_path: Path) -> tuple[Store, Agenda, list[str]]:
    agenda = Agenda(ComplaintSettings())
    store = Store(tmp_path, agenda=agenda.plan)
    now = utc_now()
    ids = []
    for i in range(30):
        fields = {"shop_name": "天猫超市" if i % 3 == 0 else "好物数码旗舰店"}
        if i % 5 != 4:  # every fifth case has no dates at all: no deadline
            fields["received_at"] = (now - timedelta(days=i * 7 % 40, hours=i)).astimezone(CHINA_TZ).isoformat()
        case, _, _ = await store.cases.upsert(Order.model_validate(sample_order(f"{9 * 10**18 + i}", **fields)))
        if i % 7 == 3:
            await store.cases.patch(case.id, CasePatch(status=CaseStatus.resolved))
        ids.append(case.id)
    return store, agenda, ids


async def _expected(store: Store, now, **filters) -> list[str]:  # noqa: ANN001
    everything = (await store.cases.list(limit=1000, **filters)).cases
    nexts = await store.agenda.next_deadlines([c.id for c in everything], now)
    with_deadline = sorted((c for c in everything if c.id in nexts), key=lambda c: (nexts[c.id].ends_at, c.id))
    without = [c for c in everything if c.id not in nexts]  # already newest change first
    return [c.id for c in with_deadline + without]


async def test_deadline_sort_pages_match_a_full_sort(tmp_path: Path) -> None:
    store, _, _ = await _world(tmp_path)
    try:
        now = utc_now()
        for filters in ({}, {"q": "天猫超市"}, {"status": CaseStatus.open}):
            expected = await _expected(store, now, **filters)
            assert len(expected) >= 8
            for offset in range(0, len(expected) + 3, 3):
                page = await store.cases.list_by_deadline(now, limit=4, offset=offset, **filters)
                assert [c.id for c in page.cases] == expected[offset:offset + 4], (filters, offset)
                assert page.total == len(expected)
    finally:
        store.close()


async def test_reminders_match_each_case_computed_alone(tmp_path: Path) -> None:
    store, agenda, ids = await _world(tmp_path)
    try:
        now = utc_now()
        for within in (0, 3, 10):
            listed = await agenda.reminders(store, now, within)
            alone = [r for case_id in ids
                     for r in agenda.for_case(await store.cases.get(case_id), now, within)]
            key = lambda r: (r.case_id, r.key)  # noqa: E731
            assert sorted(map(key, listed.reminders)) == sorted(map(key, alone))
            assert listed.count == len(alone)
        assert (await agenda.reminders(store, now, 10)).count > 0, "the world has due reminders"
    finally:
        store.close()
