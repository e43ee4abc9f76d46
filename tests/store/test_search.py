"""Case search: the trigram index (3+ characters) and the character-pair table (2) find
exactly what a plain substring scan finds; a store made by an older helper is upgraded
in place, its cases searchable and their agenda and facts recorded."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

from helper.complaint.agenda import Agenda
from helper.models import CHINA_TZ, ComplaintSettings, Order, utc_now
from helper.store import Store
from helper.store.migrations import MIGRATIONS
from tests.conftest import sample_order

TITLES = ["无线蓝牙耳机 降噪版", "有机纯牛奶 12盒", "Apple AirPods Pro", "不锈钢保温杯 500ml", "耳机保护套"]
QUERIES = ["耳机", "牛奶", "机 ", "ai", "AIR", "pods", "保温杯", "500", "12盒", "8", "88", "天猫", "好物数码",
           "降噪版", "版", "not there", "00000000000000001"]


async def test_indexed_search_finds_what_a_substring_scan_finds(tmp_path: Path) -> None:
    store = Store(tmp_path)
    try:
        orders = []
        for i in range(40):
            oid = f"{8 * 10**18 + i * 7}"
            orders.append(Order.model_validate(sample_order(
                oid, shop_name="天猫超市" if i % 4 == 0 else "好物数码旗舰店",
                items=[{"sub_order_id": oid, "title": TITLES[i % 5] + f" {i}"}])))
        await store.cases.upsert_many(orders)
        # a changed title must leave the index: the old words no longer find the case
        await store.cases.upsert(Order.model_validate(sample_order(
            orders[0].order_id, items=[{"sub_order_id": orders[0].order_id, "title": "儿童书包"}])))
        texts = {}
        for summary in (await store.cases.list(limit=500)).cases:
            o = (await store.cases.get(summary.id)).order
            fields = [o.order_id, o.shop_name, o.seller_nick] + [x for i in o.items for x in (i.sub_order_id, i.title)]
            texts[summary.id] = "\n".join(filter(None, fields)).lower()
        for q in QUERIES:
            expected = {cid for cid, text in texts.items() if q.lower() in text}
            found = {c.id for c in (await store.cases.list(q=q, limit=500)).cases}
            assert found == expected, q
        assert (await store.cases.list(q="书包")).total == 1
        assert (await store.cases.list(q="耳机")).total == 15
    finally:
        store.close()


async def test_a_store_from_an_older_helper_is_upgraded(tmp_path: Path) -> None:
    raw = sqlite3.connect(tmp_path / "tousu.sqlite3", isolation_level=None)
    for number, script in enumerate(MIGRATIONS[:3], start=1):
        raw.executescript(f"BEGIN;\n{script}\nPRAGMA user_version={number};\nCOMMIT;")
    received = (utc_now() - timedelta(days=5)).astimezone(CHINA_TZ).isoformat(timespec="seconds")
    order = Order.model_validate(sample_order(received_at=received))
    raw.execute("INSERT INTO cases (id, order_id, platform, status, order_json, shop_name, title, search_text,"
                " created_at, updated_at) VALUES ('case-old000000001', ?, 'taobao', 'open', ?, ?, ?, ?, ?, ?)",
                (order.order_id, order.model_dump_json(exclude_none=True), order.shop_name, order.items[0].title,
                 f"{order.order_id}\n{order.shop_name}\n{order.items[0].title}".lower(),
                 utc_now().isoformat(), utc_now().isoformat()))
    raw.close()
    agenda = Agenda(ComplaintSettings())
    store = Store(tmp_path, agenda=agenda.plan)
    try:
        assert [c.id for c in (await store.cases.list(q="蓝牙耳机")).cases] == ["case-old000000001"]
        assert [c.id for c in (await store.cases.list(q="耳机")).cases] == ["case-old000000001"]
        assert await store.agenda.rebuild_if_stale(agenda.fingerprint) == 1
        assert (await agenda.reminders(store, utc_now())).count >= 1
        assert await store.audit.fact_changes("case-old000000001") == []
    finally:
        store.close()
