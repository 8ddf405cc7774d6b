"""Marking a title watched, on a desktop (a viewer, on a date they pick) and on a phone (today): the
title page says when, the library's cards carry a Watched badge, the Unwatched filter leaves the
title out, and each member of the space keeps their own state."""

import uuid

from playwright.async_api import expect

from tests.browser.conftest import screenshot
from tests.browser.harness import PHONE


async def _title(team, name: str) -> dict:
    body = {"title": name, "media_type": "movie", "year": 1972, "copies": [{"format": "DVD"}]}
    response = await team.space.member.client.post("/api/media", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_viewer_marks_a_title_watched_on_a_date_and_filters_the_library(team):
    word = uuid.uuid4().hex[:6]
    title = await _title(team, f"Solaris {word}")
    other = await _title(team, f"Stalker {word}")
    page = await team.page("viewer", f"/titles/{title['id']}")

    form = page.get_by_role("form", name="Mark as watched")
    await form.get_by_label("Watched on").fill("2024-03-09")
    await form.get_by_role("button", name="Mark as watched").click()

    state = page.get_by_test_id("watched-state")
    await expect(state).to_contain_text("Watched on")
    await expect(state).to_contain_text("2024")
    await screenshot(page, "watched")

    library = await team.page("viewer", f"/?q={word}")
    card = library.get_by_role("listitem").filter(has_text=title["title"])
    await expect(card.get_by_text("Watched", exact=True)).to_be_visible()
    await library.get_by_text("Filters", exact=True).click()
    await library.get_by_label("Watched").select_option(label="Unwatched")
    await expect(library.get_by_role("listitem").filter(has_text=other["title"])).to_be_visible()
    await expect(library.get_by_role("listitem").filter(has_text=title["title"])).to_have_count(0)
    await expect(library).to_have_url(f"{team.web}/?q={word}&watched=false")
    await library.close()

    member = await team.page("member", f"/titles/{title['id']}")
    await expect(member.get_by_role("form", name="Mark as watched")).to_be_visible()
    await expect(member.get_by_test_id("watched-state")).to_have_count(0)
    await member.close()

    await page.get_by_role("button", name="Mark as not watched").click()
    await expect(page.get_by_role("form", name="Mark as watched")).to_be_visible()
    await page.close()


async def test_a_member_marks_a_title_watched_today_on_a_phone(team):
    title = await _title(team, f"Ran {uuid.uuid4().hex[:4]}")
    page = await team.page("member", f"/titles/{title['id']}")
    await page.set_viewport_size(PHONE)

    await page.get_by_role("button", name="Mark as watched").click()

    await expect(page.get_by_test_id("watched-state")).to_contain_text("Watched on")
    await page.get_by_role("heading", name="Watched").scroll_into_view_if_needed()
    await screenshot(page, "watched-phone")
    await page.close()
