"""The export bench: 100,000 seeded titles streamed as JSON and as CSV through the gateway.

identity, library and the gateway run as their own processes (`bench/library/stack.py`); the
titles are COPYed in as the library bench seeds them (`bench/library/seed.py`). Each export is read
to its end by one client while the library's and the gateway's RSS are sampled every 50 ms; the
figures are the time to the last byte and each process's RSS growth over its level before the export.
"""

import asyncio
import os
import time
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench.harness import write_result
from bench.library.scenario import _env, _sign_up
from bench.library.seed import SpacePlan, seed
from bench.library.stack import Process, Stack, start_services
from shelfspace_kernel.db import asyncpg_dsn, session_settings
from tests.support import infra

TITLES = int(os.environ.get("BENCH_EXPORT_TITLES", "100000"))
TARGETS = {"seconds_max": 10, "rss_growth_mb_max": 50}


def _rss(process: Process) -> float:
    for line in Path(f"/proc/{process.popen.pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def _export(gateway: Process, account: dict, processes: list[Process], export_format: str) -> dict[str, Any]:
    """Read one export to its end; time, size, and each process's RSS growth while it streamed."""
    before = {process.name: _rss(process) for process in processes}
    peaks = dict(before)
    done = asyncio.Event()

    async def sample() -> None:
        while not done.is_set():
            for process in processes:
                peaks[process.name] = max(peaks[process.name], _rss(process))
            await asyncio.sleep(0.05)

    sampler = asyncio.create_task(sample())
    path = f"/api/spaces/{account['space_id']}/export"
    size, pieces = 0, 0
    started = time.perf_counter()
    first = None
    client = httpx.AsyncClient(base_url=gateway.url, cookies=account["cookies"], timeout=120)
    async with client, client.stream("GET", path, params={"format": export_format}) as response:
        async for piece in response.aiter_raw():
            first = first or time.perf_counter() - started
            size += len(piece)
            pieces += 1
    seconds = time.perf_counter() - started
    done.set()
    await sampler
    growth = {name: round(peaks[name] - before[name], 1) for name in before}
    return {
        "status": response.status_code,
        "seconds": round(seconds, 2),
        "first_byte_seconds": round(first or 0, 3),
        "megabytes": round(size / 1e6, 1),
        "pieces": pieces,
        "rss_before_mb": {name: round(value, 1) for name, value in before.items()},
        "rss_growth_mb": growth,
        "within_targets": response.status_code == 200
        and seconds < TARGETS["seconds_max"]
        and growth["library"] < TARGETS["rss_growth_mb_max"],
    }


async def run() -> dict:
    pg = infra.postgres_from_url(_env("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    amqp = _env("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
    database, vhost = infra.new_name("shelfspace_bench"), infra.new_name("shelfspace_bench")
    report: dict[str, Any] = {"titles": TITLES, "targets": TARGETS}
    infra.bootstrap_database(pg, database)
    infra.create_vhost(vhost, "guest")
    amqp_url = infra.with_vhost(amqp, vhost)
    stack = Stack()
    try:
        _, library, gateway = await start_services(stack, pg, database, amqp_url)
        account = await _sign_up(gateway.url)
        if account is None or "pending" in account:
            raise RuntimeError(f"no bench account: {account}")
        conn = await asyncpg.connect(
            asyncpg_dsn(pg.service_url(database, "library")), server_settings=session_settings("library")
        )
        try:
            print(f"seeding {TITLES} titles ...", flush=True)
            report["seed"] = await seed(conn, [SpacePlan(account["space_id"], TITLES, account["user_id"])])
        finally:
            await conn.close()
        for export_format in ("json", "csv"):
            figures = await _export(gateway, account, [library, gateway], export_format)
            print(f"  {export_format}: {figures}", flush=True)
            report[export_format] = figures
    finally:
        await stack.stop()
        infra.drop_database(pg, database)
        infra.delete_vhost(vhost)
    path = write_result("exports", report)
    return {"results": str(path)} | {name: report[name] for name in ("json", "csv") if name in report}
