"""First run: the set-up page says it creates the administrator, who then lands in the library."""

import re

from playwright.async_api import Browser, expect

from tests.browser.conftest import screenshot
from tests.browser.harness import DESKTOP
from tests.support.identity import PASSWORD, identity_stack, unique_email


async def test_the_first_account_of_a_new_install_becomes_the_administrator(
    postgres, amqp_url, keys, system, web_dist, browser: Browser
):
    # A fresh install: its own empty identity database, the session's other services behind its gateway.
    upstreams = {f"{name}_url": app.url for name, app in system.services.items() if name != "identity"}
    async with identity_stack(postgres, amqp_url, keys, gateway={"frontend_dist": web_dist, **upstreams}) as stack:
        context = await browser.new_context(viewport=DESKTOP)
        page = await context.new_page()
        await page.goto(stack.url + "/")

        await expect(page.get_by_role("heading", name="Set up Shelfspace")).to_be_visible()
        await expect(page.get_by_text("becomes the administrator of this Shelfspace")).to_be_visible()
        await page.get_by_label("Name").fill("Ada Admin")
        await page.get_by_label("Email").fill(unique_email("first"))
        await page.get_by_label(re.compile("^Password")).fill(PASSWORD)
        await page.get_by_label("Repeat password").fill(PASSWORD)
        await screenshot(page, "first-run")
        await page.get_by_role("button", name="Create administrator account").click()

        await expect(page.get_by_role("heading", name="Library")).to_be_visible()
        await expect(page.get_by_role("heading", name=re.compile("has no titles yet"))).to_be_visible()
        await expect(page.get_by_role("link", name="Add by hand")).to_be_visible()
        admin = page.get_by_role("navigation", name="Main").get_by_role("list", name="Instance admin")
        await expect(admin.get_by_role("link", name="Users")).to_be_visible()  # an instance administrator
        await context.close()
