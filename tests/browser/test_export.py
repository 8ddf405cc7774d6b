"""Exporting a space from the web app: CSV from the library's menu, JSON from the space's Export page,
and no export for a viewer."""

import csv
import io
import json

from playwright.async_api import expect

from tests.browser.conftest import downloaded, screenshot


async def add_title(account, **fields) -> dict:
    response = await account.client.post("/api/media", json={"media_type": "movie", **fields})
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_member_exports_the_space_as_csv_from_the_library(team):
    await add_title(
        team.space.member, title="Stalker", year=1979, copies=[{"format": "Blu-ray", "location": "Shelf K"}]
    )
    page = await team.page("member", "/")

    await page.get_by_role("main").locator("summary", has_text="Export").click()  # opens the menu
    await screenshot(page, "export-menu")
    name, text = await downloaded(page, page.get_by_role("link", name="Export as CSV"))

    assert name.endswith(".csv"), name
    rows = list(csv.DictReader(io.StringIO(text)))
    stalker = [row for row in rows if "Stalker" in row.values()]
    assert len(stalker) == 1, rows
    assert "Shelf K" in stalker[0].values()
    await page.close()


async def test_an_owner_exports_the_space_as_json_from_the_space_pages(team):
    await add_title(team.space.owner, title="Mirror", year=1975, copies=[{"format": "DVD"}])
    page = await team.page("owner", "/")

    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Export", exact=True).click()
    await expect(page.get_by_role("heading", name="Export", exact=True)).to_be_visible()
    name, text = await downloaded(page, page.get_by_role("main").get_by_role("link", name="Export as JSON"))

    assert name.endswith(".json"), name
    document = json.loads(text)
    assert document["format_version"] >= 1
    mirror = [title for title in document["titles"] if title["title"] == "Mirror"]
    assert [(t["year"], [c["format"] for c in t["copies"]]) for t in mirror] == [(1975, ["DVD"])]
    await page.close()


async def test_a_viewer_is_offered_no_export(team):
    page = await team.page("viewer", "/")
    await expect(page.get_by_role("heading", name="Library")).to_be_visible()

    await expect(page.get_by_text("Export", exact=True)).to_have_count(0)
    await page.goto(team.web + "/space/export")
    await expect(page.get_by_role("alert")).to_contain_text("Only members, admins and owners of this space can export")
    await page.close()
