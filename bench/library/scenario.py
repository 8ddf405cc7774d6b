"""The library bench: 200k seeded titles, five request shapes, three paths, one run.

Paths: (a) through the gateway with a real session, (b) straight to the library service with a
signed internal token, (c) the same SQL alone through asyncpg (see floor.py), and (t) as (a) through
a second gateway and library with tracing on, exporting to a local sink (`BENCH_TRACING=0` leaves it out). Shapes: the first
page in default sort, a filtered + sorted page, a `q` search for a word in ~1% of titles, a page
1,000 pages deep by cursor, and a create. Also: EXPLAIN (ANALYZE, BUFFERS) of every read shape,
a check that every foreign key is indexed, the library's RSS and the time to delete a space.
"""

import asyncio
import os
import platform
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench.harness import http_client, run_http, run_sql, write_result
from bench.library import floor
from bench.library.plans import explain_shapes, unindexed_foreign_keys
from bench.library.seed import RARE_WORD, SpacePlan, seed
from bench.library.stack import Stack, start_services, start_traced
from bench.light_http import LightClient
from library.api.schemas import MediaIn
from library.domain.cursor import Cursor, encode
from library.handlers import queries, titles
from library.store.list_counts import ListCounts
from library.store.listing import ListQuery
from shelfspace_contracts.events import EventEnvelope
from shelfspace_contracts.identity import CSRF_COOKIE, CSRF_HEADER
from shelfspace_kernel.broker import Broker
from shelfspace_kernel.db import asyncpg_dsn, session_settings
from shelfspace_kernel.internal_auth import CallerContext, TokenSigner
from shelfspace_kernel.internal_client import SignedAs
from tests.support import infra

SECONDS = float(os.environ.get("BENCH_SECONDS", "6"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))
TITLES = int(os.environ.get("BENCH_LIBRARY_TITLES", "100000"))
TRACING = os.environ.get("BENCH_TRACING", "1") != "0"
PAGE = 50
DEEP_PAGES = 1000
PASSWORD = "bench-password-0123456789"

# name → query parameters of GET /api/media (the deep shape adds its cursor at run time)
READ_SHAPES: dict[str, dict[str, Any]] = {
    "1_first_page": {},
    "2_filtered_sorted": {"genre": "Drama", "year_min": 1990, "year_max": 1999, "sort": "year"},
    "3_search": {"q": RARE_WORD.lower()},
    "4_deep_cursor": {},
}
TARGETS = {"gateway_rps_min": 300, "gateway_p99_ms_max": 100, "a_over_b_p50_max": 1.5, "b_over_c_p50_max": 4}
TARGETS |= {"library_rss_mb_max": 250}


def _env(name: str, default: str) -> str:
    return os.environ.get(f"BENCH_{name}") or os.environ.get(f"TEST_{name}") or default


def create_body(i: int) -> dict:
    return {
        "title": f"Bench Arrival {i}",
        "media_type": "movie",
        "year": 1990 + i % 30,
        "runtime_minutes": 100,
        "genres": ["Drama", "Science Fiction"],
        "directors": ["Nadia Okoro"],
        "cast": ["Ivo Lark", "Mae Sund", "Teo Varga"],
        "copies": [{"format": "Blu-ray", "barcode": f"{5000000000000 + i}", "location": "Shelf 3"}],
    }


async def _sign_up(gateway_url: str) -> dict | None:
    """The instance's first user through the gateway: session cookie, CSRF header and active space."""
    async with httpx.AsyncClient(base_url=gateway_url, timeout=30) as client:
        body = {"email": "bench@example.com", "password": PASSWORD, "name": "Bench Owner"}
        response = await client.post("/api/auth/register", json=body)
        if response.status_code != 201:
            return {"pending": f"register answered {response.status_code}: {response.text[:200]}"}
        me = (await client.get("/api/auth/me")).json()
        if "user" not in me or not me.get("active_space"):
            return {"pending": f"/api/auth/me answered {str(me)[:200]}"}
        return {
            "user_id": uuid.UUID(me["user"]["id"]),
            "space_id": uuid.UUID(me["active_space"]["id"]),
            "cookies": httpx.Cookies(client.cookies),
            "headers": {CSRF_HEADER: client.cookies.get(CSRF_COOKIE, "")},
        }


async def _floor_statements(conn, caller: CallerContext, shapes: dict[str, dict]) -> tuple[dict, dict]:
    """The SQL of each shape, recorded by running the service's own handlers on a recording session:
    a first request (every statement, for the plans) and a repeated one (what the bench repeats,
    whose filtered total the service remembers per space revision)."""
    first: dict[str, list] = {}
    repeated: dict[str, list] = {}
    for name, params in shapes.items():
        if name == "5_create":
            session = floor.RecordingSession(conn)
            await titles.create_title(session, caller, MediaIn(**create_body(-1)))
            first[name] = repeated[name] = session.statements
            continue
        args = {k: v for k, v in params.items() if k != "cursor"}
        counts = ListCounts()
        for recorded in (first, repeated):
            session = floor.RecordingSession(conn)
            await queries.list_titles(session, counts, caller, ListQuery(**args), params.get("cursor"))
            recorded[name] = session.statements
    return first, repeated


async def _deep_cursor(conn, space_id: uuid.UUID) -> tuple[str, uuid.UUID]:
    """The cursor the service would hand out after page 1,000 of the default sort, and the next row."""
    rows = await conn.fetch(
        "SELECT sort_key, id FROM media WHERE space_id = $1 AND deleted_at IS NULL ORDER BY sort_key, id"
        " OFFSET $2 LIMIT 2",
        space_id,
        min(DEEP_PAGES, TITLES // PAGE // 2) * PAGE - 1,  # smaller seeds (trial runs) go half way
    )
    return encode(Cursor("title", "asc", rows[0]["sort_key"], rows[0]["id"])), rows[1]["id"]


async def _pool_when_slots_free(dsn: str, settings: dict, wait: float = 120) -> asyncpg.Pool:
    """All CONCURRENCY connections up front; the shared server may be short of slots for a while."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return await asyncpg.create_pool(dsn, min_size=CONCURRENCY, max_size=CONCURRENCY, server_settings=settings)
        except asyncpg.TooManyConnectionsError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(1)


def _ratio(top: dict | None, bottom: dict | None) -> float | None:
    if not top or not bottom or not top.get("p50_ms") or not bottom.get("p50_ms"):
        return None
    return round(top["p50_ms"] / bottom["p50_ms"], 2)


def _order(shapes: dict[str, dict], paths: dict[str, Any]) -> list[tuple[str, str]]:
    """The floor of every read first (its pool is closed before the service fills its own), then
    each read through the service and the gateway, then the creates (they add rows)."""
    reads = [name for name in shapes if name != "5_create"]
    live = [path for path in ("b_direct", "a_gateway", "t_traced") if paths.get(path) is not None]
    order = [(name, "c_sql") for name in reads] + [(name, path) for name in reads for path in live]
    return order + [("5_create", path) for path in ("c_sql", *live)]


async def _one(target: Any, path: str, name: str, params: dict, statements: list, caller_ids: set):
    if path == "c_sql":
        renew = floor.fresh_ids(statements, caller_ids) if name == "5_create" else (lambda: statements)

        async def work(conn, i):
            await floor.replay(conn, renew(), transactional=name == "5_create")

        # Opened per measurement: the shared server's connection slots are scarce.
        pool = await target()
        try:
            return await run_sql(pool, work, CONCURRENCY, seconds=SECONDS)
        finally:
            await pool.close()
    client = target()
    try:
        if name == "5_create":
            offset = {"a_gateway": 0, "b_direct": 10**6}.get(path, 2 * 10**6)
            return await run_http(
                client, lambda i: ("POST", "/api/media", {"json": create_body(offset + i)}), CONCURRENCY,
                seconds=SECONDS, expect=(201,),
            )  # fmt: skip
        request = ("GET", "/api/media", {"params": params})
        return await run_http(client, lambda i: request, CONCURRENCY, seconds=SECONDS)
    finally:
        await client.aclose()


async def _measure(
    stack: Stack, paths: dict[str, Any], shapes: dict[str, dict], statements: dict[str, list], caller_ids: set
) -> tuple[dict, list]:
    figures: dict[str, dict] = {name: {} for name in shapes}
    rss: list[dict] = []
    library = stack.processes["library"]
    for name, path in _order(shapes, paths):
        stats = await _one(paths[path], path, name, shapes[name], statements[name], caller_ids)
        figures[name][path] = stats.summary()
        rss.append({"after": f"{name}/{path}", **library.rss_mb()})
        print(f"  {name:18} {path:10} {figures[name][path]}", flush=True)
    for row in figures.values():
        row["a_over_b_p50"] = _ratio(row.get("a_gateway"), row.get("b_direct"))
        row["b_over_c_p50"] = _ratio(row.get("b_direct"), row.get("c_sql"))
        if "t_traced" in row:
            row["t_over_a_p50"] = _ratio(row.get("t_traced"), row.get("a_gateway"))
    return figures, rss


def _verdict(figures: dict, peak_rss: float, gateway: bool) -> dict:
    out: dict[str, Any] = {}
    for name in READ_SHAPES:
        row = figures[name]
        checks = {
            "b_over_c_p50": (row["b_over_c_p50"], row["b_over_c_p50"] is not None and row["b_over_c_p50"] <= 4),
        }
        if gateway:
            a = row["a_gateway"]
            checks |= {
                "gateway_rps": (a["rps"], a["rps"] >= TARGETS["gateway_rps_min"]),
                "gateway_p99_ms": (a["p99_ms"], a["p99_ms"] is not None and a["p99_ms"] <= 100),
                "a_over_b_p50": (row["a_over_b_p50"], row["a_over_b_p50"] is not None and row["a_over_b_p50"] <= 1.5),
            }
        out[name] = {key: {"value": value, "met": met} for key, (value, met) in checks.items()}
    out["library_rss_mb"] = {"value": peak_rss, "met": peak_rss < TARGETS["library_rss_mb_max"]}
    return out


async def _delete_space(amqp_url: str, conn, library_url: str, space_id: uuid.UUID) -> dict:
    """Publish identity.space.deleted and time until the library's consumer removed every row."""
    titles_before = await conn.fetchval("SELECT count(*) FROM media WHERE space_id = $1", space_id)
    async with httpx.AsyncClient(base_url=library_url, timeout=5) as client:
        for _ in range(100):
            body = (await client.get("/health")).json()
            if "library.space-deleted" in str(body.get("consumers", body)):
                break
            await asyncio.sleep(0.1)
    broker = Broker(amqp_url, "shelfspace.events", service="bench")
    await broker.start()
    try:
        await broker.wait_ready(10)
        envelope = EventEnvelope(
            type="identity.space.deleted", producer="identity", space_id=space_id, entity_type="space",
            entity_id=str(space_id), data={},
        )  # fmt: skip
        started = time.perf_counter()
        await broker.publish_event(envelope.model_dump(mode="json"), envelope.routing_key)
        while await conn.fetchval("SELECT EXISTS (SELECT 1 FROM media WHERE space_id = $1)", space_id):
            if time.perf_counter() - started > 300:
                return {"titles": titles_before, "error": "not deleted after 300 s"}
            await asyncio.sleep(0.05)
        seconds = time.perf_counter() - started
    finally:
        await broker.stop()
    left = {
        table: await conn.fetchval(f"SELECT count(*) FROM {table} WHERE space_id = $1", space_id)
        for table in ("copies", "annotations", "media_identities", "space_counts")
    }
    return {"titles": titles_before, "seconds_publish_to_gone": round(seconds, 2), "rows_left": left}


def _machine() -> dict:
    meminfo = Path("/proc/meminfo").read_text().split("\n")[0].split()[1]
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), "?")
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gb": round(int(meminfo) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "load_average_at_start": os.getloadavg(),
    }


async def run() -> dict:
    pg = infra.postgres_from_url(_env("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    amqp = _env("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
    database, vhost = infra.new_name("shelfspace_bench"), infra.new_name("shelfspace_bench")
    started = time.monotonic()
    report: dict[str, Any] = {"machine": _machine(), "concurrency": CONCURRENCY, "seconds_per_measurement": SECONDS}
    infra.bootstrap_database(pg, database)
    infra.create_vhost(vhost, "guest")
    amqp_url = infra.with_vhost(amqp, vhost)
    stack = Stack()
    try:
        keys, library, gateway = await start_services(stack, pg, database, amqp_url)
        account = await _sign_up(gateway.url)
        gateway_ok = account is not None and "pending" not in account
        report["gateway"] = "measured" if gateway_ok else f"pending sessions ({(account or {}).get('pending')})"
        user_id = account["user_id"] if gateway_ok else uuid.uuid4()
        space_id = account["space_id"] if gateway_ok else uuid.uuid4()
        library_dsn = asyncpg_dsn(pg.service_url(database, "library"))
        settings = session_settings("library")
        conn = await asyncpg.connect(library_dsn, server_settings=settings)
        try:
            others = [uuid.uuid4(), uuid.uuid4()]
            plans = [SpacePlan(space_id, TITLES, user_id, others)]
            plans += [SpacePlan(uuid.uuid4(), TITLES // 3 + (i < TITLES % 3), uuid.uuid4(), others) for i in range(3)]
            print(f"seeding {sum(p.titles for p in plans)} titles ...", flush=True)
            report["seed"] = await seed(conn, plans)
            print(f"  {report['seed']}", flush=True)
            cursor, next_id = await _deep_cursor(conn, space_id)
            shapes = {**READ_SHAPES, "4_deep_cursor": {"cursor": cursor}, "5_create": {}}
            caller = CallerContext(
                request_id=uuid.uuid4().hex, caller="gateway", user_id=user_id, global_role="user",
                space_id=space_id, space_role="owner",
            )  # fmt: skip
            signer = keys.signer("gateway")
            first_statements, statements = await _floor_statements(conn, caller, shapes)
            report["checks"] = await _same_rows(library.url, signer, caller, shapes, statements, next_id)
            reads = {k: v for k, v in first_statements.items() if k != "5_create"}
            report["plans"] = await explain_shapes(conn, reads)
            report["unindexed_foreign_keys"] = await unindexed_foreign_keys(conn)
            report["rss_idle"] = library.rss_mb()

            def direct() -> LightClient:
                # Signed per request, as the gateway does: that cost belongs to the direct path too.
                def sign(method: str, target: str) -> dict[str, str]:
                    return {"authorization": f"Bearer {signer.sign('library', caller, method, target)}"}

                return LightClient(library.url, CONCURRENCY, sign=sign)

            def through(url: str) -> Callable[[], LightClient]:
                cookies = dict(account["cookies"])
                return lambda: LightClient(url, CONCURRENCY, cookies=cookies, headers=account["headers"])

            async def sql_pool() -> asyncpg.Pool:
                return await _pool_when_slots_free(library_dsn, settings)

            paths = {"c_sql": sql_pool, "b_direct": direct, "a_gateway": through(gateway.url) if gateway_ok else None}
            if TRACING and gateway_ok:
                _, traced_gateway = await start_traced(stack, pg, database, amqp_url, keys)
                paths["t_traced"] = through(traced_gateway.url)
            print(f"measuring: {CONCURRENCY} clients, {SECONDS:g} s per shape and path", flush=True)
            figures, rss = await _measure(stack, paths, shapes, statements, {space_id, user_id})
            report["figures"] = figures
            if "t_traced" in paths:
                report["tracing"] = await _spans_received(stack.processes["otlp_sink"].url)
            report["library_rss"] = {"samples": rss, "peak_rss_mb": max(s["peak_rss_mb"] for s in rss)}
            report["targets"] = TARGETS
            report["verdict"] = _verdict(figures, report["library_rss"]["peak_rss_mb"], gateway_ok)
            report["delete_space"] = await _delete_space(amqp_url, conn, library.url, space_id)
        finally:
            await conn.close()
    finally:
        await stack.stop()
        infra.drop_database(pg, database)
        infra.delete_vhost(vhost)
    report["machine"]["load_average_at_end"] = os.getloadavg()
    report["total_seconds"] = round(time.monotonic() - started, 1)
    path = write_result("library", report)
    return {"results": str(path), "gateway": report["gateway"], "total_seconds": report["total_seconds"]} | {
        name: {p: (v.get("p50_ms"), v.get("p99_ms"), v.get("rps")) for p, v in row.items() if isinstance(v, dict)}
        for name, row in report["figures"].items()
    }


async def _spans_received(sink_url: str) -> dict:
    """What the sink counted once the exporters' last batches (sent every second) have arrived."""
    await asyncio.sleep(2)
    async with httpx.AsyncClient(base_url=sink_url, timeout=5) as client:
        return (await client.get("/health")).json()


async def _same_rows(
    library_url: str, signer: TokenSigner, caller: CallerContext, shapes: dict, statements: dict, next_id: uuid.UUID
) -> dict:
    """The service answers each read shape with the rows the recorded SQL returns (a sanity check)."""
    out = {}
    async with http_client(library_url, 1, auth=SignedAs(signer, "library", caller)) as client:
        for name, params in shapes.items():
            if name == "5_create":
                continue
            body = (await client.get("/api/media", params=params)).json()
            out[name] = {
                "items": len(body["items"]),
                "total": body["total"],
                "lower_bound": body["total_is_lower_bound"],
            }
            if name == "4_deep_cursor":
                out[name]["starts_after_row_50000"] = body["items"][0]["id"] == str(next_id)
    return out
