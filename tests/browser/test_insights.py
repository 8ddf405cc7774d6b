"""Insights in the browser: a figure clicked opens a list of exactly that many titles; a viewer is
offered only links a viewer may follow; people are found by the start of their name, accents or not."""

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import BrowserContext, expect

from tests.browser.conftest import screenshot, signed_in_context
from tests.support.identity import SpaceWithRoles, make_space_with_roles

TITLES = 12


def seed_title(n: int) -> dict:
    """Odd titles: two Blu-rays and a DVD, by Agnès Varda; even: one DVD, by Pedro Almodóvar; the
    last none. Every 4th a show; genres rotate Drama / Action + Ciencia ficción / Action & Adventure."""
    genres = (["Drama"], ["Action", "Ciencia ficción"], ["Action & Adventure"])[n % 3]
    copies = [{"format": "Blu-ray"}, {"format": "Blu-ray", "edition": "Steelbook"}, {"format": "DVD"}]
    return {
        "title": f"Insight Title {n:02d}",
        "media_type": "tv_series" if n % 4 == 0 else "movie",
        "year": 1960 + 5 * n,
        "genres": genres,
        "directors": ["Agnès Varda"] if n % 2 else ["Pedro Almodóvar"],
        "cast": ["Penélope Cruz"] if n % 5 == 0 else [],
        "copies": [] if n == TITLES else copies if n % 2 else [{"format": "DVD"}],
    }


@pytest.fixture(scope="module")
async def household(system) -> AsyncIterator[SpaceWithRoles]:
    space = await make_space_with_roles(system, name="Insights household")
    for n in range(1, TITLES + 1):
        response = await space.member.client.post("/api/media", json=seed_title(n))
        assert response.status_code == 201, response.text
    yield space
    await space.aclose()


async def _context(household: SpaceWithRoles, role: str, browser, web) -> BrowserContext:
    account = household.by_role()[role]
    return await signed_in_context(browser, web, account.email, account.password, household.space_id)


@pytest.fixture(scope="module")
async def member(household, browser, web) -> AsyncIterator[BrowserContext]:
    context = await _context(household, "member", browser, web)
    yield context
    await context.close()


@pytest.fixture(scope="module")
async def viewer(household, browser, web) -> AsyncIterator[BrowserContext]:
    context = await _context(household, "viewer", browser, web)
    yield context
    await context.close()


@pytest.mark.parametrize(
    ("figure", "count"),
    [
        ("Blu-ray: 6 titles", 6),  # 12 Blu-ray copies, on 6 titles
        ("DVD: 11 titles", 11),
        ("Action: 8 titles", 8),  # with "Action & Adventure"
        ("TV series: 3 titles", 3),
        ("Titles without a copy: 1", 1),
    ],
)
async def test_a_figure_clicked_opens_a_list_of_that_many_titles(member, web, figure, count):
    page = await member.new_page()
    await page.goto(web + "/insights")
    await expect(page.get_by_test_id("total-titles")).to_have_text(str(TITLES))
    if figure.startswith("Blu-ray"):
        await screenshot(page, "insights")

    await page.get_by_role("link", name=figure).click()

    await expect(page.locator("#result-count")).to_have_text(f"{count} title" + ("s" if count > 1 else ""))
    await expect(page.get_by_role("list", name="Titles").get_by_role("listitem")).to_have_count(count)
    await page.close()


async def test_a_viewer_is_offered_only_links_a_viewer_may_follow(viewer, web):
    page = await viewer.new_page()
    await page.goto(web + "/insights")
    await expect(page.get_by_test_id("total-titles")).to_have_text(str(TITLES))
    await expect(page.get_by_role("link", name="Titles without a poster: 12")).to_be_visible()
    await expect(page.get_by_text("possible duplicates")).to_have_count(0)
    await expect(page.get_by_text("Failed imports")).to_have_count(0)

    await page.get_by_role("link", name="Drama: 4 titles").click()
    await expect(page.locator("#result-count")).to_have_text("4 titles")
    await expect(page.get_by_text("Not allowed")).to_have_count(0)
    await page.close()


@pytest.mark.parametrize(
    ("field", "typed", "count"),
    [("Director", "agnes", 6), ("Director", "PEDRO ALMODÓ", 6), ("Cast member", "penelope", 2), ("Genre", "cienc", 4)],
)
async def test_people_and_genres_are_found_by_the_start_of_the_name(viewer, web, field, typed, count):
    page = await viewer.new_page()
    await page.goto(web + "/")
    await expect(page.locator("#result-count")).to_have_text(f"{TITLES} titles")
    await page.get_by_text("Filters", exact=True).click()
    await page.get_by_label(field).fill(typed)

    await expect(page.locator("#result-count")).to_have_text(f"{count} titles")
    await page.close()
