"""Connections of every service: `positional` parameters for asyncpg, plans made per execution, and
closed connections replaced before use."""

import asyncio

import asyncpg
from sqlalchemy import text

from shelfspace_kernel.db import positional


def test_names_become_numbers_in_first_use_order_and_repeat_as_the_same_number():
    sql, names = positional("SELECT :b, :a WHERE x = :b AND y = :a_long")
    assert sql == "SELECT $1, $2 WHERE x = $1 AND y = $3"
    assert names == ("b", "a", "a_long")


def test_casts_escapes_and_time_formats_are_left_alone():
    untouched = r"""x::text, to_char(t, 'YYYY-MM-DD"T"HH24:MI:SS'), '\:literal'"""
    sql, names = positional(f"SELECT CAST(:facets AS text[]), {untouched}")
    assert sql == f"SELECT CAST($1 AS text[]), {untouched}"
    assert names == ("facets",)


async def test_a_prepared_statement_is_planned_for_its_values_on_every_execution(scratch):
    # Postgres switches a prepared statement to a generic plan after five executions when it
    # looks no dearer; on skewed data that plan scans far too much, so services never use one.
    async with scratch.engine.connect() as conn:
        await conn.exec_driver_sql("PREPARE skewed(int) AS SELECT count(*) FROM pg_class WHERE relpages > $1")
        for value in range(8):
            await conn.exec_driver_sql(f"EXECUTE skewed({value})")
        plan = "\n".join(row[0] for row in await conn.exec_driver_sql("EXPLAIN EXECUTE skewed(7)"))
    assert "relpages > 7" in plan
    assert "$1" not in plan


async def test_a_pooled_connection_the_server_closed_is_replaced_before_use(scratch, database):
    async with scratch.engine.connect() as conn:
        backend = await conn.scalar(text("SELECT pg_backend_pid()"))
    admin = await asyncpg.connect(database.admin_url.replace("+asyncpg", ""))
    try:
        await admin.execute("SELECT pg_terminate_backend($1)", backend)
    finally:
        await admin.close()
    await asyncio.sleep(0.5)  # the driver hears of the close from the event loop

    async with scratch.engine.connect() as conn:
        assert await conn.scalar(text("SELECT pg_backend_pid()")) != backend
