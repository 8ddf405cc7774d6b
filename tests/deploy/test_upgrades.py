"""Specification of the migration discipline: every service's schema upgrades and rolls back without losing data.

Each service's revisions are discovered with Alembic (its own, after the shared `0000_messaging` base), so a new
revision is covered as soon as it exists. Every test starts from the service's schema empty, as the production
bootstrap leaves it, and migrates it with the service's own role.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
import pytest_asyncio
from alembic.script import Script, ScriptDirectory

from shelfspace_kernel.migrations import alembic_config, migrate
from tests.support import infra
from tests.support.fixtures import TestDatabase as Database
from tests.support.fixtures import service_migrations
from tests.support.seeds import catalog
from tests.support.seeds.generic import overrides_for, seed_schema

BASE_REVISION = "0000_messaging"

# Revisions whose downgrade() refuses on purpose (it would have to invent or destroy data), each with the
# reason; the same revision must be called out under "Upgrade notes" in CHANGELOG.md. Nothing else may refuse.
IRREVERSIBLE: dict[str, str] = {}

# Revisions that change existing values on purpose (a backfill, a normalization), with the tables they change:
# there the seeded rows must survive in number, but their values may differ. Nothing else may touch old rows.
REWRITES: dict[str, set[str]] = {}


# --- helpers ----------------------------------------------------------------------------------------------


def revisions(service: str) -> list[Script]:
    """The service's revisions, oldest first, starting with the shared base."""
    scripts = ScriptDirectory.from_config(alembic_config(service_migrations(service), service))
    heads = scripts.get_heads()
    assert len(heads) == 1, f"{service} has {len(heads)} heads {heads}: merge them, `-N` rollbacks need one line"
    return list(reversed(list(scripts.walk_revisions())))


def own_revisions(service: str) -> list[Script]:
    return [script for script in revisions(service) if script.revision != BASE_REVISION]


def all_own_revisions() -> list[tuple[str, Script]]:
    return [(service, script) for service in infra.SERVICES for script in own_revisions(service)]


def downgrade_body(script: Script) -> list[ast.stmt]:
    """downgrade()'s statements, without a docstring, `...` or `pass`."""
    module = ast.parse(Path(script.path).read_text())
    function = next(
        (node for node in module.body if isinstance(node, ast.FunctionDef) and node.name == "downgrade"), None
    )
    assert function is not None, f"{script.path} has no downgrade()"
    return [
        statement
        for statement in function.body
        if not isinstance(statement, ast.Pass)
        and not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant))
    ]


def refusal(body: list[ast.stmt]) -> ast.Raise | None:
    return next((statement for statement in body if isinstance(statement, ast.Raise)), None)


def says_why(statement: ast.Raise) -> bool:
    """`raise SomeError("a message")` (or an f-string): an operator reading the failure learns why."""
    call = statement.exc
    if not isinstance(call, ast.Call) or not call.args:
        return False
    message = call.args[0]
    return isinstance(message, ast.JoinedStr) or (
        isinstance(message, ast.Constant) and isinstance(message.value, str) and message.value.strip() != ""
    )


class Schema:
    """One service's schema in the test database: migrate it and read it as the service's own role."""

    def __init__(self, db: Database, service: str, conn: asyncpg.Connection):
        self.db, self.service, self.conn = db, service, conn

    async def migrate(self, revision: str) -> None:
        await migrate(self.db.service_url(self.service), service_migrations(self.service), self.service, revision)

    async def revision(self) -> str | None:
        return await catalog.current_revision(self.conn, self.service)

    async def tables(self) -> set[str]:
        return await catalog.table_names(self.conn, self.service)

    async def fingerprint(self) -> dict[str, list[str]]:
        return await catalog.fingerprint(self.conn, self.service)

    async def contents(self, seeded: dict[str, list[str]], only: set[str] | None = None) -> dict:
        names = set(seeded) if only is None else only
        return {t: await catalog.content(self.conn, self.service, t, seeded[t]) for t in sorted(names)}

    async def missing_columns(self, seeded: dict[str, list[str]]) -> list[str]:
        """Seeded `table.column`s the schema no longer has: a migration dropped or renamed them."""
        found = await catalog.tables(self.conn, self.service)
        have = {f"{t.name}.{c.name}" for t in found.values() for c in t.columns}
        return sorted(f"{t}.{c}" for t, columns in seeded.items() for c in columns if f"{t}.{c}" not in have)


def comparable(contents: dict, rewritten: set[str]) -> dict:
    """Contents to compare across a migration: only the row count of tables a REWRITES revision changes."""
    return {t: content.count if t in rewritten else content for t, content in contents.items()}


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def upgrade_database(postgres: infra.Postgres) -> AsyncIterator[Database]:
    db = Database(postgres, infra.new_name("shelfspace_upgrade"))
    infra.bootstrap_database(postgres, db.name)
    try:
        yield db
    finally:
        infra.drop_database(postgres, db.name)


@pytest_asyncio.fixture(loop_scope="session")
async def schema(upgrade_database: Database, service: str) -> AsyncIterator[Schema]:
    """`service`'s schema as the bootstrap leaves it (empty, owned by the service's role), opened as that role."""
    admin = await asyncpg.connect(upgrade_database.pg.url(upgrade_database.name))
    try:
        await admin.execute(
            f'DROP SCHEMA IF EXISTS "{service}" CASCADE; CREATE SCHEMA "{service}" AUTHORIZATION "shelfspace_{service}"'
        )
    finally:
        await admin.close()
    url = upgrade_database.service_url(service).replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(url, server_settings={"TimeZone": "UTC"})
    try:
        yield Schema(upgrade_database, service, conn)
    finally:
        await conn.close()


# --- the revisions themselves -----------------------------------------------------------------------------


@pytest.mark.parametrize("service", infra.SERVICES)
def test_each_service_has_one_line_of_revisions_on_the_shared_base(service):
    chain = revisions(service)
    assert chain[0].revision == BASE_REVISION
    assert len(chain) >= 2, f"{service} has no revision of its own"
    for older, newer in itertools.pairwise(chain):
        assert newer.down_revision == older.revision


@pytest.mark.parametrize(("service", "script"), all_own_revisions(), ids=lambda v: getattr(v, "revision", v))
def test_every_revision_can_be_rolled_back_or_says_why_not(service, script):
    body = downgrade_body(script)
    assert body, f"{service} revision {script.revision}: downgrade() does nothing; undo upgrade() or refuse"
    refused = refusal(body)
    if refused is None:
        assert script.revision not in IRREVERSIBLE, f"{script.revision} is allow-listed but its downgrade() works"
        return
    assert script.revision in IRREVERSIBLE, (
        f"{service} revision {script.revision}: downgrade() raises; name it in IRREVERSIBLE with the reason"
    )
    assert says_why(refused), f"{script.revision}: downgrade() must raise with a message saying why"


def test_the_allow_lists_name_only_existing_revisions():
    known = {script.revision for _, script in all_own_revisions()}
    assert set(IRREVERSIBLE) <= known, f"stale IRREVERSIBLE entries: {sorted(set(IRREVERSIBLE) - known)}"
    assert set(REWRITES) <= known, f"stale REWRITES entries: {sorted(set(REWRITES) - known)}"


# --- upgrading and rolling back a database with data in it -------------------------------------------------


@pytest.mark.parametrize("service", infra.SERVICES)
async def test_seeded_rows_survive_an_upgrade_to_head_and_a_one_step_rollback(schema, service):
    own = own_revisions(service)
    first, head = own[0], own[-1]
    rewritten = set().union(*(REWRITES.get(script.revision, set()) for script in own[1:]))
    # Given a database at the service's first revision, with rows in every table
    await schema.migrate(first.down_revision)
    tables_before_first = await schema.tables()
    await schema.migrate(first.revision)
    seeded = await seed_schema(schema.conn, service, overrides_for(service))
    seeded_contents = await schema.contents(seeded)
    assert all(content.count > 0 for content in seeded_contents.values())
    before = comparable(seeded_contents, rewritten)

    # When it is upgraded to head, then every seeded row is still there with the same values
    await schema.migrate("head")
    assert await schema.revision() == head.revision
    assert await schema.missing_columns(seeded) == [], "migrations are additive: nothing seeded may disappear"
    assert comparable(await schema.contents(seeded), rewritten) == before
    at_head = await schema.fingerprint()

    if head.revision in IRREVERSIBLE:
        with pytest.raises(Exception, match=r"\w"):
            await schema.migrate("-1")
        assert await schema.revision() == head.revision
        assert comparable(await schema.contents(seeded), rewritten) == before
        return

    # When it is rolled back one revision
    await schema.migrate("-1")
    # then it is at the previous revision, and every table that existed before the last revision kept its rows
    assert await schema.revision() == head.down_revision
    survivors = set(seeded) if len(own) > 1 else tables_before_first & set(seeded)
    assert (await schema.tables()) & set(seeded) == survivors
    kept = {t: before[t] for t in sorted(survivors)}
    assert comparable(await schema.contents(seeded, only=survivors), rewritten) == kept

    # When it is upgraded to head again, then the schema is the head's again and the rows are still there
    await schema.migrate("head")
    assert await schema.revision() == head.revision
    assert await schema.fingerprint() == at_head
    assert comparable(await schema.contents(seeded, only=survivors), rewritten) == kept


@pytest.mark.parametrize("service", infra.SERVICES)
async def test_upgrading_a_database_already_at_head_changes_nothing(schema, service):
    await schema.migrate("head")
    seeded = await seed_schema(schema.conn, service, overrides_for(service))
    state = (await schema.revision(), await schema.fingerprint(), await schema.contents(seeded))

    await schema.migrate("head")

    assert (await schema.revision(), await schema.fingerprint(), await schema.contents(seeded)) == state


@pytest.mark.parametrize("service", infra.SERVICES)
async def test_each_downgrade_restores_exactly_the_schema_of_the_revision_before(schema, service):
    chain = revisions(service)
    # Given the structure recorded at every revision on the way up
    empty = await schema.fingerprint()
    at = {}
    for script in chain:
        await schema.migrate(script.revision)
        at[script.revision] = await schema.fingerprint()

    # When stepping back down one revision at a time, each step leaves the structure of the revision before
    for script in reversed(chain):
        if script.revision in IRREVERSIBLE:
            with pytest.raises(Exception, match=r"\w"):
                await schema.migrate("-1")
            return
        await schema.migrate("-1")
        assert await schema.revision() == script.down_revision
        assert await schema.fingerprint() == (at[script.down_revision] if script.down_revision else empty)

    # and from nothing the whole line upgrades again to the same head
    await schema.migrate("head")
    assert await schema.fingerprint() == at[chain[-1].revision]
