"""The drafting endpoints through the real app: drafts stored and audited, bad input → 4xx."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import aiohttp
import pytest

from helper.models import CHINA_TZ, utc_now
from helper.state import STORE
from tests.conftest import ORDER_ID, Api, sample_order

QUALITY = {"complaint_type": "quality_problem", "demand": {"kind": "return_refund"},
           "facts": [{"date": "2025-11-10", "text": "开箱后发现左耳机无声音，重新配对三次结果相同。"}]}


def upload(content: bytes, name: str, category: str) -> aiohttp.FormData:
    data = aiohttp.FormData(quote_fields=False, default_to_multipart=True)
    data.add_field("file", content, filename=name, content_type="application/octet-stream")
    data.add_field("category", category)
    return data


async def new_case(api: Api, **order: object) -> str:
    return (await api.json("POST", "/orders", expect=201, json=sample_order(**order)))["case"]["id"]


async def test_draft_is_stored_versioned_and_audited(api: Api) -> None:
    case_id = await new_case(api, received_at="2025-11-10T14:02:00+08:00")
    photo = b"\x89PNG\r\n\x1a\n" + b"photo-bytes" * 10
    await api.json("POST", f"/cases/{case_id}/evidence", expect=201, data=upload(photo, "左耳.png", "product_photo"))
    first = await api.json("POST", f"/cases/{case_id}/draft", expect=201, json=QUALITY)
    assert first["version"] == 1 and first["case_id"] == case_id
    assert ORDER_ID in first["text"] and ORDER_ID in first["form_text"]
    assert hashlib.sha256(photo).hexdigest()[:12] in first["text"]
    assert first["fields"]["service_kind"] == "退货退款" and first["fields"]["amount"] == "47.40"
    assert first["text_sha256"] == hashlib.sha256(first["text"].encode()).hexdigest()

    second = await api.json("POST", f"/cases/{case_id}/draft", expect=201, json={**QUALITY, "form_limit": 200})
    assert second["version"] == 2 and len(second["form_text"]) <= 200
    listed = await api.json("GET", f"/cases/{case_id}/drafts")
    assert [d["version"] for d in listed["drafts"]] == [1, 2]
    assert (await api.json("GET", f"/cases/{case_id}/drafts/latest"))["version"] == 2
    assert (await api.json("GET", f"/cases/{case_id}/drafts/1"))["text"] == first["text"]
    await api.json("GET", f"/cases/{case_id}/drafts/3", expect=404)
    await api.json("GET", f"/cases/{case_id}/drafts/abc", expect=400)

    case = await api.json("GET", f"/cases/{case_id}")
    assert case["status"] == "drafted"
    kinds = [t["kind"] for t in case["timeline"]]
    assert kinds.count("draft_saved") == 2 and kinds.count("status_changed") == 1
    store = api.app[STORE]
    audit = [e for e in await store.audit.entries(case_id) if e.action == "draft_saved"]
    assert [e.data["text_sha256"] for e in audit] == [first["text_sha256"], second["text_sha256"]]
    assert await store.audit.verify() == []


@pytest.mark.parametrize(("body", "status", "code"), [
    ({**QUALITY, "complaint_type": "rude_seller"}, 422, "invalid_request"),
    ({**QUALITY, "demand": {"kind": "revenge"}}, 422, "invalid_request"),
    ({**QUALITY, "demand": {"kind": "refund_only", "amount": "-5"}}, 422, "invalid_request"),
    ({**QUALITY, "demand": {"kind": "refund_only", "amount": -5}}, 422, "invalid_request"),
    ({**QUALITY, "demand": {"kind": "refund_only", "amount": "0"}}, 422, "invalid_request"),
    ({**QUALITY, "demand": {"kind": "refund_only", "amount": "1e9"}}, 422, "invalid_request"),
    ({**QUALITY, "demand": {"kind": "compensation"}}, 422, "invalid_request"),
    ({**QUALITY, "demand": {"kind": "exchange", "amount": "5"}}, 422, "invalid_request"),
    ({**QUALITY, "demand": {"kind": "refund_only", "amount": "999999999"}}, 422, "demand_rejected"),
    ({**QUALITY, "demand": {"kind": "compensation", "amount": "50000"}}, 422, "demand_rejected"),
    ({**QUALITY, "sub_order_id": "1"}, 422, "unknown_sub_order"),
    ({**QUALITY, "form_limit": 20}, 422, "invalid_request"),
    ({**QUALITY, "surprise": True}, 422, "invalid_request"),
    ({**QUALITY, "facts": [{"date": "yesterday", "text": "x"}]}, 422, "invalid_request"),
])
async def test_bad_requests_are_clear_4xx(api: Api, body: dict, status: int, code: str) -> None:
    case_id = await new_case(api)
    response = await api.post(f"/cases/{case_id}/draft", json=body)
    assert response.status == status
    assert (await response.json())["error"]["code"] == code


async def test_unknown_case_and_malformed_json(api: Api) -> None:
    await api.json("POST", "/cases/case-nope/draft", expect=404, json=QUALITY)
    await api.json("GET", "/cases/case-nope/deadlines", expect=404)
    response = await api.post(f"/cases/{await new_case(api)}/draft", data=b"{not json",
                              headers={"Content-Type": "application/json"})
    assert response.status == 400


async def test_html_emoji_and_100k_notes(api: Api) -> None:
    case_id = await new_case(api)
    notes = "<img src=x onerror=alert(1)>客服拒绝退货😡。" + "很长的说明，" * 17_000
    assert len(notes) >= 100_000
    draft = await api.json("POST", f"/cases/{case_id}/draft", expect=201, json={**QUALITY, "notes": notes})
    assert "<" not in draft["text"] and "onerror" not in draft["text"] and "😡" not in draft["text"]
    assert "客服拒绝退货。" in draft["text"]
    assert {"markup_removed", "notes_shortened"} <= {w["code"] for w in draft["warnings"]}


async def test_lint_endpoint(api: Api) -> None:
    body = await api.json("POST", "/lint", json={"text": "骗子！！！电话13812345678"})
    assert [(f["start"], f["end"], f["category"]) for f in body["findings"]] == [
        (0, 2, "insult"), (2, 5, "punctuation"), (7, 18, "personal_data")]
    assert all(f["severity"] and f["suggestion"] for f in body["findings"])
    assert (await api.json("POST", "/lint", json={"text": "签收后发现屏幕有裂纹。"}))["findings"] == []
    await api.json("POST", "/lint", expect=422, json={"text": 5})


async def test_catalog_endpoint(api: Api) -> None:
    body = await api.json("GET", "/catalog")
    assert [t["id"] for t in body["types"]][:2] == ["quality_problem", "not_as_described"]
    assert len(body["types"]) == 14 and len(body["demands"]) == 7  # issue 11: 价保, 服务态度/骚扰, 价格欺诈, 食品安全
    assert body["platform"]["after_sales_days"] == 15
    quality = body["types"][0]
    assert "商品质量问题" in quality["synonyms"]


async def test_demand_check_endpoint(api: Api) -> None:
    raw = sample_order(actual_fee="14800")
    raw["items"][0]["unit_price"] = "14800"
    case_id = (await api.json("POST", "/orders", expect=201, json=raw))["case"]["id"]
    body = await api.json("POST", f"/cases/{case_id}/demand-check", json={
        "complaint_type": "counterfeit", "demand": {"kind": "compensation", "amount": "44400"},
        "channel": "regulator", "fraud_facts": ["以假充真"]})
    assert (body["verdict"], body["compensation"], body["total"]) == ("warn", "44400.00", "59200.00")


async def test_deadlines_and_reminders(api: Api) -> None:
    bare = await new_case(api, order_id="1111111111111111111")
    report = await api.json("GET", f"/cases/{bare}/deadlines")
    assert report["deadlines"] == [] and {w["code"] for w in report["warnings"]} == {
        "missing_received_at", "missing_shipped_at"}

    received = (utc_now() - timedelta(days=5)).astimezone(CHINA_TZ).isoformat()
    soon = await new_case(api, received_at=received)
    report = await api.json("GET", f"/cases/{soon}/deadlines")
    no_reason = next(d for d in report["deadlines"] if d["key"] == "no_reason_return")
    assert no_reason["days_left"] == 2 and no_reason["state"] == "due_soon"
    body = await api.json("GET", "/reminders")
    assert body["count"] == len(body["reminders"]) >= 2
    assert {r["case_id"] for r in body["reminders"]} == {soon}
    assert (await api.json("GET", "/reminders?within_days=0"))["count"] == 0
    await api.json("PATCH", f"/cases/{soon}", json={"status": "resolved"})
    assert (await api.json("GET", "/reminders"))["count"] == 0
    await api.json("GET", "/reminders?within_days=-1", expect=422)


async def test_lint_knows_the_cases_product_names(api: Api) -> None:
    raw = sample_order(order_id="2222222222222222222")
    raw["items"][0]["title"] = "废物利用 手工材料包"
    case_id = (await api.json("POST", "/orders", expect=201, json=raw))["case"]["id"]
    text = "收到的废物利用材料包少了两包。"
    assert [f["text"] for f in (await api.json("POST", "/lint", json={"text": text}))["findings"]] == ["废物"]
    assert (await api.json("POST", "/lint", json={"text": text, "case_id": case_id}))["findings"] == []
    await api.json("POST", "/lint", expect=404, json={"text": text, "case_id": "case-nope"})


async def test_types_are_found_by_label_and_draft_per_channel(api: Api) -> None:
    catalog = await api.json("GET", "/catalog")
    by_label = {t["label"]: t["id"] for t in catalog["types"]}
    assert {"价保", "服务态度/骚扰", "价格欺诈", "食品安全问题"} <= set(by_label)
    assert [c["id"] for c in catalog["channels"]] == ["seller", "platform", "regulator", "association", "court"]
    case_id = await new_case(api, received_at="2025-11-10T14:02:00+08:00")
    body = {"complaint_type": by_label["服务态度/骚扰"], "demand": {"kind": "stop_and_apologize"},
            "facts": [{"date": "2025-11-12", "text": "我给出中评后，卖家连续三天每天打十几个电话骚扰我。"}]}
    for channel in ("seller", "platform", "regulator", "association", "court"):
        draft = await api.json("POST", f"/cases/{case_id}/draft", expect=201, json={**body, "channel": channel})
        assert draft["channel"] == channel and "每天打十几个电话骚扰我" in draft["text"]
        assert draft["withheld"] == []


async def test_a_stored_draft_is_redrafted_for_another_channel(api: Api) -> None:
    case_id = await new_case(api, received_at="2025-11-10T14:02:00+08:00")
    first = await api.json("POST", f"/cases/{case_id}/draft", expect=201, json={
        **QUALITY, "complainant": {"name": "李明", "phone": "13912345678", "address": "杭州市西湖区文三路 100 号"}})
    assert first["channel"] == "platform" and "13912345678" not in first["text"]
    again = await api.json("POST", f"/cases/{case_id}/drafts/{first['version']}/redraft", expect=201,
                           json={"channel": "regulator"})
    assert (again["version"], again["channel"]) == (2, "regulator")
    assert "一、投诉人\n姓名：李明。\n电话：13912345678。" in again["text"]
    assert "开箱后发现左耳机无声音，重新配对三次结果相同。" in again["text"]
    await api.json("POST", f"/cases/{case_id}/drafts/9/redraft", expect=404, json={"channel": "court"})
    await api.json("POST", f"/cases/{case_id}/drafts/1/redraft", expect=422, json={"channel": "12315"})
