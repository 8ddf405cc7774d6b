"""Migrations never keep writers waiting: a DDL statement gives up its lock wait after the run's lock_timeout
and the revision is tried again; an index build cut short is rebuilt from scratch on the next run."""

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
from alembic.script import ScriptDirectory

from bench.library.seed import SpacePlan, seed
from shelfspace_kernel import migrations
from shelfspace_kernel.db import asyncpg_dsn, session_settings
from shelfspace_kernel.migrations import alembic_config, migrate
from tests.support.fixtures import TestDatabase as Database
from tests.support.fixtures import service_migrations


async def _library(db: Database, revision: str) -> None:
    await migrate(db.service_url("library"), service_migrations("library"), "library", revision)


def _head() -> str:
    config = alembic_config(service_migrations("library"), "library")
    return ScriptDirectory.from_config(config).get_current_head()


async def _revision(db: Database) -> str:
    conn = await asyncpg.connect(db.pg.url(db.name))
    try:
        return await conn.fetchval("SELECT version_num FROM library.alembic_version")
    finally:
        await conn.close()


@contextlib.asynccontextmanager
async def _held(db: Database, table: str) -> AsyncIterator[None]:
    """Another client's long transaction reading `table` (ACCESS SHARE), until the block ends."""
    conn = await asyncpg.connect(db.pg.url(db.name))
    try:
        async with conn.transaction():
            await conn.execute(f"LOCK TABLE library.{table} IN ACCESS SHARE MODE")
            yield
    finally:
        await conn.close()


async def test_a_migration_waiting_for_a_lock_lets_writers_through_and_tries_again(
    bootstrapped_database: Database,
) -> None:
    database = bootstrapped_database
    await _library(database, "0007_search_per_space")
    writer = await asyncpg.connect(database.pg.url(database.name))
    try:
        # Given a long transaction holding a lock that ALTER TABLE outbox (revision 0008) must wait for
        async with _held(database, "outbox"):
            upgrading = asyncio.create_task(_library(database, "0008_outbox_trace_context"))
            await asyncio.sleep(0.3)
            # then a writer that arrives behind the waiting migration is not held longer than its lock_timeout
            started = time.perf_counter()
            await writer.execute(
                "INSERT INTO library.outbox (id, routing_key, payload) VALUES ($1, 'test', '{}')", uuid.uuid4()
            )
            assert time.perf_counter() - started < 1.0
            await asyncio.sleep(1.5)
            assert not upgrading.done()
    finally:
        await writer.close()
    # and once the lock is gone, the retried revision goes through
    await asyncio.wait_for(upgrading, 30)
    assert await _revision(database) == "0008_outbox_trace_context"


async def test_a_lock_never_released_fails_the_run_with_the_revision_rolled_back(
    bootstrapped_database: Database, monkeypatch
) -> None:
    database = bootstrapped_database
    monkeypatch.setattr(migrations, "LOCK_RETRIES", 1)
    await _library(database, "0007_search_per_space")
    async with _held(database, "outbox"):
        with pytest.raises(Exception, match="lock timeout"):
            await _library(database, "head")
    assert await _revision(database) == "0007_search_per_space"


async def test_a_rollback_retried_after_a_lock_wait_stops_where_it_was_asked_to(
    bootstrapped_database: Database,
) -> None:
    database = bootstrapped_database
    await _library(database, "0005_search_statistics")
    # Given a reader holding space_counts, which the second step back (0004's downgrade) alters
    async with _held(database, "space_counts"):
        rolling_back = asyncio.create_task(_library(database, "-2"))
        await asyncio.sleep(1.5)
    # When the first step went through and the second is retried once the reader is done
    await asyncio.wait_for(rolling_back, 30)
    # then the schema is two revisions below where it started, not two below where the retry began
    assert await _revision(database) == "0003_import_batches"


async def test_an_index_build_cut_short_is_rebuilt_by_the_next_run(bootstrapped_database: Database) -> None:
    database = bootstrapped_database
    await _library(database, "0005_search_statistics")
    library = asyncpg_dsn(database.service_url("library"))
    conn = await asyncpg.connect(library, server_settings=session_settings("library"))
    try:
        await seed(conn, [SpacePlan(uuid.uuid4(), 40, uuid.uuid4())])
        # Given a concurrent build of 0006's index that failed half way, leaving an invalid index of its name
        with pytest.raises(asyncpg.UniqueViolationError):
            await conn.execute("CREATE UNIQUE INDEX CONCURRENTLY ix_copies_media_id_created_at_id ON copies (space_id)")
        # When the migration runs, then it builds the index it declares, valid
        await _library(database, "0006_copies_in_order")
        row = await conn.fetchrow(
            "SELECT indisvalid, pg_get_indexdef(indexrelid) AS definition FROM pg_index"
            " WHERE indexrelid = 'library.ix_copies_media_id_created_at_id'::regclass"
        )
        assert row["indisvalid"]
        assert row["definition"].endswith("USING btree (media_id, created_at, id)")
        assert await conn.fetchval("SELECT to_regclass('library.ix_copies_media_id')") is None
    finally:
        await conn.close()


async def test_two_runs_at_once_migrate_once_while_an_index_builds_concurrently(
    bootstrapped_database: Database,
) -> None:
    # The run that waits for the other (replicas' init containers) outlasts any lock_timeout, and holds no
    # snapshot the other's concurrent index build would wait for.
    database = bootstrapped_database
    await _library(database, "0005_search_statistics")

    await asyncio.wait_for(asyncio.gather(_library(database, "head"), _library(database, "head")), 60)

    assert await _revision(database) == _head()
