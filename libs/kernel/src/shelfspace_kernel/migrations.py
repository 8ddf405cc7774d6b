"""Alembic per service: version table inside the service's schema, one run at a time.

`migrate()` holds a session-level advisory lock on the same connection that runs the migrations,
so two migrate runs cannot race and the lock is never released on another pooled connection.
"""

import asyncio
import os
import sys
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, text
from sqlalchemy.ext.asyncio import create_async_engine
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
        connect_args={"timeout": 10, "server_settings": {"search_path": schema_search_path(schema)}},
    )
    config = alembic_config(migrations_dir, schema)
    key = advisory_key(f"shelfspace.migrate.{schema}")
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
            await conn.commit()
            try:
                await conn.run_sync(_upgrade_or_downgrade, config, revision)
                await conn.commit()
            finally:
                await conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                await conn.commit()
    finally:
        await engine.dispose()


def _upgrade_or_downgrade(sync_connection, config: Config, revision: str) -> None:
    config.attributes["connection"] = sync_connection
    if revision.startswith("-") or revision == "base":
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
