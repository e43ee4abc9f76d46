"""Pairing under attack: a wrong-code flood locks out only its own client name and slows,
never stops, everyone else; odd input is a 4xx, never a 500."""

import asyncio
from itertools import pairwise

from aiohttp import ClientResponse

from helper.secrets import Pairing
from helper.state import PAIRING
from tests.conftest import Api


async def _pair(api: Api, code: str, name: str) -> ClientResponse:
    return await api.client.post("/api/v1/pair", json={"code": code, "client_name": name})


async def test_wrong_codes_lock_out_only_that_client_name(api: Api) -> None:
    code, _ = api.app[PAIRING].new_code()
    for attempt in range(5):
        assert (await _pair(api, f"WRONG{attempt:03}", "attacker")).status == 403
    assert (await _pair(api, code, "attacker")).status == 429
    chrome = await _pair(api, code, "Chrome")
    assert chrome.status == 201, await chrome.text()


async def test_a_flood_under_ever_new_names_slows_pairing_but_never_locks_it(api: Api) -> None:
    code, _ = api.app[PAIRING].new_code()
    flood = [_pair(api, f"WRONG{n:03}", f"attacker {n}") for n in range(30)]
    answers = await asyncio.gather(*flood)
    assert {a.status for a in answers} == {403}
    response = await _pair(api, code, "Chrome")  # waits its turn behind the flood
    assert response.status == 201, await response.text()


def test_the_guessing_budget_bounds_checks_and_refuses_nobody() -> None:
    now = [0.0]
    pairing = Pairing(clock=lambda: now[0])  # 20 at once, then 2 a second
    waits = [pairing.admit() for _ in range(1000)]  # a flood in one instant
    assert waits[:20] == [0.0] * 20
    assert all(later > earlier for earlier, later in pairwise(waits[19:]))
    assert sum(w <= 300 for w in waits) <= 20 + 2 * 300  # the guesses one code's lifetime meets
    for n in range(100):
        assert not pairing.redeem("XXXX-XXXX", f"attacker {n}")
    code, _ = pairing.new_code()
    assert pairing.locked_for("Chrome") == 0
    assert pairing.redeem(code, "Chrome")


async def test_non_ascii_codes_are_a_clean_4xx(api: Api) -> None:
    code, _ = api.app[PAIRING].new_code()
    for weird in ("配对码码码码-码码码码", "ÄÖÜ-ß", "\u202eABCD-EFGH", "\x00\x00"):
        response = await _pair(api, weird, "Chrome")
        assert response.status == 403, weird
        assert (await response.json())["error"]["code"] == "invalid_pairing_code"
    full_width = code.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})  # typed with an IME
    assert (await _pair(api, full_width, "Chrome")).status == 201
