"""Seed every table of a schema with a few representative rows, from the catalog alone.

Values follow each column's type; a foreign key takes its value from a row already seeded in the referred
table (tables are seeded referred-first); a single-column CHECK is satisfied when it is an allowed-values
list (`IN (...)`, the first values in turn) or a numeric range (the middle of it). Any other constraint
a generic value breaks needs a hand-written value: `OVERRIDES = {"table": {"column": [row0, row1]}}` in
`tests/support/seeds/<service>.py` (row i takes item i modulo the list's length).
"""

from __future__ import annotations

import importlib
import ipaddress
import json
import re
import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import asyncpg

from tests.support.seeds.catalog import Check, Column, Table, enum_labels, quoted, tables

ROWS_PER_TABLE = 2
_START = datetime(2024, 3, 14, 9, 26, 53, tzinfo=UTC)

Overrides = dict[str, dict[str, list[object]]]


class SeedError(AssertionError):
    pass


def overrides_for(service: str) -> Overrides:
    try:
        module = importlib.import_module(f"tests.support.seeds.{service}")
    except ModuleNotFoundError:
        return {}
    return getattr(module, "OVERRIDES", {})


async def seed_schema(
    conn: asyncpg.Connection, schema: str, overrides: Overrides | None = None
) -> dict[str, list[str]]:
    """Insert ROWS_PER_TABLE rows into every table of `schema`; return each table's seeded columns."""
    found = await tables(conn, schema)
    inserted: dict[str, list[asyncpg.Record]] = {}
    seeded: dict[str, list[str]] = {}
    for table in _referred_first(found):
        rows = []
        for i in range(ROWS_PER_TABLE):
            values = await _row(conn, table, i, inserted, (overrides or {}).get(table.name, {}))
            names = ", ".join(quoted(name) for name in values)
            params = ", ".join(f"${n}" for n in range(1, len(values) + 1))
            sql = f"INSERT INTO {quoted(schema)}.{quoted(table.name)} ({names}) VALUES ({params}) RETURNING *"
            try:
                rows.append(await conn.fetchrow(sql, *values.values()))
            except asyncpg.PostgresError as exc:
                raise SeedError(
                    f"cannot seed {schema}.{table.name} generically ({type(exc).__name__}: {exc}); "
                    f"give the offending column a value in tests/support/seeds/{schema}.py OVERRIDES"
                ) from exc
        inserted[table.name] = rows
        seeded[table.name] = [column.name for column in table.columns]
    return seeded


def _referred_first(found: dict[str, Table]) -> list[Table]:
    ordered: list[Table] = []
    pending = dict(found)
    while pending:
        ready = [
            t for t in pending.values() if all(fk.table == t.name or fk.table not in pending for fk in t.foreign_keys)
        ]
        if not ready:
            raise SeedError(f"foreign keys form a cycle between {sorted(pending)}: seed them by hand")
        for table in ready:
            ordered.append(pending.pop(table.name))
    return ordered


async def _row(
    conn: asyncpg.Connection,
    table: Table,
    i: int,
    inserted: dict[str, list[asyncpg.Record]],
    overrides: dict[str, list[object]],
) -> dict[str, object]:
    columns = {column.name: column for column in table.columns}
    values: dict[str, object] = {}
    for fk in table.foreign_keys:
        if fk.table == table.name:  # a self-reference: leave it empty
            if not all(columns[name].nullable for name in fk.columns):
                raise SeedError(f"{table.name} refers to itself through NOT NULL {fk.columns}: seed it by hand")
            values.update(dict.fromkeys(fk.columns))
            continue
        referred = inserted[fk.table][i % len(inserted[fk.table])]
        values.update({name: referred[ref] for name, ref in zip(fk.columns, fk.referred, strict=True)})
    for column in table.columns:
        if column.name in overrides:
            choices = overrides[column.name]
            values[column.name] = choices[i % len(choices)]
        elif column.name not in values and not column.generated:
            checks = [c for c in table.checks if c.columns == (column.name,)]
            values[column.name] = await _value(conn, column, i, checks)
    return values


async def _value(conn: asyncpg.Connection, column: Column, i: int, checks: list[Check]) -> object:
    for check in checks:
        allowed = _allowed_values(check.definition)
        if allowed:
            return _typed(column, allowed[i % len(allowed)])
        if _is_numeric(column):
            bounded = _in_range(check.definition, integral=column.data_type in _INTEGERS)
            if bounded is not None:
                return _typed(column, str(bounded))
    if column.data_type == "USER-DEFINED":
        labels = await enum_labels(conn, column.udt_name)
        return labels[i % len(labels)] if labels else _text(column, i)
    if column.data_type == "ARRAY":
        element = Column(column.name, column.udt_name.removeprefix("_"), column.udt_name[1:], True, None, None, False)
        return [_scalar(element, i)]
    return _scalar(column, i)


_INTEGERS = {"smallint", "integer", "bigint", "int2", "int4", "int8"}
_NUMERIC = {*_INTEGERS, "numeric", "real", "double precision", "float4", "float8"}


def _is_numeric(column: Column) -> bool:
    return column.data_type in _NUMERIC


def _allowed_values(definition: str) -> list[str]:
    """The literals of `col IN ('a', 'b')`, which Postgres keeps as `col = ANY (ARRAY['a'::text, ...])`."""
    if not re.search(r"= ANY \(+ARRAY\[", definition):
        return []
    return [literal.replace("''", "'") for literal in re.findall(r"'((?:[^']|'')*)'", definition)]


def _in_range(definition: str, *, integral: bool) -> float | int | None:
    step = 1 if integral else 0.5
    lows, highs = [], []
    for operator, number in re.findall(r"(>=|<=|>|<)\s*\(*'?(-?\d+(?:\.\d+)?)", definition):
        bound = float(number)
        if operator.startswith(">"):
            lows.append(bound + (step if operator == ">" else 0))
        else:
            highs.append(bound - (step if operator == "<" else 0))
    if not lows and not highs:
        return None
    # A bound on one side only (`episode_count >= 0`) leaves the other ten steps away.
    low = max(lows) if lows else min(highs) - 10
    high = min(highs) if highs else max(lows) + 10
    middle = (low + high) / 2
    return int(middle) if integral else middle


def _typed(column: Column, literal: str) -> object:
    if column.data_type in _INTEGERS:
        return int(float(literal))
    if column.data_type == "numeric":
        return Decimal(literal)
    if column.data_type in _NUMERIC:
        return float(literal)
    return literal


def _text(column: Column, i: int) -> str:
    # Lower case and trimmed (normalized e-mail checks accept it), with a non-ASCII letter; unique per row.
    text = f"{i}-{column.name.replace('_', '-')}-amélie"
    return text[: column.max_length] if column.max_length else text


def _scalar(column: Column, i: int) -> object:
    kind = column.data_type
    if kind == "uuid":
        return uuid.uuid4()
    if kind in ("boolean", "bool"):
        return i % 2 == 0
    if kind in _INTEGERS:
        return 10 + i
    if kind == "numeric":
        return Decimal(f"{i}.25")
    if kind in _NUMERIC:
        return 1.5 + i
    if kind in ("timestamp with time zone", "timestamptz"):
        return _START + timedelta(days=i, minutes=i)
    if kind in ("timestamp without time zone", "timestamp"):
        return (_START + timedelta(days=i)).replace(tzinfo=None)
    if kind == "date":
        return (_START + timedelta(days=i)).date() if i else date(2024, 3, 14)
    if kind in ("time without time zone", "time"):
        return time(9, 26 + i)
    if kind == "interval":
        return timedelta(hours=1 + i)
    if kind in ("json", "jsonb"):
        return json.dumps({"seed": i, "title": "Amélie", "tags": ["a", i]})
    if kind == "bytea":
        return bytes([i, 0, 255]) + b"seed"
    if kind in ("inet", "cidr"):
        return ipaddress.ip_network(f"192.0.2.{i}/32") if kind == "cidr" else ipaddress.ip_address(f"192.0.2.{i}")
    return _text(column, i)
