"""The import upsert's batch key: a batch sent again with its key is answered, not applied again."""

import asyncio
from datetime import timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker

from library.handlers.import_keys import purge_keys_job
from library.migrate import MIGRATIONS
from services.library.tests.test_imports import item, live_titles, outcomes
from shelfspace_kernel.db import create_engine
from shelfspace_kernel.migrations import migrate
from shelfspace_kernel.periodic import run_once
from tests.support import infra


async def send(space, items: list[dict], key: str | None):
    return await space.service.post("/internal/media/import", json={"items": items, "batch_key": key})


async def keyed_import(space, items: list[dict], key: str | None) -> list[dict]:
    response = await send(space, items, key)
    assert response.status_code == 200, response.text
    return response.json()["results"]


def films(prefix: str, count: int) -> list[dict]:
    return [item(f"{prefix}-{n}", f"{prefix} film {n}", year=1950 + n) for n in range(count)]


async def test_a_batch_sent_again_with_its_key_gets_the_first_answer_although_its_titles_now_exist(new_space):
    # given a keyed batch that created two titles
    space = new_space()
    batch = [item("k1", "Ran", year=1985), item("k2", "Ikiru", year=1952)]
    first = await keyed_import(space, batch, "job-1:3")

    # when the same batch is sent again with the same key, even with changed provider data
    again = await keyed_import(space, [item("k1", "Ran", year=1985, overview="Lear."), batch[1]], "job-1:3")

    # then it is answered with the first results and nothing is applied again
    assert outcomes(first) == outcomes(again) == ["created", "created"]
    assert [r["media_id"] for r in again] == [r["media_id"] for r in first]
    titles = await live_titles(space)
    assert sorted(t["title"] for t in titles) == ["Ikiru", "Ran"]
    assert all(t["overview"] is None for t in titles)


async def test_another_key_applies_the_batch_again(new_space):
    space = new_space()
    batch = [item("a1", "Stalker", year=1979)]
    await keyed_import(space, batch, "job-2:1")

    results = await keyed_import(space, batch, "job-2:2")
    unkeyed = await keyed_import(space, batch, None)

    assert outcomes(results) == outcomes(unkeyed) == ["unchanged"]
    assert len(await live_titles(space)) == 1


async def test_two_racing_sends_of_one_key_get_the_same_answer_and_store_each_title_once(new_space):
    space = new_space()
    batch = films("race", 60)

    first, second = await asyncio.gather(keyed_import(space, batch, "job-3:1"), keyed_import(space, batch, "job-3:1"))

    assert first == second
    assert outcomes(first) == ["created"] * 60
    titles = [t["title"] for t in await live_titles(space)]
    assert len(titles) == len(set(titles)) == 60


async def test_a_key_reused_for_other_items_is_refused_and_changes_nothing(new_space):
    space = new_space()
    await keyed_import(space, [item("r1", "Solaris", year=1972)], "job-4:1")

    response = await send(space, [item("r2", "Mirror", year=1975)], "job-4:1")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "batch_key_reused"
    assert [t["title"] for t in await live_titles(space)] == ["Solaris"]


async def test_a_key_belongs_to_one_space(new_space):
    one, other = new_space(), new_space()
    batch = [item("s1", "Tampopo", year=1985)]
    await keyed_import(one, batch, "same-key")

    results = await keyed_import(other, batch, "same-key")

    assert outcomes(results) == ["created"]
    assert len(await live_titles(other)) == 1


async def test_a_key_longer_than_200_characters_is_refused(new_space):
    space = new_space()

    response = await send(space, [item("l1", "Long", year=2000)], "k" * 201)

    assert response.status_code == 422


async def test_the_purge_forgets_keys_past_their_retention_so_the_batch_applies_again(new_space, library_db):
    # given a key stored 8 days ago and one stored now
    space = new_space()
    batch, recent = [item("p1", "Paprika", year=2006)], [item("p2", "Perfect Blue", year=1997)]
    await keyed_import(space, batch, "old-key")
    await keyed_import(space, recent, "new-key")
    async with library_db.begin() as conn:
        await conn.execute(
            text(
                "UPDATE import_batches SET created_at = now() - interval '8 days'"
                " WHERE space_id = :space_id AND batch_key = 'old-key'"
            ),
            {"space_id": space.id},
        )

    # when the purge job runs with a 7-day retention
    ran = await run_once(async_sessionmaker(library_db), purge_keys_job(timedelta(days=7), 3600, 100))

    # then the old key is forgotten (its batch applies again) and the recent one still answers
    assert ran
    assert outcomes(await keyed_import(space, batch, "old-key")) == ["unchanged"]
    assert outcomes(await keyed_import(space, recent, "new-key")) == ["created"]


def _undoing(revision: str) -> str:
    """The relative downgrade from head that undoes this revision (and the ones after it)."""
    return f"-{sum(1 for path in (MIGRATIONS / 'versions').glob('0*.py') if path.stem >= revision)}"


async def _schema_states(url: str) -> list[bool]:
    """Whether `import_batches` exists at head, below its revision, and at head again."""
    states = []
    for revision in ("head", _undoing("0003_import_batches"), "head"):
        await migrate(url, MIGRATIONS, "library", revision)
        engine = create_engine(url, "library", pool_size=2)
        async with engine.connect() as conn:
            states.append(await conn.scalar(text("SELECT to_regclass('library.import_batches') IS NOT NULL")))
        await engine.dispose()
    return states


async def test_the_import_keys_migration_downgrades_and_upgrades_again(postgres):
    name = infra.new_name("shelfspace_test_library_keys")
    infra.bootstrap_database(postgres, name)
    try:
        states = await _schema_states(postgres.service_url(name, "library"))
    finally:
        infra.drop_database(postgres, name)

    assert states == [True, False, True]
