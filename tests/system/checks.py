"""Assertions shared by the system suites: the API.md error shape, stored rows, outbox vs activity log."""

import asyncio
import uuid

import asyncpg
import httpx

ERROR_KEYS = {"code", "message", "details", "request_id"}


def assert_error_shape(response: httpx.Response, *statuses: int) -> dict:
    """The response is an API.md error (`{"error": {code, message, details, request_id}}`)."""
    if statuses:
        assert response.status_code in statuses, f"{response.status_code} {response.text[:300]}"
    assert response.headers.get("x-request-id"), "every response carries X-Request-Id"
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) >= ERROR_KEYS, error
    assert isinstance(error["code"], str), error
    assert error["code"], error
    assert isinstance(error["message"], str), error
    assert error["message"], error
    assert isinstance(error["details"], list), error
    return error


async def create_titles(client: httpx.AsyncClient, label: str, count: int) -> list[httpx.Response]:
    """`count` titles created at once through the gateway; the answers."""
    bodies = [{"title": f"{label} {i} {uuid.uuid4().hex[:6]}", "media_type": "movie"} for i in range(count)]
    return list(await asyncio.gather(*(client.post("/api/media", json=body) for body in bodies)))


def created_or_clean_failure(responses: list[httpx.Response]) -> set[str]:
    """Every action succeeded (201) or failed cleanly (an API.md error, never a 500); the created ids."""
    created = set()
    for response in responses:
        if response.status_code == 201:
            created.add(response.json()["id"])
        else:
            assert_error_shape(response, 503)
    return created


async def fetch(dsn: str, query: str, *args) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(dsn)
    try:
        return await conn.fetch(query, *args)
    finally:
        await conn.close()


async def outbox_ids(dsn: str, schema: str, space_id: uuid.UUID) -> set[uuid.UUID]:
    """Ids of every event a service wrote to its outbox for one space."""
    rows = await fetch(dsn, f"SELECT id FROM {schema}.outbox WHERE payload->>'space_id' = $1", str(space_id))
    return {row["id"] for row in rows}


async def activity_counts(dsn: str, event_ids: set[uuid.UUID]) -> dict[uuid.UUID, int]:
    """How many activity-log rows each event id has."""
    rows = await fetch(
        dsn,
        "SELECT event_id, count(*) AS n FROM audit.activity_log WHERE event_id = ANY($1::uuid[]) GROUP BY event_id",
        list(event_ids),
    )
    return {row["event_id"]: row["n"] for row in rows}


async def logged_exactly_once(dsn: str, event_ids: set[uuid.UUID]) -> bool:
    counts = await activity_counts(dsn, event_ids)
    assert all(n == 1 for n in counts.values()), {k: n for k, n in counts.items() if n != 1}
    return set(counts) == event_ids


async def queue_depth(amqp_url: str, queue: str) -> int:
    """Messages waiting in a queue (straight to the broker, not through the system's proxy)."""
    import aio_pika

    connection = await aio_pika.connect(amqp_url, timeout=5)
    try:
        channel = await connection.channel()
        declared = await channel.declare_queue(queue, passive=True)
        return declared.declaration_result.message_count or 0
    finally:
        await connection.close()


SCHEMAS = ("identity", "library", "integrations", "sync", "audit")
# Bookkeeping that any request may touch (messaging, the activity log, sign-in records).
NOT_STATE = {"alembic_version", "inbox", "outbox", "activity_log", "login_attempts", "sessions"}


async def snapshot(dsn: str, *, ignore: set[str] = frozenset()) -> dict[str, str]:
    """A digest of every row of every table of the services' state (`schema.table` → md5)."""
    conn = await asyncpg.connect(dsn)
    try:
        tables = await conn.fetch(
            "SELECT table_schema, table_name FROM information_schema.tables"
            " WHERE table_schema = ANY($1::text[]) AND table_type = 'BASE TABLE'",
            list(SCHEMAS),
        )
        digests = {}
        for row in tables:
            name = f"{row['table_schema']}.{row['table_name']}"
            if row["table_name"] in NOT_STATE or name in ignore:
                continue
            digests[name] = await conn.fetchval(
                f"SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM {name} t"
            )
        return digests
    finally:
        await conn.close()


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
