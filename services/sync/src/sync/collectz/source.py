"""Reading a collectZ database: a read-only connection with short timeouts, the schema generation
detected from what it holds, and the rows the move needs (never written, never locked).

Generations (collectZ's own migrations, `schema_migrations.version`):
- 1.x: one library (`users`, `media`, `media_variants`, `media_metadata`, `app_integrations` id 1);
- 2.x: `libraries` + `library_memberships` (migration 8/15); `media.library_id`, `media.media_type`;
- 3.x: `spaces` + `space_memberships` (migration 42); `media.space_id`; `owned_formats` (58);
  `app_integrations` one row per space (59); user ratings on a 0-10 scale from migration 99 (0-5 before).
"""

import asyncio
import contextlib
import hashlib
import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import asyncpg

CONNECT_TIMEOUT = 10.0
STATEMENT_TIMEOUT_MS = 30_000
SCHEMES = ("postgres", "postgresql")
RATINGS_OUT_OF_TEN_FROM = 99


class SourceError(Exception):
    """A reason the admin can act on; never carries the URL or its password."""

    def __init__(self, reason: str, *, transient: bool = False) -> None:
        super().__init__(reason)
        self.transient = transient


def check_url(url: str) -> str | None:
    """What is wrong with a connection URL's form, or None (whether it connects is the job's business)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "is not a valid URL"
    if parts.scheme not in SCHEMES:
        return "must start with postgresql://"
    if not parts.hostname:
        return "names no host"
    try:
        port = parts.port
    except ValueError:
        return "has an invalid port"
    if port == 0:
        return "has an invalid port"
    if not parts.path.strip("/"):
        return "names no database"
    return None


@dataclass
class Schema:
    generation: str
    version: int
    tables: set[str]
    media_columns: set[str]
    instance: str
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratings_out_of(self) -> int:
        return 10 if self.version >= RATINGS_OUT_OF_TEN_FROM else 5


@contextlib.asynccontextmanager
async def connect(url: str) -> AsyncIterator[asyncpg.Connection]:
    """A read-only session: every transaction is read-only, statements and lock waits are bounded."""
    settings = {
        "default_transaction_read_only": "on",
        "statement_timeout": str(STATEMENT_TIMEOUT_MS),
        "lock_timeout": "5000",
        "idle_in_transaction_session_timeout": "60000",
        "application_name": "shelfspace-collectz-import",
    }
    try:
        conn = await asyncpg.connect(url, timeout=CONNECT_TIMEOUT, server_settings=settings)
    except asyncpg.InvalidPasswordError as exc:
        raise SourceError("collectZ's database refused the user name or password in the URL.") from exc
    except asyncpg.InvalidCatalogNameError as exc:
        raise SourceError("collectZ's database server has no database of that name.") from exc
    except (TimeoutError, OSError, ssl.SSLError) as exc:
        raise SourceError(
            "collectZ's database server could not be reached: check the host and port in the URL, "
            "and that this server may connect to it.",
            transient=True,
        ) from exc
    except (asyncpg.PostgresError, asyncpg.InterfaceError, ValueError) as exc:
        raise SourceError(f"collectZ's database refused the connection ({type(exc).__name__}).") from exc
    try:
        yield conn
    finally:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(conn.close(), 5)


async def detect(conn: asyncpg.Connection) -> Schema:
    """The schema generation from the tables and columns present (not from what a version says)."""
    tables = {
        row["table_name"]
        for row in await conn.fetch(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        )
    }
    if not {"users", "media"} <= tables:
        raise SourceError("This database does not hold a collectZ install (no users and media tables).")
    media_columns = {
        row["column_name"]
        for row in await conn.fetch(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = 'media'"
        )
    }
    version = 0
    if "schema_migrations" in tables:
        version = await conn.fetchval("SELECT coalesce(max(version), 0) FROM schema_migrations")
    if {"spaces", "space_memberships"} <= tables and "space_id" in media_columns:
        generation = "3.x"
    elif {"libraries", "library_memberships"} <= tables and "library_id" in media_columns:
        generation = "2.x"
    else:
        generation = "1.x"
    first = await conn.fetchrow("SELECT email, created_at FROM users ORDER BY id LIMIT 1")
    seed = f"{first['email']}|{first['created_at']}" if first else await conn.fetchval("SELECT current_database()")
    instance = hashlib.sha256(seed.encode()).hexdigest()[:24]
    return Schema(generation, int(version), tables, media_columns, instance)


async def users(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    return await conn.fetch("SELECT id, email, name, password, role FROM users ORDER BY id")


async def groups(conn: asyncpg.Connection, schema: Schema) -> list[dict[str, Any]]:
    """The install's libraries (2.x) or spaces (3.x), or its one library (1.x), with their members."""
    if schema.generation == "1.x":
        return [{"key": "library", "name": "collectZ library", "members": []}]
    table, members, column = (
        ("spaces", "space_memberships", "space_id")
        if schema.generation == "3.x"
        else ("libraries", "library_memberships", "library_id")
    )
    rows = await conn.fetch(f"SELECT id, name FROM {table} WHERE archived_at IS NULL ORDER BY id")  # noqa: S608
    found = []
    for row in rows:
        people = await conn.fetch(
            f"SELECT user_id, role FROM {members} WHERE {column} = $1 ORDER BY user_id",  # noqa: S608
            row["id"],
        )
        found.append(
            {
                "key": f"{column.removesuffix('_id')}:{row['id']}",
                "name": row["name"],
                "members": [{"user_id": person["user_id"], "role": person["role"]} for person in people],
            }
        )
    return found


MEDIA_COLUMNS = (
    "id", "title", "original_title", "release_date", "year", "format", "genre", "director", "rating",
    "user_rating", "tmdb_id", "poster_path", "overview", "runtime", "upc", "location", "notes", "added_by",
    "created_at", "import_source", "media_type", "tmdb_media_type", "library_id", "space_id", "owned_formats",
    "cast_members",
)  # fmt: skip


def group_of_media(schema: Schema) -> str:
    """The SQL expression naming a media row's group key, as `groups` names them."""
    if schema.generation == "3.x":
        if "libraries" in schema.tables and "library_id" in schema.media_columns:
            return "'space:' || coalesce(m.space_id, (SELECT l.space_id FROM libraries l WHERE l.id = m.library_id))"
        return "'space:' || m.space_id"
    if schema.generation == "2.x":
        return "'library:' || m.library_id"
    return "'library'"


async def count_media(conn: asyncpg.Connection) -> int:
    return await conn.fetchval("SELECT count(*) FROM media")


async def media_page(conn: asyncpg.Connection, schema: Schema, after_id: int, size: int) -> list[dict[str, Any]]:
    """Up to `size` media rows after `after_id`, each with its variants and metadata."""
    present = [name for name in MEDIA_COLUMNS if name in schema.media_columns]
    selected = ", ".join(f"m.{name}" for name in present)
    rows = await conn.fetch(
        f"SELECT {selected}, {group_of_media(schema)} AS group_key FROM media m "  # noqa: S608
        "WHERE m.id > $1 ORDER BY m.id LIMIT $2",
        after_id,
        size,
    )
    items = [dict(row) for row in rows]
    ids = [item["id"] for item in items]
    for item in items:
        item["variants"], item["metadata"] = [], {}
    if not ids:
        return items
    by_id = {item["id"]: item for item in items}
    if "media_variants" in schema.tables:
        for variant in await conn.fetch(
            "SELECT media_id, id, source, source_item_key, source_media_id, source_part_id, edition, resolution, "
            "video_height FROM media_variants WHERE media_id = ANY($1::int[]) ORDER BY media_id, id",
            ids,
        ):
            by_id[variant["media_id"]]["variants"].append(dict(variant))
    if "media_metadata" in schema.tables:
        for meta in await conn.fetch(
            'SELECT media_id, "key", value FROM media_metadata WHERE media_id = ANY($1::int[]) ORDER BY id', ids
        ):
            by_id[meta["media_id"]]["metadata"].setdefault(meta["key"], meta["value"])
    return items


async def integration_rows(conn: asyncpg.Connection, schema: Schema) -> list[dict[str, Any]]:
    """collectZ's provider settings: one row for the install (1.x, 2.x) or one per space (3.x)."""
    if "app_integrations" not in schema.tables:
        return []
    return [dict(row) for row in await conn.fetch("SELECT * FROM app_integrations ORDER BY id")]
