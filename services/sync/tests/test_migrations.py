"""The sync schema's migrations go up, down (all of sync's own) and up again on its own database role."""

from sqlalchemy import text

from shelfspace_kernel.db import create_engine
from shelfspace_kernel.migrations import migrate
from sync.migrate import MIGRATIONS
from tests.support import infra

TABLES = {
    "sync_jobs",
    "sync_job_steps",
    "sync_schedules",
    "watchlist_items",
    "sync_feature_flags",
    "sync_file_rows",
    "sync_job_row_errors",
    "sync_file_dry_titles",
}


async def _tables(url: str) -> set[str]:
    engine = create_engine(url, "sync", pool_size=2)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'sync'"))
            return {row.tablename for row in rows} & TABLES
    finally:
        await engine.dispose()


async def test_the_sync_migration_upgrades_downgrades_and_upgrades_again(postgres):
    name = infra.new_name("shelfspace_test_sync_migration")
    infra.bootstrap_database(postgres, name)
    url = postgres.service_url(name, "sync")
    try:
        await migrate(url, MIGRATIONS, "sync")
        upgraded = await _tables(url)
        await migrate(url, MIGRATIONS, "sync", "-5")
        downgraded = await _tables(url)
        await migrate(url, MIGRATIONS, "sync")
        again = await _tables(url)
    finally:
        infra.drop_database(postgres, name)

    assert upgraded == again == TABLES
    assert downgraded == set()
