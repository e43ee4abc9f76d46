"""POST /orders: exact ids, upsert into one case, merging facts, and clear errors."""

import json

from tests.conftest import ORDER_ID, Api, sample_order


async def test_19_digit_ids_survive_exactly_end_to_end(api: Api) -> None:
    response = await api.post("/orders", json=sample_order())
    raw = await response.text()
    assert response.status == 201
    # the id is a quoted string in the wire format, digit for digit
    assert f'"order_id":"{ORDER_ID}"' in raw
    assert f'"sub_order_id":"{ORDER_ID}"' in raw
    case_id = json.loads(raw)["case"]["id"]
    listed = await api.json("GET", f"/cases?order_id={ORDER_ID}")
    assert [c["id"] for c in listed["cases"]] == [case_id]
    assert listed["cases"][0]["order_id"] == ORDER_ID


async def test_same_order_twice_updates_one_case(api: Api) -> None:
    first = await api.json("POST", "/orders", expect=201, json=sample_order())
    again = await api.json("POST", "/orders", expect=200, json=sample_order())
    assert again["case"]["id"] == first["case"]["id"]
    assert again["created"] is False and again["changed"] == []
    # an identical re-send adds nothing to the timeline
    assert len(again["case"]["timeline"]) == len(first["case"]["timeline"])
    assert (await api.json("GET", "/cases"))["total"] == 1


async def test_detail_page_facts_merge_without_erasing_list_facts(api: Api) -> None:
    created = await api.json("POST", "/orders", expect=201, json=sample_order())
    detail = {"order_id": ORDER_ID, "platform": "taobao",
              "shipped_at": "2025-11-09 10:00:00",
              "logistics": {"company": "中通快递", "tracking_no": "78912345678901"},
              "items": [{"sub_order_id": ORDER_ID, "quantity": 2}]}
    merged = await api.json("POST", "/orders", expect=200, json=detail)
    order = merged["case"]["order"]
    assert merged["case"]["id"] == created["case"]["id"]
    assert sorted(merged["changed"]) == ["items", "logistics", "shipped_at"]
    assert order["shop_name"] == "好物数码旗舰店"  # known fact kept
    assert order["shipped_at"] == "2025-11-09T10:00:00+08:00"  # naive Beijing time
    assert order["logistics"] == {"company": "中通快递", "tracking_no": "78912345678901"}
    assert order["items"][0]["quantity"] == 2
    assert order["items"][0]["title"] == "无线蓝牙耳机 降噪版"
    assert merged["case"]["timeline"][-1]["kind"] == "order_updated"


async def test_multi_item_order_is_found_by_each_sub_order_id(api: Api) -> None:
    order = sample_order("3012345678901234567", items=[
        {"sub_order_id": "3012345678901234568", "title": "手机壳", "quantity": 1},
        {"sub_order_id": "3012345678901234569", "title": "钢化膜", "quantity": 2},
    ])
    case = (await api.json("POST", "/orders", expect=201, json=order))["case"]
    for sub in ("3012345678901234568", "3012345678901234569"):
        found = await api.json("GET", f"/cases?sub_order_id={sub}")
        assert [c["id"] for c in found["cases"]] == [case["id"]]
    assert (await api.json("GET", "/cases?sub_order_id=3012345678901234567"))["total"] == 0


async def test_long_id_as_json_number_is_refused_with_a_reason(api: Api) -> None:
    body = b'{"order_id": 48656400150900048030, "platform": "taobao"}'
    response = await api.post("/orders", data=body, headers={"Content-Type": "application/json"})
    error = (await response.json())["error"]
    assert response.status == 422
    assert error["code"] == "invalid_request"
    assert "order_id must be a string of digits" in error["message"]
    assert (await api.json("GET", "/cases"))["total"] == 0


async def test_sub_order_id_as_number_is_refused(api: Api) -> None:
    order = sample_order()
    order["items"][0]["sub_order_id"] = 4865640015090004803
    response = await api.post("/orders", json=order)
    assert response.status == 422
    assert "items.0.sub_order_id must be a string" in (await response.json())["error"]["message"]


async def test_bad_bodies_get_clear_4xx_and_store_nothing(api: Api) -> None:
    cases = [
        (b"{not json", "application/json", 400, "invalid_json"),
        (b"", "application/json", 400, "invalid_json"),
        (b"[]", "application/json", 422, "invalid_request"),
        (json.dumps(sample_order(platform="jd")).encode(), "application/json", 422, "invalid_request"),
        (json.dumps(sample_order(shoe_size=42)).encode(), "application/json", 422, "invalid_request"),
        (json.dumps(sample_order(actual_fee=47.4)).encode(), "application/json", 422, "invalid_request"),
        (json.dumps(sample_order(actual_fee="-3")).encode(), "application/json", 422, "invalid_request"),
        (json.dumps(sample_order()).encode(), "text/plain", 415, "unsupported_media_type"),
        (b"\xff\xfe garbage", "application/json", 400, "invalid_json"),
    ]
    for body, content_type, status, code in cases:
        response = await api.post("/orders", data=body, headers={"Content-Type": content_type})
        payload = await response.json()
        assert (response.status, payload["error"]["code"]) == (status, code), (body[:40], payload)
        assert payload["error"]["message"]
    assert (await api.json("GET", "/cases"))["total"] == 0


async def test_unknown_field_is_named_in_the_error(api: Api) -> None:
    response = await api.post("/orders", json=sample_order(shoe_size=42))
    assert "shoe_size is not a known field" in (await response.json())["error"]["message"]


async def test_huge_body_is_413(api: Api) -> None:
    order = sample_order(shop_name="店" * 100)
    order["items"] = [dict(order["items"][0], sub_order_id=str(10**18 + i), title="x" * 490)
                      for i in range(200)]
    order["status_text"] = "y" * 400
    body = json.dumps(order) + " " * 300_000
    response = await api.post("/orders", data=body, headers={"Content-Type": "application/json"})
    assert response.status == 413
    assert (await response.json())["error"]["code"] == "body_too_large"


async def test_chunked_huge_body_is_413_without_content_length(api: Api) -> None:
    async def chunks():  # noqa: ANN202
        yield b'{"order_id": "1", "platform": "taobao", "shop_name": "'
        for _ in range(40):
            yield b"a" * 10_000
        yield b'"}'

    response = await api.post("/orders", data=chunks(), headers={"Content-Type": "application/json"})
    assert response.status == 413
