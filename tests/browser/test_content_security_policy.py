"""The web app works under its Content Security Policy: pages, a cover photo preview (a blob: image),
a poster, an own cover served by the app, and not one violation reported by the browser."""

from playwright.async_api import ConsoleMessage, expect

from tests.browser.test_titles import PNG
from tests.support.images import picture


async def test_the_web_app_runs_under_its_csp_without_a_single_violation(team, providers):
    providers.tmdb.add_movie(1091, "The Thing", release_date="1982-06-25")
    providers.vision.answer('{"titles": [{"title": "The Thing", "year": 1982, "media_type": "movie"}]}')
    page = await team.page("member")
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text) if _is_violation(message) else None)

    document = await page.goto(team.web + "/add")
    assert "script-src 'self'" in document.headers["content-security-policy"]
    await page.get_by_role("tab", name="Cover photo").click()
    await page.get_by_role("button", name="Cover photo").set_input_files(
        {"name": "cover.png", "mimeType": "image/png", "buffer": PNG}
    )
    await expect(page.get_by_role("img", name="The chosen cover")).to_be_visible()
    await expect(page.get_by_role("list", name="Cover results").get_by_role("listitem")).to_have_count(1)
    await page.get_by_role("button", name="Use The Thing (1982)").click()
    await page.get_by_role("button", name="Save title").click()
    await expect(page.get_by_role("heading", name="The Thing", exact=True)).to_be_visible()
    await page.get_by_label("Upload cover").set_input_files(
        {"name": "own.jpg", "mimeType": "image/jpeg", "buffer": picture()}
    )
    await page.wait_for_function("() => document.querySelector('img.poster-large')?.src.includes('/api/covers/')")
    await page.wait_for_function("() => document.querySelector('img.poster-large')?.naturalWidth > 0")
    await page.get_by_role("link", name="Library").first.click()
    await expect(page.locator("#result-count")).to_be_visible()

    assert violations == []
    await page.close()


def _is_violation(message: ConsoleMessage) -> bool:
    return "Content Security Policy" in message.text


async def test_the_api_docs_render_the_merged_document_under_their_csp(team):
    page = await team.page("member")
    violations: list[str] = []
    failed: list[str] = []
    page.on("console", lambda message: violations.append(message.text) if _is_violation(message) else None)
    page.on("requestfailed", lambda request: failed.append(request.url))

    document = await page.goto(team.web + "/api/docs")
    assert "script-src 'self'" in document.headers["content-security-policy"]
    await expect(page.get_by_role("heading", name="Shelfspace API")).to_be_visible()
    await expect(page.get_by_role("button", name="Authorize")).to_be_visible()
    await expect(page.get_by_text("/api/auth/login/2fa").first).to_be_attached()

    assert violations == []
    assert all(url.startswith(team.web) for url in failed)
    await page.close()
