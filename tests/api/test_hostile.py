"""Hostile and broken requests get a 4xx that says what is wrong, and change nothing.

Each case here answered 500 before: multipart bodies aiohttp cannot parse, dates that
overflow when converted to Beijing time (or that later broke every case's deadlines),
and paging offsets beyond what SQLite integers hold. Dates are built from the clock, so
the window (2003-01-01 to a year from now) is tested where it is on the day the test runs.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from helper.models import CHINA_TZ, Order, utc_now
from helper.state import PAIRING, STORE
from tests.conftest import Api, sample_order

BOUNDARY = "tousu-boundary"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


def part(headers: bytes, content: bytes = b"hello") -> bytes:
    return b"--" + BOUNDARY.encode() + b"\r\n" + headers + b"\r\n\r\n" + content + b"\r\n"


def closing() -> bytes:
    return b"--" + BOUNDARY.encode() + b"--\r\n"


def file_part(filename: bytes, content: bytes = b"hello") -> bytes:
    return part(b'Content-Disposition: form-data; name="file"; filename="' + filename + b'"', content)


async def _case(api: Api) -> str:
    return (await api.json("POST", "/orders", expect=201, json=sample_order()))["case"]["id"]


def beijing(moment: datetime) -> str:
    """A naive Beijing time as Taobao pages show it."""
    return moment.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M:%S")


@pytest.mark.parametrize(("body", "content_type", "says"), [
    (file_part(b"photo\x00.jpg") + closing(), MULTIPART, "control characters"),
    (file_part(b"photo\x01\x1f.jpg") + closing(), MULTIPART, "control characters"),
    (part(b'Content-Disposition form-data name="file" filename="a.jpg"') + closing(), MULTIPART, "colon"),
    (file_part(b"photo.jpg"), MULTIPART, "closing boundary"),
    (file_part(b"a.jpg") + file_part(b"b.jpg", b"x" * 100)[:-20], MULTIPART, "closing boundary"),
    (b"this is not a multipart body", MULTIPART, "boundary"),
    (b"", MULTIPART, "boundary"),
    (file_part(b"photo.jpg") + closing(), "multipart/form-data", "boundary"),
], ids=["nul-in-filename", "control-chars-in-filename", "header-without-colon", "no-closing-boundary",
        "cut-off-second-file", "not-multipart", "empty", "content-type-without-boundary"])
async def test_unreadable_multipart_is_a_400_that_names_the_problem(
        api: Api, body: bytes, content_type: str, says: str) -> None:
    case_id = await _case(api)
    response = await api.post(f"/cases/{case_id}/evidence", data=body,
                              headers={"Content-Type": content_type})
    error = (await response.json())["error"]
    assert response.status == 400, error
    assert error["code"] == "invalid_upload"
    assert says in error["message"]
    assert (await api.json("GET", f"/cases/{case_id}/evidence"))["evidence"] == []


async def test_file_names_in_gbk_are_read_and_undecodable_names_refused(api: Api) -> None:
    case_id = await _case(api)
    body = file_part("破损照片.txt".encode("gbk")) + closing()
    stored = await api.json("POST", f"/cases/{case_id}/evidence", expect=201, data=body,
                            headers={"Content-Type": MULTIPART})
    assert stored["evidence"][0]["artifacts"][0]["filename"] == "破损照片.txt"

    response = await api.post(f"/cases/{case_id}/evidence", data=file_part(b"\xff\xfe.jpg") + closing(),
                              headers={"Content-Type": MULTIPART})
    assert response.status == 400
    assert "file name" in (await response.json())["error"]["message"]
    assert len((await api.json("GET", f"/cases/{case_id}/evidence"))["evidence"]) == 1


async def test_unknown_and_unnamed_parts_are_refused_by_name(api: Api) -> None:
    case_id = await _case(api)
    for headers, says in ((b'Content-Disposition: form-data; name="photo_note"', "photo_note is not a known field"),
                          (b"Content-Type: text/plain", "a form part without a name")):
        response = await api.post(f"/cases/{case_id}/evidence", data=part(headers) + closing(),
                                  headers={"Content-Type": MULTIPART})
        error = (await response.json())["error"]
        assert response.status == 422
        assert says in error["message"] and "`file`" in error["message"]


async def test_upload_bounds_are_client_errors(api: Api) -> None:
    case_id = await _case(api)
    many = b"".join(file_part(f"{i}.txt".encode(), b"x") for i in range(101)) + closing()
    response = await api.post(f"/cases/{case_id}/evidence", data=many, headers={"Content-Type": MULTIPART})
    assert response.status == 422
    assert "at most 100 files" in (await response.json())["error"]["message"]

    long_title = part(b'Content-Disposition: form-data; name="title"', "标题".encode() * 2000)
    response = await api.post(f"/cases/{case_id}/evidence", data=long_title + file_part(b"a.txt") + closing(),
                              headers={"Content-Type": MULTIPART})
    assert response.status == 413
    assert "title" in (await response.json())["error"]["message"]
    assert (await api.json("GET", f"/cases/{case_id}/evidence"))["evidence"] == []

    nameless = part(b'Content-Disposition: form-data; name="file"', b"chat log") + closing()
    stored = await api.json("POST", f"/cases/{case_id}/evidence", expect=201, data=nameless,
                            headers={"Content-Type": MULTIPART})
    assert stored["evidence"][0]["artifacts"][0]["filename"] == "upload"


def _out_of_window() -> list[object]:
    now = utc_now()
    return ["0001-01-01T00:00:00", "9999-12-31T23:59:59-08:00", "9999-12-31T00:00:00",
            "2002-12-31 23:59:59", beijing(now + timedelta(days=400)), 0]


@pytest.mark.parametrize("field", ["created_at", "paid_at", "shipped_at", "received_at"])
async def test_order_dates_outside_the_window_are_refused_naming_the_field(api: Api, field: str) -> None:
    for value in _out_of_window():
        response = await api.post("/orders", json=sample_order(**{field: value}))
        error = (await response.json())["error"]
        assert response.status == 422, (value, error)
        assert error["code"] == "invalid_request"
        assert error["message"].startswith(f"{field}: ")
        assert "2003-01-01" in error["message"]
        assert error["details"][0]["type"] == "date_out_of_range"
    assert (await api.json("GET", "/cases"))["total"] == 0


async def test_dates_inside_the_window_are_accepted_up_to_a_year_ahead(api: Api) -> None:
    now = utc_now()
    order = sample_order(created_at="2003-01-01 00:00:00", paid_at=beijing(now - timedelta(days=3)),
                         shipped_at=beijing(now), received_at=beijing(now + timedelta(days=360)))
    case = (await api.json("POST", "/orders", expect=201, json=order))["case"]
    assert case["order"]["created_at"] == "2003-01-01T00:00:00+08:00"


async def test_a_refused_far_future_date_leaves_reminders_and_listings_working(api: Api) -> None:
    now = utc_now()
    await api.json("POST", "/orders", expect=201,
                   json=sample_order(paid_at=beijing(now - timedelta(days=5)),
                                     received_at=beijing(now - timedelta(days=2))))
    await api.json("POST", "/orders", expect=422,
                   json=sample_order("4865640015090004804", received_at="9999-12-31T00:00:00"))
    await api.json("GET", "/reminders", expect=200)
    assert (await api.json("GET", "/ui/cases?sort=deadline"))["total"] == 1
    assert (await api.json("GET", "/cases"))["total"] == 1


async def test_a_stored_order_from_before_the_window_still_loads_and_can_be_corrected(api: Api) -> None:
    """The window judges requests; a row stored before it existed is history, shown as stored."""
    stored = Order.model_validate(sample_order(received_at="9999-12-31T00:00:00"))
    case, _, _ = await api.app[STORE].cases.upsert(stored)
    assert (await api.json("GET", f"/cases/{case.id}"))["order"]["received_at"].startswith("9999-12-31")
    fixed = beijing(utc_now() - timedelta(days=1))
    result = await api.json("POST", "/orders", expect=200, json=sample_order(received_at=fixed))
    assert "received_at" in result["changed"]
    assert result["case"]["order"]["received_at"].startswith(fixed[:10])


@pytest.mark.parametrize("path", ["draft", "demand-check"])
async def test_fact_dates_in_draft_requests_are_windowed(api: Api, path: str) -> None:
    case_id = await _case(api)
    now = utc_now()
    request = {"complaint_type": "quality_problem", "demand": {"kind": "return_refund"}}
    for value in ("9999-12-31", "0001-01-01", "1999-06-01T10:00:00+08:00",
                  (now + timedelta(days=400)).astimezone(CHINA_TZ).date().isoformat()):
        facts = [{"date": (now - timedelta(days=1)).date().isoformat(), "text": "收到耳机，左耳无声"},
                 {"date": value, "text": "联系卖家"}]
        response = await api.post(f"/cases/{case_id}/{path}", json={**request, "facts": facts})
        error = (await response.json())["error"]
        assert response.status == 422, (value, error)
        assert error["message"].startswith("facts.1.date: "), error
    facts = [{"date": (now - timedelta(days=1)).date().isoformat(), "text": "收到耳机，左耳无声"}]
    expect = 201 if path == "draft" else 200
    await api.json("POST", f"/cases/{case_id}/{path}", expect=expect, json={**request, "facts": facts})


@pytest.mark.parametrize("path", ["/cases", "/ui/cases", "/ui/cases?sort=deadline&"])
async def test_offsets_beyond_sqlite_integers_are_a_422(api: Api, path: str) -> None:
    await _case(api)
    joiner = "" if path.endswith("&") else "?"
    for offset in ("9223372036854775808", "1000000001"):
        response = await api.get(f"{path}{joiner}offset={offset}")
        error = (await response.json())["error"]
        assert response.status == 422, error
        assert error["message"].startswith("offset: ")
    listed = await api.json("GET", f"{path}{joiner}offset=1000000000")
    assert listed["cases"] == [] and listed["total"] == 1


@pytest.mark.parametrize("code", ["配对码１２３４", "ＡＢＣＤ－２３４５", "ß\u0000\U0010ffff", "ⅫⅫⅫⅫ"])
async def test_a_non_ascii_pairing_code_while_a_code_is_live_is_refused(api: Api, code: str) -> None:
    api.app[PAIRING].new_code()
    response = await api.client.post("/api/v1/pair", json={"code": code, "client_name": "怪客"})
    error = (await response.json())["error"]
    assert response.status == 403, error
    assert error["code"] == "invalid_pairing_code"
