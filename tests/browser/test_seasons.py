"""A show's seasons in the browser: recorded by hand on the title page, a box set's copy holding some
of them, "Owned 3 of 5 seasons" on the page and on its library card, and the incomplete-shows filter;
on a desktop and at phone width."""

import uuid

from playwright.async_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.harness import PHONE


async def _show(team, name: str) -> dict:
    body = {"title": name, "media_type": "tv_series", "year": 2002}
    response = await team.space.member.client.post("/api/media", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def _record_five_seasons(page: Page) -> None:
    await page.get_by_role("button", name="Edit seasons").click()
    form = page.get_by_role("form", name="Edit seasons")
    for _ in range(5):
        await form.get_by_role("button", name="Add a season").click()
    await form.get_by_role("listitem", name="Season row 1").get_by_label("Year").fill("2002")
    await form.get_by_role("listitem", name="Season row 1").get_by_label("Name").fill("The Detail")
    await form.get_by_role("button", name="Save seasons").click()
    await expect(page.get_by_role("table", name="Seasons").get_by_role("row")).to_have_count(6)
    await expect(page.get_by_role("rowheader", name="The Detail")).to_be_visible()


async def _add_a_box_set_of_seasons_1_to_3(page: Page) -> None:
    await page.get_by_role("button", name="Add a copy").click()
    form = page.get_by_role("form", name="Add copy")
    await form.get_by_label("Edition").fill("Seasons 1-3 box")
    for name in ("The Detail", "Season 2", "Season 3"):
        await form.get_by_role("checkbox", name=name).check()
    await form.get_by_role("button", name="Add copy").click()
    await expect(page.get_by_text("Seasons 1\u20133 \u00b7 Seasons 1-3 box")).to_be_visible()  # an en dash


async def test_a_member_records_a_show_s_seasons_and_a_box_set_holding_three(team):
    show = await _show(team, f"The Wire {uuid.uuid4().hex[:4]}")
    page = await team.page("member", f"/titles/{show['id']}")

    await expect(page.get_by_text("No seasons recorded")).to_be_visible()
    await _record_five_seasons(page)
    await _add_a_box_set_of_seasons_1_to_3(page)

    await expect(page.get_by_test_id("seasons-owned")).to_have_text("Owned 3 of 5 seasons")
    await page.get_by_role("heading", name="Seasons").scroll_into_view_if_needed()
    await screenshot(page, "seasons")

    library = await team.page("member", f"/?seasons=incomplete&q={show['title'].split()[-1]}")
    card = library.get_by_role("listitem").filter(has_text=show["title"])
    await expect(card.get_by_text("Owned 3 of 5 seasons")).to_be_visible()
    await screenshot(library, "seasons-incomplete")
    await library.close()
    await page.close()


async def test_seasons_on_a_phone_and_a_complete_show_leaves_the_incomplete_filter(team):
    label = uuid.uuid4().hex[:4]
    show = await _show(team, f"Deadwood {label}")
    page = await team.page("member", f"/titles/{show['id']}")
    await page.set_viewport_size(PHONE)

    await _record_five_seasons(page)
    await _add_a_box_set_of_seasons_1_to_3(page)
    await page.get_by_role("button", name="Add a copy").click()
    form = page.get_by_role("form", name="Add copy")
    for name in ("Season 4", "Season 5"):
        await form.get_by_role("checkbox", name=name).check()
    await form.get_by_role("button", name="Add copy").click()

    await expect(page.get_by_test_id("seasons-owned")).to_have_text("Owned 5 of 5 seasons")
    await page.get_by_role("heading", name="Seasons").scroll_into_view_if_needed()
    await screenshot(page, "seasons-phone")
    library = await team.page("member", f"/?seasons=incomplete&q={label}")
    await library.set_viewport_size(PHONE)
    await expect(library.get_by_text("No titles match")).to_be_visible()
    await library.close()
    await page.close()


async def test_a_viewer_reads_the_seasons_but_cannot_edit_them(team):
    show = await _show(team, f"Oz {uuid.uuid4().hex[:4]}")
    seasons = [{"number": 1}, {"number": 2}]
    saved = await team.space.member.client.put(f"/api/media/{show['id']}/seasons", json=seasons)
    assert saved.status_code == 200, saved.text
    page = await team.page("viewer", f"/titles/{show['id']}")

    await expect(page.get_by_role("table", name="Seasons").get_by_role("row")).to_have_count(3)
    await expect(page.get_by_test_id("seasons-owned")).to_have_text("Owned 0 of 2 seasons")
    await expect(page.get_by_role("button", name="Edit seasons")).to_have_count(0)
    await page.close()
