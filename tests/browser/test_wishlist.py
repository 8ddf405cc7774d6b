"""The wishlist: a wish added from a TMDB search, "Got it" turning it into a title with its copy, and
the page at phone width."""

import uuid

from playwright.async_api import expect

from tests.browser.conftest import screenshot
from tests.browser.harness import PHONE


async def test_a_member_wishes_a_title_from_tmdb_then_gets_it(team, providers):
    # A name of this test's own: the session's other tests may own a "Stalker" in the same space.
    name = f"Stalker {uuid.uuid4().hex[:4]}"
    providers.tmdb.add_movie(1_398_000 + uuid.uuid4().int % 1000, name, release_date="1979-05-25")
    page = await team.page("member", "/wishlist")
    await expect(page.get_by_text("This is not a watchlist")).to_be_visible()

    await page.get_by_role("button", name="Add from TMDB").click()
    await page.get_by_label("Title to search for").fill(name)
    await page.get_by_role("button", name="Search", exact=True).click()
    await page.get_by_role("button", name=f"Use {name} (1979)").click()
    await page.get_by_label("Priority").select_option("1")
    await page.get_by_label("Format wanted").select_option("4K UHD")
    await page.get_by_role("button", name="Add to the wishlist").click()

    wishes = page.get_by_role("list", name="Wishes")
    await expect(wishes.get_by_text(name, exact=True)).to_be_visible()
    await screenshot(page, "wishlist")

    await page.get_by_role("button", name=f"Got it: {name}").click()
    await expect(page.get_by_role("combobox", name="Format", exact=True)).to_have_value("4K UHD")
    await page.get_by_label("Location").fill("Shelf B")
    await page.get_by_role("button", name="Add to the library").click()

    await expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()
    await expect(page.get_by_text("Shelf B")).to_be_visible()
    await page.goto(page.url.split("/titles/")[0] + "/wishlist")
    await expect(page.get_by_role("button", name=f"Got it: {name}")).to_have_count(0)
    await page.close()


async def test_the_wishlist_by_hand_at_phone_width(team):
    name = f"Solaris {uuid.uuid4().hex[:4]}"
    page = await team.page("member", "/wishlist")
    await page.set_viewport_size(PHONE)

    await page.get_by_role("button", name="Add by hand").click()
    await page.get_by_label("Title", exact=True).fill(name)
    await page.get_by_label("Year").fill("1972")
    await page.get_by_role("button", name="Add to the wishlist").click()
    await expect(page.get_by_role("list", name="Wishes").get_by_text(name, exact=True)).to_be_visible()
    await page.get_by_role("button", name="Dismiss").click()  # the notice sits over the form's buttons on a phone
    await page.get_by_role("button", name=f"Edit {name}").click()
    await page.get_by_label("Notes").fill("the long cut")
    await page.get_by_role("button", name="Save wish").click()
    await expect(page.get_by_role("list", name="Wishes").get_by_text("the long cut")).to_be_visible()
    await screenshot(page, "wishlist-phone")
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    await page.close()
