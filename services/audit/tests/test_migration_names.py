"""Migration 0003_activity_names on a log with rows: they stay as they were (names NULL) and the
directory of names starts with the users and spaces the log already introduced."""

import json
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest

from audit import SERVICE
from shelfspace_kernel.migrations import migrate
from tests.support import infra
from tests.support.fixtures import TestDatabase as Database
from tests.support.fixtures import service_migrations

BEFORE = "0002_outbox_trace_context"
ROW = """
INSERT INTO activity_log (id, event_id, action, user_id, space_id, entity_type, entity_id, details, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, now() - make_interval(mins => $9))
"""


@pytest.fixture
async def old_log(postgres: infra.Postgres) -> AsyncIterator[tuple[Database, asyncpg.Connection]]:
    db = Database(postgres, infra.new_name("shelfspace_audit_names"))
    infra.bootstrap_database(postgres, db.name)
    await migrate(db.service_url(SERVICE), service_migrations(SERVICE), SERVICE, BEFORE)
    url = db.service_url(SERVICE).replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(url, server_settings={"search_path": SERVICE})
    try:
        yield db, conn
    finally:
        await conn.close()
        infra.drop_database(postgres, db.name)


async def test_old_rows_keep_their_values_and_the_directory_is_seeded_with_the_newest_names(old_log):
    db, conn = old_log
    alice, space_id, media_id = uuid.uuid4(), uuid.uuid4(), str(uuid.uuid4())

    async def row(action: str, entity_type: str, entity_id: str, details: dict, minutes_ago: int) -> None:
        await conn.execute(
            ROW, uuid.uuid4(), uuid.uuid4(), action, alice, space_id, entity_type, entity_id,
            json.dumps(details), minutes_ago,
        )  # fmt: skip

    await row("identity.user.registered", "user", str(alice), {"email": "a@example.com", "name": "Al"}, 30)
    await row("identity.user.updated", "user", str(alice), {"fields": ["name"], "name": "Alice"}, 20)
    await row("identity.user.updated", "user", "not-a-uuid", {"name": "Ignored"}, 20)
    await row("identity.space.created", "space", str(space_id), {"name": "Den"}, 25)
    await row("library.media.created", "media", media_id, {"title": "Alien", "year": 1979}, 10)

    await migrate(db.service_url(SERVICE), service_migrations(SERVICE), SERVICE, "head")

    media = await conn.fetchrow("SELECT * FROM activity_log WHERE entity_id = $1", media_id)
    names = {(r["kind"], r["id"]): (r["name"], r["email"]) for r in await conn.fetch("SELECT * FROM known_names")}
    assert json.loads(media["details"]) == {"title": "Alien", "year": 1979}
    assert (media["actor_name"], media["space_name"], media["subject_name"]) == (None, None, None)
    # The newest name and the newest email, each from the newest event that carries it.
    assert names == {("user", alice): ("Alice", "a@example.com"), ("space", space_id): ("Den", None)}
