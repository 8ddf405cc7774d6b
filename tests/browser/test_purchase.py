"""What a copy cost and its condition, in the browser: recorded on a title's copy on a desktop and on a
phone (where a price without a currency takes the last one used), shown under the copy, and added up
per currency in the Insights value block."""

import uuid

from playwright.async_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.harness import PHONE


async def _title_with_a_copy(team, name: str, copy: dict) -> dict:
    body = {"title": name, "media_type": "movie", "year": 2001, "copies": [copy]}
    response = await team.space.member.client.post("/api/media", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def _fill_purchase(form, *, price: str, currency: str | None, day: str, store: str, condition: str) -> None:
    await form.get_by_label("Price").fill(price)
    if currency is not None:
        await form.get_by_label("Currency").fill(currency)
    await form.get_by_label("Date bought").fill(day)
    await form.get_by_label("Store").fill(store)
    await form.get_by_label("Condition").select_option(label=condition)


async def _value_block(page: Page):
    await page.goto(page.url.split("/titles")[0] + "/insights")
    return page.get_by_role("region", name="Value of the collection")


async def test_a_member_records_what_a_copy_cost_and_insights_add_it_up_per_currency(team):
    title = await _title_with_a_copy(team, f"Amélie {uuid.uuid4().hex[:4]}", {"format": "DVD"})
    page = await team.page("member", f"/titles/{title['id']}")

    await page.get_by_role("button", name="Edit DVD copy").click()
    form = page.get_by_role("form", name="Save copy")
    await _fill_purchase(form, price="24,99", currency="EUR", day="2024-03-09", store="Fnac", condition="Very good")
    await screenshot(page, "copy-purchase-form")
    await form.get_by_role("button", name="Save copy").click()

    line = page.get_by_test_id("copy-purchase")
    await expect(line).to_have_text("Condition: Very good · Bought 9 Mar 2024 at Fnac for €24.99")
    await page.reload()
    await expect(page.get_by_test_id("copy-purchase")).to_have_text(
        "Condition: Very good · Bought 9 Mar 2024 at Fnac for €24.99"
    )
    await screenshot(page, "copy-purchase")

    value = await _value_block(page)
    await expect(value.get_by_test_id("value-totals")).to_contain_text("€24.99")
    by_format = value.get_by_role("table", name="By format")
    await expect(by_format.get_by_role("row", name="DVD €24.99 1")).to_be_visible()
    by_year = value.get_by_role("table", name="By year bought")
    await expect(by_year.get_by_role("row", name="2024 €24.99 1")).to_be_visible()
    await screenshot(page, "insights-value")
    await page.close()


async def test_on_a_phone_a_price_without_a_currency_takes_the_last_one_used(team):
    title = await _title_with_a_copy(team, f"Brazil {uuid.uuid4().hex[:4]}", {"format": "Blu-ray"})
    page = await team.page("member", f"/titles/{title['id']}")
    await page.set_viewport_size(PHONE)

    await page.get_by_role("button", name="Edit Blu-ray copy").click()
    form = page.get_by_role("form", name="Save copy")
    await _fill_purchase(form, price="30", currency="gbp", day="2023-11-02", store="HMV", condition="Mint")
    await form.get_by_role("button", name="Save copy").click()
    await expect(page.get_by_test_id("copy-purchase")).to_have_text(
        "Condition: Mint · Bought 2 Nov 2023 at HMV for £30.00"
    )

    await page.get_by_role("button", name="Add a copy").click()
    added = page.get_by_role("form", name="Add copy")
    await added.get_by_label("Format").select_option("DVD")
    await expect(added.get_by_label("Currency")).to_have_attribute("placeholder", "GBP")
    await _fill_purchase(added, price="7.5", currency=None, day="2023-11-03", store="Oxfam", condition="Fair")
    await screenshot(page, "copy-purchase-phone")
    await added.get_by_role("button", name="Add copy").click()

    lines = page.get_by_test_id("copy-purchase")
    await expect(lines).to_have_count(2)
    await expect(lines.nth(1)).to_have_text("Condition: Fair · Bought 3 Nov 2023 at Oxfam for £7.50")
    value = await _value_block(page)
    by_year = value.get_by_role("table", name="By year bought")
    await expect(by_year.get_by_role("row", name="2023 £37.50 2")).to_be_visible()
    await by_year.scroll_into_view_if_needed()
    await screenshot(page, "insights-value-phone")
    await page.close()


async def test_a_bad_price_is_refused_and_the_copy_keeps_its_purchase(team):
    copy = {"format": "VHS", "purchase": {"price": 5, "currency": "EUR"}}
    title = await _title_with_a_copy(team, f"Ran {uuid.uuid4().hex[:4]}", copy)
    page = await team.page("member", f"/titles/{title['id']}")

    await page.get_by_role("button", name="Edit VHS copy").click()
    form = page.get_by_role("form", name="Save copy")
    await form.get_by_label("Price").fill("-3")
    await form.get_by_role("button", name="Save copy").click()

    await expect(page.get_by_role("alert")).to_contain_text("price")
    await page.reload()
    await expect(page.get_by_test_id("copy-purchase")).to_have_text("Bought for €5.00")
    await page.close()
