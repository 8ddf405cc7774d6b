"""Moving from collectZ in the web app: an instance admin's dry run reports what a collectZ database
holds and would bring, writes nothing, and leaves no trace of the URL in the browser's storage."""

import re

from playwright.async_api import expect

from services.sync.tests.collectz_db import collectz_database
from tests.browser.conftest import screenshot, signed_in_context
from tests.support.identity import admin_account, gateway_client

OLD_PASSWORD = "old collectz password"


async def can_sign_in(web: str, email: str) -> bool:
    async with gateway_client(web) as client:
        response = await client.post("/api/auth/login", json={"email": email, "password": OLD_PASSWORD})
    return response.status_code == 200


async def test_an_instance_admin_dry_runs_a_collectz_database_and_sees_what_it_would_bring(
    system, postgres, sync_worker, browser, web
):
    admin = await admin_account(system)
    async with collectz_database(postgres, "2.x") as cz:
        dad = await cz.user("dad", OLD_PASSWORD, "admin")
        kid = await cz.user("kid", OLD_PASSWORD, "user")
        family = await cz.group("Family", {dad: "owner", kid: "viewer"})
        await cz.media("Alien", media_type="movie", library_id=family, format="4K UHD", year=1979)
        await cz.media("Dune", media_type="book", library_id=family)

        context = await signed_in_context(browser, web, admin.email, admin.password)
        page = await context.new_page()
        await page.goto(web + "/import")
        move = page.get_by_role("region", name="Move from collectZ")
        await expect(move.get_by_role("button", name="Import from collectZ")).to_be_disabled()

        await move.get_by_label("collectZ database URL").fill(cz.url)
        await move.get_by_role("button", name="Dry run", exact=True).click()

        # The report: which collectZ it is, and what it would bring, kind by kind.
        report = move.get_by_role("region", name="collectZ dry run")
        await expect(report.get_by_test_id("job-status")).to_have_text("Finished", timeout=60_000)
        await expect(report.get_by_test_id("dry-run-note")).to_be_visible()
        await expect(report).to_contain_text("Generation: 2.x")
        kinds = report.get_by_role("table", name="What the import found")
        await expect(kinds.get_by_role("row", name=re.compile(r"^Users\b"))).to_contain_text("2 created")
        await expect(kinds.get_by_role("row", name=re.compile(r"^Spaces\b"))).to_contain_text("1 created")
        await expect(kinds.get_by_role("row", name=re.compile(r"^Titles\b"))).to_contain_text(
            "1 created, 1 not imported"
        )
        await expect(report.get_by_role("table", name="Items that were not imported")).to_contain_text("Dune")
        if postgres.password:
            await expect(report).to_contain_text(":•••@")
            assert postgres.password not in await report.inner_text()
        await report.evaluate("element => element.scrollIntoView()")
        await screenshot(page, "import-collectz")

        # The import is offered now, for exactly what the dry run checked; the browser kept nothing.
        await expect(move.get_by_role("button", name="Import from collectZ")).to_be_enabled()
        stored = await page.evaluate("() => [Object.keys(localStorage), Object.keys(sessionStorage)]")
        assert stored == [[], []]
        await move.get_by_label("collectZ database URL").fill(cz.url + "?sslmode=disable")
        await expect(move.get_by_role("button", name="Import from collectZ")).to_be_disabled()

        # The instance's past moves list it (newest first), its report one click away.
        # Other collectZ moves of this instance may be listed too; this one is a finished dry run.
        rows = move.get_by_role("table", name="collectZ imports").locator("tbody tr")
        past = rows.filter(has_text="collectz import (dry run)").filter(has_text="Finished").first
        await expect(past).to_be_visible()
        await past.get_by_role("button", name="Details").click()
        await expect(move.get_by_role("region", name="Job details").get_by_test_id("dry-run-note")).to_be_visible()
        await context.close()

        # The dry run wrote nothing: collectZ's people cannot sign in yet.
        assert not await can_sign_in(web, cz.email("dad"))
