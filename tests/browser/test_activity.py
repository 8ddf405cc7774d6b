"""The activity log reads as sentences with names, and filters by a person and a kind picked from lists."""

import re
import uuid

from playwright.async_api import expect

from tests.browser.conftest import screenshot
from tests.browser.harness import PHONE, signed_in_context
from tests.support.audit import eventually
from tests.support.identity import admin_account, invite


async def _logged(team, action: str, user_id: uuid.UUID) -> bool:
    response = await team.space.admin.client.get(
        f"/api/spaces/{team.space_id}/activity", params={"action": action, "user_id": str(user_id)}
    )
    assert response.status_code == 200, response.text
    return bool(response.json()["items"])


async def test_the_activity_log_shows_sentences_and_filters_by_a_person_picked_from_a_list(team):
    added = await team.space.member.client.post(
        "/api/media", json={"title": "Alien", "media_type": "movie", "year": 1979}
    )
    assert added.status_code == 201, added.text
    guest = f"dave-{uuid.uuid4().hex[:6]}@example.com"
    await invite(team.space.owner, team.space_id, guest, "member")
    await eventually(lambda: _logged(team, "library.media.created", team.space.member.id))
    await eventually(lambda: _logged(team, "identity.invite.created", team.space.owner.id))

    page = await team.page("admin", "/space/activity")
    log = page.get_by_role("table", name="Activity")
    filters = page.get_by_role("form", name="Activity filters")
    await expect(log).to_contain_text("Member added “Alien” (1979)")
    await expect(log).to_contain_text(f"Owner invited {guest} as member")
    await expect(log).not_to_contain_text("library.media.created")  # kinds read as words, not event keys

    await filters.get_by_label("Person").select_option(label="Member")
    await expect(page).to_have_url(re.compile(rf"user_id={team.space.member.id}"))
    await expect(log).to_contain_text("Member added “Alien” (1979)")
    await expect(log).not_to_contain_text("Owner invited")
    await screenshot(page, "activity-log")
    await filters.get_by_label("Kind").select_option(label="Title added")
    await expect(page).to_have_url(re.compile(r"action=library\.media\.created"))
    await expect(log.locator("tbody tr").filter(has_text="Member added “Alien” (1979)")).to_have_count(1)

    await page.reload()  # the filters live in the URL
    await expect(filters.get_by_label("Person")).to_have_value(str(team.space.member.id))
    await expect(log).not_to_contain_text("Owner invited")
    await page.go_back()
    await expect(filters.get_by_label("Kind")).to_have_value("")
    await page.close()


async def test_the_instance_admin_picks_a_space_and_reads_its_activity_with_the_space_named(system, team, web, browser):
    added = await team.space.member.client.post(
        "/api/media", json={"title": "Brazil", "media_type": "movie", "year": 1985}
    )
    assert added.status_code == 201, added.text
    await eventually(lambda: _logged(team, "library.media.created", team.space.member.id))
    admin = await admin_account(system)
    context = await signed_in_context(browser, web, admin.email, admin.password)
    page = await context.new_page()
    await page.goto(f"{web}/admin/activity?user_id={team.space.member.id}")

    filters = page.get_by_role("form", name="Activity filters")
    await expect(filters.get_by_label("Person")).to_have_value(str(team.space.member.id))
    await filters.get_by_label("Kind").select_option(label="Title added")
    await filters.get_by_label(re.compile("^Space")).select_option(label=team.space.name)
    await expect(page).to_have_url(re.compile(rf"space_id={team.space_id}"))
    row = page.get_by_role("table", name="Activity").locator("tbody tr").filter(has_text="Member added “Brazil” (1985)")
    await expect(row).to_have_count(1)
    await expect(row).to_contain_text(team.space.name)
    await context.close()


async def test_on_a_phone_the_activity_log_reads_as_cards_under_folded_filters(team):
    added = await team.space.member.client.post(
        "/api/media", json={"title": "Solaris", "media_type": "movie", "year": 1972}
    )
    assert added.status_code == 201, added.text
    await eventually(lambda: _logged(team, "library.media.created", team.space.member.id))
    page = await team.page("admin", "/")
    await page.set_viewport_size(PHONE)
    await page.goto(team.web + "/space/activity")

    # Each entry is a card: its time above its sentence, the whole card on screen.
    card = (
        page.get_by_role("table", name="Activity").locator("tbody tr").filter(has_text="Member added “Solaris” (1972)")
    )
    await expect(card).to_have_count(1)
    when = await card.locator("td").nth(0).bounding_box()
    what = await card.locator("td").nth(1).bounding_box()
    assert when
    assert what
    assert when["y"] + when["height"] <= what["y"] + 1, (when, what)
    await expect(card).to_be_in_viewport(ratio=1)
    assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The filters are folded until asked for, and then fit the screen.
    filters = page.get_by_role("form", name="Activity filters")
    await expect(filters.get_by_label("Person")).to_be_hidden()
    await screenshot(page, "activity-log-phone")
    await page.locator("summary", has_text="Filters").click()
    await filters.get_by_label("Person").select_option(label="Member")
    await expect(page).to_have_url(re.compile(rf"user_id={team.space.member.id}"))
    await expect(filters.get_by_role("button", name="Apply filters")).to_be_in_viewport(ratio=1)
    assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    await page.reload()  # with a filter applied they open by themselves, and say how many apply
    await expect(page.locator("summary", has_text="Filters (1 active)")).to_be_visible()
    await expect(filters.get_by_label("Person")).to_be_visible()
    await page.close()
