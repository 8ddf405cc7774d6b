"""The load run: start every process, sign users up, baseline with one user, then the full load."""

import asyncio
import contextlib
import os
import platform
import time
from typing import Any

from bench.harness import Stats, write_result
from bench.library.stack import Stack
from bench.load.users import User, run_mix, seed, sign_up
from shelfspace_kernel.migrations import migrate
from tests.support import infra
from tests.support.fixtures import TEST_INTEGRATION_KEY, Keys

USERS = int(os.environ.get("LOAD_USERS", "50"))
SECONDS = float(os.environ.get("LOAD_SECONDS", "120"))
BASELINE_SECONDS = float(os.environ.get("LOAD_BASELINE_SECONDS", "15"))
THINK_MS = float(os.environ.get("LOAD_THINK_MS", "100"))
SEED_TITLES = int(os.environ.get("LOAD_SEED_TITLES", "20"))
PROCESSES = ("identity", "library", "integrations", "sync", "audit")


def _env(name: str, default: str) -> str:
    return os.environ.get(f"BENCH_{name}") or os.environ.get(f"TEST_{name}") or default


async def start_system(stack: Stack, pg: infra.Postgres, database: str, amqp_url: str) -> dict[str, str]:
    """Every service and a gateway as their own processes; the gateway's environment (to start more)."""
    keys = Keys.generate()
    common = {"AMQP_URL": amqp_url, "INTERNAL_AUTH_PUBLIC_KEYS": keys.public_keys, "DB_POOL_SIZE": "6"}
    extra = {
        "identity": {"SESSION_COOKIE_SECURE": "false"},
        "integrations": {"INTEGRATION_ENCRYPTION_KEY": TEST_INTEGRATION_KEY},
        "sync": {"INTERNAL_AUTH_PRIVATE_KEY": keys.private("sync")},
    }
    for service in PROCESSES:
        env = {**common, "DATABASE_URL": pg.service_url(database, service), **extra.get(service, {})}
        if service == "sync":
            env |= {
                "LIBRARY_URL": stack.processes["library"].url,
                "INTEGRATIONS_URL": stack.processes["integrations"].url,
            }
        await stack.start(service, env)
    gateway_env = {"AMQP_URL": amqp_url, "INTERNAL_AUTH_PRIVATE_KEY": keys.private("gateway")}
    gateway_env |= {f"{name.upper()}_URL": stack.processes[name].url for name in PROCESSES}
    await stack.start("gateway", gateway_env, health="/api/health/live")
    return gateway_env


def _summaries(stats: dict[str, Stats]) -> dict[str, Any]:
    routes = {route: entry.summary() for route, entry in stats.items()}
    requests = sum(entry["requests"] for entry in routes.values())
    errors = sum(entry["errors"] for entry in routes.values())
    seconds = max((entry.seconds for entry in stats.values()), default=0) or 1
    return {
        "routes": routes,
        "requests": requests,
        "errors": errors,
        "error_rate": round(errors / max(1, requests + errors), 5),
        "throughput_rps": round(requests / seconds, 1),
    }


async def _sample_rss(stack: Stack, samples: dict[str, list[float]], stop: asyncio.Event) -> None:
    while not stop.is_set():
        for name, process in stack.processes.items():
            samples.setdefault(name, []).append(process.rss_mb()["rss_mb"])
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 2)


async def run() -> dict:
    pg = infra.postgres_from_url(_env("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    amqp = _env("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
    database, vhost = infra.new_name("shelfspace_load"), infra.new_name("shelfspace_load")
    started = time.monotonic()
    config = {"users": USERS, "seconds": SECONDS, "baseline_seconds": BASELINE_SECONDS, "think_ms": THINK_MS}
    report: dict[str, Any] = {"config": config | {"seed_titles_per_user": SEED_TITLES}}
    report["machine"] = {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()}
    infra.bootstrap_database(pg, database)
    infra.create_vhost(vhost, "guest")
    stack = Stack()
    users: list[User] = []
    try:
        for service in PROCESSES:
            module = __import__(f"{service}.migrate", fromlist=["MIGRATIONS"])
            await migrate(pg.service_url(database, service), module.MIGRATIONS, service)
        await start_system(stack, pg, database, infra.with_vhost(amqp, vhost))
        url = stack.processes["gateway"].url
        users.append(await sign_up(url, 0, 4))  # the instance's first user (global admin)
        admin = users[0].client
        opened = await admin.patch("/api/admin/instance-settings", json={"registration": "open"})
        assert opened.status_code == 200, opened.text
        users += [await sign_up(url, i, 4) for i in range(1, USERS)]
        gate = asyncio.Semaphore(4)  # seeding is setup, not load: a few users at a time

        async def seed_one(user: User) -> None:
            async with gate:
                await seed(user, SEED_TITLES)

        await asyncio.gather(*(seed_one(user) for user in users))
        report["rss_idle"] = {name: p.rss_mb() for name, p in stack.processes.items()}
        print(f"baseline: 1 user for {BASELINE_SECONDS:g} s", flush=True)
        report["single_user"] = _summaries(await run_mix(users[:1], BASELINE_SECONDS, 0))
        print(f"load: {USERS} users for {SECONDS:g} s (think time ~{THINK_MS:g} ms)", flush=True)
        samples: dict[str, list[float]] = {}
        stop = asyncio.Event()
        sampler = asyncio.create_task(_sample_rss(stack, samples, stop))
        report["load"] = _summaries(await run_mix(users, SECONDS, THINK_MS / 1000))
        stop.set()
        await sampler
        report["rss"] = {
            name: {"mean_rss_mb": round(sum(v) / len(v), 1), **stack.processes[name].rss_mb()}
            for name, v in samples.items()
        }
        report["p99_ratio_to_single_user"] = {
            route: round(row["p99_ms"] / base["p99_ms"], 1)
            for route, row in report["load"]["routes"].items()
            if (base := report["single_user"]["routes"][route]).get("p99_ms") and row.get("p99_ms")
        }
    finally:
        for user in users:
            await user.aclose()
        await stack.stop()
        infra.drop_database(pg, database)
        infra.delete_vhost(vhost)
    report["load_average_at_end"] = os.getloadavg()
    report["total_seconds"] = round(time.monotonic() - started, 1)
    path = write_result("load", report)
    load = report["load"]
    return {
        "results": str(path),
        "error_rate": load["error_rate"],
        "throughput_rps": load["throughput_rps"],
        "p99_ms": {route: row["p99_ms"] for route, row in load["routes"].items()},
        "single_user_p99_ms": {route: row["p99_ms"] for route, row in report["single_user"]["routes"].items()},
    }
