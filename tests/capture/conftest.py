"""Capture tests: the real helper app, the HTTPS fixture site under real host names, and the
system Chromium driven by the helper's own browser manager."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from helper.api.captures import CAPTURE
from tests.conftest import Api, sample_order
from tests.support.browser import system_chromium
from tests.support.site import FixtureSite


class CaptureEnv:
    def __init__(self, api: Api, site: FixtureSite) -> None:
        self.api, self.site = api, site
        self.case_id = ""

    @property
    def service(self):  # noqa: ANN201
        return self.api.app[CAPTURE].service

    @property
    def store(self):  # noqa: ANN201
        from helper.state import STORE

        return self.api.app[STORE]

    async def new_case(self, order_id: str = "4865640015090004803") -> str:
        body = await self.api.json("POST", "/orders", expect=201, json=sample_order(order_id))
        return body["case"]["id"]

    async def capture(self, payload: dict[str, Any], expect: int = 202) -> dict[str, Any]:
        return await self.api.json("POST", f"/cases/{self.case_id}/captures", expect=expect,
                                   json=payload)

    async def wait(self, job_id: str, timeout: float = 90) -> dict[str, Any]:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            job = await self.api.json("GET", f"/jobs/{job_id}")
            if job["state"] in ("done", "failed"):
                return job
            assert asyncio.get_running_loop().time() < deadline, f"job never finished: {job}"
            await asyncio.sleep(0.1)

    async def evidence(self, evidence_id: str) -> dict[str, Any]:
        listing = await self.api.json("GET", f"/cases/{self.case_id}/evidence")
        return next(e for e in listing["evidence"] if e["id"] == evidence_id)

    async def artifact(self, evidence_id: str, role: str) -> bytes:
        response = await self.api.get(f"/evidence/{evidence_id}/content", params={"role": role})
        assert response.status == 200, await response.text()
        return await response.read()


@pytest.fixture
async def env(api: Api, fixture_site: FixtureSite, settings) -> CaptureEnv:  # noqa: ANN001
    cap = settings.capture
    cap.browser = system_chromium()
    cap.host_resolver_rules = fixture_site.resolver_rules
    cap.ignore_https_errors = True  # the fixture site's throw-away certificate
    cap.navigation_timeout_s = 8
    cap.capture_timeout_s = 40
    env = CaptureEnv(api, fixture_site)
    env.case_id = await env.new_case()
    return env
