"""GET /api/v1/ui/cases: search, status and platform filters, nearest-deadline sort."""

from __future__ import annotations

from tests.conftest import Api, sample_order


def _order(order_id: str, received: str | None, **fields: object) -> dict:
    items = [{"sub_order_id": order_id, "title": f"商品 {order_id[-2:]}"}]
    extra = {"received_at": received} if received else {}
    return sample_order(order_id, items=items, **extra, **fields)


async def test_filters_and_deadline_sort(api: Api) -> None:
    from helper.models import utc_now

    year = utc_now().year
    soon = f"{year}-01-01T10:00:00+08:00"      # quality limitation ends two years later
    later = f"{year}-06-01T10:00:00+08:00"
    ids = {}
    for oid, received, fields in [("6000000000000000001", later, {"platform": "tmall"}),
                                  ("6000000000000000002", None, {}),
                                  ("6000000000000000003", soon, {"shop_name": "母婴优选"})]:
        ids[oid] = (await api.json("POST", "/orders", expect=201, json=_order(oid, received, **fields)))["case"]["id"]

    everything = await api.json("GET", "/ui/cases")
    assert everything["total"] == 3
    assert all("next_deadline" in c for c in everything["cases"])
    tmall = await api.json("GET", "/ui/cases?platform=tmall")
    assert [c["order_id"] for c in tmall["cases"]] == ["6000000000000000001"]
    shop = await api.json("GET", "/ui/cases?q=母婴")
    assert [c["order_id"] for c in shop["cases"]] == ["6000000000000000003"]

    ranked = await api.json("GET", "/ui/cases?sort=deadline")
    order = [c["order_id"] for c in ranked["cases"]]
    assert order[-1] == "6000000000000000002"  # no dates, no deadline: last
    deadlines = [c["next_deadline"]["ends_at"] for c in ranked["cases"] if c["next_deadline"]]
    assert deadlines == sorted(deadlines) and len(deadlines) == 2
    page2 = await api.json("GET", "/ui/cases?sort=deadline&limit=1&offset=1")
    assert [c["order_id"] for c in page2["cases"]] == [order[1]] and page2["total"] == 3

    # a resolved case has nothing due; the change is picked up (the cache follows updated_at)
    await api.json("PATCH", f"/cases/{ids['6000000000000000003']}", json={"status": "resolved"})
    resolved = await api.json("GET", "/ui/cases?status=resolved&sort=deadline")
    assert resolved["cases"][0]["next_deadline"] is None

    bad = await api.get("/ui/cases?sort=price")
    assert bad.status == 422
