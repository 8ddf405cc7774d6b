"""Two-factor sign-in in the web app: enrolled from the profile (QR code, one code, recovery codes
shown once), then a fresh browser signs in with the password and a code from the app."""

import time

import pyotp
from playwright.async_api import expect

from tests.browser.harness import DESKTOP, signed_in_context
from tests.support.identity import new_user


async def test_a_user_enrols_two_factor_and_then_signs_in_with_a_code(system, web, browser):
    user = await new_user(system, name="Careful")
    context = await signed_in_context(browser, web, user.email, user.password)
    page = await context.new_page()
    await page.goto(web + "/profile")

    await page.get_by_role("button", name="Set up two-factor sign-in").click()
    await expect(page.get_by_role("img", name="QR code to scan with an authenticator app")).to_be_visible()
    key = (await page.get_by_label("Set-up key").inner_text()).replace(" ", "")
    await page.get_by_label("Code from the app").fill(pyotp.TOTP(key).now())
    await page.get_by_role("button", name="Turn on").click()
    codes = page.get_by_role("list", name="Your recovery codes").get_by_role("listitem")
    await expect(codes).to_have_count(10)
    await expect(page.get_by_role("button", name="Turn off two-factor sign-in")).to_be_visible()
    await context.close()

    fresh = await browser.new_context(viewport=DESKTOP)
    tab = await fresh.new_page()
    await tab.goto(web + "/login")
    await tab.get_by_label("Email").fill(user.email)
    await tab.get_by_label("Password", exact=True).fill(user.password)
    await tab.get_by_role("button", name="Sign in").click()
    await expect(tab.get_by_role("heading", name="Two-factor sign-in")).to_be_visible()
    assert not [c for c in await fresh.cookies() if c["name"].endswith("session")]  # half signed in
    # The next step's code: the enrolment used this step's, and a code never works twice.
    await tab.get_by_label("Authentication code").fill(pyotp.TOTP(key).at(time.time() + 30))
    await tab.get_by_role("button", name="Continue").click()
    await expect(tab.get_by_role("heading", name="Library")).to_be_visible()
    await fresh.close()
    await user.aclose()
