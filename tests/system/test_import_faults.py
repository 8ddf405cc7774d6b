"""Faults during a Plex import through the whole system: the sync worker killed, the broker cut.

The import runs as a user would start it: Plex configured and the import started through the
gateway, the job followed through the gateway; the worker is the real `python -m sync.worker`
process of the proxied system (tests/system/stack.py), reading the system's fake Plex.
"""

import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Callable

import asyncpg
import httpx

from tests.fakes.plex import FakePlex
from tests.support.audit import eventually
from tests.support.identity import Account, signed_in
from tests.system.checks import create_titles, created_or_clean_failure, fetch, logged_exactly_once, outbox_ids
from tests.system.stack import PLEX_TOKEN, ProxiedSystem

# The import whose worker is killed twice: the 20,000 films (about two minutes on two cores,
# docs/reliability.md); `SYSTEM_IMPORT_ITEMS` makes it smaller for a quick run.
IMPORT_ITEMS = int(os.environ.get("SYSTEM_IMPORT_ITEMS", "20000"))
# The import under the broker outage: three batches of 200, so it is still running when the broker goes.
OUTAGE_ITEMS = 600
TITLES_PER_PHASE = 8
# Only how long to wait before giving up (no assertion on speed): a quarter of the slowest rate seen.
SLOWEST_ITEMS_PER_SECOND = 20
FINISHED = ("succeeded", "failed", "cancelled")


@contextlib.asynccontextmanager
async def _owner_with_plex(system: ProxiedSystem, plex: FakePlex, label: str, items: int) -> AsyncIterator[Account]:
    """A new user whose space has Plex set up (by them, through the gateway) on a library of `items` films."""
    plex.add_section("1", "Movies", "movie")
    for n in range(items):
        plex.add_movie("1", f"{label} Film {n:05d}", year=1950 + n % 70, guids=[f"tmdb://{100_000 + n}"])
    async with signed_in(system) as owner:
        settings = {"base_url": plex.url, "token": PLEX_TOKEN}
        response = await owner.client.put(f"/api/spaces/{await _space_id(owner)}/integrations/plex", json=settings)
        assert response.status_code == 200, response.text
        yield owner


async def _start_import(client: httpx.AsyncClient) -> str:
    response = await client.post("/api/media/import-plex")
    assert response.status_code == 202, response.text
    return response.json()["job"]["id"]


async def _job_when(client: httpx.AsyncClient, job_id: str, holds: Callable[[dict], bool], timeout: float) -> dict:
    """The job once `holds(job)` is true (or it finished: a job that failed early fails the test here)."""

    async def check() -> dict | None:
        response = await client.get(f"/api/sync-jobs/{job_id}")
        assert response.status_code == 200, response.text
        job = response.json()
        if holds(job):
            return job
        assert job["status"] not in FINISHED, f"the job finished before the expected point: {job}"
        return None

    return await eventually(check, timeout=timeout, every=0.2)


def _slow_limit(items: int) -> float:
    """How long an import of `items` may take before the test gives up waiting."""
    return 60 + items / SLOWEST_ITEMS_PER_SECOND


async def _finished(client: httpx.AsyncClient, job_id: str, items: int) -> dict:
    return await _job_when(client, job_id, lambda job: job["status"] in FINISHED, _slow_limit(items))


def _processed_at_least(count: int) -> Callable[[dict], bool]:
    return lambda job: job["status"] in FINISHED or job["progress"]["processed"] >= count


@contextlib.asynccontextmanager
async def _library_stuck_in_a_batch(system: ProxiedSystem) -> AsyncIterator[None]:
    """Inside the block the library is in the middle of storing an import batch: its writes of titles
    wait for a SHARE lock on its `media` table held here, and go on when the block exits."""
    conn = await asyncpg.connect(system.admin_dsn)
    try:
        async with conn.transaction():
            await conn.execute("LOCK TABLE library.media IN SHARE MODE")
            await eventually(lambda: _library_transactions(system, waiting=True), timeout=60, every=0.1)
            yield
    finally:
        await conn.close()


async def _library_transactions(system: ProxiedSystem, *, waiting: bool = False) -> int:
    """The library's open transactions (only those waiting for a lock, if `waiting`)."""
    (row,) = await fetch(
        system.admin_dsn,
        "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND usename = 'shelfspace_library'"
        " AND xact_start IS NOT NULL AND (NOT $2 OR wait_event_type = 'Lock')",
        system.database,
        waiting,
    )
    return row["n"]


async def _library_idle(system: ProxiedSystem) -> bool:
    return await _library_transactions(system) == 0


async def _space_id(owner: Account) -> str:
    return (await owner.me())["active_space"]["id"]


async def _total_titles(client: httpx.AsyncClient) -> int:
    response = await client.get("/api/media", params={"limit": 1})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total_is_lower_bound"] is False
    return body["total"]


async def _stored_counts(dsn: str, space_id: str) -> dict[str, int]:
    """What the library holds for the space: titles, distinct names, copies, provider identities."""
    (row,) = await fetch(
        dsn,
        """
        SELECT
          (SELECT count(*) FROM library.media WHERE space_id = $1 AND deleted_at IS NULL) AS titles,
          (SELECT count(DISTINCT (title, year)) FROM library.media WHERE space_id = $1) AS distinct_titles,
          (SELECT count(*) FROM library.copies WHERE space_id = $1) AS copies,
          (SELECT count(DISTINCT source_external_id) FROM library.copies WHERE space_id = $1) AS copy_sources,
          (SELECT count(*) FROM library.media_identities WHERE space_id = $1 AND kind = 'provider') AS identities,
          (SELECT count(DISTINCT media_id) FROM library.media_identities
            WHERE space_id = $1 AND kind = 'provider') AS identified_titles
        """,
        uuid.UUID(space_id),
    )
    return dict(row)


async def test_titles_created_and_an_import_run_while_the_broker_is_down_are_each_logged_once(healthy_system, plex):
    system = healthy_system
    async with _owner_with_plex(system, plex, "Outage", OUTAGE_ITEMS) as owner:
        # given an import under way, and titles created meanwhile
        job_id = await _start_import(owner.client)
        before = await create_titles(owner.client, "Before", TITLES_PER_PHASE)
        # when RabbitMQ goes down while the library stores a batch of the import (the worker's step is
        # abandoned with its channel), and titles are created while it is down
        async with _library_stuck_in_a_batch(system):
            await system.amqp.cut()
        during = await create_titles(owner.client, "During", TITLES_PER_PHASE)
        # and it comes back once the library is done with that batch
        await eventually(lambda: _library_idle(system), timeout=30, every=0.1)
        await system.amqp.open()
        after = await create_titles(owner.client, "After", TITLES_PER_PHASE)
        done = await _finished(owner.client, job_id, OUTAGE_ITEMS)

        # then every create succeeded or failed cleanly, and the import finished with exact counts
        created = created_or_clean_failure(before + during + after)
        assert len(created) == 3 * TITLES_PER_PHASE
        assert done["status"] == "succeeded", f"{done['error']}\n{system.worker.log_tail()}"
        assert done["summary"]["created"] == done["progress"]["processed"] == OUTAGE_ITEMS
        assert done["summary"]["updated"] == done["summary"]["skipped"] == done["summary"]["failed"] == 0
        assert await _total_titles(owner.client) == OUTAGE_ITEMS + len(created)
        # and every event of the space (titles created by hand and by the import, the job's) is logged once
        space = uuid.UUID(await _space_id(owner))
        events = await outbox_ids(system.admin_dsn, "library", space)
        events |= await outbox_ids(system.admin_dsn, "sync", space)
        types = await _event_types(system.admin_dsn, events)
        assert types["library.media.created"] == OUTAGE_ITEMS + len(created)
        assert {types.get(f"sync.job.{stage}") for stage in ("queued", "started", "succeeded")} == {1}
        await eventually(lambda: logged_exactly_once(system.admin_dsn, events), timeout=120, every=0.5)


async def test_a_sync_worker_killed_twice_during_an_import_leaves_exact_counts_and_no_duplicates(healthy_system, plex):
    system = healthy_system
    # given a Plex library of IMPORT_ITEMS films, set up in the space by its owner
    async with _owner_with_plex(system, plex, "Killed", IMPORT_ITEMS) as owner:
        # when an import runs and the worker is SIGKILLed and started again twice: once just after the
        # checkpoint past a third, once in the middle of the library storing a batch past two thirds
        job_id = await _start_import(owner.client)
        await _job_when(owner.client, job_id, _processed_at_least(IMPORT_ITEMS // 3), _slow_limit(IMPORT_ITEMS))
        system.worker.kill()
        system.worker.start()
        await _job_when(owner.client, job_id, _processed_at_least(2 * IMPORT_ITEMS // 3), _slow_limit(IMPORT_ITEMS))
        async with _library_stuck_in_a_batch(system):
            system.worker.kill()
        system.worker.start()
        done = await _finished(owner.client, job_id, IMPORT_ITEMS)

        # then the job succeeded and counted every item exactly once
        assert done["status"] == "succeeded", f"{done['error']}\n{system.worker.log_tail()}"
        assert done["progress"] == {"total": IMPORT_ITEMS, "processed": IMPORT_ITEMS}
        summary = {key: done["summary"][key] for key in ("created", "updated", "skipped", "failed")}
        assert summary == {"created": IMPORT_ITEMS, "updated": 0, "skipped": 0, "failed": 0}
        # and the library holds each film once, with one copy and one provider identity
        assert await _total_titles(owner.client) == IMPORT_ITEMS
        space_id = await _space_id(owner)
        assert await _stored_counts(system.admin_dsn, space_id) == dict.fromkeys(
            ("titles", "distinct_titles", "copies", "copy_sources", "identities", "identified_titles"), IMPORT_ITEMS
        )
        # and it recorded one event per title, none twice (their way to the activity log: the broker test)
        events = await outbox_ids(system.admin_dsn, "library", uuid.UUID(space_id))
        assert await _event_types(system.admin_dsn, events) == {"library.media.created": IMPORT_ITEMS}


async def _event_types(dsn: str, event_ids: set[uuid.UUID]) -> dict[str, int]:
    """How many of these events the services recorded, by type (library and sync outboxes)."""
    rows = await fetch(
        dsn,
        "SELECT payload->>'type' AS type, count(*) AS n FROM (SELECT id, payload FROM library.outbox UNION ALL"
        " SELECT id, payload FROM sync.outbox) o WHERE id = ANY($1::uuid[]) GROUP BY 1",
        list(event_ids),
    )
    return {row["type"]: row["n"] for row in rows}
