"""Tags and saved views in the browser: a member tags a title on its page, opens the library filtered
by the tag, saves that view for the space and finds it in the navigation; an admin merges two tags on
the Tags page; the title's tags at phone width."""

import uuid

from playwright.async_api import expect

from tests.browser.conftest import screenshot
from tests.browser.harness import PHONE


async def _title(team, name: str, year: int, tags: list[str]) -> dict:
    body = {"title": name, "media_type": "movie", "year": year, "tags": tags}
    response = await team.space.member.client.post("/api/media", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_member_tags_a_title_and_saves_the_tag_s_view_for_the_space(team):
    tag = f"Rainy day {uuid.uuid4().hex[:4]}"
    first = await _title(team, f"The Big Sleep {uuid.uuid4().hex[:4]}", 1946, [])
    second = await _title(team, f"Out of the Past {uuid.uuid4().hex[:4]}", 1947, [tag])
    await _title(team, f"Untagged {uuid.uuid4().hex[:4]}", 1950, [])
    page = await team.page("member", f"/titles/{first['id']}")

    await page.get_by_label("New tag").fill(f"  {tag.upper()} ")
    await page.get_by_role("button", name="Add tag").click()
    chips = page.get_by_role("region", name="Tags")
    await expect(chips.get_by_role("link", name=tag, exact=True)).to_be_visible()  # the space's spelling
    await expect(chips.get_by_role("button", name=f"Remove the tag {tag}")).to_be_visible()

    await chips.get_by_role("link", name=tag, exact=True).click()
    await expect(page.get_by_text("2 titles")).to_be_visible()
    await page.get_by_label("Sort by").select_option("year")
    await expect(page.get_by_role("main")).to_contain_text(second["title"])
    await page.get_by_role("button", name="Save view").click()
    form = page.get_by_role("form", name="Save this view")
    await form.get_by_label("Name").fill(f"Weekend {tag}")
    await form.get_by_label("Share with the space").check()
    await form.get_by_role("button", name="Save view").click()

    views = page.get_by_role("list", name="Saved views")
    await expect(views.get_by_role("link", name=f"Weekend {tag}")).to_be_visible()
    await expect(page.get_by_text(f"Saved view: Weekend {tag}")).to_be_visible()
    await screenshot(page, "saved-view")

    other = await team.page("viewer", "/")
    await expect(other.get_by_role("heading", name="Library")).to_be_visible()
    await expect(other.get_by_role("list", name="Saved views")).to_have_count(0)  # views are for members
    await other.close()

    admin = await team.page("admin", "/")
    await admin.get_by_role("list", name="Saved views").get_by_role("link", name=f"Weekend {tag}").click()
    await expect(admin.get_by_text("2 titles")).to_be_visible()
    await expect(admin.get_by_label("Tag", exact=True)).to_have_value(tag)
    await expect(admin.get_by_label("Sort by")).to_have_value("year")
    await admin.close()
    await page.close()


async def test_an_admin_merges_two_tags_on_the_tags_page(team):
    suffix = uuid.uuid4().hex[:4]
    old, kept = f"scifi {suffix}", f"Science fiction {suffix}"
    await _title(team, f"Alien {suffix}", 1979, [old])
    await _title(team, f"Solaris {suffix}", 1972, [kept])
    page = await team.page("admin", "/tags")
    page.on("dialog", lambda dialog: dialog.accept())

    tags = page.get_by_role("table", name="Tags")
    await expect(tags.get_by_role("link", name=old, exact=True)).to_be_visible()
    await tags.get_by_role("button", name=f"Rename {old}").click()
    await page.get_by_label("New name").fill(kept.upper())
    await page.get_by_role("button", name="Merge").click()

    await expect(page.get_by_text(f"Merged “{old}” into “{kept}”.")).to_be_visible()
    await expect(tags.get_by_role("link", name=old, exact=True)).to_have_count(0)
    row = tags.get_by_role("row").filter(has=page.get_by_role("link", name=kept, exact=True))
    await expect(row).to_contain_text("2")
    await screenshot(page, "tags")
    await page.close()


async def test_a_title_s_tags_at_phone_width(team):
    tag = f"Criterion {uuid.uuid4().hex[:4]}"
    title = await _title(team, f"Stalker {uuid.uuid4().hex[:4]}", 1979, [tag, "Slow cinema"])
    page = await team.page("member", f"/titles/{title['id']}")
    await page.set_viewport_size(PHONE)

    chips = page.get_by_role("region", name="Tags")
    await chips.get_by_role("button", name=f"Remove the tag {tag}").click()
    await expect(chips.get_by_role("link", name=tag, exact=True)).to_have_count(0)
    await page.get_by_label("New tag").fill("Tarkovsky")
    await page.get_by_role("button", name="Add tag").click()
    await expect(chips.get_by_role("link", name="Tarkovsky", exact=True)).to_be_visible()
    await chips.scroll_into_view_if_needed()
    await screenshot(page, "tags-phone")
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    await page.close()
