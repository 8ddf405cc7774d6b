"""Query plans of the recorded read shapes, and a check that every foreign key has an index."""

from typing import Any

import asyncpg

_TABLES = ("media", "copies", "annotations", "media_identities", "merges")


def _seq_scans(plan: str) -> list[str]:
    return sorted({table for table in _TABLES if f"Seq Scan on {table} " in plan + " "})


async def _plan(conn: asyncpg.Connection, sql: str, args: list[Any], options: str) -> str:
    rows = await conn.fetch(f"EXPLAIN ({options}) {sql}", *args)
    return "\n".join(row[0] for row in rows)


async def _literal(conn: asyncpg.Connection, value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, list):
        return await conn.fetchval("SELECT quote_literal(CAST($1 AS text[])::text)", [str(v) for v in value])
    return await conn.fetchval("SELECT quote_literal($1::text)", str(value))


async def _generic_plan(conn: asyncpg.Connection, sql: str, args: list[Any]) -> str:
    """The plan a prepared statement gets once Postgres settles on a generic one."""
    try:
        async with conn.transaction():
            await conn.execute("SET LOCAL plan_cache_mode = force_generic_plan")
            await conn.execute(f"PREPARE bench_generic AS {sql}")
            try:
                values = ", ".join([await _literal(conn, arg) for arg in args])
                execute = f"EXECUTE bench_generic({values})" if args else "EXECUTE bench_generic"
                return await _plan(conn, execute, [], "COSTS OFF")
            finally:
                await conn.execute("DEALLOCATE bench_generic")
    except asyncpg.PostgresError as exc:
        return f"(not available: {exc})"


async def explain_shapes(conn: asyncpg.Connection, statements: dict[str, list]) -> dict[str, list[dict]]:
    """EXPLAIN (ANALYZE, BUFFERS) of every SELECT a shape runs, plus its generic plan (what a
    prepared statement may switch to after five executions), each checked for sequential scans."""
    out: dict[str, list[dict]] = {}
    for name, recorded in statements.items():
        out[name] = []
        for sql, args in recorded:
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")) or "pg_notify" in sql:
                continue
            analyzed = await _plan(conn, sql, args, "ANALYZE, BUFFERS")
            generic = await _generic_plan(conn, sql, args)
            out[name].append(
                {
                    "sql": " ".join(sql.split()),
                    "plan": analyzed,
                    "seq_scans": _seq_scans(analyzed),
                    "generic_plan_seq_scans": _seq_scans(generic),
                    "generic_plan": generic,
                }
            )
    return out


_UNINDEXED_FKS = """
    SELECT c.conrelid::regclass::text AS table_name, c.conname
    FROM pg_constraint c
    WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace
      AND NOT EXISTS (
        SELECT 1 FROM pg_index i
        WHERE i.indrelid = c.conrelid
          AND (i.indkey::int2[])[0:array_length(c.conkey, 1) - 1] = c.conkey
      )
"""


async def unindexed_foreign_keys(conn: asyncpg.Connection) -> list[str]:
    return [f"{row['table_name']}.{row['conname']}" for row in await conn.fetch(_UNINDEXED_FKS)]
