"""Async SQLAlchemy engine and sessions, bound to one service's own schema and role."""

import functools
import re
from collections.abc import AsyncIterator
from typing import Annotated, Any

import asyncpg
from fastapi import Depends, Request
from sqlalchemy import MetaData, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from shelfspace_kernel.fair_pool import FairPool

# Constraint and index names are stable, so migrations can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


def schema_search_path(schema: str) -> str:
    # Shared extensions (pg_trgm, unaccent) live in their own schema, readable by every role.
    return f"{schema}, extensions"


def session_settings(schema: str) -> dict[str, str]:
    """What every connection of a service sets up: its schema first, and plans made per execution.

    Data is skewed per space (a household's 100k titles next to another's fifty, a decade that
    holds a tenth of them): a generic plan Postgres caches for a prepared statement is right for
    some values and scans far too much for others. Planning a statement costs a tenth of a
    millisecond or so; the wrong plan cost a list page 20 ms.
    """
    return {"search_path": schema_search_path(schema), "plan_cache_mode": "force_custom_plan"}


def create_engine(database_url: str, schema: str, *, pool_size: int = 8, application_name: str = "") -> AsyncEngine:
    """An engine of at most `pool_size` connections, each kept open once opened, lent in turn."""
    engine = create_async_engine(
        database_url,
        # No overflow: SQLAlchemy opens an overflow connection per use and closes it after, and a new
        # backend's first statements cost 30-80 ms (its catalog caches start empty). Waiting for a
        # pooled connection to come back costs a millisecond or two.
        poolclass=FairPool,
        pool_size=pool_size,
        max_overflow=0,
        pool_timeout=10,
        connect_args={
            "timeout": 5,
            "command_timeout": 60,
            "server_settings": {**session_settings(schema), "application_name": application_name or schema},
        },
    )
    event.listen(engine.sync_engine.pool, "checkout", _refuse_closed_connection)
    return engine


def _refuse_closed_connection(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """A pooled connection the server has closed (a restart, a terminated backend) is replaced
    at checkout. The driver learns of the close from the event loop, so this costs no round trip,
    where SQLAlchemy's pre-ping costs three (BEGIN, a ping, ROLLBACK) on every checkout."""
    if dbapi_connection.driver_connection.is_closed():
        raise DisconnectionError()


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def asyncpg_dsn(database_url: str) -> str:
    """The same URL in the form asyncpg's own `connect` takes."""
    return database_url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def _session(request: Request) -> AsyncIterator[AsyncSession]:
    async with request.app.state.sessionmaker() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(_session)]


# A `:name` parameter as `text()` reads it (not a `::type` cast, not escaped).
_PARAMETER = re.compile(r"(?<![:\w\\]):(\w+)(?!:)")


@functools.lru_cache(maxsize=512)
def positional(sql: str) -> tuple[str, tuple[str, ...]]:
    """`sql` with its `:name` parameters as asyncpg's `$n`, and the names in that order."""
    names: list[str] = []

    def number(match: re.Match[str]) -> str:
        if match.group(1) not in names:
            names.append(match.group(1))
        return f"${names.index(match.group(1)) + 1}"

    return _PARAMETER.sub(number, sql), tuple(names)


class DriverReads:
    """Read statements run straight on a pooled asyncpg connection, each on its own (no transaction).

    For the hottest reads only: there SQLAlchemy's statement and result handling, and the BEGIN and
    COMMIT around a session's work, cost more than the query. Statements take `:name` parameters
    like `text()`; everything else goes through sessions.
    """

    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def fetch(self, sql: str, params: dict[str, Any]) -> list[asyncpg.Record]:
        statement, names = positional(sql)
        rows: list[asyncpg.Record] = await self._connection.fetch(statement, *(params[name] for name in names))
        return rows

    async def fetchrow(self, sql: str, params: dict[str, Any]) -> asyncpg.Record | None:
        statement, names = positional(sql)
        return await self._connection.fetchrow(statement, *(params[name] for name in names))

    async def fetchval(self, sql: str, params: dict[str, Any]) -> Any:
        statement, names = positional(sql)
        return await self._connection.fetchval(statement, *(params[name] for name in names))


async def _driver_reads(request: Request) -> AsyncIterator[DriverReads]:
    async with request.app.state.engine.connect() as conn:
        raw = await conn.get_raw_connection()
        yield DriverReads(raw.driver_connection)


DriverReadsDep = Annotated[DriverReads, Depends(_driver_reads)]
