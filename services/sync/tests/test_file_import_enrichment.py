"""TMDB ids for a file import's rows without ids (the `enrich` option), through the gateway with the
real worker and a fake TMDB; and a dry run that counts exactly what the real run then does."""

import time
from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI, Request

from services.sync.tests import file_samples as samples
from services.sync.tests.fakes import FAST
from services.sync.tests.file_uploads import errors_csv, finished, imported, title_count, titles, upload
from sync.worker import Worker
from tests.fakes.tmdb import FakeTmdb
from tests.support.identity import signed_in
from tests.support.sync_worker import WorkerProcess

TMDB_KEY = "0123456789abcdef0123456789abcdef"
HEADER = ["Title", "Year", "Format"]


class TimedTmdb(FakeTmdb):
    """The fake TMDB, noting when each search arrived."""

    def __init__(self) -> None:
        super().__init__(api_key=TMDB_KEY)
        self.searched_at: list[float] = []

    def routes(self, app: FastAPI) -> None:
        super().routes(app)

        @app.middleware("http")
        async def timed(request: Request, call_next):  # type: ignore[no-untyped-def]
            if request.url.path.startswith("/3/search/"):
                self.searched_at.append(time.monotonic())
            return await call_next(request)

    def searches(self) -> int:
        return len(self.requests_to("/3/search/"))


@pytest.fixture
async def tmdb() -> AsyncIterator[TimedTmdb]:
    async with TimedTmdb() as server:
        server.add_movie(949, "Heat", release_date="1995-12-15")
        server.add_movie(348, "Alien", release_date="1979-05-25")
        # Two films called "Crash" from 2004 (a TV film and the Haggis film): no confident match.
        server.add_movie(1640, "Crash", release_date="2004-09-10")
        server.add_movie(50001, "Crash", release_date="2004-03-01")
        server.add_movie(194, "Amélie", release_date="2001-04-25", original_title="Le Fabuleux Destin d'Amélie Poulain")
        server.add_show(1396, "Breaking Bad", first_air_date="2008-01-20")
        yield server


async def with_tmdb(owner, tmdb: FakeTmdb) -> None:
    space_id = (await owner.me())["active_space"]["id"]
    path = f"/api/spaces/{space_id}/integrations/tmdb"
    saved = await owner.client.put(path, json={"base_url": tmdb.base_url, "token": TMDB_KEY})
    assert saved.status_code == 200, saved.text


def rows_file(rows: list[list[object]]) -> str:
    return samples.table(HEADER, rows)


async def by_title(client) -> dict[str, dict]:
    return {(title["title"], title["year"]): title for title in await titles(client)}


async def test_rows_without_ids_get_the_id_of_a_confident_tmdb_match(system, worker, tmdb):
    content = rows_file([["Heat", 1995, "DVD"], ["Alien", 1979, "Blu-ray"], ["Crash", 2004, "DVD"], ["Nowhere", 2001, "DVD"], ["Heat", "", "DVD"]])  # fmt: skip
    async with signed_in(system) as owner:
        await with_tmdb(owner, tmdb)
        preview = (await upload(owner.client, content, preview=True)).json()
        job = await imported(owner.client, content, enrich=True)
        stored = await by_title(owner.client)
        errors = {row["row"]: row for row in await errors_csv(owner.client, job["id"])}

    assert preview["tmdb_configured"] is True
    assert job["status"] == "succeeded", job
    assert job["summary"]["created"] == 5
    assert job["report"] == {"enriched": 2, "not_enriched": 3}
    assert stored[("Heat", 1995)]["tmdb_id"] == 949
    assert stored[("Alien", 1979)]["tmdb_id"] == 348
    assert stored[("Crash", 2004)]["tmdb_id"] is None
    assert errors["4"]["outcome"] == "created"
    assert errors["4"]["reason"] == "not enriched: 2 TMDB titles are “Crash” from 2004."
    assert errors["5"]["reason"] == "not enriched: TMDB has no “Nowhere” from 2001."
    assert errors["6"]["reason"] == "not enriched: the row has no year to match on."
    assert set(errors) == {"4", "5", "6"}
    # The year-less row was not asked about; the others once each.
    assert tmdb.searches() == 4


async def test_without_the_option_nothing_is_asked_and_rows_keep_no_ids(system, worker, tmdb):
    async with signed_in(system) as owner:
        await with_tmdb(owner, tmdb)
        job = await imported(owner.client, rows_file([["Heat", 1995, "DVD"]]))
        stored = await by_title(owner.client)

    assert job["summary"]["created"] == 1
    assert job["report"] is None
    assert stored[("Heat", 1995)]["tmdb_id"] is None
    assert tmdb.searches() == 0


async def test_an_enriched_title_dedupes_by_tmdb_id_so_a_reimport_creates_nothing(system, worker, tmdb):
    first_file = rows_file([["Le Fabuleux Destin d'Amélie Poulain", 2001, "DVD"], ["Alien", 1979, "DVD"]])
    # Amélie under its English title: only the TMDB id says it is the same title.
    with_ids = samples.table(["Title", "Year", "Format", "TMDB ID"], [["Amélie", 2001, "DVD", 194], ["Alien", 1979, "DVD", 348]])  # fmt: skip
    async with signed_in(system) as owner:
        await with_tmdb(owner, tmdb)
        first = await imported(owner.client, first_file, enrich=True)
        again = await imported(owner.client, first_file, enrich=True)
        by_id = await imported(owner.client, with_ids)
        count = await title_count(owner.client)

    assert first["summary"]["created"] == 2
    assert (again["summary"]["created"], again["summary"]["updated"], again["summary"]["skipped"]) == (0, 0, 2)
    assert by_id["summary"]["created"] == 0
    assert count == 2


async def test_tmdb_not_configured_or_down_imports_every_row_without_ids(system, worker, tmdb):
    content = rows_file([["Heat", 1995, "DVD"], ["Alien", 1979, "DVD"]])
    async with signed_in(system) as owner:
        preview = (await upload(owner.client, content, preview=True)).json()
        unset = await imported(owner.client, content, enrich=True)
        unset_errors = await errors_csv(owner.client, unset["id"])
    async with signed_in(system) as other:
        await with_tmdb(other, tmdb)
        tmdb.fail_next(503, times=50, path="/3/search/")
        down = await imported(other.client, content, enrich=True)
        down_errors = await errors_csv(other.client, down["id"])
        stored = await by_title(other.client)

    assert preview["tmdb_configured"] is False
    assert (unset["status"], unset["summary"]["created"]) == ("succeeded", 2)
    assert unset["report"] == {"enriched": 0, "not_enriched": 2}
    assert {row["reason"] for row in unset_errors} == {"not enriched: TMDB is not set up for this space."}
    assert (down["status"], down["summary"]["created"], down["summary"]["failed"]) == ("succeeded", 2, 0)
    assert down["report"] == {"enriched": 0, "not_enriched": 2}
    assert all(row["reason"].startswith("not enriched: ") for row in down_errors), down_errors
    assert len(down_errors) == 2
    assert stored[("Heat", 1995)]["tmdb_id"] is None


async def test_lookups_keep_to_the_jobs_rate(system, tmdb):
    rate, rows = 5.0, 16
    settings = system.services["sync"].app.state.settings.model_copy(update={**FAST, "tmdb_enrich_per_second": rate})
    content = rows_file([[f"Paced {n}", 2000, "DVD"] for n in range(rows)])
    worker = await Worker(settings).start()
    try:
        async with signed_in(system) as owner:
            await with_tmdb(owner, tmdb)
            job = await imported(owner.client, content, enrich=True)
    finally:
        await worker.stop(grace_seconds=2)

    assert job["report"] == {"enriched": 0, "not_enriched": rows}
    times = tmdb.searched_at
    assert len(times) == rows
    # Sync starts them 1/rate apart, so the whole run takes its paced time. On the way through
    # integrations a loaded machine may hold a few back and let them arrive together, so a second at
    # TMDB is only bounded loosely (without pacing, all 16 would arrive within one).
    busiest = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
    assert busiest <= 2 * rate, times
    assert times[-1] - times[0] >= (rows - 1) / rate - 0.3, times


async def test_a_worker_killed_mid_enrichment_resumes_without_asking_again(system, tmdb):
    rows = 120
    for n in range(rows):
        tmdb.add_movie(70000 + n, f"Resumed {n}", release_date="2010-01-01")
    settings = system.services["sync"].app.state.settings.model_copy(
        update={**FAST, "file_batch_size": 10, "tmdb_enrich_per_second": 40}
    )
    process = WorkerProcess(settings)
    async with signed_in(system) as owner:
        await with_tmdb(owner, tmdb)
        tmdb.reset()
        response = await upload(
            owner.client, rows_file([[f"Resumed {n}", 2010, "DVD"] for n in range(rows)]), enrich=True
        )
        assert response.status_code == 202, response.text
        job_id = response.json()["job"]["id"]
        try:
            process.start()
            await finished(owner.client, job_id, until=lambda job: tmdb.searches() >= 35)
            process.kill()
            process.start()
            job = await finished(owner.client, job_id, timeout=180)
        finally:
            process.stop()
        stored = await titles(owner.client)

    assert job["status"] == "succeeded", job
    assert (job["summary"]["created"], job["summary"]["updated"], job["summary"]["failed"]) == (rows, 0, 0)
    assert job["report"] == {"enriched": rows, "not_enriched": 0}
    assert sorted(title["tmdb_id"] for title in stored) == [70000 + n for n in range(rows)]
    # Only look-ups in flight when the worker died (at most 4) may have been asked twice.
    assert rows <= tmdb.searches() <= rows + 4


async def small_pages_worker(system) -> Worker:
    settings = system.services["sync"].app.state.settings.model_copy(update={**FAST, "file_batch_size": 2})
    return await Worker(settings).start()


async def test_a_dry_run_counts_a_title_repeated_on_a_later_page_as_the_real_run_does(system):
    # Pages of two rows: Heat is on page 1 and again on page 3 (the same row, and on another format);
    # the Crash of page 4 is another film than page 1's (their TMDB ids differ), so it is a new title.
    content = samples.table(
        ["Title", "Year", "Format", "TMDB ID"],
        [["Heat", 1995, "DVD", ""], ["Crash", 2004, "DVD", 1640], ["Ran", 1985, "DVD", ""], ["Ikiru", 1952, "DVD", ""], ["Heat", 1995, "DVD", ""], ["Heat", 1995, "Blu-ray", ""], ["Crash", 2004, "DVD", 50001]],
    )  # fmt: skip
    worker = await small_pages_worker(system)
    try:
        async with signed_in(system) as owner:
            dry = await imported(owner.client, content, dry_run=True)
            assert await title_count(owner.client) == 0
            real = await imported(owner.client, content)
    finally:
        await worker.stop(grace_seconds=2)

    counts = lambda job: {k: job["summary"][k] for k in ("created", "updated", "skipped", "failed")}  # noqa: E731
    assert counts(real) == {"created": 5, "updated": 1, "skipped": 1, "failed": 0}
    assert counts(dry) == counts(real)


async def test_a_dry_run_with_enrichment_reports_the_enriched_rows_and_the_real_numbers(system, tmdb):
    # Row 2 has Amélie's TMDB id; row 5 names it by its original title and is matched to it through TMDB.
    content = samples.table(
        ["Title", "Year", "Format", "TMDB ID"],
        [["Amélie", 2001, "DVD", 194], ["Alien", 1979, "DVD", ""], ["Ran", 1985, "DVD", ""], ["Le Fabuleux Destin d'Amélie Poulain", 2001, "Blu-ray", ""]],
    )  # fmt: skip
    worker = await small_pages_worker(system)
    try:
        async with signed_in(system) as owner:
            await with_tmdb(owner, tmdb)
            dry = await imported(owner.client, content, dry_run=True, enrich=True)
            real = await imported(owner.client, content, enrich=True)
    finally:
        await worker.stop(grace_seconds=2)

    counts = lambda job: {k: job["summary"][k] for k in ("created", "updated", "skipped", "failed")}  # noqa: E731
    assert counts(real) == {"created": 3, "updated": 1, "skipped": 0, "failed": 0}
    assert counts(dry) == counts(real)
    assert dry["report"] == real["report"] == {"enriched": 2, "not_enriched": 1}


async def test_an_enrich_value_that_is_not_a_yes_or_no_is_refused_and_nothing_starts(system):
    async with signed_in(system) as owner:
        response = await upload(owner.client, rows_file([["Heat", 1995, "DVD"]]), enrich="sometimes")
        jobs = (await owner.client.get("/api/sync-jobs")).json()

    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"][0]["field"] == "enrich"
    assert jobs["total"] == 0
