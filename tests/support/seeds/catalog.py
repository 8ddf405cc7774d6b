"""What a service schema holds, read from the Postgres catalog: tables, columns, keys, checks, content.

`fingerprint()` describes the schema's structure (everything a migration creates), so two states can be
compared; `content()` is a table's row count and checksum over chosen columns, so seeded data can be
followed through upgrades and rollbacks. `alembic_version` is Alembic's bookkeeping, not the service's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import asyncpg

BOOKKEEPING = "alembic_version"


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str  # information_schema's data_type ("character varying", "ARRAY", "USER-DEFINED", ...)
    udt_name: str  # the underlying type ("varchar", "_text", an enum's name, ...)
    nullable: bool
    default: str | None
    max_length: int | None
    generated: bool  # identity, serial or GENERATED ALWAYS: Postgres fills it


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    table: str
    referred: tuple[str, ...]


@dataclass(frozen=True)
class Check:
    columns: tuple[str, ...]
    definition: str


@dataclass
class Table:
    name: str
    columns: list[Column] = field(default_factory=list)
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)


@dataclass(frozen=True)
class Content:
    """A table's rows (the chosen columns only): count, md5 checksum, and the rows as text for diffs."""

    count: int
    checksum: str
    rows: tuple[str, ...]


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


_KEY_COLUMNS = """
    array(SELECT a.attname::text FROM unnest({keys}) WITH ORDINALITY k(num, pos)
          JOIN pg_attribute a ON a.attrelid = {rel} AND a.attnum = k.num ORDER BY k.pos)
"""


async def tables(conn: asyncpg.Connection, schema: str) -> dict[str, Table]:
    """Every ordinary table of `schema` with its columns, foreign keys and check constraints."""
    found: dict[str, Table] = {}
    for row in await conn.fetch(
        """
        SELECT table_name, column_name, data_type, udt_name, is_nullable = 'YES' AS nullable, column_default,
               character_maximum_length,
               is_identity = 'YES' OR is_generated = 'ALWAYS' OR coalesce(column_default, '') LIKE 'nextval(%'
                   AS generated
        FROM information_schema.columns c
        WHERE table_schema = $1 AND table_name <> $2
          AND EXISTS (SELECT 1 FROM information_schema.tables t WHERE t.table_schema = c.table_schema
                      AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE')
        ORDER BY table_name, ordinal_position
        """,
        schema,
        BOOKKEEPING,
    ):
        table = found.setdefault(row["table_name"], Table(row["table_name"]))
        table.columns.append(
            Column(
                row["column_name"],
                row["data_type"],
                row["udt_name"],
                row["nullable"],
                row["column_default"],
                row["character_maximum_length"],
                row["generated"],
            )
        )
    for row in await conn.fetch(
        f"""
        SELECT con.contype::text AS contype, cl.relname AS table_name, fcl.relname AS referred_table,
               {_KEY_COLUMNS.format(keys="con.conkey", rel="con.conrelid")} AS columns,
               {_KEY_COLUMNS.format(keys="con.confkey", rel="con.confrelid")} AS referred,
               pg_get_constraintdef(con.oid) AS definition
        FROM pg_constraint con
        JOIN pg_class cl ON cl.oid = con.conrelid
        JOIN pg_namespace n ON n.oid = cl.relnamespace
        LEFT JOIN pg_class fcl ON fcl.oid = con.confrelid
        WHERE n.nspname = $1 AND con.contype IN ('f', 'c')
        ORDER BY con.conname
        """,
        schema,
    ):
        table = found.get(row["table_name"])
        if table is None:
            continue
        if row["contype"] == "f":
            table.foreign_keys.append(ForeignKey(tuple(row["columns"]), row["referred_table"], tuple(row["referred"])))
        else:
            table.checks.append(Check(tuple(row["columns"]), row["definition"]))
    return found


async def enum_labels(conn: asyncpg.Connection, type_name: str) -> list[str]:
    rows = await conn.fetch(
        "SELECT e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = $1 "
        "ORDER BY e.enumsortorder",
        type_name,
    )
    return [row["enumlabel"] for row in rows]


async def table_names(conn: asyncpg.Connection, schema: str) -> set[str]:
    rows = await conn.fetch(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND c.relname <> $2",
        schema,
        BOOKKEEPING,
    )
    return {row["relname"] for row in rows}


async def content(conn: asyncpg.Connection, schema: str, table: str, columns: list[str]) -> Content:
    """Count and md5 of `table`'s rows, each rendered as the row of `columns` (in that order) as text."""
    row_expr = "ROW(" + ", ".join(quoted(c) for c in columns) + ")::text"
    rows = await conn.fetch(f"SELECT {row_expr} AS r FROM {quoted(schema)}.{quoted(table)} ORDER BY 1")
    summary = await conn.fetchrow(
        f"SELECT count(*) AS n, md5(coalesce(string_agg(r, E'\\n' ORDER BY r), '')) AS checksum "
        f"FROM (SELECT {row_expr} AS r FROM {quoted(schema)}.{quoted(table)}) s"
    )
    return Content(summary["n"], summary["checksum"], tuple(row["r"] for row in rows))


# Everything a migration can create in a schema, each as sorted text lines (order-independent).
_FINGERPRINT = {
    "columns": """
        SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
               || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
               || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
               || CASE WHEN a.attidentity <> '' THEN ' identity ' || a.attidentity::text ELSE '' END
               || CASE WHEN a.attgenerated <> '' THEN ' generated' ELSE '' END
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND c.relname <> $2
          AND a.attnum > 0 AND NOT a.attisdropped
    """,
    "constraints": """
        SELECT c.relname || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid)
        FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relname <> $2
    """,
    "indexes": "SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename <> $2",
    "relations": """
        SELECT c.relkind::text || ' ' || c.relname || coalesce(' ' || pg_get_viewdef(c.oid), '')
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'c') AND c.relname <> $2
    """,
    "types": """
        SELECT t.typtype::text || ' ' || t.typname || coalesce(' ' || (
            SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid), '')
        FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = $1 AND t.typtype IN ('e', 'd', 'r', 'm') AND t.typname <> $2
    """,
    "functions": """
        SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') ' || md5(p.prosrc)
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1 AND p.proname <> $2
    """,
    "triggers": """
        SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND NOT t.tgisinternal AND c.relname <> $2
    """,
}


async def fingerprint(conn: asyncpg.Connection, schema: str) -> dict[str, list[str]]:
    """The schema's structure: columns, constraints, indexes, relations, types, functions and triggers."""
    return {
        kind: sorted(row[0] for row in await conn.fetch(query, schema, BOOKKEEPING))
        for kind, query in _FINGERPRINT.items()
    }


async def current_revision(conn: asyncpg.Connection, schema: str) -> str | None:
    exists = await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", f"{quoted(schema)}.{BOOKKEEPING}")
    if not exists:
        return None
    return await conn.fetchval(f"SELECT version_num FROM {quoted(schema)}.{BOOKKEEPING}")
