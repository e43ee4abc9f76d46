"""Helper foundation benchmark: cold start, POST /orders latency, GET /cases at 10,000 cases.

Prints one JSON document. Every number comes with a baseline measured in the same run
on the same machine (a bare aiohttp server doing the least possible), so results stay
comparable on a noisy machine:
- cold start: process start → first `/health` answer, vs. a bare aiohttp app;
- POST /orders and GET /cases: p50/p99 over keep-alive HTTP, vs. a bare aiohttp echo.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path
from typing import Any

import aiohttp

from benchmarks import percentiles
from helper.models import Order
from helper.store import Store
from tests.conftest import sample_order
from tests.support.daemon import Daemon, start_daemon

BARE_SERVER = textwrap.dedent("""
    import sys
    from aiohttp import web
    async def health(request):
        return web.json_response({"name": "bare"})
    async def echo(request):
        return web.json_response(await request.json())
    app = web.Application()
    app.router.add_get("/api/v1/health", health)
    app.router.add_post("/api/v1/echo", echo)
    web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None)
""")


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_health(port: int, start: float, proc: subprocess.Popen[bytes]) -> float:
    while True:
        if proc.poll() is not None:
            raise RuntimeError("server exited during start-up")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=1):
                return time.perf_counter() - start
        except OSError:
            time.sleep(0.002)


def cold_start(runs: int = 7) -> dict[str, Any]:
    helper, bare = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp)
            port = _free_port()
            start = time.perf_counter()
            proc = subprocess.Popen([sys.executable, "-m", "helper", "serve", "--port", str(port),
                                     "--data-dir", str(data)], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            try:
                helper.append(_wait_health(port, start, proc))
            finally:
                proc.terminate()
                proc.wait()
        port = _free_port()
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", BARE_SERVER, str(port)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            bare.append(_wait_health(port, start, proc))
        finally:
            proc.terminate()
            proc.wait()
    h, b = statistics.median(helper), statistics.median(bare)
    return {"helper_ms_median": round(h * 1000, 1), "bare_aiohttp_ms_median": round(b * 1000, 1),
            "ratio": round(h / b, 2), "runs": runs, "target_ms": 400}


def _percentiles(samples: list[float]) -> dict[str, float]:
    cuts = percentiles(samples, 50, 99)
    return {"p50_ms": round(cuts[50] * 1000, 2), "p99_ms": round(cuts[99] * 1000, 2), "n": len(samples)}


async def _timed(session: aiohttp.ClientSession, method: str, url: str, **kwargs: Any) -> float:
    start = time.perf_counter()
    async with session.request(method, url, **kwargs) as response:
        await response.read()
        assert response.status < 300, (response.status, await response.text())
    return time.perf_counter() - start


async def request_latency(daemon: Daemon, token: str, bare_port: int) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession(headers=headers) as session:
        orders = [sample_order(f"{6 * 10**18 + i}") for i in range(400)]
        for order in orders[:20]:  # warm-up
            await _timed(session, "POST", f"{daemon.url}/api/v1/orders", json=order)
        post = [await _timed(session, "POST", f"{daemon.url}/api/v1/orders", json=o) for o in orders[20:]]
        upsert = [await _timed(session, "POST", f"{daemon.url}/api/v1/orders", json=o) for o in orders[:200]]
        bare = [await _timed(session, "POST", f"http://127.0.0.1:{bare_port}/api/v1/echo", json=o)
                for o in orders[:300]]
    return {"post_orders_new": _percentiles(post), "post_orders_repeat": _percentiles(upsert),
            "bare_aiohttp_echo": _percentiles(bare),
            "ratio_p50_vs_bare": round(statistics.median(post) / statistics.median(bare), 1),
            "target_p99_ms": 20}


def seed(data_dir: Path, count: int) -> None:
    """Set-up, not measured: batches of orders, one transaction each."""
    shops = ["好物数码旗舰店", "天猫超市", "小张的店", "优品家居", "运动户外专营店"]
    titles = ["无线蓝牙耳机", "有机牛奶", "儿童书包", "不锈钢保温杯", "跑步鞋"]
    orders = [Order.model_validate(sample_order(
        f"{7 * 10**18 + i}", shop_name=shops[i % 5],
        items=[{"sub_order_id": f"{7 * 10**18 + i}", "title": f"{titles[i % 5]} 型号{i}"}])) for i in range(count)]

    async def run() -> None:
        store = Store(data_dir)
        try:
            for start in range(0, count, 500):
                await store.cases.upsert_many(orders[start:start + 500])
        finally:
            store.close()
    asyncio.run(run())


async def list_latency(daemon: Daemon, token: str) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"}
    base = f"{daemon.url}/api/v1/cases"
    queries = {
        "first_page": {},
        "status_filter": {"status": "open", "limit": "50"},
        "text_search": {"q": "保温杯"},
        "sub_order_id": {"sub_order_id": f"{7 * 10**18 + 5000}"},
        "deep_page": {"offset": "9000", "limit": "50"},
    }
    results = {}
    async with aiohttp.ClientSession(headers=headers) as session:
        for name, params in queries.items():
            for _ in range(10):
                await _timed(session, "GET", base, params=params)
            results[name] = _percentiles([await _timed(session, "GET", base, params=params)
                                          for _ in range(200)])
    return {**results, "cases": 10_000, "target_p99_ms": 50}


async def main() -> dict[str, Any]:
    report: dict[str, Any] = {"benchmark": "foundation", "cold_start": cold_start()}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        daemon = start_daemon(data)
        bare_port = _free_port()
        bare = subprocess.Popen([sys.executable, "-c", BARE_SERVER, str(bare_port)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_health(bare_port, time.perf_counter(), bare)
            token = daemon.pair("bench")
            report["orders"] = await request_latency(daemon, token, bare_port)
        finally:
            daemon.stop()
            bare.terminate()
            bare.wait()
        seed(data, 10_000 - 400)
        daemon = start_daemon(data)
        try:
            token = daemon.pair("bench-list")
            report["list_cases"] = await list_latency(daemon, token)
        finally:
            daemon.stop()
    return report


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main()), ensure_ascii=False, indent=2))
