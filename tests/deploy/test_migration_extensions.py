"""A migration that needs an extension the bootstrap adds refuses, with the way out, when it is missing.

Services' roles may not create extensions; an install bootstrapped by an earlier release gets new
ones by running the bootstrap again (docs/operations/upgrade.md).
"""

import asyncpg
import pytest

from shelfspace_kernel.migrations import migrate
from tests.support import infra
from tests.support.fixtures import TestDatabase as Database
from tests.support.fixtures import service_migrations

BEFORE = "0006_copies_in_order"


async def _as_superuser(db: Database, sql: str) -> None:
    conn = await asyncpg.connect(db.pg.url(db.name))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def _library_state(db: Database) -> tuple[str, set[str]]:
    conn = await asyncpg.connect(db.pg.url(db.name))
    try:
        revision = await conn.fetchval("SELECT version_num FROM library.alembic_version")
        rows = await conn.fetch("SELECT indexname FROM pg_indexes WHERE schemaname = 'library' AND tablename = 'media'")
    finally:
        await conn.close()
    return revision, {row["indexname"] for row in rows}


async def test_the_search_index_waits_for_btree_gin_and_says_how_to_add_it(bootstrapped_database: Database) -> None:
    database = bootstrapped_database
    library = database.service_url("library")
    await migrate(library, service_migrations("library"), "library", BEFORE)
    await _as_superuser(database, "DROP EXTENSION btree_gin")
    before = await _library_state(database)

    with pytest.raises(RuntimeError, match=r"btree_gin.*bootstrap\.sh"):
        await migrate(library, service_migrations("library"), "library", "head")
    assert await _library_state(database) == before
    assert "ix_media_live_search" in before[1]

    # The bootstrap run again (as the upgrade guide says) is all the migration needs.
    infra.bootstrap_database(database.pg, database.name)
    await migrate(library, service_migrations("library"), "library", "head")
    revision, indexes = await _library_state(database)
    assert revision != BEFORE
    assert "ix_media_live_space_search" in indexes
    assert "ix_media_live_search" not in indexes
