"""Load benchmark: the helper at 20,000 cases under 50 concurrent clients.

Prints one JSON document. The daemon runs in its own process (`tousu-helper serve`); the
clients are asyncio tasks in this one. The baseline, measured in the same run under the
same 50-client load, is a bare aiohttp server answering a JSON echo — what HTTP on this
machine costs before the helper does any work.

Seeding goes through the API like the extension's saves (POST /orders, every commit
fsynced), with received dates spread over the last three years (a few percent of the
cases inside a 7-day window, as for a buyer with a long history), so the reminders and
the deadline sort have real work. Then a mixed phase: order saves (new facts for existing
cases), searches (a title fragment of 3+ characters, and a 2-character one), the badge's
/reminders and the review list sorted by nearest deadline.

`--helper DIR` runs the daemon from another checkout (for a before/after comparison:
`git worktree add /tmp/before <rev>` and point at it); `--cases` and `--clients` change
the size.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp

from benchmarks import percentiles
from benchmarks.foundation import BARE_SERVER, _free_port, _wait_health
from helper.models import CHINA_TZ, utc_now
from tests.conftest import sample_order
from tests.support.daemon import Daemon, start_daemon

SHOPS = ["好物数码旗舰店", "天猫超市", "小张的店", "优品家居", "运动户外专营店"]
TIMEOUT_S = 60
TITLES = ["无线蓝牙耳机 降噪版", "有机纯牛奶 12盒", "儿童书包 护脊", "不锈钢保温杯 500ml", "缓震跑步鞋 男款"]


def _stats(samples: list[float]) -> dict[str, float]:
    cuts = percentiles(samples, 50, 99)
    return {"p50_ms": round(cuts[50] * 1000, 2), "p99_ms": round(cuts[99] * 1000, 2), "n": len(samples)}


def _order(i: int, now_days_back: int, fee_cents: int = 4740) -> dict[str, Any]:
    oid = f"{8 * 10**18 + i}"
    received = (utc_now() - timedelta(days=now_days_back, hours=i % 24)).astimezone(CHINA_TZ)
    return sample_order(oid, shop_name=SHOPS[i % 5], actual_fee=f"{fee_cents // 100}.{fee_cents % 100:02d}",
                        received_at=received.isoformat(timespec="seconds"),
                        items=[{"sub_order_id": oid, "title": f"{TITLES[i % 5]} 型号{i}"}])


async def _run(clients: int, jobs: list[tuple[str, str, str, dict[str, Any]]],
               headers: dict[str, str]) -> tuple[dict[str, list[float]], float, int]:
    """`clients` workers share the job list; returns latencies by kind, wall time, errors."""
    latencies: dict[str, list[float]] = defaultdict(list)
    errors = 0
    queue: asyncio.Queue[tuple[str, str, str, dict[str, Any]]] = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(headers=headers, connector=connector,
                                     timeout=aiohttp.ClientTimeout(total=TIMEOUT_S)) as session:
        async def worker() -> None:
            nonlocal errors
            while not queue.empty():
                kind, method, url, kwargs = queue.get_nowait()
                start = time.perf_counter()
                try:
                    async with session.request(method, url, **kwargs) as response:
                        await response.read()
                        if response.status >= 400:
                            errors += 1
                except (aiohttp.ClientError, asyncio.TimeoutError):
                    errors += 1  # a request that never got an answer counts at its full wait
                latencies[kind].append(time.perf_counter() - start)
        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
    return latencies, time.perf_counter() - start, errors


def _start(data: Path, helper_dir: Path | None) -> Daemon:
    """`python -m helper` puts the working directory first on sys.path, ahead of the
    editable install: starting it from another checkout runs that checkout's helper."""
    if helper_dir is None:
        return start_daemon(data, timeout=60)
    here = Path.cwd()
    os.chdir(helper_dir)
    try:
        return start_daemon(data, timeout=60)
    finally:
        os.chdir(here)


async def bench(cases: int, clients: int, mixed: int, helper_dir: Path | None) -> dict[str, Any]:
    rng = random.Random(20261202)
    report: dict[str, Any] = {"benchmark": "load", "cases": cases, "clients": clients,
                              "helper": str(helper_dir) if helper_dir else "this checkout"}
    with tempfile.TemporaryDirectory() as tmp:
        daemon = _start(Path(tmp) / "data", helper_dir)
        try:
            token = daemon.pair("bench-load")
            api, headers = f"{daemon.url}/api/v1", {"Authorization": f"Bearer {token}"}
            seed = [("post_orders_new", "POST", f"{api}/orders", {"json": _order(i, i % 1095)})
                    for i in range(cases)]
            latencies, wall, errors = await _run(clients, seed, headers)
            report["seed"] = {**_stats(latencies["post_orders_new"]), "requests_per_s": round(cases / wall, 1),
                              "errors": errors}
            jobs = []
            for n in range(mixed):
                i = rng.randrange(cases)
                pick = n % 10
                if pick < 4:
                    jobs.append(("post_orders_update", "POST", f"{api}/orders",
                                 {"json": _order(i, i % 1095, fee_cents=4740 + n)}))
                elif pick < 6:
                    jobs.append(("search_title", "GET", f"{api}/cases", {"params": {"q": f"型号{i}"}}))
                elif pick < 7:
                    jobs.append(("search_2_chars", "GET", f"{api}/cases", {"params": {"q": TITLES[i % 5][:2]}}))
                elif pick < 9:
                    jobs.append(("reminders", "GET", f"{api}/reminders", {}))
                else:
                    jobs.append(("ui_list_by_deadline", "GET", f"{api}/ui/cases", {"params": {"sort": "deadline"}}))
            latencies, wall, errors = await _run(clients, jobs, headers)
            report["mixed"] = {kind: _stats(samples) for kind, samples in sorted(latencies.items())}
            report["mixed"]["requests_per_s"] = round(mixed / wall, 1)
            report["mixed"]["errors"] = errors
        finally:
            daemon.stop()
    port = _free_port()
    bare = subprocess.Popen([sys.executable, "-c", BARE_SERVER, str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_health(port, time.perf_counter(), bare)
        echo = [("bare_echo", "POST", f"http://127.0.0.1:{port}/api/v1/echo", {"json": _order(i, 1)})
                for i in range(mixed)]
        latencies, wall, _ = await _run(clients, echo, {})
        report["baseline_bare_aiohttp"] = {**_stats(latencies["bare_echo"]), "requests_per_s": round(mixed / wall, 1)}
    finally:
        bare.terminate()
        bare.wait()
    base = report["baseline_bare_aiohttp"]["p99_ms"]
    report["p99_ratio_vs_bare"] = {kind: round(v["p99_ms"] / base, 1) for kind, v in report["mixed"].items()
                                   if isinstance(v, dict)}
    report["target_p99_ms"] = 100
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--mixed", type=int, default=5_000, help="requests in the mixed phase")
    parser.add_argument("--helper", type=Path, help="run the daemon from this checkout instead")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(bench(args.cases, args.clients, args.mixed, args.helper)),
                     ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
