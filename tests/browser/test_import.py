"""Importing a Plex library from the Import page: sections, live progress, the summary, history, schedules."""

import asyncio
import re
from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI, Request
from playwright.async_api import Locator, expect

from tests.browser.conftest import PLEX_TOKEN, configure, screenshot, signed_in_context
from tests.browser.harness import DESKTOP, PHONE
from tests.fakes.plex import FakePlex
from tests.support.identity import Account, new_user

MOVIES, FOUR_K = 200, 100  # items in the two sections; "Heat" is in both


class HeldPlex(FakePlex):
    """A fake Plex whose reads of one section wait until the test lets them through."""

    def __init__(self, held_section: str, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(**kwargs)
        self.held_section = held_section
        self.released = asyncio.Event()

    def routes(self, app: FastAPI) -> None:
        super().routes(app)

        @app.middleware("http")
        async def hold(request: Request, call_next):  # type: ignore[no-untyped-def]
            page_read = int(request.headers.get("x-plex-container-size") or 0) > 1  # not the 1-item count
            if request.url.path == f"/library/sections/{self.held_section}/all" and page_read:
                await self.released.wait()
            return await call_next(request)


@pytest.fixture
async def plex() -> AsyncIterator[HeldPlex]:
    """Movies (200) and 4K Movies (100): one film in both, one item without a title, one TMDB id
    the library cannot store. The 4K section is held until the test releases it."""
    server = HeldPlex("2", token=PLEX_TOKEN)
    server.add_section("1", "Movies", "movie")
    server.add_section("2", "4K Movies", "movie")
    server.add_movie("1", "Heat", year=1995, guids=["tmdb://949"], resolution="1080")
    server.add_movie("1", "")  # Plex lists it, but without a title there is nothing to import
    for n in range(MOVIES - 2):
        server.add_movie("1", f"Imported Film {n:03d}", year=1950 + n % 70, guids=[f"tmdb://{700_000 + n}"])
    server.add_movie("2", "Heat", year=1995, guids=["tmdb://949"], resolution="4k")
    server.add_movie("2", "Broken Reel", year=2001, guids=["tmdb://3000000000"])  # an id too large to store
    for n in range(FOUR_K - 2):
        server.add_movie("2", f"Remastered Film {n:03d}", year=1990 + n % 30, guids=[f"tmdb://{800_000 + n}"])
    await server.start()
    try:
        yield server
    finally:
        server.released.set()
        await server.stop()


@pytest.fixture
async def importer(system) -> AsyncIterator[Account]:
    """The owner of a new space of their own."""
    account = await new_user(system, name="Importer")
    yield account
    await account.aclose()


def summary_value(report: Locator, term: str) -> Locator:
    return report.get_by_label("Import summary").locator(f"dt:text-is('{term}') + dd")


async def test_an_owner_imports_two_plex_sections_and_follows_the_progress_to_the_summary(
    importer: Account, plex: HeldPlex, sync_worker, browser, web
):
    space_id = (await importer.me())["active_space"]["id"]
    await configure(importer, space_id, "plex", base_url=plex.url, token=PLEX_TOKEN)
    context = await signed_in_context(browser, web, importer.email, importer.password)
    page = await context.new_page()
    await page.goto(web + "/")
    await page.get_by_role("link", name="Import", exact=True).click()
    await expect(page.get_by_role("heading", name="Import", exact=True)).to_be_visible()

    # The owner asks the server for its sections and picks both.
    await page.get_by_role("button", name="Find sections").click()
    for section in ("Movies", "4K Movies"):
        await page.get_by_role("checkbox", name=re.compile(f"^{section} ")).check()
    await page.get_by_role("button", name="Start import").click()

    # While the 4K section is held, the page shows the first section done and the job still running.
    current = page.get_by_role("region", name="Current import")
    await expect(current.get_by_test_id("job-status")).to_have_text("Running")
    await expect(current.get_by_text(f"{MOVIES} of {MOVIES + FOUR_K}")).to_be_visible(timeout=60_000)
    await expect(current.get_by_role("progressbar", name="Import progress")).to_have_attribute("value", str(MOVIES))
    plex.released.set()

    # Then the summary: every item counted once, and the one that failed with its reason.
    await expect(current.get_by_test_id("job-status")).to_have_text("Finished", timeout=60_000)
    await expect(current.get_by_role("progressbar")).to_have_count(0)
    expected = {"Created": MOVIES + FOUR_K - 3, "Updated": 1, "Skipped": 1, "Failed": 1}
    for term, count in expected.items():
        await expect(summary_value(current, term)).to_have_text(str(count))
    failures = current.get_by_role("table", name="Items that were not imported").locator("tbody tr")
    await expect(failures).to_have_count(1)
    await expect(failures.first).to_contain_text("Broken Reel (2001)")
    await expect(failures.first).to_contain_text("could not be stored")
    await screenshot(page, "import")

    # The job is in the history with the same counts.
    history = page.get_by_role("table", name="Import jobs").locator("tbody tr")
    await expect(history).to_have_count(1)
    await expect(history.first).to_contain_text("Finished")
    await expect(history.first).to_contain_text(f"{expected['Created']} created, 1 updated, 1 skipped, 1 failed")

    # The sync status names where each provider stands, and opens Plex's last job.
    status = page.get_by_role("table", name="Sync status")
    await expect(status.get_by_role("row", name=re.compile("^Plex"))).to_contain_text("Up to date")
    await expect(status.get_by_role("row", name=re.compile("^Plex"))).to_contain_text("import · Finished")
    await expect(status.get_by_role("row", name=re.compile("^Trakt"))).to_contain_text("Never run")
    await status.get_by_role("button", name="Open job of Plex").click()
    details = page.get_by_role("region", name="Job details")
    await expect(details).to_be_focused()
    await expect(summary_value(details, "Created")).to_have_text(str(expected["Created"]))
    await status.scroll_into_view_if_needed()
    await screenshot(page, "sync-status")

    # On a phone its rows are cards that keep the job link on screen, with no sideways scrolling.
    await page.set_viewport_size(PHONE)
    open_job = status.get_by_role("button", name="Open job of Plex")
    await open_job.scroll_into_view_if_needed()
    await expect(open_job).to_be_in_viewport(ratio=1)
    assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    await page.set_viewport_size(DESKTOP)

    # And the library holds the titles, "Heat" once with both copies.
    await current.get_by_role("link", name="Open the library").click()
    await expect(page.locator("#result-count")).to_have_text(f"{expected['Created']} titles")
    await context.close()
    heat = (await importer.client.get("/api/media", params={"q": "Heat"})).json()["items"]
    assert [(title["title"], len(title["copies"])) for title in heat] == [("Heat", 2)]


async def test_an_owner_saves_an_import_schedule_that_stays_after_a_reload(importer: Account, browser, web):
    context = await signed_in_context(browser, web, importer.email, importer.password)
    page = await context.new_page()
    await page.goto(web + "/import")
    schedule = page.get_by_role("group", name="plex import")

    await schedule.get_by_label("Run automatically").check()
    await schedule.get_by_label("Every (minutes)").fill("720")
    await page.get_by_role("button", name="Save schedules").click()
    await expect(page.get_by_role("status").filter(has_text="Schedules saved.")).to_be_visible()

    await page.reload()
    schedule = page.get_by_role("group", name="plex import")
    await expect(schedule.get_by_label("Run automatically")).to_be_checked()
    await expect(schedule.get_by_label("Every (minutes)")).to_have_value("720")
    await expect(schedule.get_by_text(re.compile(r"^Next run: (?!off)"))).to_be_visible()
    await context.close()
