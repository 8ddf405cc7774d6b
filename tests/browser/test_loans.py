"""Lending a copy and getting it back, on a desktop (to a member of the space) and on a phone (to
someone by name): the title's copies show who has it, the library marks and filters titles on
loan, and the copy's loan history keeps each loan."""

import uuid

from playwright.async_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.harness import PHONE


async def _title_with_a_copy(team, name: str) -> dict:
    body = {"title": name, "media_type": "movie", "year": 1986, "copies": [{"format": "Blu-ray"}]}
    response = await team.space.member.client.post("/api/media", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def _return_and_check_history(page: Page) -> None:
    await page.get_by_role("button", name="Return Blu-ray copy").click()
    await expect(page.get_by_role("button", name="Lend Blu-ray copy")).to_be_visible()
    await page.get_by_role("button", name="Loan history of Blu-ray copy").click()
    history = page.get_by_role("list", name="Loan history of Blu-ray copy")
    await expect(history.get_by_role("listitem")).to_have_count(1)
    await expect(history).to_contain_text("returned")


async def test_a_member_lends_a_copy_to_another_member_and_gets_it_back(team):
    title = await _title_with_a_copy(team, f"Aliens {uuid.uuid4().hex[:4]}")
    page = await team.page("member", f"/titles/{title['id']}")

    await page.get_by_role("button", name="Lend Blu-ray copy").click()
    form = page.get_by_role("form", name="Lend Blu-ray copy")
    await form.get_by_label("Member").select_option(label="Viewer")
    await form.get_by_label("Due back (optional)").fill("2030-01-15")
    await form.get_by_role("button", name="Lend", exact=True).click()

    lent = page.get_by_text("Lent to Viewer on")
    await expect(lent).to_be_visible()
    await expect(lent).to_contain_text("due")
    await expect(lent).to_contain_text("2030")
    await screenshot(page, "loans")

    library = await team.page("member", f"/?loan=on_loan&q={title['title'].split()[1]}")
    card = library.get_by_role("listitem").filter(has_text=title["title"])
    await expect(card.get_by_text("On loan")).to_be_visible()
    await library.close()

    await _return_and_check_history(page)
    await page.close()


async def test_a_member_lends_a_copy_by_name_on_a_phone(team):
    title = await _title_with_a_copy(team, f"Predator {uuid.uuid4().hex[:4]}")
    page = await team.page("member", f"/titles/{title['id']}")
    await page.set_viewport_size(PHONE)

    await page.get_by_role("button", name="Lend Blu-ray copy").click()
    form = page.get_by_role("form", name="Lend Blu-ray copy")
    await form.get_by_label("Name of the borrower").fill("Dutch")
    await form.get_by_role("button", name="Lend", exact=True).click()

    await expect(page.get_by_text("Lent to Dutch on")).to_be_visible()
    await screenshot(page, "loans-phone")
    await _return_and_check_history(page)
    await page.close()


async def test_a_viewer_sees_a_loan_but_cannot_lend(team):
    title = await _title_with_a_copy(team, f"Commando {uuid.uuid4().hex[:4]}")
    copy_id = title["copies"][0]["id"]
    lent = await team.space.member.client.post(f"/api/copies/{copy_id}/loans", json={"borrower_name": "Bennett"})
    assert lent.status_code == 201, lent.text
    page = await team.page("viewer", f"/titles/{title['id']}")

    await expect(page.get_by_role("heading", name=title["title"])).to_be_visible()
    await expect(page.get_by_text("Lent to Bennett on")).to_be_visible()
    await expect(page.get_by_role("button", name="Lend Blu-ray copy")).to_have_count(0)
    await expect(page.get_by_role("button", name="Return Blu-ray copy")).to_have_count(0)
    await page.close()
