"""After a bulk import the library refreshes the planner's statistics itself: autovacuum is off on
this server, so nothing else would, and plans would be made for an empty table."""

import math

from sqlalchemy import text

from services.library.tests.test_imports import item
from shelfspace_kernel.statistics import BASE_ROWS, SHARE
from tests.support.audit import eventually

TITLES = 3000
BATCH = 500

FRESHNESS = text(
    """
    SELECT s.n_mod_since_analyze AS changed, c.reltuples AS estimated, s.last_analyze > :since AS analysed_since,
           (SELECT count(*) FROM library.media) AS actual
    FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
    WHERE s.schemaname = 'library' AND s.relname = 'media'
    """
)


async def test_a_bulk_import_leaves_the_planner_with_fresh_statistics_within_seconds(new_space, library_db):
    space = new_space()
    async with library_db.connect() as conn:
        started = await conn.scalar(text("SELECT now()"))
        before = await conn.scalar(text("SELECT count(*) FROM library.media"))
    # Other tests share this table: enough titles to be a bulk change by the kernel's rule
    # (BASE_ROWS plus SHARE of the table), with room to spare.
    titles = max(TITLES, math.ceil(1.5 * (BASE_ROWS + SHARE * before) / BATCH) * BATCH)
    # when a few thousand titles arrive through the import upsert
    for first in range(0, titles, BATCH):
        batch = [item(f"stats-{n}", f"Statistics {n}", year=1950 + n % 70) for n in range(first, first + BATCH)]
        response = await space.service.post("/internal/media/import", json={"items": batch})
        assert response.status_code == 200, response.text

    # then, within a few seconds and with no ANALYZE of ours, the media table has been analysed since,
    # and the planner's row estimate is the table's real size
    async def fresh():
        async with library_db.connect() as conn:
            row = (await conn.execute(FRESHNESS, {"since": started})).one()
        return row if row.analysed_since and row.estimated >= 0.9 * row.actual else None

    row = await eventually(fresh, timeout=30, every=0.5)
    assert row.actual >= before + titles
