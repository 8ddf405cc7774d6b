"""The SQL floor: the exact statements a library request runs, replayed through bare asyncpg.

`RecordingSession` stands in for the service's AsyncSession and DriverReads: the service's own
handler code (`queries.list_titles`, `titles.create_title`) runs against it, each statement is
executed on an asyncpg connection (so the flow sees real rows) and recorded with its bound
arguments. Replaying the recorded statements (in one transaction for a write, on their own for a
read, as the service runs them) is then the database work of that request with no HTTP, no
SQLAlchemy and no serialization around it.
"""

import contextlib
import uuid
from dataclasses import dataclass, field
from typing import Any

import asyncpg

from shelfspace_kernel.db import positional


def to_asyncpg(sql: str, params: dict[str, Any]) -> tuple[str, list[Any]]:
    """`:name` placeholders → `$n`, with the arguments in order (as the service's DriverReads does)."""
    statement, names = positional(sql)
    return statement, [params[name] for name in names]


class _Result:
    def __init__(self, rows: list[asyncpg.Record]) -> None:
        self._rows = [dict(row) for row in rows]

    def mappings(self) -> "_Result":
        return self

    def __iter__(self):
        return iter(self._rows)

    def first(self) -> dict | None:
        return self._rows[0] if self._rows else None

    def one(self) -> dict:
        assert len(self._rows) == 1, self._rows
        return self._rows[0]

    def all(self) -> list[tuple]:
        return [tuple(row.values()) for row in self._rows]

    def scalars(self) -> list[Any]:
        return [next(iter(row.values())) for row in self._rows]


@dataclass
class RecordingSession:
    conn: asyncpg.Connection
    statements: list[tuple[str, list[Any]]] = field(default_factory=list)

    async def execute(self, clause: Any, params: dict[str, Any] | list[dict[str, Any]] | None = None) -> _Result:
        if isinstance(params, list):  # executemany: one statement per set of parameters
            return _Result([row for each in params for row in await self.fetch(clause.text, each)])
        return _Result(await self.fetch(clause.text, params or {}))

    async def fetch(self, sql: str, params: dict[str, Any]) -> list[asyncpg.Record]:
        statement, args = to_asyncpg(sql, params)
        self.statements.append((statement, args))
        return await self.conn.fetch(statement, *args)

    async def fetchrow(self, sql: str, params: dict[str, Any]) -> asyncpg.Record | None:
        rows = await self.fetch(sql, params)
        return rows[0] if rows else None

    async def fetchval(self, sql: str, params: dict[str, Any]) -> Any:
        row = await self.fetchrow(sql, params)
        return row[0] if row else None

    async def scalar(self, clause: Any, params: dict[str, Any] | None = None) -> Any:
        rows = list(await self.execute(clause, params))
        return next(iter(rows[0].values())) if rows else None

    @contextlib.asynccontextmanager
    async def begin(self):
        async with self.conn.transaction():
            yield self


async def replay(conn: asyncpg.Connection, statements: list[tuple[str, list[Any]]], transactional: bool) -> None:
    async with conn.transaction() if transactional else contextlib.nullcontext():
        for sql, args in statements:
            await conn.fetch(sql, *args)


def fresh_ids(statements: list[tuple[str, list[Any]]], keep: set[uuid.UUID]):
    """For a write: the statements with every new id (and its text form) replaced per call."""
    minted = {arg for _, args in statements for arg in args if isinstance(arg, uuid.UUID) and arg not in keep}

    def renew() -> list[tuple[str, list[Any]]]:
        mapping = {old: uuid.uuid4() for old in minted}
        text_mapping = {str(old): str(new) for old, new in mapping.items()}
        out = []
        for sql, args in statements:
            new_args = []
            for arg in args:
                if isinstance(arg, uuid.UUID):
                    arg = mapping.get(arg, arg)
                elif isinstance(arg, str):
                    for old, new in text_mapping.items():
                        arg = arg.replace(old, new)
                new_args.append(arg)
            out.append((sql, new_args))
        return out

    return renew
