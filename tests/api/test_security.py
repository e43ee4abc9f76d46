"""Every rule of DESIGN.md's security model, one test each, against the real server."""

import pytest

from helper import __version__
from helper.config import EXTENSION_ID
from helper.secrets import Pairing
from helper.state import PAIRING, SECRETS
from tests.conftest import Api, sample_order

EXT_ORIGIN = f"chrome-extension://{EXTENSION_ID}"


async def test_dns_rebinding_host_is_refused(api: Api) -> None:
    for host in (f"evil.example:{api.port}", "127.0.0.1:80", f"127.0.0.1.nip.io:{api.port}", ""):
        response = await api.post("/orders", json=sample_order(), headers={"Host": host})
        assert response.status == 403, host
        assert (await response.json())["error"]["code"] == "forbidden_host"
    assert (await api.json("GET", "/cases"))["total"] == 0


async def test_loopback_host_names_are_accepted(api: Api) -> None:
    for host in (f"localhost:{api.port}", f"127.0.0.1:{api.port}", f"[::1]:{api.port}"):
        response = await api.get("/health", headers={"Host": host})
        assert response.status == 200, host


@pytest.mark.parametrize("origin", [
    "https://evil.example", "https://buyertrade.taobao.com", "null",
    "chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "http://127.0.0.1:1"])
async def test_foreign_origins_are_refused_even_with_a_token(api: Api, origin: str) -> None:
    response = await api.post("/orders", json=sample_order(), headers={"Origin": origin})
    assert response.status == 403
    assert (await response.json())["error"]["code"] == "forbidden_origin"
    assert "Access-Control-Allow-Origin" not in response.headers
    assert (await api.json("GET", "/cases"))["total"] == 0


async def test_extension_origin_gets_cors_and_preflight(api: Api) -> None:
    preflight = await api.client.options("/api/v1/orders", headers={
        "Origin": EXT_ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
        "Access-Control-Request-Private-Network": "true"})
    assert preflight.status == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == EXT_ORIGIN
    assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]
    assert preflight.headers["Access-Control-Allow-Private-Network"] == "true"
    response = await api.post("/orders", json=sample_order(), headers={"Origin": EXT_ORIGIN})
    assert response.status == 201
    assert response.headers["Access-Control-Allow-Origin"] == EXT_ORIGIN


async def test_preflight_from_a_web_page_is_refused(api: Api) -> None:
    preflight = await api.client.options("/api/v1/orders", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert preflight.status == 403
    assert "Access-Control-Allow-Origin" not in preflight.headers


async def test_cross_site_request_without_origin_is_refused(api: Api) -> None:
    response = await api.get("/cases", headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status == 403


async def test_no_token_is_401(api: Api) -> None:
    for method, path in (("GET", "/cases"), ("POST", "/orders"), ("GET", "/cases/x"),
                         ("GET", "/evidence/x/content")):
        response = await api.client.request(method, "/api/v1" + path, json=sample_order())
        assert response.status == 401, path
        assert (await response.json())["error"]["code"] == "unauthorized"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


async def test_wrong_token_is_401(api: Api) -> None:
    response = await api.get("/cases", headers={"Authorization": "Bearer tsh_forged"})
    assert response.status == 401
    assert (await response.json())["error"]["code"] == "invalid_token"


async def test_revoked_token_is_401(api: Api) -> None:
    from helper.state import STORE

    assert (await api.get("/cases")).status == 200
    client = await api.app[STORE].clients.for_token(api.token)
    await api.app[STORE].clients.revoke(client.id)
    response = await api.get("/cases")
    assert response.status == 401
    assert (await response.json())["error"]["code"] == "invalid_token"


async def test_pairing_code_works_once(api: Api) -> None:
    code, _ = api.app[PAIRING].new_code()
    first = await api.client.post("/api/v1/pair", json={"code": code.lower(), "client_name": "Chrome"})
    assert first.status == 201
    second = await api.client.post("/api/v1/pair", json={"code": code, "client_name": "Chrome"})
    assert second.status == 403
    assert (await second.json())["error"]["code"] == "invalid_pairing_code"


async def test_pairing_brute_force_locks_pairing(api: Api) -> None:
    code, _ = api.app[PAIRING].new_code()
    for attempt in range(5):
        response = await api.client.post("/api/v1/pair", json={"code": f"WRONG{attempt:03}",
                                                              "client_name": "attacker"})
        assert response.status == 403
    # locked: even the right code is refused now
    response = await api.client.post("/api/v1/pair", json={"code": code, "client_name": "attacker"})
    assert response.status == 429
    assert (await response.json())["error"]["code"] == "pairing_locked"


def test_pairing_lock_lifts_after_a_minute_and_codes_expire() -> None:
    now = [0.0]
    pairing = Pairing(clock=lambda: now[0])
    code, _ = pairing.new_code()
    assert len(code.replace("-", "")) >= 8
    for _ in range(5):
        assert not pairing.redeem("XXXX-XXXX")
    assert pairing.locked_for() == 60
    now[0] = 61
    assert pairing.locked_for() == 0
    assert pairing.redeem(code)
    late, _ = pairing.new_code()
    now[0] += 301
    assert not pairing.redeem(late)


async def test_admin_routes_refuse_client_tokens_and_browsers(api: Api) -> None:
    assert (await api.post("/admin/pairing-code")).status == 403
    admin = {"Authorization": f"Bearer {api.app[SECRETS].admin_token()}"}
    ok = await api.client.post("/api/v1/admin/pairing-code", headers=admin)
    assert ok.status == 201
    from_browser = await api.client.post("/api/v1/admin/pairing-code",
                                         headers={**admin, "Origin": EXT_ORIGIN})
    assert from_browser.status == 403


async def test_every_response_identifies_the_helper(api: Api) -> None:
    responses = [
        await api.get("/health"),
        await api.get("/nope"),
        await api.client.get("/api/v1/cases"),
        await api.get("/cases", headers={"Host": "evil.example"}),
        await api.post("/orders", data=b"{", headers={"Content-Type": "application/json"}),
    ]
    for response in responses:
        assert response.headers["X-Tousu-Helper"] == __version__
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert await responses[0].json() == {"name": "tousu-helper", "version": __version__, "api": 1}
    assert (await responses[1].json())["error"]["code"] == "not_found"


async def test_body_on_bodiless_route_and_wrong_method(api: Api) -> None:
    assert (await api.request("DELETE", "/cases")).status == 405
    response = await api.post("/admin/pairing-code", data=b"x" * 10)
    assert response.status in (403, 413)


async def test_tokens_never_appear_in_logs(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    await api.post("/orders", json=sample_order())
    await api.get("/cases", params={"q": "13800138000"})
    assert "GET /api/v1/cases 200" in caplog.text  # the access log is on, and says this much
    assert api.token not in caplog.text
    assert "13800138000" not in caplog.text
