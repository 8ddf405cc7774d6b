"""Accounts in the web app: an admin's reset link used in a fresh browser, and a personal API token
created, used by a script, and revoked."""

import re

from playwright.async_api import expect

from tests.browser.harness import DESKTOP, signed_in_context
from tests.support.identity import admin_account, gateway_client, new_user

NEW_PASSWORD = "a passphrase chosen in the browser"


async def test_an_admin_gives_a_reset_link_and_the_user_chooses_a_new_password_with_it(system, web, browser):
    admin = await admin_account(system)
    user = await new_user(system, name=f"Forgetful {admin.id.hex[:4]}")
    context = await signed_in_context(browser, web, admin.email, admin.password)
    page = await context.new_page()
    await page.goto(web + "/admin/users")

    await page.get_by_role("button", name=f"Send reset link to {user.user['name']}").first.click()
    link = await page.get_by_role("textbox", name=f"Reset link for {user.user['name']}").input_value()
    assert re.search(r"/reset-password\?token=[\w-]+$", link), link
    await context.close()

    stranger = await browser.new_context(viewport=DESKTOP)
    tab = await stranger.new_page()
    await tab.goto(link)
    await tab.get_by_role("textbox", name=re.compile("^New password")).fill(NEW_PASSWORD)
    await tab.get_by_label("Repeat the new password", exact=True).fill(NEW_PASSWORD)
    await tab.get_by_role("button", name="Set the new password").click()
    await expect(tab.get_by_role("heading", name="Sign in")).to_be_visible()
    await tab.get_by_label("Email").fill(user.email)
    await tab.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    await tab.get_by_role("button", name="Sign in").click()
    await expect(tab.get_by_role("heading", name="Library")).to_be_visible()

    await tab.goto(link)
    await tab.get_by_role("textbox", name=re.compile("^New password")).fill("yet another passphrase")
    await tab.get_by_label("Repeat the new password", exact=True).fill("yet another passphrase")
    await tab.get_by_role("button", name="Set the new password").click()
    await expect(tab.get_by_role("alert")).to_contain_text("already used")
    assert (await user.client.get("/api/auth/me")).status_code == 401  # the old session ended
    await stranger.close()


async def test_a_member_creates_a_token_a_script_uses_it_and_revoking_stops_it(team):
    page = await team.page("member", "/profile/tokens")
    await page.get_by_label("Name").fill("nightly backup")
    await page.get_by_label("Role").select_option("member")
    await page.get_by_role("button", name="Create token").click()
    secret = await page.get_by_role("textbox", name="Token secret").input_value()
    row = page.get_by_role("table", name="API tokens").get_by_role("row").filter(has_text="nightly backup")
    last_used = row.get_by_role("cell").nth(2)
    await expect(last_used).to_have_text("Never")

    async with gateway_client(team.web, headers={"authorization": f"Bearer {secret}"}) as script:
        assert (await script.get("/api/media")).status_code == 200
        await page.reload()
        await expect(last_used).not_to_have_text("Never")
        page.once("dialog", lambda dialog: dialog.accept())
        await row.get_by_role("button", name="Revoke nightly backup").click()
        await expect(row).to_have_count(0)
        assert (await script.get("/api/media")).status_code == 401
    await page.close()
