"""`python -m bench health`: the CPU one `GET /api/health` costs the whole system, answered from the
gateway's cache (HEALTH_CACHE_SECONDS) and asked of every service (the cache off), in one run.

Every service and two gateways run as their own processes (`bench/load/scenario.py`), one with the
default cache and one with `HEALTH_CACHE_SECONDS=0`. CPU is the user + system time of every process
of the system and of its Postgres backends (from /proc), over BENCH_HEALTH_CALLS sequential calls,
less what the same processes spend over an idle stretch of the same length (their periodic work).
The bench client's own CPU is not counted.
"""

import asyncio
import os
import time
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench.harness import write_result
from bench.library.stack import Stack
from bench.load.scenario import PROCESSES, start_system
from shelfspace_kernel.migrations import migrate
from tests.support import infra

CALLS = int(os.environ.get("BENCH_HEALTH_CALLS", "500"))
TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")
# A dashboard polling every second, against the gateway's default cache period.
POLL_SECONDS = 1.0
TARGET_MS = 1.0


def _env(name: str, default: str) -> str:
    return os.environ.get(f"BENCH_{name}") or os.environ.get(f"TEST_{name}") or default


def _cpu_ms(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total * TICK_MS


async def _backends(dsn: str, database: str) -> list[int]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch("SELECT pid FROM pg_stat_activity WHERE datname = $1", database)
    finally:
        await conn.close()
    return [row["pid"] for row in rows]


async def _measure(client: httpx.AsyncClient, pids: dict[str, list[int]], calls: int) -> dict[str, Any]:
    """CPU per call over `calls` sequential calls, less an idle stretch of the same length, in all
    and by process (Postgres: its backends together)."""
    began, cpu = time.perf_counter(), {name: _cpu_ms(p) for name, p in pids.items()}
    statuses = {(await client.get("/api/health")).status_code for _ in range(calls)}
    busy_seconds = time.perf_counter() - began
    busy = {name: _cpu_ms(p) - cpu[name] for name, p in pids.items()}
    cpu = {name: _cpu_ms(p) for name, p in pids.items()}
    await asyncio.sleep(busy_seconds)
    idle = {name: _cpu_ms(p) - cpu[name] for name, p in pids.items()}
    per_process = {name: max(0.0, busy[name] - idle[name]) / calls for name in pids}
    return {
        "calls": calls,
        "statuses": sorted(statuses),
        "seconds": round(busy_seconds, 2),
        "cpu_ms_per_call": round(sum(per_process.values()), 3),
        "by_process": {name: round(ms, 3) for name, ms in per_process.items() if ms},
        "idle_cpu_ms": round(sum(idle.values()), 1),
    }


async def run() -> dict:
    pg = infra.postgres_from_url(_env("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    amqp = _env("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
    database, vhost = infra.new_name("shelfspace_bench"), infra.new_name("shelfspace_bench")
    infra.bootstrap_database(pg, database)
    infra.create_vhost(vhost, "guest")
    stack = Stack()
    report: dict[str, Any] = {"calls": CALLS}
    try:
        for service in PROCESSES:
            module = __import__(f"{service}.migrate", fromlist=["MIGRATIONS"])
            await migrate(pg.service_url(database, service), module.MIGRATIONS, service)
        gateway_env = await start_system(stack, pg, database, infra.with_vhost(amqp, vhost))
        uncached_env = gateway_env | {"HEALTH_CACHE_SECONDS": "0"}
        await stack.start("gateway", uncached_env, health="/api/health/live", label="gateway-uncached")
        cache_seconds = float(os.environ.get("HEALTH_CACHE_SECONDS", "30"))
        for label, calls in (("gateway-uncached", max(50, CALLS // 5)), ("gateway", CALLS)):
            url = stack.processes[label].url
            async with httpx.AsyncClient(base_url=url, timeout=10) as client:
                await client.get("/api/health")  # connections and caches warm
                pids = {name: [p.popen.pid] for name, p in stack.processes.items()}
                pids["postgres"] = await _backends(pg.url("postgres"), database)
                report[label] = await _measure(client, pids, calls)
            print(f"  {label}: {report[label]}", flush=True)
        fan_out = report["gateway-uncached"]["cpu_ms_per_call"]
        hit = report["gateway"]["cpu_ms_per_call"]
        polled = hit + fan_out * POLL_SECONDS / cache_seconds
        report["dashboard_every_second"] = {
            "cache_seconds": cache_seconds,
            "cpu_ms_per_call": round(polled, 3),
            "within_target": polled <= TARGET_MS,
        }
    finally:
        await stack.stop()
        infra.drop_database(pg, database)
        infra.delete_vhost(vhost)
    path = write_result("health", report)
    return {"results": str(path), **{k: report[k] for k in ("gateway-uncached", "gateway", "dashboard_every_second")}}
