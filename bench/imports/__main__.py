"""`python -m bench imports`: a 100,000-row CSV imported through the gateway's file import job,
against the library's direct import upsert of the same items, measured in the same run.

Against real Postgres and RabbitMQ (BENCH_DATABASE_URL / BENCH_AMQP_URL, else TEST_DATABASE_URL /
TEST_AMQP_URL), in a fresh database and vhost removed afterwards. Identity, library, integrations,
sync and the gateway run in this process; the worker is a real `python -m sync.worker` process.

1. file import: the CSV (Title, Year, Format, Barcode, IMDb id) uploaded by the space's owner
   through the gateway; rows/s = rows / (finished_at - started_at) of the job, and also counted
   from the upload's start (parsing and staging the file included);
2. direct: the same rows converted to items by the same code (untimed), posted to the library's
   `/internal/media/import` in batches of BENCH_IMPORTS_BATCH in a new space; only the posts timed.

BENCH_IMPORTS_ROWS (100000) and BENCH_IMPORTS_BATCH (500) size the run; BENCH_IMPORTS_DIRECT_FIRST=1
runs the direct upserts first (the second run meets a table the first one grew). Results are printed and
written as JSON to bench/results/imports.json.
"""

import asyncio
import contextlib
import csv
import importlib
import io
import json
import os
import sys
import time
import uuid
from datetime import datetime

import httpx

from bench.harness import scratch_database, stop_process, write_result
from shelfspace_kernel.migrations import migrate
from sync.files.presets import preset_of
from sync.files.reading import read_file, record_values
from sync.files.rows import to_item
from tests.support import infra
from tests.support.clients import signed_client
from tests.support.fixtures import (
    SHARED_SYSTEM_IDENTITY,
    SIGNERS,
    TEST_INTEGRATIONS,
    Keys,
    gateway_over,
    service_migrations,
)
from tests.support.identity import register
from tests.support.servers import RunningApp

ROWS = int(os.environ.get("BENCH_IMPORTS_ROWS", "100000"))
BATCH = int(os.environ.get("BENCH_IMPORTS_BATCH", "500"))
# Which runs first: the second one meets a library table the first one has grown (and its caches warm).
DIRECT_FIRST = os.environ.get("BENCH_IMPORTS_DIRECT_FIRST", "") not in ("", "0")
SERVICES = ("identity", "library", "integrations", "sync")
FORMATS = ("DVD", "Blu-ray", "4K UHD")


def _csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["Title", "Year", "Format", "Barcode", "IMDb id"])
    for n in range(ROWS):
        writer.writerow(
            [f"Bench Film {n:06d}", 1950 + n % 70, FORMATS[n % 3], f"{400000000000 + n}", f"tt{2000000 + n}"]
        )
    return buffer.getvalue().encode()


def _settings(service: str, pg: infra.Postgres, db: str, amqp_url: str, keys: Keys, **extra):
    settings_class = getattr(importlib.import_module(f"{service}.settings"), f"{service.capitalize()}Settings")
    return settings_class(
        environment="test",
        log_format="console",
        log_level="WARNING",
        database_url=pg.service_url(db, service),
        amqp_url=amqp_url,
        internal_auth_public_keys=keys.public_keys,
        internal_auth_private_key=keys.private(service) if service in SIGNERS else "",
        db_pool_size=5,
        **(TEST_INTEGRATIONS if service == "integrations" else {}),
        **(SHARED_SYSTEM_IDENTITY if service == "identity" else {}),
        **extra,
    )


async def _file_import(gateway_url: str, data: bytes) -> dict:
    owner = await register(gateway_url, name="Bench Owner")
    client = owner.client
    client.timeout = httpx.Timeout(300)
    try:
        began = time.perf_counter()
        response = await client.post("/api/imports/file", files={"file": ("bench.csv", data, "text/csv")})
        submitted = time.perf_counter() - began
        response.raise_for_status()
        job = response.json()["job"]
        while job["status"] not in ("succeeded", "failed", "cancelled"):
            await asyncio.sleep(0.5)
            job = (await client.get(f"/api/sync-jobs/{job['id']}")).json()
        wall = time.perf_counter() - began
    finally:
        await client.aclose()
    seconds = (datetime.fromisoformat(job["finished_at"]) - datetime.fromisoformat(job["started_at"])).total_seconds()
    rows = job["progress"]["processed"]
    return {
        "status": job["status"],
        "error": job["error"],
        "rows": rows,
        "summary": {k: job["summary"][k] for k in ("created", "updated", "skipped", "failed")},
        "upload_and_staging_seconds": round(submitted, 2),
        "job_seconds": round(seconds, 2),
        "rows_per_second": round(rows / seconds, 1),
        "rows_per_second_from_upload": round(rows / wall, 1),
    }


async def _direct(library_url: str, keys: Keys, data: bytes) -> dict:
    parsed = read_file(data)
    preset = preset_of(parsed.preset)
    items = [to_item(record_values(parsed.params(), record), preset) for _, record in parsed.records]
    bodies = [
        [item.model_dump(mode="json") for item in items[first : first + BATCH]] for first in range(0, len(items), BATCH)
    ]
    space, user = uuid.uuid4(), uuid.uuid4()
    seconds = 0.0
    for batch in bodies:
        async with signed_client(
            library_url, keys, "library", user_id=user, space_id=space, space_role="admin", caller="sync"
        ) as library:
            library.timeout = httpx.Timeout(300)
            began = time.perf_counter()
            response = await library.post("/internal/media/import", json={"items": batch})
            seconds += time.perf_counter() - began
        response.raise_for_status()
    return {"rows": len(items), "seconds": round(seconds, 2), "rows_per_second": round(len(items) / seconds, 1)}


async def main() -> dict:
    keys = Keys.generate()
    apps: dict[str, RunningApp] = {}
    gateway = worker = None
    with scratch_database() as (pg, db, amqp_url):
        try:
            for service in SERVICES:
                await migrate(pg.service_url(db, service), service_migrations(service), service)
            for service in SERVICES:
                extra = infra.upstream_urls(service, apps)
                if service == "sync":
                    extra |= {"file_batch_size": BATCH, "sweep_seconds": 1.0}
                settings = _settings(service, pg, db, amqp_url, keys, **extra)
                create_app = importlib.import_module(f"{service}.main").create_app
                apps[service] = await RunningApp(lambda c=create_app, s=settings: c(s)).start()
            from gateway.main import create_app as create_gateway

            gateway_settings = gateway_over({name: app.url for name, app in apps.items()}, keys, amqp_url)
            gateway = await RunningApp(lambda: create_gateway(gateway_settings)).start()
            values = apps["sync"].app.state.settings.model_dump()
            env = {**os.environ, **{k.upper(): str(v) for k, v in values.items() if v is not None}}
            worker = await asyncio.create_subprocess_exec(sys.executable, "-m", "sync.worker", env=env)
            data = _csv()
            if DIRECT_FIRST:
                direct = await _direct(apps["library"].url, keys, data)
                through_gateway = await _file_import(gateway.url, data)
            else:
                through_gateway = await _file_import(gateway.url, data)
                direct = await _direct(apps["library"].url, keys, data)
        finally:
            await stop_process(worker)
            for app in [gateway, *reversed(apps.values())]:
                if app is not None:
                    with contextlib.suppress(Exception):
                        await app.stop()
    return {
        "rows": ROWS,
        "batch_size": BATCH,
        "first": "direct" if DIRECT_FIRST else "file_import",
        "file_bytes": len(data),
        "file_import": through_gateway,
        "library_upsert_direct": direct,
        "file_import_vs_direct_upsert": round(through_gateway["rows_per_second"] / direct["rows_per_second"], 2),
    }


if __name__ == "__main__":
    results = asyncio.run(main())
    write_result("imports", results)
    print(json.dumps(results, indent=2))
