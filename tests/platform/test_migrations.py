"""Migrations: per service, inside its schema, serialized by an advisory lock, failing loudly."""

import asyncio
import subprocess
import sys

import asyncpg
import pytest

from tests.support import infra


@pytest.fixture
async def fresh_database(postgres):
    name = infra.new_name("shelfspace_migrate")
    infra.bootstrap_database(postgres, name)
    yield name
    infra.drop_database(postgres, name)


async def test_racing_migrate_runs_of_every_service_all_succeed_once(postgres, fresh_database):
    """Two migrate processes per service start together, as two replicas or containers would."""
    runs = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            f"{service}.migrate",
            env={"DATABASE_URL": postgres.service_url(fresh_database, service), "PATH": "/usr/bin:/bin"},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for service in infra.SERVICES
        for _ in range(2)
    ]

    exit_codes = [await run.wait() for run in runs]

    assert exit_codes == [0] * len(runs)
    conn = await asyncpg.connect(postgres.url(fresh_database))
    try:
        for service in infra.SERVICES:
            versions = await conn.fetch(f"SELECT version_num FROM {service}.alembic_version")
            assert len(versions) == 1
            assert await conn.fetchval(f"SELECT to_regclass('{service}.outbox') IS NOT NULL")
    finally:
        await conn.close()


def test_a_failing_migration_exits_non_zero_with_a_clear_error(postgres):
    env = {"DATABASE_URL": postgres.service_url("no_such_database_here", "audit"), "PATH": "/usr/bin:/bin"}

    result = subprocess.run(
        [sys.executable, "-m", "audit.migrate"], env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 1
    assert result.stderr.startswith("audit: migration to head failed:")
    assert "Traceback" not in result.stderr
