"""`python -m bench.sync`: a 20k-item Plex import through the real services, then the re-import.

Against real Postgres and RabbitMQ (BENCH_DATABASE_URL / BENCH_AMQP_URL, else TEST_DATABASE_URL /
TEST_AMQP_URL), in a fresh database and vhost removed afterwards. The library, integrations and sync
API run in this process; the fake Plex server too; the worker is a real `python -m sync.worker`
process (its peak RSS is read from /proc).

1. import: ITEMS movies in two sections; items/s = items / (finished_at - started_at);
2. re-import of the unchanged library (nothing should be written);
3. floor: the same normalized batches posted straight to the library's import upsert in a new space
   (`first`: every item new), then posted again (`again`: every item unchanged).

BENCH_SYNC_ITEMS (20000) and BENCH_SYNC_BATCH (200) size the run; BENCH_SYNC_ITEMS=2000 is a quick one.

Results are printed and written as JSON to bench/results/sync.json.
"""

import asyncio
import contextlib
import importlib
import json
import os
import sys
import time
import uuid
from collections import Counter
from datetime import datetime
from pathlib import Path

from bench.harness import write_result
from shelfspace_kernel.migrations import migrate
from tests.fakes.plex import FakePlex
from tests.support import infra
from tests.support.clients import signed_client
from tests.support.fixtures import SIGNERS, TEST_INTEGRATION_KEY, Keys, service_migrations
from tests.support.servers import RunningApp

ITEMS = int(os.environ.get("BENCH_SYNC_ITEMS", "20000"))
BATCH = int(os.environ.get("BENCH_SYNC_BATCH", "200"))
TOKEN = "bench-plex-token"
SERVICES = ("library", "integrations", "sync")


def _env(name: str) -> str:
    value = os.environ.get(f"BENCH_{name}") or os.environ.get(f"TEST_{name}")
    if not value:
        sys.exit(f"set BENCH_{name} or TEST_{name}")
    return value


def _settings(service: str, pg: infra.Postgres, db: str, amqp_url: str, keys: Keys, **extra):
    settings_class = getattr(importlib.import_module(f"{service}.settings"), f"{service.capitalize()}Settings")
    values = {
        "environment": "test",
        "log_format": "console",
        "log_level": "WARNING",
        "database_url": pg.service_url(db, service),
        "amqp_url": amqp_url,
        "internal_auth_public_keys": keys.public_keys,
        "internal_auth_private_key": keys.private(service) if service in SIGNERS else "",
        "db_pool_size": 5,  # the Postgres is shared with test runs
        **({"integration_encryption_key": TEST_INTEGRATION_KEY} if service == "integrations" else {}),
        **extra,
    }
    return settings_class(**values)


def _fill(plex: FakePlex) -> None:
    plex.add_section("1", "Movies", "movie")
    plex.add_section("2", "4K Movies", "movie")
    for n in range(ITEMS):
        guids = [f"tmdb://{100_000 + n}", f"imdb://tt{1_000_000 + n}"]
        plex.add_movie(
            "1" if n % 2 else "2",
            f"Bench Film {n:05d}",
            year=1950 + n % 70,
            guids=guids,
            resolution="1080",
            duration_ms=6_000_000,
            summary="A film.",
            genres=["Drama"],
            directors=["Someone"],
        )


def _peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


async def _run_import(client_for) -> dict:
    """`client_for()` gives a freshly signed client (internal tokens live a minute)."""
    async with client_for() as client:
        job = (await client.post("/api/media/import-plex")).json()["job"]
    while job["status"] not in ("succeeded", "failed", "cancelled"):
        await asyncio.sleep(0.5)
        async with client_for() as client:
            response = await client.get(f"/api/sync-jobs/{job['id']}")
        if response.status_code == 200:
            job = response.json()
        else:
            print(f"polling the job answered {response.status_code}: {response.text[:300]}", file=sys.stderr)
    seconds = (datetime.fromisoformat(job["finished_at"]) - datetime.fromisoformat(job["started_at"])).total_seconds()
    return {
        "status": job["status"],
        "error": job["error"],
        "items": job["progress"]["processed"],
        "summary": {k: job["summary"][k] for k in ("created", "updated", "skipped", "failed")},
        "seconds": round(seconds, 2),
        "items_per_second": round(job["progress"]["processed"] / seconds, 1) if seconds else None,
    }


async def _direct_floor(urls: dict[str, str], keys: Keys) -> dict:
    """Read the same pages once (untimed), then time only the library upserts into a fresh space."""
    space, user = uuid.uuid4(), uuid.uuid4()

    def as_sync(service: str):  # a fresh token per request: each is bound to its request
        return signed_client(
            urls[service], keys, service, user_id=user, space_id=space, space_role="admin", caller="sync"
        )

    await _configure(urls, keys, space, user)
    batches = []
    for key in ("1", "2"):
        start = 0
        while start is not None:
            async with as_sync("integrations") as integrations:
                path = f"/internal/plex/sections/{key}/items"
                page = (await integrations.get(path, params={"start": start, "size": BATCH})).json()
            batches.append(page["items"])
            start = page["next_start"]
    return {"first": await _upsert_all(as_sync, batches), "again": await _upsert_all(as_sync, batches)}


async def _upsert_all(as_sync, batches: list[list[dict]]) -> dict:
    """Post every batch to the library's import upsert; time only the posts."""
    seconds, outcomes = 0.0, Counter()
    for items in batches:
        async with as_sync("library") as library:
            began = time.perf_counter()
            response = await library.post("/internal/media/import", json={"items": items})
            seconds += time.perf_counter() - began
        response.raise_for_status()
        outcomes.update(result["outcome"] for result in response.json()["results"])
    count = sum(len(items) for items in batches)
    return {
        "items": count,
        "outcomes": dict(outcomes),
        "seconds": round(seconds, 2),
        "items_per_second": round(count / seconds, 1),
    }


async def _configure(urls: dict[str, str], keys: Keys, space: uuid.UUID, user: uuid.UUID) -> None:
    async with signed_client(
        urls["integrations"], keys, "integrations", user_id=user, space_id=space, space_role="owner"
    ) as client:
        response = await client.put(
            f"/api/spaces/{space}/integrations/plex", json={"base_url": urls["plex"], "token": TOKEN}
        )
        response.raise_for_status()


async def main() -> dict:
    pg = infra.postgres_from_url(_env("DATABASE_URL"))
    db, vhost = infra.new_name("shelfspace_bench"), infra.new_name("shelfspace_bench")
    infra.bootstrap_database(pg, db)
    infra.create_vhost(vhost, "guest")
    amqp_url = infra.with_vhost(_env("AMQP_URL"), vhost)
    keys = Keys.generate()
    apps: list[RunningApp] = []
    worker = None
    plex = FakePlex(token=TOKEN)
    try:
        for service in SERVICES:
            await migrate(pg.service_url(db, service), service_migrations(service), service)
        _fill(plex)
        await plex.start()
        urls = {"plex": plex.url}
        for service in SERVICES:
            extra = {"batch_size": BATCH, "sweep_seconds": 1.0} if service == "sync" else {}
            if service == "sync":
                extra |= {"library_url": urls["library"], "integrations_url": urls["integrations"]}
            settings = _settings(service, pg, db, amqp_url, keys, **extra)
            create_app = importlib.import_module(f"{service}.main").create_app
            apps.append(await RunningApp(lambda c=create_app, s=settings: c(s)).start())
            urls[service] = apps[-1].url
        sync_settings = apps[-1].app.state.settings
        env = {**os.environ, **{k.upper(): str(v) for k, v in sync_settings.model_dump().items() if v is not None}}
        worker = await asyncio.create_subprocess_exec(sys.executable, "-m", "sync.worker", env=env)
        space, user = uuid.uuid4(), uuid.uuid4()
        await _configure(urls, keys, space, user)

        def client_for():
            return signed_client(urls["sync"], keys, "sync", user_id=user, space_id=space, space_role="admin")

        first = await _run_import(client_for)
        again = await _run_import(client_for)
        rss = _peak_rss_mb(worker.pid)
        floor = await _direct_floor(urls, keys)
        results = {
            "items": ITEMS,
            "batch_size": BATCH,
            "import": first,
            "reimport": again,
            "library_upsert_direct": floor,
            "reimport_speedup": round(again["items_per_second"] / first["items_per_second"], 2),
            "import_vs_direct_upsert": round(first["items_per_second"] / floor["first"]["items_per_second"], 2),
            "worker_peak_rss_mb": rss,
        }
        return results
    finally:
        # Each step on its own, so the database and vhost are removed whatever failed before.
        if worker is not None and worker.returncode is None:
            worker.terminate()
            try:
                await asyncio.wait_for(worker.wait(), 30)
            except TimeoutError:
                worker.kill()
        for app in reversed(apps):
            with contextlib.suppress(Exception):
                await app.stop()
        with contextlib.suppress(Exception):
            await plex.stop()
        infra.drop_database(pg, db)
        infra.delete_vhost(vhost)


if __name__ == "__main__":
    results = asyncio.run(main())
    write_result("sync", results)
    print(json.dumps(results, indent=2))
