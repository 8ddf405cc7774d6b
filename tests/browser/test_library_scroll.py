"""A library of thousands of titles: scrolling loads page after page in order, the page keeps only
the titles near the screen however far the user goes, and scrolling back shows the earlier ones."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from playwright.async_api import BrowserContext, Locator, Page, expect

from bench.library.seed import SpacePlan
from bench.webapp.seeding import seed_library
from tests.browser.harness import DESKTOP, PHONE, signed_in_context
from tests.support.identity import Account, new_user

TITLES = 3_000
# Titles on the page at once, at most: a few screens' worth (a page of the API is 60).
MOST_ON_PAGE = 100
# How far one scroll goes: about a screen and a half, less than the rows rendered around the screen.
STEP_PX = 1_200

# Each title on the page as [position in the view (1-based), link]: a card's aria-posinset, or a
# table row's aria-rowindex (the header is row 1).
READ_TITLES = """items => items.map(item => [
    item.hasAttribute('aria-posinset')
        ? Number(item.getAttribute('aria-posinset'))
        : Number(item.getAttribute('aria-rowindex')) - 1,
    item.querySelector('a').getAttribute('href'),
])"""
# Scrolls by `step` and lets two frames pass; the page height when it could not move, else 0.
SCROLL_BY = """async step => {
    const before = window.scrollY;
    const height = document.documentElement.scrollHeight;
    window.scrollBy(0, step);
    await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
    return window.scrollY === before ? height : 0;
}"""


@dataclass
class Library:
    owner: Account

    async def order(self, **params: str) -> list[str]:
        """Every title's link, in the order the API pages through them by cursor."""
        links: list[str] = []
        cursor = None
        while True:
            query = {**params, "limit": "200", **({"cursor": cursor} if cursor else {})}
            response = await self.owner.client.get("/api/media", params=query)
            assert response.status_code == 200, response.text
            body = response.json()
            links += [f"/titles/{item['id']}" for item in body["items"]]
            cursor = body["next_cursor"]
            if not cursor:
                return links


@pytest.fixture(scope="module")
async def library(system, database) -> AsyncIterator[Library]:
    owner = await new_user(system, name="Big Collector")
    space_id = uuid.UUID((await owner.me())["active_space"]["id"])
    await seed_library(database.service_url("library"), [SpacePlan(space_id, TITLES, owner.id)])
    yield Library(owner)
    await owner.aclose()


async def open_context(browser, web: str, library: Library, viewport: dict[str, int]) -> BrowserContext:
    return await signed_in_context(browser, web, library.owner.email, library.owner.password, viewport=viewport)


@dataclass
class Sweep:
    seen: dict[int, str]
    most_on_page: int


async def sweep(page: Page, titles: Locator, step: int, wanted: int, seen: dict[int, str] | None = None) -> Sweep:
    """Scroll `step` px at a time, reading the titles on the page after each step, until `wanted`
    positions were seen (scrolling down, loading pages on the way) or the top is reached (up).
    A position that ever shows another title than before fails the sweep."""
    seen = {} if seen is None else seen
    visited: dict[int, str] = {}
    most = 0
    while True:
        on_page = await titles.evaluate_all(READ_TITLES)
        positions = [position for position, _ in on_page]
        assert positions == sorted(positions), "titles on the page are out of order"
        most = max(most, len(on_page))
        for position, link in on_page:
            assert seen.setdefault(position, link) == link, f"position {position} showed two titles"
            visited[position] = link
        if step > 0 and len(visited) >= wanted:
            return Sweep(visited, most)
        stuck_at_height = await page.evaluate(SCROLL_BY, step)
        if stuck_at_height and step < 0:
            return Sweep(visited, most)
        if stuck_at_height:  # at the bottom: the next page arrives and the page grows
            await page.wait_for_function(
                "height => document.documentElement.scrollHeight > height", arg=stuck_at_height
            )


VIEWS = [
    pytest.param("/", {"sort": "title", "order": "asc"}, DESKTOP, TITLES, id="grid-to-the-end"),
    pytest.param("/?view=list&sort=year", {"sort": "year", "order": "desc"}, DESKTOP, 1_200, id="list-by-year"),
    pytest.param("/", {"sort": "title", "order": "asc"}, PHONE, 600, id="grid-on-a-phone"),
    pytest.param("/?view=list", {"sort": "title", "order": "asc"}, PHONE, 600, id="list-on-a-phone"),
]


@pytest.mark.parametrize(("path", "api_sort", "viewport", "wanted"), VIEWS)
async def test_scrolling_far_loads_pages_in_order_and_keeps_few_titles_on_the_page(
    browser, web, library, path, api_sort, viewport, wanted
):
    # Given a library of 3,000 titles, and the order the API pages through them
    expected = await library.order(**api_sort)
    context = await open_context(browser, web, library, viewport)
    page = await context.new_page()
    await page.goto(web + path)
    await expect(page.locator("#result-count")).to_have_text("3,000 titles")
    # The titles as screen readers number them: cards of the grid, or rows of the table.
    titles = page.locator('[aria-label="Titles"] li[aria-posinset], [aria-label="Titles"] tbody tr[aria-rowindex]')

    # When the user scrolls down far enough to load many pages
    down = await sweep(page, titles, STEP_PX, wanted)

    # Then every title arrived once, in the API's order, with only a few on the page at any time
    assert [down.seen[position] for position in range(1, wanted + 1)] == expected[:wanted]
    assert down.most_on_page <= MOST_ON_PAGE
    if wanted == TITLES:
        await expect(page.get_by_role("button", name="Load more titles")).to_have_count(0)

    # When they scroll back up to the top, the earlier titles show again, each where it was
    up = await sweep(page, titles, -STEP_PX, wanted, seen=dict(down.seen))
    assert set(range(1, wanted + 1)) <= set(up.seen)
    assert up.most_on_page <= MOST_ON_PAGE
    await expect(titles.first.get_by_role("link")).to_have_attribute("href", expected[0])
    await expect(titles.first).to_be_in_viewport()
    await context.close()


async def test_the_focused_title_keeps_focus_when_scrolled_away_and_tab_goes_on_from_the_screen(browser, web, library):
    context = await open_context(browser, web, library, DESKTOP)
    page = await context.new_page()
    await page.goto(web + "/")
    grid = page.get_by_role("list", name="Titles")
    first = grid.get_by_role("listitem").first
    await first.get_by_role("link").focus()

    # The user scrolls far down with the mouse, a page arriving each time they reach the bottom
    for page_number in range(2, 6):
        await page.mouse.wheel(0, 50_000)
        await expect(grid.locator(f'li[aria-posinset="{(page_number - 1) * 60 + 1}"]')).to_be_attached()

    # The first title, far above the screen, still has keyboard focus and is the one extra card kept
    await expect(first).to_have_attribute("aria-posinset", "1")
    await expect(first.get_by_role("link")).to_be_focused()
    assert await grid.get_by_role("listitem").count() <= MOST_ON_PAGE

    # Tab goes on to a title on the screen, whose position screen readers announce
    await page.keyboard.press("Tab")
    focused = grid.locator("li:has(:focus)")
    await expect(focused).to_be_in_viewport()
    assert int(await focused.get_attribute("aria-posinset") or 0) > 60
    await expect(focused).to_have_attribute("aria-setsize", str(TITLES))
    await context.close()
