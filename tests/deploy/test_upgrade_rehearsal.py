"""The upgrade rehearsal (`make rehearse-upgrade`) at a reduced size: the previous release's schema with a
5,000-title library, backed up and restored with the release's scripts, upgraded to head while a writer
writes, with no write stalled longer than the rehearsal's bound."""

import asyncio
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest_asyncio

from bench.library.seed import SpacePlan, seed
from bench.upgrade.rehearsal import rehearse, revisions_after
from bench.upgrade.release import HEADS
from bench.upgrade.writer import Writer
from shelfspace_kernel.db import asyncpg_dsn, session_settings
from shelfspace_kernel.migrations import migrate
from tests.support import infra
from tests.support.fixtures import TestDatabase as Database
from tests.support.fixtures import service_migrations

TITLES = 5_000
MAX_STALL_SECONDS = 1.0


async def test_an_upgrade_from_the_previous_release_never_stalls_writes(postgres: infra.Postgres) -> None:
    report = await rehearse(postgres, TITLES)

    assert report["seed"]["media"] == TITLES
    expected = [(service, revision) for service, head in HEADS.items() for revision in revisions_after(service, head)]
    assert [(m["service"], m["revision"]) for m in report["migrations"]] == expected
    assert report["writes_during_upgrade"] > 0
    assert report["write_errors"] == []
    assert report["longest_write_stall_seconds"] < MAX_STALL_SECONDS, report["migrations"]


@pytest_asyncio.fixture(loop_scope="session")
async def library(bootstrapped_database: Database) -> AsyncIterator[tuple[Database, asyncpg.Connection]]:
    db = bootstrapped_database
    await migrate(db.service_url("library"), service_migrations("library"), "library")
    conn = await asyncpg.connect(asyncpg_dsn(db.service_url("library")), server_settings=session_settings("library"))
    try:
        await seed(conn, [SpacePlan(uuid.uuid4(), 50, uuid.uuid4())])
        yield db, conn
    finally:
        await conn.close()


async def test_the_writer_measures_a_write_held_up_by_a_lock(library) -> None:
    # Given the writer writing, when a blocking lock on media is held for 1.5 s
    db, conn = library
    ids = [row["id"] for row in await conn.fetch("SELECT id FROM media")]
    blocker = await asyncpg.connect(db.pg.url(db.name))
    writer, stop = Writer(conn, ids, per_second=20), asyncio.Event()
    writing = asyncio.create_task(writer.run(stop))
    try:
        await asyncio.sleep(0.3)
        async with blocker.transaction():
            await blocker.execute("LOCK TABLE library.media IN SHARE MODE")
            await asyncio.sleep(1.5)
    finally:
        stop.set()
        await writing
        await blocker.close()
    # then the longest write is the stall, and every write went through once the lock was gone
    assert writer.longest(0, float("inf")) >= 1.2
    assert writer.errors == []
