"""/cases/{id}/draft-state and /cases/{id}/stated-dates: one set of draft choices per case,
shared by every client, and the dates the buyer stated, merged into the order and kept as
the buyer's word."""

from helper.state import STORE

from tests.conftest import Api, sample_order

MULTI = "2938475610293847561"
SUBS = ["2938475610293847562", "2938475610293847563"]


async def _case(api: Api) -> dict:
    order = sample_order(MULTI, platform="tmall", items=[{"sub_order_id": s, "title": t, "unit_price": p, "quantity": q}
                                                         for s, t, p, q in zip(SUBS, ["四件套", "枕头"], ["79.14", "28.00"], [2, 1])])
    return (await api.json("POST", "/orders", expect=201, json=order))["case"]


async def test_choices_start_empty_and_fields_change_independently(api: Api) -> None:
    case = await _case(api)
    state = await api.json("GET", f"/cases/{case['id']}/draft-state")
    assert state["revision"] == 0 and state["choices"] == {k: None for k in state["choices"]}
    # one tab picks the type, another the items: both changes stay
    await api.json("PATCH", f"/cases/{case['id']}/draft-state", json={"complaint_type": "quality_problem"})
    state = await api.json("PATCH", f"/cases/{case['id']}/draft-state", json={"sub_order_ids": [SUBS[1]], "notes": "枕头塌陷"})
    assert state["revision"] == 2
    assert state["choices"]["complaint_type"] == "quality_problem"
    assert state["choices"]["sub_order_ids"] == [SUBS[1]] and state["choices"]["notes"] == "枕头塌陷"
    # back to the whole order; a change that changes nothing is not a new revision
    state = await api.json("PATCH", f"/cases/{case['id']}/draft-state", json={"sub_order_ids": None})
    assert state["choices"]["sub_order_ids"] is None and state["revision"] == 3
    again = await api.json("PATCH", f"/cases/{case['id']}/draft-state", json={"sub_order_ids": None})
    assert again["revision"] == 3
    assert (await api.json("GET", f"/cases/{case['id']}/draft-state")) == again


async def test_items_and_versions_must_exist(api: Api) -> None:
    case = await _case(api)
    body = await api.json("PATCH", f"/cases/{case['id']}/draft-state", expect=422, json={"sub_order_ids": ["1234567890123456789"]})
    assert body["error"]["code"] == "unknown_sub_order"
    body = await api.json("PATCH", f"/cases/{case['id']}/draft-state", expect=422, json={"draft_version": 3})
    assert body["error"]["code"] == "unknown_draft_version"
    body = await api.json("PATCH", f"/cases/{case['id']}/draft-state", expect=422, json={"sub_order_ids": [int(SUBS[0])]})
    assert body["error"]["code"] == "invalid_request"
    assert (await api.json("GET", "/cases/case_nope/draft-state", expect=404))["error"]["code"] == "not_found"


async def test_stated_dates_reach_the_order_the_deadlines_and_the_audit(api: Api) -> None:
    case = await _case(api)
    before = await api.json("GET", f"/cases/{case['id']}/deadlines")
    assert "missing_received_at" in [w["code"] for w in before["warnings"]]
    state = await api.json("PUT", f"/cases/{case['id']}/stated-dates", json={"received_at": "2025-11-12"})
    assert state["stated"]["received_at"].startswith("2025-11-12T00:00:00+08:00")
    kase = await api.json("GET", f"/cases/{case['id']}")
    assert kase["order"]["received_at"].startswith("2025-11-12")
    assert any(t["kind"] == "dates_stated" and "签收 2025-11-12" in t["text"] for t in kase["timeline"])
    after = await api.json("GET", f"/cases/{case['id']}/deadlines")
    assert "missing_received_at" not in [w["code"] for w in after["warnings"]]
    assert {d["key"] for d in after["deadlines"]} >= {"no_reason_return", "quality_return"}
    report = await api.json("GET", f"/cases/{case['id']}/verify")
    assert report["ok"] is True, report
    assert (await api.json("PUT", f"/cases/{case['id']}/stated-dates", expect=422, json={}))["error"]["code"] == "no_date"
    # deleting the case takes its draft state with it
    await api.json("DELETE", f"/cases/{case['id']}")
    assert await api.app[STORE].db.read(lambda c: c.execute("SELECT COUNT(*) FROM draft_state").fetchone()[0]) == 0
