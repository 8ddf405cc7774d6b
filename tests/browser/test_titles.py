"""Adding a title the three ways, editing it, moving it to the trash and restoring it."""

import re
from urllib.parse import urlsplit

from playwright.async_api import expect

from tests.browser.conftest import screenshot
from tests.browser.harness import PHONE

# The smallest valid PNG (1 by 1 pixel), as a phone would upload a cover photo.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


async def test_a_member_adds_a_title_picked_from_a_tmdb_search(team, providers):
    providers.tmdb.add_movie(
        603, "The Matrix", release_date="1999-03-30", directors=["Lana Wachowski"], genres=["Action"], runtime=136
    )
    providers.tmdb.add_movie(604, "The Matrix Reloaded", release_date="2003-05-15")
    page = await team.page("member", "/add")

    await page.get_by_label("Title to search for").fill("matrix")
    await page.get_by_role("button", name="Search", exact=True).click()
    results = page.get_by_role("list", name="TMDB results")
    await expect(results.get_by_role("listitem")).to_have_count(2)
    await screenshot(page, "add-tmdb-search")
    await page.get_by_role("button", name="Use The Matrix (1999)").click()

    await expect(page.get_by_role("heading", name="Check the details and save")).to_be_visible()
    await expect(page.get_by_label("Runtime (minutes)")).to_have_value("136")
    await page.get_by_role("button", name="Save title").click()

    await expect(page.get_by_role("heading", name="The Matrix", exact=True)).to_be_visible()
    await expect(page.get_by_test_id("provenance")).to_have_text("Added by hand")
    await expect(page.get_by_role("link", name="Lana Wachowski")).to_be_visible()
    await page.close()


async def test_a_member_adds_a_title_from_a_typed_barcode(team, providers):
    providers.tmdb.add_movie(78, "Blade Runner", release_date="1982-06-25")
    providers.upcitemdb.add_product("085391163929", "Blade Runner (Blu-ray, 1982)")
    page = await team.page("member", "/add")

    await page.get_by_role("tab", name="Barcode").click()
    await page.get_by_label("Barcode (UPC or EAN)").fill("085391163929")
    await page.get_by_role("button", name="Look up").click()
    await (
        page.get_by_role("list", name="Barcode results")
        .get_by_role("button", name=re.compile("^Use Blade Runner"))
        .click()
    )

    await expect(page.get_by_role("heading", name="Check the details and save")).to_be_visible()
    await expect(page.get_by_role("textbox", name="Barcode", exact=True)).to_have_value("085391163929")
    await page.get_by_role("button", name="Save title").click()

    await expect(page.get_by_role("heading", name="Blade Runner", exact=True)).to_be_visible()
    await expect(page.get_by_test_id("provenance")).to_contain_text("barcode")
    await expect(page.get_by_text("085391163929")).to_be_visible()
    await page.close()


async def test_a_member_adds_a_title_from_a_cover_photo_on_a_phone(team, providers):
    providers.tmdb.add_movie(348, "Alien", release_date="1979-05-25")
    providers.vision.answer('{"titles": [{"title": "Alien", "year": 1979, "media_type": "movie"}]}')
    page = await team.page("member", "/add")
    await page.set_viewport_size(PHONE)

    await page.get_by_role("tab", name="Cover photo").click()
    await page.get_by_role("button", name="Cover photo").set_input_files(
        {"name": "cover.png", "mimeType": "image/png", "buffer": PNG}
    )
    await expect(page.get_by_role("list", name="Cover results").get_by_role("listitem")).to_have_count(1)
    await screenshot(page, "add-cover-phone")
    await page.get_by_role("button", name="Use Alien (1979)").click()
    await page.get_by_role("button", name="Save title").click()

    await expect(page.get_by_role("heading", name="Alien", exact=True)).to_be_visible()
    await page.close()


async def test_an_admin_edits_a_title_moves_it_to_the_trash_and_restores_it(team):
    page = await team.page("admin", "/add")
    await page.get_by_role("tab", name="By hand").click()
    await page.get_by_label("Title", exact=True).fill("Stalker")
    await page.get_by_label("Year").fill("1979")
    await page.get_by_role("button", name="Save title").click()
    await expect(page.get_by_role("heading", name="Stalker")).to_be_visible()
    # This title's own address: other tests of the session may have a "Stalker" of their own.
    title_path = urlsplit(page.url).path

    await page.get_by_role("button", name="Edit title").click()
    await page.get_by_label("Original title").fill("Сталкер")
    await page.get_by_label("Runtime (minutes)").fill("162")
    await page.get_by_role("button", name="Save changes").click()
    await expect(page.get_by_text("Title saved.")).to_be_visible()
    await expect(page.get_by_text("Original title: Сталкер")).to_be_visible()
    await expect(page.get_by_text("2 h 42 min")).to_be_visible()
    await screenshot(page, "title-detail")

    await page.get_by_role("button", name="Move to trash").click()
    await expect(page.get_by_text("“Stalker” moved to the trash.")).to_be_visible()
    await expect(page.get_by_role("heading", name="Library")).to_be_visible()
    await page.goto(team.web + "/trash")
    await page.get_by_role("button", name="Restore Stalker").click()
    await expect(page.get_by_role("button", name="Restore Stalker")).to_have_count(0)

    await page.goto(team.web + "/?q=stalker")
    await expect(page.locator(f'a[href="{title_path}"]')).to_be_visible()
    await page.close()
