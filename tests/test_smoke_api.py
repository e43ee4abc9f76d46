from tests.conftest import ORDER_ID, Api, sample_order


async def test_order_round_trip_keeps_19_digit_ids(api: Api) -> None:
    body = await api.json("POST", "/orders", expect=201, json=sample_order())
    case = await api.json("GET", f"/cases/{body['case']['id']}")
    assert case["order"]["order_id"] == ORDER_ID
    assert case["order"]["items"][0]["sub_order_id"] == ORDER_ID
