"""The space pages: invitations, roles shaping the UI, Plex settings, duplicates, switching spaces (activity:
test_activity.py)."""

import re

from playwright.async_api import expect

from tests.browser.conftest import PLEX_TOKEN, screenshot
from tests.browser.harness import DESKTOP
from tests.support.identity import PASSWORD, unique_email


async def add_title(account, **fields) -> dict:
    response = await account.client.post("/api/media", json={"media_type": "movie", **fields})
    assert response.status_code == 201, response.text
    return response.json()


async def test_the_owner_invites_a_member_and_a_viewer_who_register_through_the_link(team):
    owner = await team.page("owner", "/space/invites")
    invited = []
    for role, name in (("member", "Mia Member"), ("viewer", "Vic Viewer")):
        email = unique_email(role)
        invited.append(email)
        await owner.get_by_label("Email").fill(email)
        await owner.get_by_label("Role").select_option(role)
        await owner.get_by_role("button", name="Create invitation").click()
        await expect(owner.get_by_role("region", name="New invitation link")).to_contain_text(email)
        link = await owner.get_by_role("textbox", name="Invitation link").input_value()
        assert re.search(r"/invite/[\w-]+$", link), link
        if role == "viewer":
            await screenshot(owner, "invitations")

        context = await team.browser.new_context(viewport=DESKTOP)
        guest = await context.new_page()
        await guest.goto(link)
        await expect(guest.get_by_role("heading", name="Accept your invitation")).to_be_visible()
        await guest.get_by_label("Name").fill(name)
        await guest.get_by_label("Email").fill(email)
        await guest.get_by_label(re.compile("^Password")).fill(PASSWORD)
        await guest.get_by_label("Repeat password").fill(PASSWORD)
        await guest.get_by_role("button", name="Create account").click()
        await expect(guest.get_by_role("heading", name="Library")).to_be_visible()
        await expect(guest.get_by_role("link", name="Add title")).to_have_count(1 if role == "member" else 0)
        await context.close()

    await owner.reload()
    await owner.get_by_label("Show used, revoked and expired invitations").check()
    for email in invited:
        row = owner.get_by_role("table", name="Invitations").get_by_role("row").filter(has_text=email)
        await expect(row).to_contain_text("Used")
    await owner.close()


async def test_a_viewer_sees_no_edit_controls(team):
    title = await add_title(team.space.member, title="Paris, Texas", year=1984, copies=[{"format": "DVD"}])
    page = await team.page("viewer", f"/titles/{title['id']}")

    await expect(page.get_by_role("heading", name="Paris, Texas")).to_be_visible()
    await expect(page.get_by_role("button", name="Save my notes")).to_be_visible()  # their own notes only
    for control in ("Edit title", "Move to trash", "Add a copy", "Edit", "Remove"):
        await expect(page.get_by_role("button", name=control, exact=True)).to_have_count(0)
    await expect(page.get_by_role("link", name="Add", exact=True)).to_have_count(0)
    await expect(page.get_by_role("link", name="Integrations")).to_have_count(0)
    await page.goto(team.web + "/add")
    await expect(page.get_by_text("Your role in this space is viewer")).to_be_visible()
    await page.close()


async def test_an_admin_configures_plex_and_the_test_shows_the_server_and_its_sections(team, providers):
    providers.plex.add_section("1", "Movies", "movie")
    providers.plex.add_section("2", "TV Shows", "show")
    page = await team.page("admin", "/space/integrations")
    plex = page.get_by_role("form", name="Plex settings")

    await plex.get_by_label("Server address").fill(providers.plex.url)
    await plex.get_by_label("Plex token").fill(PLEX_TOKEN)
    await plex.get_by_role("button", name="Save Plex").click()
    await expect(plex.get_by_text(re.compile(r"^Set"))).to_be_visible()
    await plex.get_by_role("button", name="Test Plex").click()

    answer = page.get_by_role("status").filter(has_text="Test passed.")
    await expect(answer).to_contain_text("Server: Fake Plex")
    await expect(plex.get_by_role("checkbox", name=re.compile("Movies"))).to_be_visible()
    await expect(plex.get_by_role("checkbox", name=re.compile("TV Shows"))).to_be_visible()
    await expect(plex.get_by_label("Plex token")).to_have_value("")  # the secret is never shown back
    await screenshot(page, "integrations-plex")
    await page.close()


async def test_an_admin_merges_duplicates_and_reverts_the_merge(team):
    await add_title(team.space.admin, title="Heat", year=1995, tmdb_id=949, copies=[{"format": "DVD"}])
    await add_title(team.space.admin, title="Heat", year=1995, tmdb_id=949, copies=[{"format": "Blu-ray"}])
    page = await team.page("admin", "/duplicates")

    group = page.get_by_role("region", name=re.compile("Heat"))
    await expect(group).to_be_visible()
    await group.get_by_role("radio").first.check()
    await screenshot(page, "duplicates")
    await group.get_by_role("button", name="Merge into the selected title").click()
    await expect(page.get_by_text("Merged into “Heat”.")).to_be_visible()
    await expect(page.get_by_role("region", name=re.compile("Heat"))).to_have_count(0)

    await page.reload()
    await page.get_by_role("list", name="Merges").get_by_role("button", name=re.compile("^Revert merge")).first.click()
    await expect(page.get_by_role("region", name=re.compile("Heat"))).to_be_visible()
    await page.close()


async def test_the_owner_switches_between_spaces(team):
    await add_title(team.space.owner, title="Only In The Shared Space", year=2001)
    page = await team.page("owner", "/")
    await expect(page.get_by_role("link", name=re.compile("Only In The Shared Space"))).to_be_visible()

    await page.get_by_label("Active space").select_option(label="Owner's space")
    await expect(page.get_by_role("heading", name="Owner's space has no titles yet")).to_be_visible()
    await page.get_by_label("Active space").select_option(label=team.space.name)
    await expect(page.get_by_role("link", name=re.compile("Only In The Shared Space"))).to_be_visible()
    await page.close()
