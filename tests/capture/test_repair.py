"""Evidence a crash left `pending` is repaired when the helper starts: marked `partial`
with a capture log saying why, the case manifest signed again, and `verify` content."""

from __future__ import annotations

import json

from aiohttp.test_utils import TestServer

from helper.app import create_app
from helper.config import Settings
from helper.integrity import verify_case
from helper.models import Artifact, EvidenceCategory, EvidenceKind, Order
from helper.secrets import Secrets, secret_backend
from helper.state import SECRETS, STORE
from helper.store import Store
from tests.conftest import sample_order


async def test_pending_evidence_is_repaired_at_start_up(settings: Settings) -> None:
    store = Store(settings.data_dir)
    await store.open()
    case = (await store.cases.upsert(Order.model_validate(sample_order())))[0]
    ref = store.blobs.put_bytes(b"<!doctype html><title>order</title>")
    pending = await store.evidence.add(
        case.id, kind=EvidenceKind.url_capture, category=EvidenceCategory.order_page, title="order",
        artifacts=[Artifact(role="html", sha256=ref.sha256, size=ref.size, media_type="text/html",
                            filename="page.html")],
        metadata={"captured_at": "2026-01-01T00:00:00+00:00"}, status="pending")
    store.close()  # the helper stopped here, before the capture finished

    app = create_app(settings, Secrets(secret_backend(settings.data_dir, "file"), settings.data_dir))
    server = TestServer(app)
    await server.start_server()
    try:
        store = app[STORE]
        ev = await store.evidence.get(pending.id)
        assert ev.status == "partial"
        assert [a.role for a in ev.artifacts] == ["html", "capture_log"]
        log = json.loads(store.blobs.path(ev.artifacts[1].sha256).read_bytes())
        assert log["repaired_at_startup"] is True and log["partial_reasons"][0].startswith("interrupted:")
        manifest = json.loads((await store.manifests.load(case.id))["manifest_json"])
        assert manifest["evidence"][0]["status"] == "partial"
        report = await verify_case(store, app[SECRETS], case.id)
        assert report.ok, report.problems
        assert await store.evidence.pending() == []
    finally:
        await server.close()
