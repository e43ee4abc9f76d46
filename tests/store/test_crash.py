"""kill -9 the daemon while it writes: the store must open, verify, and hold every ack."""

import asyncio
import hashlib
import json
import os
import random
import signal
import sqlite3
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from helper.store import Store
from tests.conftest import sample_order
from tests.support.daemon import Daemon, start_daemon


def _upload(daemon: Daemon, token: str, case_id: str, content: bytes) -> dict:
    boundary = "tousu" + os.urandom(8).hex()
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"v.mp4\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + content + \
        f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(f"{daemon.url}/api/v1/cases/{case_id}/evidence", data=body,
                                     method="POST")
    request.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
    request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_kill_9_mid_write_loses_nothing_acknowledged(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    rng = random.Random(20261129)
    acked_orders: dict[str, str] = {}
    acked_blobs: dict[str, str] = {}
    for round_no in range(3):
        daemon = start_daemon(data_dir)
        token = daemon.pair(f"round {round_no}")
        _, first = daemon.call("POST", "/orders", token,
                               sample_order(f"70000000000000{round_no:05}"))
        case_id = first["case"]["id"]
        acked_orders[first["case"]["order"]["order_id"]] = case_id
        stop = threading.Event()
        lock = threading.Lock()

        def post_orders(lane: int) -> None:
            i = 0
            while not stop.is_set():
                order_id = f"{5 + lane}{round_no}{i:017d}"
                try:
                    status, body = daemon.call("POST", "/orders", token, sample_order(order_id), timeout=5)
                except (OSError, urllib.error.URLError):
                    return
                if status in (200, 201):
                    with lock:
                        acked_orders[order_id] = body["case"]["id"]
                i += 1

        def upload() -> None:
            while not stop.is_set():
                content = os.urandom(rng.randint(200_000, 3_000_000))
                try:
                    body = _upload(daemon, token, case_id, content)
                except (OSError, urllib.error.URLError):
                    return
                with lock:
                    acked_blobs[body["evidence"][0]["id"]] = hashlib.sha256(content).hexdigest()

        threads = [threading.Thread(target=post_orders, args=(n,)) for n in range(2)]
        threads.append(threading.Thread(target=upload))
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.4, 1.2))
        os.kill(daemon.proc.pid, signal.SIGKILL)
        daemon.proc.wait()
        stop.set()
        for t in threads:
            t.join(10)

        asyncio.run(_check_acknowledged(data_dir, acked_orders, acked_blobs))
    assert len(acked_orders) > 6 and acked_blobs, "the writers never got going"


async def _check_acknowledged(data_dir: Path, acked_orders: dict[str, str], acked_blobs: dict[str, str]) -> None:
    """Every acknowledged order and upload is there, by id — not a page of the newest."""
    store = Store(data_dir)
    try:
        raw = sqlite3.connect(store.path)
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        raw.close()
        assert await store.audit.verify() == []
        missing = {o for o, case_id in acked_orders.items()
                   if [c.id for c in (await store.cases.list(order_id=o)).cases] != [case_id]}
        assert not missing, f"acknowledged orders lost after kill -9: {sorted(missing)[:5]}"
        for evidence_id, digest in acked_blobs.items():
            evidence = await store.evidence.get(evidence_id)
            assert evidence is not None, f"acknowledged evidence {evidence_id} lost"
            assert evidence.artifacts[0].sha256 == digest
            assert store.blobs.hash_file(digest) == digest
    finally:
        store.close()
