"""A title page worth opening: artwork or a real placeholder, people, seasons, copies and notes, and
"Match to TMDB" / "Refresh details" for a title added by hand; at desktop width and on a phone."""

import re
from urllib.parse import quote

from playwright.async_api import expect

from tests.browser.conftest import screenshot
from tests.browser.harness import DESKTOP, PHONE

# A poster the browser can show without reaching TMDB (the CSP allows data: images).
POSTER_SVG = (
    "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 200 300'>"
    "<defs><linearGradient id='g' x1='0' y1='0' x2='0' y2='1'>"
    "<stop offset='0' stop-color='#1d3557'/><stop offset='1' stop-color='#e63946'/></linearGradient></defs>"
    "<rect width='200' height='300' fill='url(#g)'/>"
    "<text x='100' y='160' font-size='26' fill='white' text-anchor='middle' font-family='sans-serif'>THE WIRE</text>"
    "</svg>"
)
POSTER = "data:image/svg+xml," + quote(POSTER_SVG)
BACKDROP = "data:image/svg+xml," + quote(
    "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 9'><rect width='16' height='9' fill='#457b9d'/>"
    "<circle cx='12' cy='3' r='2' fill='#f1faee'/></svg>"
)


async def _add(account, **body) -> dict:
    response = await account.client.post("/api/media", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def _show(team) -> dict:
    space = team.space
    show = await _add(
        space.member,
        title="The Wire",
        media_type="tv_series",
        year=2002,
        overview="Baltimore, seen from both sides of the law.",
        poster_url=POSTER,
        backdrop_url=BACKDROP,
        genres=["Crime", "Drama"],
        directors=["David Simon"],
        cast=["Dominic West", "Idris Elba", "Wendell Pierce"],
        cast_characters=["Jimmy McNulty", "Stringer Bell", None],
        season_count=5,
        episode_count=60,
        tmdb_id=1438,
        tmdb_media_type="tv",
        rating=9.3,
        copies=[
            {"format": "Blu-ray", "edition": "Complete series", "region": "B", "location": "Living room, shelf 2"},
            {"format": "DVD", "edition": "Season 1", "barcode": "5051892216760"},
            {"format": "4K UHD", "edition": "Season 2"},
            {"format": "DVD", "edition": "Season 3"},
            {"format": "VHS", "edition": "Season 4"},
        ],
    )
    note = {"rating": 9, "notes": "Season 4 is the one.", "visibility": "shared", "watched": True}
    assert (await space.admin.client.put(f"/api/media/{show['id']}/annotation", json=note)).status_code == 200
    return show


async def test_a_show_s_page_has_its_art_people_seasons_copies_and_notes(team):
    show = await _show(team)
    page = await team.page("member", f"/titles/{show['id']}")

    await expect(page.get_by_role("heading", name="The Wire", exact=True)).to_be_visible()
    backdrop = await page.get_by_test_id("backdrop").evaluate("element => element.style.backgroundImage")
    assert "457b9d" in backdrop, backdrop  # TMDB's wide artwork, not the poster
    await expect(page.get_by_test_id("seasons")).to_have_text("5 seasons, 60 episodes")
    people = page.get_by_role("list", name="Cast and crew")
    await expect(people.get_by_role("listitem")).to_have_count(4)
    await expect(people.get_by_role("listitem").first).to_contain_text("David Simon")
    await expect(people.get_by_role("listitem").first).to_contain_text("Creator")
    # "Name as Character", and just "Cast" where no character is known
    await expect(people.get_by_role("listitem").nth(1)).to_have_text("Dominic Westas Jimmy McNulty")
    await expect(people.get_by_role("listitem").nth(2)).to_have_text("Idris Elbaas Stringer Bell")
    await expect(people.get_by_role("listitem").nth(3)).to_have_text("Wendell PierceCast")
    await expect(page.get_by_text("Living room, shelf 2")).to_be_visible()
    # The five copies, added in one go, in the order they were given
    copies = page.locator("section[aria-labelledby=copies-title] li.copy")
    editions = ["Complete series", "Season 1", "Season 2", "Season 3", "Season 4"]
    await expect(copies).to_have_count(len(editions))
    for index, edition in enumerate(editions):
        await expect(copies.nth(index)).to_contain_text(edition)
    await expect(page.get_by_text("Season 4 is the one.")).to_be_visible()
    await expect(page.get_by_role("button", name="Refresh details")).to_be_visible()
    await screenshot(page, "title-page")

    await page.set_viewport_size(PHONE)
    await expect(page.get_by_role("heading", name="The Wire", exact=True)).to_be_in_viewport()
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a {PHONE['width']} px phone"
    await expect(people.get_by_role("listitem").nth(1)).to_contain_text("as Jimmy McNulty")
    await expect(copies.first).to_contain_text("Complete series")
    await screenshot(page, "title-page-phone")
    await page.close()


async def test_a_title_added_by_hand_is_matched_to_tmdb_and_refreshed(team, providers):
    providers.tmdb.add_movie(
        91_501,
        "Nightfall Express",
        release_date="1961-04-02",
        directors=["Ada Marlowe"],
        cast=[("Tom Reyes", "Inspector Vail"), ("June Hart", "Mrs. Lowell")],
        genres=["Thriller"],
        runtime=98,
        poster_path=None,
        overview="A night train, a stolen letter, and nine suspects.",
    )
    providers.tmdb.add_movie(91_502, "Nightfall Express II", release_date="1964-01-01", poster_path=None)
    title = await _add(team.space.member, title="nightfall express", media_type="movie", copies=[{"format": "VHS"}])
    page = await team.page("member", f"/titles/{title['id']}")
    await page.set_viewport_size(DESKTOP)

    await expect(page.get_by_test_id("poster-placeholder")).to_be_visible()
    await expect(page.get_by_test_id("poster-placeholder")).to_contain_text("nightfall express")
    await page.get_by_role("button", name="Match to TMDB").click()
    await expect(page.get_by_label("Title to search for")).to_have_value("nightfall express")
    await page.get_by_role("button", name="Search", exact=True).click()
    results = page.get_by_role("list", name="TMDB results")
    await expect(results.get_by_role("listitem")).to_have_count(2)
    await screenshot(page, "title-match")
    await results.get_by_role("button", name="Match Nightfall Express (1961)").click()

    await expect(page.get_by_role("heading", name="Nightfall Express", exact=True)).to_be_visible()
    await expect(page.get_by_role("list", name="Cast and crew")).to_contain_text("Ada Marlowe")
    await expect(page.get_by_role("list", name="Cast and crew")).to_contain_text("Tom Reyesas Inspector Vail")
    await expect(page.get_by_text("1 h 38 min")).to_be_visible()
    await expect(page.get_by_role("button", name="Match to TMDB")).to_have_count(0)

    providers.tmdb.add_movie(91_501, "Nightfall Express", release_date="1961-04-02", runtime=101, poster_path=None)
    await page.get_by_role("button", name="Refresh details").click()
    await expect(page.get_by_text("1 h 41 min")).to_be_visible()
    await page.close()


async def test_a_second_title_cannot_take_a_tmdb_id_and_is_sent_to_the_duplicates(team, providers):
    providers.tmdb.add_movie(91_601, "Harbour Lights", release_date="1950-01-01", poster_path=None)
    await _add(team.space.member, title="Harbour Lights", media_type="movie", tmdb_id=91_601)
    second = await _add(team.space.member, title="Harbour Lights (VHS)", media_type="movie")
    page = await team.page("member", f"/titles/{second['id']}")
    await page.set_viewport_size(PHONE)

    await page.get_by_role("button", name="Match to TMDB").click()
    await page.get_by_label("Title to search for").fill("Harbour Lights")
    await page.get_by_label("Year (optional)").fill("")
    await page.get_by_role("button", name="Search", exact=True).click()
    await page.get_by_role("button", name="Match Harbour Lights (1950)").click()

    alert = page.get_by_role("alert")
    await expect(alert).to_contain_text("already has this TMDB id")
    await expect(alert.get_by_role("link", name="Review duplicates")).to_be_visible()
    await page.close()


async def test_the_list_shows_formats_and_copies_and_phone_cards_label_their_values(team):
    await _add(
        team.space.member,
        title="Zabriskie Point",
        media_type="movie",
        year=1970,
        copies=[{"format": "DVD"}, {"format": "Blu-ray"}, {"format": "DVD"}],
    )
    page = await team.page("owner", "/?view=list&q=Zabriskie")
    await page.set_viewport_size(DESKTOP)

    row = page.get_by_role("row", name=re.compile("Zabriskie Point"))
    await expect(row).to_be_visible(timeout=20_000)
    # each format once, in the order the copies were given
    await expect(row.get_by_role("cell", name="DVD, Blu-ray", exact=True)).to_be_visible()
    await expect(row.get_by_role("cell", name="3", exact=True)).to_be_visible()
    await expect(page.get_by_role("columnheader", name="Copies")).to_be_visible()

    await page.set_viewport_size(PHONE)
    await page.goto(team.web + "/space/members")
    email = page.get_by_role("table", name="Members").get_by_role("cell", name=team.space.member.email)
    await expect(email).to_be_visible()
    label = await email.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == '"Email: "', label
    await page.close()
