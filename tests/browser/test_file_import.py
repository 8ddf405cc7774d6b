"""Importing a file from the Import page: the preview with its column mapping, a dry run that writes
nothing, the import's progress and summary, the download of the rows not imported, a refused file."""

import re
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Locator, Page, expect

from tests.browser.conftest import TMDB_KEY, configure, downloaded, screenshot, signed_in_context
from tests.support.identity import Account, new_user

# A spreadsheet saved by a German Excel: Windows-1252, semicolons; "Jahr" and "Regal" are names the
# import does not know, so the owner maps them by hand.
SPREADSHEET = (
    "Film;Jahr;Regal;Format;Status\r\n"
    "Heat;1995;Regal A;Blu-ray;owned\r\n"
    "Amélie;2001;Regal B;DVD;owned\r\n"
    ";2004;Regal C;DVD;owned\r\n"
    "Dune;2021;;4K UHD;wish list\r\n"
).encode("cp1252")
EXPECTED = {"Created": 2, "Updated": 0, "Skipped": 1, "Failed": 1}


@pytest.fixture
async def importer(system) -> AsyncIterator[Account]:
    """The owner of a new, empty space of their own."""
    account = await new_user(system, name="File Importer")
    yield account
    await account.aclose()


def summary_value(panel: Locator, summary: str, term: str) -> Locator:
    return panel.get_by_label(summary).locator(f"dt:text-is('{term}') + dd")


async def choose_file(page: Page, name: str, content: bytes, mime: str = "text/csv") -> Locator:
    section = page.get_by_role("region", name="Import from a file")
    await section.get_by_label("File to import").set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": content}]
    )
    return section


async def titles_in_space(account: Account) -> list[dict]:
    response = await account.client.get("/api/media", params={"sort": "title"})
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def test_an_owner_maps_a_spreadsheet_tries_a_dry_run_then_imports_it_and_downloads_the_rows_left_out(
    importer: Account, sync_worker, browser, web
):
    context = await signed_in_context(browser, web, importer.email, importer.password)
    page = await context.new_page()
    await page.goto(web + "/import")
    section = await choose_file(page, "films.csv", SPREADSHEET)

    # The server reads the file and proposes a mapping for the columns it recognises.
    preview = section.get_by_role("region", name="Preview")
    await expect(preview.get_by_test_id("preview-preset")).to_have_text("Spreadsheet (CSV)")
    await expect(preview).to_contain_text("4 rows")
    await expect(preview).to_contain_text("separated by semicolons")
    await expect(preview.get_by_label("Field for column Film")).to_have_value("title")
    await expect(preview.get_by_label("Field for column Status")).to_have_value("collection_status")
    await expect(preview.get_by_label("Field for column Jahr")).to_have_value("")

    # The owner maps the two it does not know and sees the first rows as that mapping reads them.
    await preview.get_by_label("Field for column Jahr").select_option("year")
    await preview.get_by_label("Field for column Regal").select_option("location")
    await preview.get_by_role("button", name="Show the rows with this mapping").click()
    rows = preview.get_by_role("table", name="First rows as read").locator("tbody tr")
    await expect(rows).to_have_count(4)
    await expect(rows.nth(0)).to_contain_text("Regal A")
    await expect(rows.nth(0)).to_contain_text("1995")
    await expect(rows.nth(1)).to_contain_text("Amélie")
    await expect(rows.nth(2)).to_contain_text("Fails: The row has no title.")
    await expect(rows.nth(3)).to_contain_text("Skipped: Not in the collection")
    await preview.evaluate("element => element.scrollIntoView()")
    await screenshot(page, "import-file-preview")

    # A dry run gives the numbers and writes nothing.
    await preview.get_by_role("button", name="Dry run", exact=True).click()
    dry_run = section.get_by_role("region", name="Dry run", exact=True)
    await expect(dry_run.get_by_test_id("job-status")).to_have_text("Finished", timeout=60_000)
    for term, count in EXPECTED.items():
        await expect(summary_value(dry_run, "Dry run summary", term)).to_have_text(str(count))
    assert await titles_in_space(importer) == []

    # The import runs with the same mapping and ends with the same numbers.
    await preview.get_by_role("button", name="Import", exact=True).click()
    imported = section.get_by_role("region", name="File import", exact=True)
    await expect(imported.get_by_test_id("job-status")).to_have_text("Finished", timeout=60_000)
    for term, count in EXPECTED.items():
        await expect(summary_value(imported, "Import summary", term)).to_have_text(str(count))
    await imported.evaluate("element => element.scrollIntoView()")
    await screenshot(page, "import-file-summary")

    # The rows left out come as a CSV, each with its reason.
    link = imported.get_by_role("link", name="Download the rows that were not imported (CSV)")
    _, text = await downloaded(page, link)
    assert "The row has no title." in text
    assert re.search(r"Dune.*Not in the collection", text), text

    # The job is in the history, and the library holds the two titles with their mapped values.
    history = page.get_by_role("table", name="Import jobs").locator("tbody tr").filter(has_text="file import")
    await expect(history.first).to_contain_text("2 created, 0 updated, 1 skipped, 1 failed")
    await imported.get_by_role("link", name="Open the library").click()
    await expect(page.locator("#result-count")).to_have_text("2 titles")
    await context.close()
    stored = {title["title"]: title for title in await titles_in_space(importer)}
    assert sorted(stored) == ["Amélie", "Heat"]
    assert stored["Heat"]["year"] == 1995
    assert [(c["format"], c["location"]) for c in stored["Heat"]["copies"]] == [("Blu-ray", "Regal A")]


async def test_a_zip_archive_is_refused_with_the_servers_reason_and_nothing_is_offered_to_import(
    importer: Account, browser, web
):
    context = await signed_in_context(browser, web, importer.email, importer.password)
    page = await context.new_page()
    await page.goto(web + "/import")

    section = await choose_file(page, "films.zip", b"PK\x03\x04" + bytes(200), "application/zip")

    refusal = section.get_by_role("alert")
    await expect(refusal).to_contain_text("This file cannot be imported.")
    await expect(refusal).to_contain_text("zip archive")
    await expect(section.get_by_role("button", name="Import", exact=True)).to_have_count(0)
    await context.close()


async def test_with_tmdb_set_up_the_owner_looks_up_missing_ids_and_the_dry_run_counts_them(
    importer: Account, sync_worker, browser, web, providers
):
    providers.tmdb.add_movie(2000949, "Heat Wave Test", release_date="1995-12-15")
    space_id = (await importer.me())["active_space"]["id"]
    context = await signed_in_context(browser, web, importer.email, importer.password)
    page = await context.new_page()
    await page.goto(web + "/import")
    content = b"Title,Year\r\nHeat Wave Test,1995\r\nNo Such Film Anywhere,1999\r\n"

    # Without TMDB in the space's settings there is nothing to offer.
    section = await choose_file(page, "films.csv", content)
    preview = section.get_by_role("region", name="Preview")
    await expect(preview).to_contain_text("2 rows")
    await expect(preview.get_by_label("Look up missing TMDB ids")).to_have_count(0)

    await configure(importer, space_id, "tmdb", base_url=providers.tmdb.base_url, token=TMDB_KEY)
    await page.reload()
    section = await choose_file(page, "films.csv", content)
    preview = section.get_by_role("region", name="Preview")
    await preview.get_by_label("Look up missing TMDB ids").check()
    await preview.get_by_role("button", name="Dry run", exact=True).click()
    dry_run = section.get_by_role("region", name="Dry run", exact=True)
    await expect(summary_value(dry_run, "Dry run summary", "Created")).to_have_text("2")
    await expect(dry_run).to_contain_text("TMDB ids found: 1")
    await expect(dry_run).to_contain_text("Left without a TMDB id: 1")
