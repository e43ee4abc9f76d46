"""Pairing: the CLI asks the daemon for a one-time code; the extension trades it for a token."""

import asyncio

from aiohttp import web

from helper.api.routes import KiB, Route, json_response, read_json
from helper.errors import ApiError
from helper.models import PairingCode, PairRequest, PairResponse
from helper.secrets import Pairing
from helper.state import PAIRING, STORE


async def pair(request: web.Request) -> web.Response:
    body = await read_json(request, PairRequest)
    pairing = request.app[PAIRING]
    _refuse_if_locked(pairing, body.client_name)
    await asyncio.sleep(pairing.admit())  # the shared guessing budget: wait, never refused
    _refuse_if_locked(pairing, body.client_name)  # its own earlier tries may have locked it
    if not pairing.redeem(body.code, body.client_name):
        raise ApiError(403, "invalid_pairing_code",
                       "this pairing code is wrong, expired or already used; run `tousu-helper pair` for a new one")
    client, token = await request.app[STORE].clients.create(body.client_name)
    return json_response(PairResponse(token=token, client_id=client.id, client_name=client.name),
                         status=201)


def _refuse_if_locked(pairing: Pairing, client_name: str) -> None:
    if (wait := pairing.locked_for(client_name)) > 0:
        raise ApiError(429, "pairing_locked",
                       "too many wrong pairing codes under this client name; try again in "
                       f"{int(wait) + 1} seconds")


async def new_code(request: web.Request) -> web.Response:
    code, expires_at = request.app[PAIRING].new_code()
    return json_response(PairingCode(code=code, expires_at=expires_at), status=201)


ROUTES = [
    Route("POST", "/pair", pair, "Trade a one-time pairing code for a named bearer token",
          auth="public", body=PairRequest, body_kind="json", max_body=4 * KiB,
          response=PairResponse, status=201, other_statuses=(429, 503, 507)),
    Route("POST", "/admin/pairing-code", new_code,
          "New one-time pairing code (local CLI only, admin token)", auth="admin",
          response=PairingCode, status=201),
]
