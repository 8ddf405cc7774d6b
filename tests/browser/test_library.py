"""Browsing a library of 120 titles: filters and sort kept in the URL, and pages (insights: test_insights.py)."""

import re
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import BrowserContext, expect

from tests.browser.conftest import screenshot, signed_in_context
from tests.browser.harness import DESKTOP, PHONE
from tests.support.identity import Account, new_user

TITLES = 120


def seed_title(n: int) -> dict:
    """Every 4th a TV series (30), every 3rd a drama (40); years 1950-2019; DVD or Blu-ray alternately."""
    return {
        "title": f"Shelf Title {n:03d}",
        "media_type": "tv_series" if n % 4 == 0 else "movie",
        "year": 1950 + n % 70,
        "genres": ["Drama"] if n % 3 == 0 else ["Comedy"],
        "copies": [{"format": "DVD" if n % 2 else "Blu-ray"}],
    }


@pytest.fixture(scope="module")
async def collector(system) -> AsyncIterator[Account]:
    account = await new_user(system, name="Collector")
    for n in range(1, TITLES + 1):
        response = await account.client.post("/api/media", json=seed_title(n))
        assert response.status_code == 201, response.text
    yield account
    await account.aclose()


@pytest.fixture(scope="module")
async def collector_browser(collector: Account, browser, web) -> AsyncIterator[BrowserContext]:
    context = await signed_in_context(browser, web, collector.email, collector.password)
    yield context
    await context.close()


async def test_filters_and_sort_are_kept_in_the_address_and_survive_a_reload(collector_browser, web):
    page = await collector_browser.new_page()
    await page.goto(web + "/")
    await expect(page.locator("#result-count")).to_have_text("120 titles")

    await page.get_by_text("Filters", exact=True).click()
    await page.get_by_label("Type").select_option("tv_series")
    await page.get_by_label("Sort by").select_option("year")
    await page.get_by_label("Order").select_option("desc")
    await expect(page.locator("#result-count")).to_have_text("30 titles")
    await expect(page).to_have_url(re.compile(r"media_type=tv_series"))
    await expect(page).to_have_url(re.compile(r"sort=year"))
    first = page.get_by_role("list", name="Titles").get_by_role("listitem").first
    await expect(first).to_contain_text("Shelf Title 068")  # the newest TV series: 1950 + 68

    await page.reload()
    await expect(page.locator("#result-count")).to_have_text("30 titles")
    await expect(page.get_by_label("Type")).to_have_value("tv_series")
    await expect(page.get_by_label("Sort by")).to_have_value("year")
    await screenshot(page, "library-filters")
    await page.close()


async def test_the_library_loads_further_pages_through_the_cursor(collector_browser, web):
    page = await collector_browser.new_page()
    await page.goto(web + "/?view=list")
    table = page.get_by_role("table", name="Titles")
    await expect(table.get_by_role("link", name="Shelf Title 001")).to_be_visible()
    await page.keyboard.press("End")  # scrolling to the end loads the next page
    await expect(table.get_by_role("link", name="Shelf Title 061")).to_be_attached()
    await expect(page.get_by_role("button", name="Load more titles")).to_have_count(0)
    await page.keyboard.press("End")
    await expect(table.get_by_role("link", name=f"Shelf Title {TITLES}")).to_be_in_viewport()
    await page.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
async def test_a_grid_card_names_the_copy_count_when_a_title_has_more_than_one_copy(system, browser, web, viewport):
    account = await new_user(system, name="Copies")
    try:
        for title, formats in (("Many Copies", ["DVD", "Blu-ray", "DVD"]), ("One Copy", ["4K UHD"])):
            body = {"title": title, "media_type": "movie", "year": 1999, "copies": [{"format": f} for f in formats]}
            response = await account.client.post("/api/media", json=body)
            assert response.status_code == 201, response.text
        context = await signed_in_context(browser, web, account.email, account.password, viewport=viewport)
        page = await context.new_page()
        await page.goto(web + "/?view=grid")
        cards = page.get_by_role("list", name="Titles").get_by_role("listitem")
        await expect(cards.filter(has_text="Many Copies")).to_contain_text(
            "1999 · DVD, Blu-ray · 3 copies"  # formats once each, in the copies' order
        )
        await expect(cards.filter(has_text="One Copy")).to_contain_text("1999 · 4K UHD")
        await expect(cards.filter(has_text="One Copy")).not_to_contain_text("copies")
        await context.close()
    finally:
        await account.aclose()


NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
async def test_the_list_view_names_year_formats_and_copies_without_scrolling_sideways(system, browser, web, viewport):
    account = await new_user(system, name="Lister")
    try:
        titles = (
            ("A Title Long Enough To Be Cut Short On A Phone Screen", ["Blu-ray", "DVD", "DVD"], 2001),
            ("One Copy", ["4K UHD"], 1999),
        )
        for title, formats, year in titles:
            body = {"title": title, "media_type": "movie", "year": year, "copies": [{"format": f} for f in formats]}
            response = await account.client.post("/api/media", json=body)
            assert response.status_code == 201, response.text
        copy_id = response.json()["copies"][0]["id"]
        lent = await account.client.post(f"/api/copies/{copy_id}/loans", json={"borrower_name": "Bennett"})
        assert lent.status_code == 201, lent.text
        context = await signed_in_context(browser, web, account.email, account.password, viewport=viewport)
        page = await context.new_page()
        await page.goto(web + "/?view=list")
        rows = page.get_by_role("table", name="Titles").locator("tbody tr[aria-rowindex]")
        await expect(rows).to_have_count(2)
        long = rows.filter(has_text="A Title Long Enough")
        one = rows.filter(has_text="One Copy")
        await expect(long).to_contain_text("2001")
        await expect(long.locator(".cell-formats")).to_have_text("Blu-ray, DVD")  # once each, in the copies' order
        await expect(long.locator(".cell-copies")).to_have_text(
            "3" if viewport is DESKTOP else "3 copies", use_inner_text=True
        )
        await expect(one.locator(".cell-copies")).to_have_text(
            "1" if viewport is DESKTOP else "1 copy", use_inner_text=True
        )
        await expect(one).to_contain_text("4K UHD")
        await expect(one.get_by_text("On loan")).to_be_visible()
        assert await page.evaluate(NO_SIDEWAYS_SCROLL)
        heights = {round((await row.bounding_box())["height"]) for row in await rows.all()}
        assert len(heights) == 1, f"rows of different heights: {heights}"  # one height, for the windowing
        if viewport is PHONE:
            assert heights.pop() < 80  # two compact lines, not a card per column
            await screenshot(page, "library-list-phone")
        await context.close()
    finally:
        await account.aclose()
