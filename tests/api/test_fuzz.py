"""Schemathesis over schemas/openapi.json against the real helper daemon.

Every operation of the document gets a bounded, derandomized run: schemathesis' boundary
values (coverage), then valid and invalid requests (a fixed seed, a fixed number of
examples per operation, no shrinking), so a failure reproduces exactly on every machine
and the run takes seconds. A request fails the run when the helper answers 5xx, or
answers with a status, a media type or a body the document does not list — the document
is what the extension and outside tools code against. The Host/Origin rules stay on: the
requests carry the loopback Host and a paired client's token, like the extension's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, seed, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from helper.models import utc_now
from tests.api.test_evidence import png_bytes
from tests.conftest import sample_order
from tests.support.daemon import Daemon, start_daemon

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schemas" / "openapi.json"
EXAMPLES = 25
"""Generated requests per operation: about 2,000 in all, well under two minutes on 2 cores."""

schema = schemathesis.openapi.from_path(SCHEMA_PATH)
schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
                                deterministic=True, database="none")
schema = schema.exclude(path="/api/v1/events")
"""`/events` is a server-sent-event stream that only ends when the helper stops."""


KEEP_GENERATED_IDS = {("POST", "/api/v1/cases/{case_id}/captures"), ("GET", "/api/v1/cases/{case_id}/export"),
         ("DELETE", "/api/v1/cases/{case_id}"), ("POST", "/api/v1/cases/{case_id}/timestamp")}
"""Kept on generated ids (404s): with a real case they would start Chromium, delete it, or
send its hashes to the configured (public) time-stamping authorities."""


@dataclass
class Target:
    daemon: Daemon
    token: str
    session: requests.Session
    ids: dict[str, str]
    """case_id and evidence_id of a seeded case, for the operations that take them."""

    @property
    def base_url(self) -> str:
        return self.daemon.url

    def aim(self, case: schemathesis.Case) -> None:
        """Point id path parameters at the seeded case and its evidence: a generated id only
        ever meets a 404, while the seeded ones take each request into the handler's work."""
        if (case.method.upper(), case.operation.path) in KEEP_GENERATED_IDS:
            return
        for name, value in self.ids.items():
            if name in (case.path_parameters or {}):
                case.path_parameters[name] = value


def _seed(daemon: Daemon, token: str, session: requests.Session) -> dict[str, str]:
    now = utc_now()
    order = sample_order(paid_at=(now - timedelta(days=6)).isoformat(),
                         received_at=(now - timedelta(days=2)).isoformat())
    headers = {"Authorization": f"Bearer {token}"}
    case = session.post(f"{daemon.url}/api/v1/orders", json=order, headers=headers, timeout=10)
    assert case.status_code == 201, case.text
    case_id = case.json()["case"]["id"]
    upload = session.post(f"{daemon.url}/api/v1/cases/{case_id}/evidence", headers=headers,
                          files={"file": ("破损.png", png_bytes())}, timeout=10)
    assert upload.status_code == 201, upload.text
    return {"case_id": case_id, "evidence_id": upload.json()["evidence"][0]["id"]}


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    daemon = start_daemon(tmp_path_factory.mktemp("fuzz") / "data")
    try:
        token = daemon.pair("fuzz")
        # A live code while /pair is fuzzed: every generated code (non-ASCII too) is compared with it.
        status, _ = daemon.call("POST", "/admin/pairing-code", token=daemon.admin_token())
        assert status == 201
        with requests.Session() as session:
            yield Target(daemon, token, session, _seed(daemon, token, session))
    finally:
        daemon.stop()


@schema.parametrize()
@seed(20031)
@settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
          phases=[Phase.explicit, Phase.generate], print_blob=True,
          suppress_health_check=list(HealthCheck))
def test_every_answer_is_documented_and_never_a_server_error(case: schemathesis.Case,
                                                           target: Target) -> None:
    target.aim(case)
    case.call_and_validate(
        base_url=target.base_url, session=target.session, timeout=30,
        headers={"Authorization": f"Bearer {target.token}",
                 "Host": f"127.0.0.1:{target.daemon.port}"},
        checks=[not_a_server_error, status_code_conformance, content_type_conformance,
                response_schema_conformance])
