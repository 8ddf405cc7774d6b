"""An own cover, uploaded from a phone: the title page offers the picker (which lets a phone take a
photo), shows the cover at once in place of the placeholder, and removes it again; the image is served
from the app's own origin, so its Content Security Policy reports nothing."""

import re
import uuid

from playwright.async_api import ConsoleMessage, expect

from tests.browser.conftest import screenshot
from tests.browser.harness import PHONE
from tests.support.images import picture


async def test_a_member_uploads_and_removes_a_cover_on_a_phone(team):
    body = {"title": f"Stalker {uuid.uuid4().hex[:4]}", "media_type": "movie", "year": 1979}
    title = (await team.space.member.client.post("/api/media", json=body)).json()
    page = await team.page("member", f"/titles/{title['id']}")
    await page.set_viewport_size(PHONE)
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if _is_violation(m) else None)

    panel = page.get_by_test_id("cover-panel")
    picker = panel.get_by_label("Upload cover")
    assert await picker.get_attribute("accept") == "image/jpeg,image/png,image/webp"
    await expect(page.get_by_test_id("poster-placeholder")).to_be_visible()
    await picker.set_input_files(
        {"name": "IMG_0042.jpg", "mimeType": "image/jpeg", "buffer": picture((900, 1350), exif_gps=True)}
    )

    poster = page.locator("img.poster-large")
    await expect(poster).to_have_attribute("src", re.compile(r"/api/covers/[A-Za-z0-9_-]{43}/500\.webp$"))
    await expect(poster).to_have_attribute("srcset", re.compile(r"200w.*500w.*1000w"))
    await page.wait_for_function("() => document.querySelector('img.poster-large')?.naturalWidth > 0")
    await expect(panel.get_by_text("Replace cover")).to_be_visible()
    fits = await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    await screenshot(page, "covers-phone")

    await panel.get_by_role("button", name="Remove cover").click()
    await expect(page.get_by_test_id("poster-placeholder")).to_be_visible()
    await expect(panel.get_by_text("Upload cover")).to_be_visible()
    await page.close()

    assert fits, "the title page scrolls sideways at phone width"
    assert violations == []


async def test_a_refused_file_says_why(team):
    body = {"title": f"Solaris {uuid.uuid4().hex[:4]}", "media_type": "movie"}
    title = (await team.space.member.client.post("/api/media", json=body)).json()
    page = await team.page("member", f"/titles/{title['id']}")
    await page.set_viewport_size(PHONE)

    await page.get_by_label("Upload cover").set_input_files(
        {"name": "cover.jpg", "mimeType": "image/jpeg", "buffer": b"<svg xmlns='http://www.w3.org/2000/svg'/>"}
    )

    await expect(page.get_by_test_id("cover-panel")).to_contain_text("not a JPEG, PNG or WebP image")
    await expect(page.get_by_test_id("poster-placeholder")).to_be_visible()
    await page.close()


def _is_violation(message: ConsoleMessage) -> bool:
    return "Content Security Policy" in message.text
