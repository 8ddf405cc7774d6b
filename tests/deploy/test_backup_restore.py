"""Specification of deploy/backup.sh and deploy/restore.sh against a real Postgres (and RabbitMQ).

A database is bootstrapped and migrated the way production is, seeded in every service schema, backed up,
then restored into dropped, missing, empty and non-empty databases; every table's row count and a checksum
of its content must come back identical.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio

from shelfspace_kernel.migrations import migrate
from tests.support import infra
from tests.support.fixtures import service_migrations

BACKUP = infra.REPO / "deploy" / "backup.sh"
RESTORE = infra.REPO / "deploy" / "restore.sh"
SCHEMAS = (*infra.SERVICES, "extensions")
SEED_ROWS = 25


@dataclass(frozen=True)
class Source:
    name: str
    snapshot: dict[str, tuple[str, str]]
    dump: Path


# --- helpers ----------------------------------------------------------------------------------------------


def psql(pg: infra.Postgres, database: str, sql: str) -> str:
    result = subprocess.run(
        ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", pg.url(database)],
        input=sql,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"psql failed: {result.stderr}"
    return result.stdout.strip()


def run_script(script: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(script), *args], input=stdin, capture_output=True, check=False)


def database_exists(pg: infra.Postgres, database: str) -> bool:
    return psql(pg, "postgres", f"SELECT count(*) FROM pg_database WHERE datname = '{database}'") == "1"


def snapshot(pg: infra.Postgres, database: str) -> dict[str, tuple[str, str]]:
    """Every table's row count and an md5 of all its rows (ordered by their text), plus every sequence."""
    schemas = ", ".join(f"'{schema}'" for schema in SCHEMAS)
    relations = psql(
        pg,
        database,
        f"SELECT n.nspname || '.' || c.relname || ' ' || c.relkind::text FROM pg_class c "
        f"JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'S') AND n.nspname IN ({schemas}) "
        "ORDER BY 1",
    ).splitlines()
    state = {}
    for line in relations:
        relation, kind = line.split()
        schema, name = relation.split(".")
        qualified = f'"{schema}"."{name}"'
        if kind == "S":
            query = f"SELECT last_value::text, is_called::text FROM {qualified}"
        else:
            query = (
                f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM {qualified} t"
            )
        count, checksum = psql(pg, database, query).split("|")
        state[relation] = (count, checksum)
    return state


def seed(pg: infra.Postgres, database: str) -> None:
    """Rows in every service's outbox and inbox (sent and unsent events, several consumers)."""
    for schema in infra.SERVICES:
        psql(
            pg,
            database,
            f"""
            INSERT INTO "{schema}".outbox (id, routing_key, payload, created_at, attempts, sent_at)
            SELECT gen_random_uuid(), '{schema}.thing.created',
                   jsonb_build_object('n', n, 'title', 'Amélie ' || n, 'tags', jsonb_build_array('a', n)),
                   now() - n * interval '1 minute', n % 3,
                   CASE WHEN n % 2 = 0 THEN now() END
            FROM generate_series(1, {SEED_ROWS}) AS n;
            INSERT INTO "{schema}".inbox (consumer, event_id, processed_at)
            SELECT 'consumer-' || (n % 4), gen_random_uuid(), now() - n * interval '1 hour'
            FROM generate_series(1, {SEED_ROWS}) AS n;
            """,
        )


async def create_migrated_database(pg: infra.Postgres, name: str) -> None:
    infra.bootstrap_database(pg, name)
    for service in infra.SERVICES:
        await migrate(pg.service_url(name, service), service_migrations(service), service)


def restore(pg: infra.Postgres, database: str, dump: Path, *extra: str) -> subprocess.CompletedProcess:
    return run_script(RESTORE, "--database-url", pg.url(database), "--input", str(dump), *extra)


@pytest.fixture
def target(postgres: infra.Postgres):
    name = infra.new_name("shelfspace_restore")
    yield name
    infra.drop_database(postgres, name)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def source(postgres: infra.Postgres, tmp_path_factory: pytest.TempPathFactory):
    """A migrated, seeded database and its backup."""
    name = infra.new_name("shelfspace_backup")
    await create_migrated_database(postgres, name)
    try:
        seed(postgres, name)
        dump = tmp_path_factory.mktemp("backup") / "shelfspace.dump"
        result = run_script(BACKUP, "--database-url", postgres.url(name, driver="asyncpg"), "--output", str(dump))
        assert result.returncode == 0, result.stderr.decode()
        yield Source(name, snapshot(postgres, name), dump)
    finally:
        infra.drop_database(postgres, name)


# --- backing up -------------------------------------------------------------------------------------------


def test_the_seeded_database_has_data_in_every_service_schema(source):
    for schema in infra.SERVICES:
        assert source.snapshot[f"{schema}.outbox"][0] == str(SEED_ROWS)
        assert source.snapshot[f"{schema}.inbox"][0] == str(SEED_ROWS)
        assert f"{schema}.alembic_version" in source.snapshot
    assert source.dump.stat().st_size > 0
    assert not source.dump.with_name(source.dump.name + ".partial").exists()


def test_backup_refuses_to_run_without_a_database_url(tmp_path):
    result = run_script(BACKUP, "--output", str(tmp_path / "x.dump"))
    assert result.returncode != 0
    assert b"--database-url is required" in result.stderr
    assert not (tmp_path / "x.dump").exists()


def test_a_failed_backup_leaves_no_file_behind(postgres, tmp_path):
    output = tmp_path / "missing.dump"
    result = run_script(BACKUP, "--database-url", postgres.url("shelfspace_no_such_db"), "--output", str(output))
    assert result.returncode != 0
    assert list(tmp_path.iterdir()) == []


def test_backup_exports_the_rabbitmq_definitions_with_rabbitmqctl(source, postgres, tmp_path):
    assert shutil.which("rabbitmqctl"), "the test environment provides a local RabbitMQ"
    output = tmp_path / "with-broker.dump"
    result = run_script(BACKUP, "--database-url", postgres.url(source.name), "--output", str(output), "--rabbitmqctl")
    assert result.returncode == 0, result.stderr.decode()
    definitions = json.loads(Path(f"{output}.rabbitmq.json").read_text())
    assert {"vhosts", "exchanges", "queues", "bindings"} <= set(definitions)


# --- restoring --------------------------------------------------------------------------------------------


def test_a_dropped_database_comes_back_with_every_row(source, postgres):
    # Given the backup of a seeded database, when the database is dropped and restored from it
    infra.drop_database(postgres, source.name)
    assert not database_exists(postgres, source.name)
    result = restore(postgres, source.name, source.dump)
    # then restore re-created it and every table holds exactly the rows it held
    assert result.returncode == 0, result.stderr.decode()
    assert database_exists(postgres, source.name)
    assert snapshot(postgres, source.name) == source.snapshot


def test_the_services_can_use_a_restored_database_with_their_own_roles(source, postgres, target):
    assert restore(postgres, target, source.dump).returncode == 0
    for service in infra.SERVICES:
        as_service = postgres.url(target, f"shelfspace_{service}", infra.ROLE_PASSWORD)
        result = subprocess.run(
            ["psql", "-X", "-At", "-d", as_service, "-c", "SHOW search_path", "-c", "SELECT count(*) FROM outbox"],
            capture_output=True,
            text=True,
            check=True,
        )
        assert result.stdout.split() == [f"{service},", "extensions", str(SEED_ROWS)]


def test_restore_accepts_a_freshly_bootstrapped_empty_database(source, postgres, target):
    infra.bootstrap_database(postgres, target)
    result = restore(postgres, target, source.dump)
    assert result.returncode == 0, result.stderr.decode()
    assert snapshot(postgres, target) == source.snapshot


def test_restore_refuses_to_overwrite_a_database_that_holds_data(source, postgres, target):
    # Given a database that already holds data
    assert restore(postgres, target, source.dump).returncode == 0
    psql(postgres, target, "DELETE FROM library.outbox WHERE attempts = 0")
    changed = snapshot(postgres, target)
    # when restoring into it without --force
    result = restore(postgres, target, source.dump)
    # then restore refuses, says why, and leaves the data alone
    assert result.returncode != 0
    assert b"is not empty" in result.stderr
    assert b"--force" in result.stderr
    assert snapshot(postgres, target) == changed


def test_restore_with_force_replaces_a_database_that_holds_data(source, postgres, target):
    assert restore(postgres, target, source.dump).returncode == 0
    psql(
        postgres,
        target,
        "DELETE FROM identity.inbox; CREATE TABLE library.stray (id int); INSERT INTO library.stray VALUES (1)",
    )
    result = restore(postgres, target, source.dump, "--force")
    assert result.returncode == 0, result.stderr.decode()
    assert snapshot(postgres, target) == source.snapshot


def test_backup_and_restore_can_stream_through_a_pipe(source, postgres, target):
    # As used under compose: `docker compose exec -T postgres ... --output -` and `--input -`.
    dumped = run_script(BACKUP, "--database-url", postgres.url(source.name), "--output", "-")
    assert dumped.returncode == 0, dumped.stderr.decode()
    restored = run_script(RESTORE, "--database-url", postgres.url(target), "--input", "-", stdin=dumped.stdout)
    assert restored.returncode == 0, restored.stderr.decode()
    assert snapshot(postgres, target) == source.snapshot
