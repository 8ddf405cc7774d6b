"""A small shared load driver for the benches.

`drive(call, concurrency, seconds=..., count=...)` keeps `concurrency` workers calling `call(i)`
(an awaitable that returns True on success) until the duration or count is reached, and returns
latency percentiles, the request rate and the error count. `run_http` drives an httpx client
(one connection pool, loopback only); `run_sql` drives an asyncpg pool (the raw-SQL floor).
`write_result(name, data)` writes bench/results/<name>.json (the folder is not versioned).
"""

import asyncio
import contextlib
import json
import math
import os
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import asyncpg
import httpx

RESULTS = Path(os.environ.get("BENCH_RESULTS", Path(__file__).resolve().parent / "results"))
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# A bound on any single run, whatever the caller asks for.
MAX_SECONDS = 120.0
MAX_CONCURRENCY = 256


@dataclass
class Stats:
    """What one measured run observed (latencies in milliseconds)."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    first_error: str | None = None

    def percentile(self, p: float) -> float | None:
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        rank = max(0, math.ceil(p / 100 * len(ordered)) - 1)
        return ordered[rank]

    def summary(self) -> dict[str, Any]:
        done = len(self.latencies)
        mean = sum(self.latencies) / done if done else None
        return {
            "requests": done,
            "errors": self.errors,
            "seconds": round(self.seconds, 2),
            "rps": round(done / self.seconds, 1) if self.seconds else None,
            "p50_ms": _round(self.percentile(50)),
            "p99_ms": _round(self.percentile(99)),
            "mean_ms": _round(mean),
            "max_ms": _round(max(self.latencies) if done else None),
            **({"first_error": self.first_error} if self.first_error else {}),
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


async def drive(
    call: Callable[[int], Awaitable[bool]],
    concurrency: int = 16,
    *,
    seconds: float | None = 10.0,
    count: int | None = None,
    warmup: int = 0,
) -> Stats:
    """Run `call(i)` from `concurrency` workers until `seconds` passed or `count` calls were made."""
    if not 1 <= concurrency <= MAX_CONCURRENCY:
        raise ValueError(f"concurrency must be within 1..{MAX_CONCURRENCY}")
    seconds = min(seconds or MAX_SECONDS, MAX_SECONDS)
    for i in range(warmup):
        await call(-1 - i)
    stats = Stats()
    counter = iter(range(count if count is not None else 10**12))
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        for i in counter:
            if time.perf_counter() >= deadline:
                return
            started = time.perf_counter()
            try:
                ok = await call(i)
            except Exception as exc:
                ok = False
                stats.first_error = stats.first_error or f"{type(exc).__name__}: {exc}"[:300]
            if ok:
                stats.latencies.append((time.perf_counter() - started) * 1000)
            else:
                stats.errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    stats.seconds = time.perf_counter() - started
    return stats


def ensure_loopback(url: str) -> None:
    host = urlsplit(url).hostname or ""
    if host not in LOOPBACK:
        raise ValueError(f"benches only target loopback, not {host!r}")


def http_client(base_url: str, concurrency: int = 16, **kwargs: Any) -> httpx.AsyncClient:
    """One connection pool sized for the workers, against a loopback address."""
    ensure_loopback(base_url)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    return httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30, **kwargs)


# A request: (method, path, keyword arguments of httpx's `request`), built for call number i.
RequestFactory = Callable[[int], tuple[str, str, dict[str, Any]]]


class HttpClient(Protocol):
    """What `run_http` drives: an httpx client or the benches' LightClient."""

    async def request(self, method: str, path: str, **kwargs: Any) -> Any: ...


async def run_http(
    client: HttpClient,
    factory: RequestFactory,
    concurrency: int = 16,
    *,
    seconds: float | None = 10.0,
    count: int | None = None,
    warmup: int = 16,
    expect: tuple[int, ...] = (200,),
) -> Stats:
    """Drive HTTP requests; a response with a status outside `expect` counts as an error."""
    errors: list[str] = []

    async def call(i: int) -> bool:
        method, path, kwargs = factory(i)
        response = await client.request(method, path, **kwargs)
        if response.status_code not in expect:
            if not errors:
                errors.append(f"{response.status_code} {response.text[:200]}")
            return False
        return True

    stats = await drive(call, concurrency, seconds=seconds, count=count, warmup=warmup)
    stats.first_error = stats.first_error or (errors[0] if errors else None)
    return stats


# A unit of SQL work for call number i, given one connection of the pool.
SqlWork = Callable[[asyncpg.Connection, int], Awaitable[Any]]


async def run_sql(
    pool: asyncpg.Pool,
    work: SqlWork,
    concurrency: int = 16,
    *,
    seconds: float | None = 10.0,
    count: int | None = None,
    warmup: int = 16,
) -> Stats:
    """Drive raw SQL through asyncpg: each call borrows a pooled connection and runs `work`."""

    async def call(i: int) -> bool:
        async with pool.acquire() as conn:
            await work(conn, i)
        return True

    return await drive(call, concurrency, seconds=seconds, count=count, warmup=warmup)


def write_result(name: str, data: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, default=str) + "\n")
    return path


def bench_env(name: str) -> str:
    """BENCH_<name>, else TEST_<name> (the test suites' servers); exits when neither is set."""
    value = os.environ.get(f"BENCH_{name}") or os.environ.get(f"TEST_{name}")
    if not value:
        sys.exit(f"set BENCH_{name} or TEST_{name}")
    return value


@contextlib.contextmanager
def scratch_database() -> Iterator[tuple[Any, str, str]]:
    """A fresh database and vhost for one bench run: (postgres, database name, broker URL); removed after."""
    from tests.support import infra

    pg = infra.postgres_from_url(bench_env("DATABASE_URL"))
    db, vhost = infra.new_name("shelfspace_bench"), infra.new_name("shelfspace_bench")
    infra.bootstrap_database(pg, db)
    infra.create_vhost(vhost, "guest")
    try:
        yield pg, db, infra.with_vhost(bench_env("AMQP_URL"), vhost)
    finally:
        infra.drop_database(pg, db)
        infra.delete_vhost(vhost)


async def stop_process(process: asyncio.subprocess.Process | None, grace_seconds: float = 30) -> None:
    """Terminate a child process, killing it when it does not end within the grace period."""
    if process is None or process.returncode is not None:
        return
    process.terminate()
    try:
        await asyncio.wait_for(process.wait(), grace_seconds)
    except TimeoutError:
        process.kill()
