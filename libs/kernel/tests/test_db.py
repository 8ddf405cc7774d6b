"""Connections of every service: `positional` parameters for asyncpg, plans made per execution, and
closed connections replaced before use."""

import asyncio
import itertools

import asyncpg
import pytest
import sqlalchemy.exc
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.util import greenlet_spawn

from shelfspace_kernel.db import create_engine, positional
from shelfspace_kernel.fair_pool import FairPool


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


async def test_a_busy_pool_makes_a_caller_wait_for_a_kept_connection_instead_of_opening_one(database):
    # A new backend's first statements cost tens of milliseconds; a pooled one comes back in one or two.
    engine = create_engine(database.admin_url, "public", pool_size=2)
    try:
        async with engine.connect() as first, engine.connect() as second:
            backends = {await c.scalar(text("SELECT pg_backend_pid()")) for c in (first, second)}

            async def third() -> int:
                async with engine.connect() as conn:
                    return await conn.scalar(text("SELECT pg_backend_pid()"))

            waiting = asyncio.create_task(third())
            await asyncio.sleep(0.3)
            assert not waiting.done()  # no third connection was opened
        assert await waiting in backends
        assert engine.pool.checkedin() == 2  # both stay open for the next callers
    finally:
        await engine.dispose()


async def test_callers_waiting_for_a_connection_are_served_in_the_order_they_asked(database):
    # asyncio's queue lets a request that asks as a connection comes back take it before the woken
    # waiter runs; under load a few requests then waited ten times as long as the rest.
    engine = create_engine(database.admin_url, "public", pool_size=2)
    asked = itertools.count()
    served: list[int] = []

    async def use() -> None:
        ticket = next(asked)
        async with engine.connect() as conn:
            served.append(ticket)
            await conn.scalar(text("SELECT 1"))

    async def client() -> None:
        for _ in range(25):
            await use()

    try:
        await asyncio.gather(use(), use())  # both connections open (opening may finish out of order)
        served.clear()
        await asyncio.gather(*(client() for _ in range(12)))
        overtaken = sum(1 for i, ticket in enumerate(served) if any(t > ticket for t in served[:i]))
        assert len(served) == 300
        assert overtaken == 0
    finally:
        await engine.dispose()


async def test_a_connection_handed_to_a_request_that_was_cancelled_goes_to_the_next_one(database):
    engine = create_engine(database.admin_url, "public", pool_size=1)
    pool = engine.sync_engine.pool

    async def use() -> int:
        async with engine.connect() as conn:
            return await conn.scalar(text("SELECT 1"))

    try:
        held = await greenlet_spawn(pool.connect)
        cancelled = asyncio.create_task(use())
        await asyncio.sleep(0.1)

        def give_back_and_cancel() -> None:
            held.close()  # handed to the waiting request...
            cancelled.cancel()  # ...which is cancelled before it could run with it

        await greenlet_spawn(give_back_and_cancel)
        with pytest.raises(asyncio.CancelledError):
            await cancelled
        async with asyncio.timeout(5):
            assert await use() == 1
        assert pool.checkedin() == 1
    finally:
        await engine.dispose()


async def test_a_caller_that_waits_past_the_pool_timeout_gets_sqlalchemys_timeout_and_takes_nothing(database):
    engine = create_async_engine(database.admin_url, poolclass=FairPool, pool_size=1, max_overflow=0, pool_timeout=0.2)
    try:
        async with engine.connect() as held:
            await held.scalar(text("SELECT 1"))
            with pytest.raises(sqlalchemy.exc.TimeoutError):
                async with engine.connect():
                    pass
        async with asyncio.timeout(5), engine.connect() as conn:
            assert await conn.scalar(text("SELECT 1")) == 1
        assert engine.pool.checkedin() == 1
    finally:
        await engine.dispose()
