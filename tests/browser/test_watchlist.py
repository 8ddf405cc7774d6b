"""The watchlist page: Plex and Trakt merged, titles the space owns marked, Add to library, and
linking a Trakt account by its device code; at desktop and phone width."""

import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from playwright.async_api import Page, expect

from tests.browser.conftest import PLEX_TOKEN, Team, configure, screenshot
from tests.browser.harness import DESKTOP, PHONE, signed_in_context
from tests.fakes.plex_discover import FakePlexDiscover
from tests.fakes.trakt import FakeTrakt
from tests.support.identity import make_space_with_roles

TRAKT_ID, TRAKT_SECRET = "trakt-client-id", "trakt-client-secret-0123"


@dataclass
class WatchNight:
    team: Team
    discover: FakePlexDiscover
    trakt: FakeTrakt
    heat_id: str


@pytest.fixture(scope="module")
async def night(system, web, browser, sync_worker) -> AsyncIterator[WatchNight]:
    """A space of its own (its Plex settings point at plex.tv's fake), one owned title, and a
    watchlist on each provider: Heat is owned, Arrival is on both, Paterson on Plex, Dune on Trakt."""
    space = await make_space_with_roles(system, name=f"Watch night {uuid.uuid4().hex[:4]}")
    discover = await FakePlexDiscover(token=PLEX_TOKEN).start()
    trakt = await FakeTrakt(client_id=TRAKT_ID, client_secret=TRAKT_SECRET).start()
    team = Team(space, web, browser)
    try:
        await configure(space.owner, space.space_id, "plex", watchlist_base_url=discover.url, token=PLEX_TOKEN)
        await configure(
            space.owner, space.space_id, "trakt", base_url=trakt.url, client_id=TRAKT_ID, token=TRAKT_SECRET
        )
        heat = await space.member.client.post(
            "/api/media", json={"media_type": "movie", "title": "Heat", "year": 1995, "tmdb_id": 949}
        )
        assert heat.status_code == 201, heat.text
        # No artwork: plex.tv's image host is off this machine.
        discover.add("movie", "Heat", year=1995, guids=["tmdb://949"], thumb=None)
        discover.add("movie", "Arrival", year=2016, guids=["tmdb://329865"], thumb=None)
        discover.add("movie", "Paterson", year=2016, thumb=None)
        discover.add("movie", "Nomadland", year=2020, guids=["tmdb://581734"], thumb=None)
        trakt.add_watchlist_movie(10, "Arrival", 2016, tmdb=329865)
        trakt.add_watchlist_movie(11, "Dune", 2021, tmdb=438631)
        yield WatchNight(team, discover, trakt, heat.json()["id"])
    finally:
        for context in team.contexts.values():
            await context.close()
        await trakt.stop()
        await discover.stop()
        await space.aclose()


def entry(page: Page, title: str):
    return (
        page.get_by_role("list", name="Your watchlist")
        .get_by_role("listitem")
        .filter(has=page.get_by_role("heading", name=re.compile(f"^{title}")))
    )


async def test_a_member_links_trakt_sees_the_merged_watchlist_and_adds_a_title(night):
    page = await night.team.page("member", "/watchlist")
    page.on("dialog", lambda dialog: dialog.accept())
    panel = page.get_by_role("region", name=re.compile("^Trakt account"))
    await expect(page.get_by_role("heading", name="Watchlist", level=1)).to_be_visible()
    await expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Watchlist")).to_have_attribute(
        "aria-current", "page"
    )
    await expect(page.get_by_role("heading", name="Your watchlist is empty")).to_be_visible()
    await expect(panel).to_contain_text("Not linked")

    await panel.get_by_role("button", name="Link Trakt account").click()
    await expect(panel.get_by_label("Code to enter at Trakt")).to_have_text("5055CC52")
    await expect(panel.get_by_role("link", name="https://trakt.tv/activate")).to_be_visible()
    await screenshot(page, "trakt-link")
    night.trakt.approve()  # the user entered the code at Trakt

    # The page polls at Trakt's interval (5 s), then syncs both watchlists.
    await expect(page.get_by_text("Trakt account linked.")).to_be_visible(timeout=30_000)
    await expect(panel).to_contain_text("Linked")
    await expect(entry(page, "Dune")).to_be_visible(timeout=30_000)
    await expect(entry(page, "Heat")).to_contain_text("Owned here")
    await expect(entry(page, "Arrival")).to_contain_text("Plex")
    await expect(entry(page, "Arrival")).to_contain_text("Trakt")
    await expect(entry(page, "Dune")).not_to_contain_text("Plex")
    await expect(entry(page, "Heat").get_by_role("button")).to_have_count(0)

    await entry(page, "Arrival").get_by_role("button", name="Add Arrival to the library").click()
    await expect(entry(page, "Arrival")).to_contain_text("Owned here")
    await expect(page.get_by_text(re.compile("^Arrival added to Watch night"))).to_be_visible()
    await screenshot(page, "watchlist")
    titles = (await night.team.space.member.client.get("/api/media", params={"q": "Arrival"})).json()["items"]
    assert [(t["title"], t["year"], t["tmdb_id"], t["tmdb_media_type"]) for t in titles] == [
        ("Arrival", 2016, 329865, "movie")
    ]
    await entry(page, "Heat").get_by_role("link", name="Open in the library").click()
    await expect(page).to_have_url(re.compile(f"/titles/{night.heat_id}$"))
    await page.go_back()

    await panel.get_by_role("button", name="Unlink Trakt").click()
    await expect(panel).to_contain_text("Not linked")
    await panel.get_by_role("button", name="Link Trakt account").click()
    await expect(panel.get_by_label("Code to enter at Trakt")).to_be_visible()
    night.trakt.deny()
    await expect(panel.get_by_role("alert")).to_contain_text("refused at Trakt", timeout=30_000)
    await expect(panel.get_by_role("button", name="Link Trakt account")).to_be_visible()
    await page.close()


async def test_on_a_phone_the_watchlist_is_one_column_with_its_actions_in_reach(night):
    member = night.team.space.member
    synced = await member.client.post("/api/watchlist/sync", params={"wait": 30})
    assert synced.status_code == 200, synced.text
    context = await signed_in_context(
        night.team.browser, night.team.web, member.email, member.password, night.team.space_id, viewport=PHONE
    )
    page = await context.new_page()
    await page.goto(night.team.web + "/watchlist")

    add = entry(page, "Paterson").get_by_role("button", name="Add Paterson to the library")
    await expect(add).to_be_visible()
    await expect(entry(page, "Heat")).to_contain_text("Owned here")
    await expect(entry(page, "Dune")).to_have_count(0)  # Trakt is not linked (any more): its entries are gone
    box = await add.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= PHONE["width"], box
    boxes = [await entry(page, title).bounding_box() for title in ("Heat", "Paterson")]
    assert all(b and b["x"] == boxes[0]["x"] for b in boxes), boxes  # one column
    await screenshot(page, "watchlist-phone")

    await page.get_by_role("button", name="Menu").click()
    await expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Watchlist")).to_be_visible()
    await context.close()


async def test_a_member_wishes_for_entries_not_owned_here_on_a_desktop_and_a_phone(night):
    member = night.team.space.member
    synced = await member.client.post("/api/watchlist/sync", params={"wait": 30})
    assert synced.status_code == 200, synced.text
    page = await night.team.page("member", "/watchlist")
    await page.set_viewport_size(DESKTOP)

    await expect(entry(page, "Heat").get_by_role("button")).to_have_count(0)  # owned here: nothing to wish for
    await entry(page, "Nomadland").get_by_role("button", name="Add Nomadland to the wishlist").click()

    await expect(entry(page, "Nomadland").get_by_role("link", name="On wishlist")).to_be_visible()
    await expect(page.get_by_text("Nomadland added to the wishlist.")).to_be_visible()
    await expect(entry(page, "Nomadland").get_by_role("button", name="Add Nomadland to the library")).to_be_visible()
    wishes = (await member.client.get("/api/wishlist")).json()["items"]
    assert [(w["title"], w["year"], w["media_type"], w["tmdb_id"], w["priority"]) for w in wishes] == [
        ("Nomadland", 2020, "movie", 581734, 3)
    ]
    await screenshot(page, "watchlist-wishlist")
    await page.close()

    # On a phone, after a fresh read: the wish is still marked, and an entry without a TMDB id can be wished for
    context = await signed_in_context(
        night.team.browser, night.team.web, member.email, member.password, night.team.space_id, viewport=PHONE
    )
    phone = await context.new_page()
    await phone.goto(night.team.web + "/watchlist")
    await expect(entry(phone, "Nomadland").get_by_role("link", name="On wishlist")).to_be_visible()
    wish = entry(phone, "Paterson").get_by_role("button", name="Add Paterson to the wishlist")
    box = await wish.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= PHONE["width"], box
    await wish.click()
    await expect(entry(phone, "Paterson").get_by_role("link", name="On wishlist")).to_be_visible()
    await phone.reload()
    await expect(entry(phone, "Paterson").get_by_role("link", name="On wishlist")).to_be_visible()
    await screenshot(phone, "watchlist-wishlist-phone")
    await entry(phone, "Paterson").get_by_role("link", name="On wishlist").click()
    await expect(phone.get_by_role("heading", name="Wishlist", level=1)).to_be_visible()
    await expect(phone.get_by_text("Paterson")).to_be_visible()
    await context.close()


async def test_a_wish_made_elsewhere_meanwhile_is_said_to_be_on_the_wishlist(night):
    member = night.team.space.member
    page = await night.team.page("member", "/watchlist")
    await page.set_viewport_size(DESKTOP)
    target = "Nomadland"
    for item in (await member.client.get("/api/wishlist")).json()["items"]:
        if item["title"] == target:  # wished for by the test before: not any more
            assert (await member.client.delete(f"/api/wishlist/{item['id']}")).status_code == 204
    await page.reload()
    button = entry(page, target).get_by_role("button", name=f"Add {target} to the wishlist")
    await expect(button).to_be_visible()

    # Someone else wishes for it while this page is open
    made = await night.team.space.admin.client.post(
        "/api/wishlist", json={"title": target, "year": 2020, "media_type": "movie", "tmdb_id": 581734}
    )
    assert made.status_code == 201, made.text

    await button.click()

    await expect(entry(page, target).get_by_role("link", name="On wishlist")).to_be_visible()
    await expect(page.get_by_text(f"{target} is already on the wishlist.")).to_be_visible()
    await page.close()


async def test_a_viewer_has_no_watchlist_link_and_is_told_why(night):
    page = await night.team.page("viewer", "/watchlist")

    await expect(page.get_by_role("alert")).to_contain_text("Only members, admins and owners")
    await expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Watchlist")).to_have_count(0)
    await page.close()


async def test_the_integrations_page_offers_an_admin_their_own_trakt_link_under_the_space_settings(night):
    page = await night.team.page("admin", "/space/integrations")

    await expect(page.get_by_role("form", name="Trakt settings")).to_be_visible()
    trakt = page.get_by_role("region", name=re.compile("^Trakt account"))
    await expect(trakt).to_contain_text("Not linked")
    await expect(trakt.get_by_role("button", name="Link Trakt account")).to_be_visible()
    await page.close()
