"""Alembic per service: version table inside the service's schema, one run at a time, never blocking writes long.

`migrate()` holds a session-level advisory lock on the same connection that runs the migrations,
so two migrate runs cannot race and the lock is never released on another pooled connection.

Every statement of a migration waits at most `MIGRATION_LOCK_TIMEOUT` for a lock: while a DDL statement
waits, every writer of that table queues behind it, so a long wait would stall the service. A revision
that times out is rolled back whole (one transaction per revision) and the run tries again from there,
`MIGRATION_LOCK_RETRIES` times with a growing pause; then it fails, and running it again later is safe.
Indexes on tables that can be large are built with `create_index_concurrently()`, which blocks no writer.
"""

import asyncio
import os
import sys
from pathlib import Path

from alembic import command, context, op
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, MetaData, text
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.pool import NullPool

from shelfspace_kernel.db import schema_search_path
from shelfspace_kernel.periodic import advisory_key


def run_alembic_env(target_metadata: MetaData) -> None:
    """The whole body of a service's `migrations/env.py`."""
    connection = context.config.attributes["connection"]
    schema = context.config.attributes["schema"]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        version_table_schema=schema,
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        context.run_migrations()


BASE_VERSIONS = Path(__file__).parent / "base_migrations"
LOCK_TIMEOUT = os.environ.get("MIGRATION_LOCK_TIMEOUT", "500ms")
LOCK_RETRIES = int(os.environ.get("MIGRATION_LOCK_RETRIES", "8"))
LOCK_NOT_AVAILABLE = "55P03"


def create_index_concurrently(name: str, definition: str) -> None:
    """`CREATE INDEX CONCURRENTLY <name> <definition>` outside the revision's transaction: writes go on
    while it builds. It waits for older transactions without a lock timeout (it blocks no writer meanwhile).
    A build that failed before leaves an invalid index of that name: it is dropped first, so a re-run
    starts clean; a valid one is kept (the revision failed after building it)."""
    with op.get_context().autocommit_block():
        op.execute("SET lock_timeout = 0")
        try:
            invalid = op.get_bind().scalar(
                text("SELECT NOT indisvalid FROM pg_index WHERE indexrelid = to_regclass(:name)"), {"name": name}
            )
            if invalid:
                op.execute(f"DROP INDEX CONCURRENTLY {name}")
            op.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} {definition}")
        finally:
            op.execute("RESET lock_timeout")


def drop_index_concurrently(name: str) -> None:
    """`DROP INDEX CONCURRENTLY`: unlike a plain drop, it never holds an exclusive lock on the table."""
    with op.get_context().autocommit_block():
        op.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


def alembic_config(migrations_dir: Path, schema: str) -> Config:
    """Alembic for one service: its own revisions plus the shared base (outbox and inbox)."""
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", os.pathsep.join([str(BASE_VERSIONS), str(migrations_dir / "versions")]))
    config.attributes["schema"] = schema
    return config


async def migrate(database_url: str, migrations_dir: Path, schema: str, revision: str = "head") -> None:
    engine = create_async_engine(
        database_url,
        poolclass=NullPool,
        connect_args={
            "timeout": 10,
            "server_settings": {"search_path": schema_search_path(schema), "lock_timeout": LOCK_TIMEOUT},
        },
    )
    config = alembic_config(migrations_dir, schema)
    key = advisory_key(f"shelfspace.migrate.{schema}")
    try:
        async with engine.connect() as conn:
            await _take_lock(conn, key)
            try:
                await _run_with_retries(conn, config, revision)
            finally:
                await conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                await conn.commit()
    finally:
        await engine.dispose()


async def _take_lock(conn: AsyncConnection, key: int) -> None:
    """Polled, not `pg_advisory_lock`: a run waiting inside one statement would be cancelled by its
    lock_timeout, and would hold a snapshot that the other run's concurrent index build waits for."""
    while True:
        taken = (await conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key})).scalar()
        await conn.commit()
        if taken:
            return
        await asyncio.sleep(0.2)


async def _run_with_retries(conn: AsyncConnection, config: Config, revision: str) -> None:
    downgrade = revision.startswith("-") or revision == "base"
    if revision.startswith("-"):
        revision = await conn.run_sync(_steps_below_current, config, int(revision[1:]))
        await conn.commit()
    for attempt in range(LOCK_RETRIES + 1):
        try:
            await conn.run_sync(_upgrade_or_downgrade, config, revision, downgrade)
            await conn.commit()
            return
        except Exception as exc:
            await conn.rollback()
            if attempt == LOCK_RETRIES or not _lock_timed_out(exc):
                raise
            pause = min(0.5 * 2**attempt, 10.0)
            print(f"{config.attributes['schema']}: a lock wait timed out, trying again in {pause}s", file=sys.stderr)
            await asyncio.sleep(pause)


def _lock_timed_out(exc: BaseException | None) -> bool:
    """Anywhere in the chain (SQLAlchemy wraps the driver's error): Postgres's lock_not_available."""
    seen = 0
    while exc is not None and seen < 10:
        if getattr(exc, "sqlstate", None) == LOCK_NOT_AVAILABLE:
            return True
        exc = getattr(exc, "orig", None) or exc.__cause__
        seen += 1
    return False


def _steps_below_current(sync_connection: Connection, config: Config, steps: int) -> str:
    """`-N` as the revision it names before the run: a retry after some steps went through stops there too."""
    options = {"version_table_schema": config.attributes["schema"]}
    target = MigrationContext.configure(sync_connection, opts=options).get_current_revision()
    scripts = ScriptDirectory.from_config(config)
    for _ in range(steps):
        if target is None:
            raise RuntimeError(f"cannot step back {steps} revisions: the schema has fewer")
        script = scripts.get_revision(target)
        if script is None or not isinstance(script.down_revision, str | None):
            raise RuntimeError(f"cannot step back {steps} revisions from {target}: it is no single revision's child")
        target = script.down_revision
    return target or "base"


def _upgrade_or_downgrade(sync_connection: Connection, config: Config, revision: str, downgrade: bool) -> None:
    config.attributes["connection"] = sync_connection
    if downgrade:
        command.downgrade(config, revision)
    else:
        command.upgrade(config, revision)


def migrate_main(service: str, migrations_dir: Path, database_url: str) -> None:
    """Entry point of `python -m <service>.migrate [revision]`: exits non-zero with a clear error."""
    revision = sys.argv[1] if len(sys.argv) > 1 else "head"
    try:
        asyncio.run(migrate(database_url, migrations_dir, service, revision))
    except Exception as exc:  # noqa: BLE001 - one clear line for operators, non-zero exit
        print(f"{service}: migration to {revision} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        sys.exit(1)
    print(f"{service}: database schema at {revision}")
