"""The app shell: grouped navigation, the active space always named, a drawer on a phone, the
spaces a user can create, rename, leave and delete, and a first run whose first Add succeeds."""

import re
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from playwright.async_api import Page, expect

from tests.browser.conftest import PLEX_TOKEN, screenshot
from tests.browser.harness import DESKTOP, PHONE, signed_in_context
from tests.support.identity import Account, join_with_invite, new_user

Newcomer = Callable[..., Awaitable[Account]]


async def active_space_name(account: Account) -> str:
    me = await account.client.get("/api/auth/me")
    assert me.status_code == 200, me.text
    return me.json()["active_space"]["name"]


@pytest.fixture
async def newcomer(system) -> AsyncIterator[Newcomer]:
    """Makes new users: each the owner of their own personal space, or, `invited_by` someone, a
    member of that person's space `space_id`; their sessions end with the test."""
    accounts: list[Account] = []

    async def make(name: str, invited_by: Account | None = None, space_id: str = "") -> Account:
        if invited_by is None:
            accounts.append(await new_user(system, name=name))
        else:
            accounts.append(await join_with_invite(system, invited_by, space_id, "member", name))
        return accounts[-1]

    yield make
    for account in accounts:
        await account.aclose()


@pytest.fixture
async def open_as(browser, web: str) -> AsyncIterator[Callable[..., Awaitable[Page]]]:
    """Opens a page signed in as an account, in its own browser context (closed with the test)."""
    contexts = []

    async def open_page(account: Account, viewport=DESKTOP, path: str = "/") -> Page:
        context = await signed_in_context(browser, web, account.email, account.password, viewport=viewport)
        contexts.append(context)
        page = await context.new_page()
        await page.goto(web + path)
        return page

    yield open_page
    for context in contexts:
        await context.close()


async def test_the_navigation_is_grouped_and_names_the_active_space(newcomer, open_as, web):
    account = await newcomer("Grace Group")
    space = await active_space_name(account)
    page = await open_as(account)
    nav = page.get_by_role("navigation", name="Main")
    await expect(page.get_by_role("banner").get_by_role("link", name=f"Active space: {space}")).to_be_visible()
    for group, links in (
        ("Library", ["Library", "Add", "Wishlist", "Tags", "Insights", "Watchlist", "Duplicates", "Trash"]),
        ("Space", ["Members", "Invitations", "Integrations", "Import", "Export", "Activity", "Your spaces"]),
    ):
        listed = nav.get_by_role("list", name=group, exact=True)
        for name in links:
            await expect(listed.get_by_role("link", name=name, exact=True)).to_be_visible()
    # Not an administrator of the install: no instance group.
    await expect(nav.get_by_role("list", name="Instance admin")).to_have_count(0)
    # Every link of the navigation on a 1280-px screen sits in the sidebar, left of the page.
    box = await nav.bounding_box()
    main = await page.locator("main").bounding_box()
    assert box is not None
    assert main is not None
    assert box["x"] + box["width"] <= main["x"] + 1, (box, main)
    await nav.get_by_role("link", name="Members", exact=True).click()
    await expect(page.get_by_role("heading", name="Members", exact=True)).to_be_visible()
    await expect(nav.get_by_role("link", name="Members", exact=True)).to_have_attribute("aria-current", "page")
    await screenshot(page, "navigation-desktop")


async def test_on_a_phone_the_navigation_is_a_drawer_and_the_first_screen_shows_posters(newcomer, open_as, web):
    account = await newcomer("Phil Phone")
    space = await active_space_name(account)
    for n in range(8):
        response = await account.client.post("/api/media", json={"media_type": "movie", "title": f"Phone film {n}"})
        assert response.status_code == 201, response.text
    page = await open_as(account, viewport=PHONE)
    nav = page.get_by_role("navigation", name="Main")
    await expect(page.get_by_role("link", name=f"Active space: {space}")).to_be_visible()
    await expect(nav).to_be_hidden()
    # The first screen shows titles: at least two full cards above the fold, under the controls.
    cards = page.get_by_role("list", name="Titles").get_by_role("listitem")
    await expect(cards.first).to_be_visible()
    visible = 0
    for index in range(await cards.count()):
        box = await cards.nth(index).bounding_box()
        if box and box["y"] + box["height"] <= PHONE["height"]:
            visible += 1
    assert visible >= 2, f"{visible} whole title cards on the first phone screen"
    await screenshot(page, "library-phone")

    await page.get_by_role("button", name="Menu").click()
    await expect(nav).to_be_visible()
    await expect(nav.get_by_role("link", name="Library", exact=True)).to_be_focused()  # the page you are on
    await page.keyboard.press("Escape")
    await expect(nav).to_be_hidden()
    await expect(page.get_by_role("button", name="Menu")).to_be_focused()
    await page.get_by_role("button", name="Menu").click()
    await expect(
        nav.get_by_role("list", name="Space", exact=True).get_by_role("link", name="Your spaces")
    ).to_be_visible()
    await screenshot(page, "navigation-phone")
    await nav.get_by_role("link", name="Members", exact=True).click()
    await expect(page.get_by_role("heading", name="Members", exact=True)).to_be_visible()
    await expect(nav).to_be_hidden()


async def test_a_user_creates_renames_and_deletes_a_space_with_a_typed_confirmation(newcomer, open_as, web):
    account = await newcomer("Sam Spaces")
    first = await active_space_name(account)
    page = await open_as(account, path="/spaces")
    await expect(page.get_by_role("heading", name="Your spaces")).to_be_visible()
    await page.get_by_label("New space name").fill("Holiday films")
    await page.get_by_role("button", name="Create space").click()
    # The new space is the active one, named in the top bar's switcher.
    switcher = page.get_by_label("Active space")
    await expect(switcher.locator("option:checked")).to_have_text("Holiday films")

    card = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name="Holiday films"))
    await card.get_by_role("button", name="Rename").click()
    await card.get_by_label("New name").fill("Winter films")
    await card.get_by_role("button", name="Save name").click()
    await expect(switcher.locator("option:checked")).to_have_text("Winter films")

    # The last owner cannot leave: the server's own words say why.
    card = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name="Winter films"))
    await card.get_by_role("button", name="Leave", exact=True).click()
    await card.get_by_role("button", name="Leave Winter films").click()
    await expect(card.get_by_role("alert")).to_contain_text(re.compile("owner", re.I))

    await card.get_by_role("button", name="Delete", exact=True).click()
    delete = card.get_by_role("button", name="Delete Winter films for everyone")
    await expect(delete).to_be_disabled()
    await card.get_by_label("Type the space\N{RIGHT SINGLE QUOTATION MARK}s name to confirm").fill("Winter film")
    await expect(delete).to_be_disabled()
    await card.get_by_label("Type the space\N{RIGHT SINGLE QUOTATION MARK}s name to confirm").fill("Winter films")
    await screenshot(page, "spaces-delete")
    await delete.click()
    await expect(page.get_by_role("heading", name="Winter films")).to_have_count(0)
    # Back to one space: its name is shown in the top bar.
    await expect(page.get_by_role("link", name=f"Active space: {first}")).to_be_visible()
    spaces = await account.client.get("/api/spaces")
    assert [s["name"] for s in spaces.json()["items"]] == [first]


async def test_a_member_leaves_a_space_from_a_phone(newcomer, open_as, web):
    owner = await newcomer("Olive Owner")
    me = await owner.client.get("/api/auth/me")
    space_id = me.json()["active_space"]["id"]
    space = me.json()["active_space"]["name"]
    member = await newcomer("Milo Member", invited_by=owner, space_id=space_id)
    # The member makes a space of their own, so leaving the shared one leaves them somewhere.
    own = await member.client.post("/api/spaces", json={"name": "Milo's shelf"})
    assert own.status_code == 201, own.text
    page = await open_as(member, viewport=PHONE, path="/spaces")
    card = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=space))
    await card.get_by_role("button", name="Leave", exact=True).click()
    await card.get_by_role("button", name=f"Leave {space}").click()
    await expect(page.get_by_role("heading", name=space)).to_have_count(0)
    await expect(page.get_by_text(f"You left {space}.")).to_be_visible()
    members = await owner.client.get(f"/api/spaces/{space_id}/members")
    assert [m["name"] for m in members.json()["items"]] == ["Olive Owner"]


async def test_a_new_household_adds_its_first_title_by_hand(newcomer, open_as, web):
    account = await newcomer("Nina Newcomer")
    space = await active_space_name(account)
    for viewport, name in ((DESKTOP, "first-run-library"), (PHONE, "first-run-library-phone")):
        page = await open_as(account, viewport=viewport)
        await expect(page.get_by_role("heading", name=f"{space} has no titles yet")).to_be_visible()
        for way in ("Add by hand", "Search TMDB", "Scan a barcode", "Import from Plex", "Import from a file"):
            await expect(page.get_by_role("link", name=way)).to_be_visible()
        await screenshot(page, name)

    # No TMDB key in this space: Add opens on "By hand", which works.
    page = await open_as(account, path="/add")
    await expect(page.get_by_role("tab", name="By hand")).to_have_attribute("aria-selected", "true")
    # TMDB search says, in the server's words, that it is not set up, and links to the fix.
    await page.get_by_role("tab", name="Search TMDB").click()
    await page.get_by_role("form", name="Search TMDB").get_by_role("searchbox").fill("Heat")
    await page.get_by_role("form", name="Search TMDB").get_by_role("searchbox").press("Enter")
    alert = page.get_by_role("alert").filter(has_text="TMDB is not set up for this space")
    await expect(alert).to_be_visible()
    await expect(alert.get_by_role("link", name="Open Integrations")).to_have_attribute("href", "/space/integrations")
    await screenshot(page, "error-provider-not-configured")

    await page.get_by_role("tab", name="By hand").click()
    await page.get_by_label("Title", exact=True).fill("Heat")
    await page.get_by_role("button", name="Save title").click()
    await expect(page.get_by_role("heading", name="Heat")).to_be_visible()


async def test_back_returns_to_the_previous_filter_and_from_a_title_to_the_same_place(newcomer, open_as, web):
    account = await newcomer("Bea Back")
    for n in range(150):
        kind = "tv_series" if n % 3 == 0 else "movie"
        response = await account.client.post("/api/media", json={"media_type": kind, "title": f"Film {n:03d}"})
        assert response.status_code == 201, response.text
    page = await open_as(account, viewport=DESKTOP)
    await expect(page.get_by_text("150 titles")).to_be_visible()
    await page.get_by_label("Sort by").select_option("added")
    await expect(page).to_have_url(re.compile(r"sort=added"))
    await page.get_by_text("Filters", exact=True).click()
    await page.get_by_label("Type").select_option("tv_series")
    await expect(page.get_by_text("50 titles")).to_be_visible()
    await page.go_back()
    await expect(page.get_by_text("150 titles")).to_be_visible()
    await expect(page).to_have_url(re.compile(r"sort=added"))
    await expect(page.get_by_label("Type")).to_have_value("")

    # Scroll down until a second page is loaded, open a title, come back.
    cards = page.get_by_role("list", name="Titles").get_by_role("listitem")
    for _ in range(8):
        await page.mouse.wheel(0, 1200)
        await page.wait_for_timeout(150)
    # A title on screen, well below the first page of 60.
    href = await page.evaluate(
        """() => [...document.querySelectorAll('a[href^="/titles/"]')]
            .find(a => { const r = a.getBoundingClientRect(); return r.top > 150 && r.bottom < innerHeight; })
            ?.getAttribute('href')"""
    )
    before = await page.evaluate("window.scrollY")
    assert href
    assert before > 3000, before
    link = page.locator(f'a[href="{href}"]')
    title = (await link.inner_text()).split("\n")[0]
    await link.click()
    await expect(page.get_by_role("heading", name=title)).to_be_visible()
    await page.go_back()
    await expect(page.locator(f'a[href="{href}"]')).to_be_in_viewport()
    after = await page.evaluate("window.scrollY")
    assert abs(after - before) < 50, (before, after)
    assert await cards.count() > 0


async def test_the_plex_test_runs_on_the_typed_values_and_names_a_server_that_is_not_plex(
    newcomer, open_as, web, providers
):
    providers.plex.add_section("1", "Movies", "movie")
    account = await newcomer("Tess Tester")
    page = await open_as(account, path="/space/integrations")
    plex = page.get_by_role("form", name="Plex settings")
    card = page.get_by_role("region", name=re.compile("^Plex"))
    # The homelab mistake: the address of another web server (here, Shelfspace's own page).
    await plex.get_by_label("Server address").fill(web)
    await plex.get_by_label("Plex token").fill(PLEX_TOKEN)
    await plex.get_by_role("button", name="Test Plex").click()
    failed = card.get_by_role("status").filter(has_text="Test failed.")
    await expect(failed).to_contain_text("not a Plex server")
    await expect(failed).to_contain_text("Check the address and port")
    await expect(failed).to_contain_text("save them to keep them")
    await expect(card.get_by_role("heading")).to_contain_text("Not tested")  # nothing was saved
    await screenshot(page, "integrations-plex-not-plex")

    await plex.get_by_label("Server address").fill(providers.plex.url)
    await plex.get_by_role("button", name="Test Plex").click()
    await expect(card.get_by_role("status").filter(has_text="Test passed.")).to_contain_text("Fake Plex")
    settings = await account.client.get(
        f"/api/spaces/{(await account.client.get('/api/auth/me')).json()['active_space']['id']}/integrations"
    )
    plex_saved = next(i for i in settings.json()["items"] if i["provider"] == "plex")
    assert plex_saved["secret_set"] is False

    await plex.get_by_role("button", name="Save Plex").click()
    await expect(plex.get_by_text(re.compile(r"^Set"))).to_be_visible()
    await plex.get_by_role("button", name="Test Plex").click()
    await expect(page.get_by_role("region", name=re.compile("^Plex")).get_by_role("heading")).to_contain_text("Working")


async def test_a_link_to_a_title_of_another_of_my_spaces_opens_it_there(newcomer, open_as):
    account = await newcomer("Dee Deeplink")
    home = (await account.client.get("/api/auth/me")).json()["active_space"]
    other = await account.client.post("/api/spaces", json={"name": "Cellar films"})
    assert other.status_code == 201, other.text
    chosen = await account.client.post("/api/spaces/active", json={"space_id": other.json()["id"]})
    assert chosen.status_code == 200, chosen.text
    title = await account.client.post("/api/media", json={"media_type": "movie", "title": "Cellar Door"})
    assert title.status_code == 201, title.text
    back_home = await account.client.post("/api/spaces/active", json={"space_id": home["id"]})
    assert back_home.status_code == 200, back_home.text

    page = await open_as(account, viewport=PHONE, path=f"/titles/{title.json()['id']}")

    await expect(page.get_by_role("heading", name="Cellar Door")).to_be_visible()
    await expect(page.get_by_text("This title is in Cellar films, which is now your active space.")).to_be_visible()
    await expect(page.get_by_label("Active space").locator("option:checked")).to_have_text("Cellar films")


async def test_on_a_phone_invitations_are_cards_with_revoke_on_screen(newcomer, open_as):
    account = await newcomer("Ivy Inviter")
    space_id = (await account.client.get("/api/auth/me")).json()["active_space"]["id"]
    email = "a-rather-long-address-for-a-phone-screen@example.com"
    invited = await account.client.post(f"/api/spaces/{space_id}/invites", json={"email": email, "role": "member"})
    assert invited.status_code == 201, invited.text

    page = await open_as(account, viewport=PHONE, path="/space/invites")

    row = page.get_by_role("row").filter(has_text=email)
    revoke = row.get_by_role("button", name=re.compile("^Revoke"))
    await expect(revoke).to_be_visible()
    box = await revoke.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"], box
    await screenshot(page, "invitations-phone")
    await revoke.click()
    await expect(page.get_by_role("row").filter(has_text=email)).to_have_count(0)
