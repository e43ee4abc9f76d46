"""GET/PATCH /cases: filters, search, paging, and every change audited."""

from helper.state import STORE

from tests.conftest import Api, sample_order


async def _seed(api: Api) -> list[dict]:
    orders = [
        sample_order("1000000000000000001", shop_name="好物数码旗舰店"),
        sample_order("1000000000000000002", shop_name="天猫超市", platform="tmall",
                     items=[{"sub_order_id": "1000000000000000003", "title": "有机牛奶 100%纯"}]),
        sample_order("1000000000000000004", shop_name="小张的店",
                     items=[{"sub_order_id": "1000000000000000004", "title": "儿童_书包"}]),
    ]
    return [(await api.json("POST", "/orders", expect=201, json=o))["case"] for o in orders]


async def test_search_by_shop_title_and_id(api: Api) -> None:
    cases = await _seed(api)
    by_shop = await api.json("GET", "/cases", params={"q": "天猫"})
    assert [c["id"] for c in by_shop["cases"]] == [cases[1]["id"]]
    by_title = await api.json("GET", "/cases", params={"q": "牛奶"})
    assert [c["id"] for c in by_title["cases"]] == [cases[1]["id"]]
    by_partial_id = await api.json("GET", "/cases", params={"q": "0000000004"})
    assert [c["id"] for c in by_partial_id["cases"]] == [cases[2]["id"]]
    # LIKE wildcards in the search are literal characters
    assert (await api.json("GET", "/cases", params={"q": "100%"}))["total"] == 1
    assert (await api.json("GET", "/cases", params={"q": "_"}))["total"] == 1


async def test_filter_by_status_and_paging(api: Api) -> None:
    cases = await _seed(api)
    await api.json("PATCH", f"/cases/{cases[0]['id']}", json={"status": "submitted"})
    submitted = await api.json("GET", "/cases", params={"status": "submitted"})
    assert [c["id"] for c in submitted["cases"]] == [cases[0]["id"]]
    page1 = await api.json("GET", "/cases", params={"limit": "2"})
    page2 = await api.json("GET", "/cases", params={"limit": "2", "offset": "2"})
    assert page1["total"] == page2["total"] == 3
    ids = [c["id"] for c in page1["cases"] + page2["cases"]]
    assert sorted(ids) == sorted(c["id"] for c in cases)


async def test_bad_query_parameters_are_422(api: Api) -> None:
    for params in ({"status": "won"}, {"limit": "0"}, {"limit": "x"}, {"offset": "-1"},
                   {"order_id": "12ab"}, {"colour": "red"}):
        response = await api.get("/cases", params=params)
        assert response.status == 422, params
        assert (await response.json())["error"]["code"] == "invalid_request"


async def test_patch_changes_land_in_timeline_and_audit_log(api: Api) -> None:
    case = (await _seed(api))[0]
    updated = await api.json("PATCH", f"/cases/{case['id']}", json={
        "status": "submitted", "notes": "卖家48小时未回复", "timeline_note": "11月10日电话联系卖家，未接通"})
    assert updated["status"] == "submitted"
    assert updated["notes"] == "卖家48小时未回复"
    kinds = [t["kind"] for t in updated["timeline"]]
    assert kinds[-3:] == ["status_changed", "notes_changed", "note"]
    assert updated["timeline"][-1]["text"] == "11月10日电话联系卖家，未接通"
    entries = await api.app[STORE].audit.entries(case["id"])
    assert entries[-1].action == "case_updated"
    assert entries[-1].data["status"] == {"from": "open", "to": "submitted"}
    assert await api.app[STORE].audit.verify() == []


async def test_patch_without_change_adds_nothing(api: Api) -> None:
    case = (await _seed(api))[0]
    again = await api.json("PATCH", f"/cases/{case['id']}", json={"status": "open"})
    assert len(again["timeline"]) == len(case["timeline"])


async def test_unknown_case_is_404(api: Api) -> None:
    for method in ("GET", "PATCH"):
        response = await api.request(method, "/cases/case-nope", json={"status": "open"})
        assert response.status == 404
        assert (await response.json())["error"] == {
            "code": "not_found", "message": "case 'case-nope' does not exist"}


async def test_patch_rejects_unknown_status(api: Api) -> None:
    case = (await _seed(api))[0]
    response = await api.patch(f"/cases/{case['id']}", json={"status": "won"})
    assert response.status == 422
    assert (await api.json("GET", f"/cases/{case['id']}"))["status"] == "open"
