"""Single sign-on in the web app, against the local OpenID provider: the admin tests and sees the
provider, a person signs in with "Sign in with …" and lands on the page they asked for, and a
refused sign-in comes back to the sign-in page with its reason."""

from playwright.async_api import expect

from tests.browser.harness import DESKTOP, signed_in_context
from tests.fakes.oidc import FakeOidcProvider
from tests.support.identity import identity_stack, register, unique_email


async def test_a_person_signs_in_with_the_local_provider(postgres, amqp_url, keys, web_dist, browser):
    loopback = {"outbound_allowed_networks": "127.0.0.1/32"}
    async with (
        FakeOidcProvider() as idp,
        identity_stack(
            postgres, amqp_url, keys, identity=loopback, gateway={"frontend_dist": web_dist}, public_url=True
        ) as stack,
    ):
        admin = await register(stack.url, email=unique_email("admin"), name="Admin")
        provider = {
            "id": "home", "name": "Home Login", "issuer": idp.url, "client_id": idp.client_id,
            "client_secret": idp.client_secret, "auto_create": True,
        }  # fmt: skip
        saved = await admin.client.put("/api/admin/sso", json={"providers": [provider]})
        assert saved.status_code == 200, saved.text

        admin_context = await signed_in_context(browser, stack.url, admin.email, admin.password)
        settings = await admin_context.new_page()
        await settings.goto(stack.url + "/admin/sso")
        await expect(settings.get_by_text(f"{stack.url}/api/auth/sso/home/callback")).to_be_visible()
        await expect(settings.get_by_label("Client secret")).to_have_value("")
        await settings.get_by_role("button", name="Test").click()
        await expect(settings.get_by_role("status").filter(has_text="Found the provider")).to_be_visible()
        await admin_context.close()

        email = unique_email("sso")
        idp.sign_in_as(email=email, name="Browser Person")
        context = await browser.new_context(viewport=DESKTOP)
        page = await context.new_page()
        await page.goto(stack.url + "/login?next=/profile")
        await page.get_by_role("link", name="Sign in with Home Login").click()
        await expect(page.get_by_role("heading", name="Profile")).to_be_visible()
        await expect(page.get_by_label("Email")).to_have_value(email)
        await context.close()

        idp.sign_in_as(email=unique_email("unverified"), email_verified=False)
        refused = await browser.new_context(viewport=DESKTOP)
        tab = await refused.new_page()
        await tab.goto(stack.url + "/login")
        await tab.get_by_role("link", name="Sign in with Home Login").click()
        await expect(tab.get_by_role("alert")).to_contain_text("not verified at the provider")
        await expect(tab.get_by_role("heading", name="Sign in")).to_be_visible()
        await refused.close()
        await admin.aclose()
