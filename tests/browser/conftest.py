"""The web app in Debian's Chromium, driven by Playwright, against the whole running system.

One browser per session; one signed-in browser context per role of a shared space (`team`), with
the provider fakes configured in that space's integrations; a sync worker (`sync_worker`) for the
tests that run imports. Screenshots for the user guide are written to docs/images/ by the tests that
show each page.
"""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import anyio
import pytest
from playwright.async_api import Browser, BrowserContext, Locator, Page, async_playwright, expect

from shelfspace_contracts.features import Feature
from sync.worker import Worker
from tests.browser.harness import built_web_app, launch, signed_in_context
from tests.fakes.plex import FakePlex
from tests.fakes.tmdb import FakeTmdb
from tests.fakes.upcitemdb import FakeUpcItemDb
from tests.fakes.vision import FakeVision
from tests.support.fixtures import gateway_over
from tests.support.identity import Account, SpaceWithRoles, features, make_space_with_roles
from tests.support.servers import RunningApp

ROOT = Path(__file__).resolve().parents[2]
IMAGES = ROOT / "docs" / "images"
PLEX_TOKEN = "plex-token-0123456789"
TMDB_KEY = "0123456789abcdef0123456789abcdef"


@pytest.fixture(scope="session")
def web_dist() -> Path:
    """frontend/dist, built once if it is missing or older than the sources."""
    return built_web_app()


@pytest.fixture(scope="session")
async def web(system, web_dist: Path, keys, amqp_url: str) -> AsyncIterator[str]:
    """A gateway serving the built web app over the session's running services, with every feature
    flag on (the pages show what the instance has on); its base URL."""
    from gateway.main import create_app as create_gateway

    urls = {name: app.url for name, app in system.services.items()}
    settings = gateway_over(urls, keys, amqp_url, frontend_dist=web_dist)
    async with features(system, **dict.fromkeys(Feature, True)):
        gateway = await RunningApp(lambda: create_gateway(settings)).start()
        try:
            yield gateway.url
        finally:
            await gateway.stop()


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await launch(playwright)
        expect.set_options(timeout=10_000)
        try:
            yield launched
        finally:
            await launched.close()


@dataclass
class Providers:
    tmdb: FakeTmdb
    upcitemdb: FakeUpcItemDb
    vision: FakeVision
    plex: FakePlex


@pytest.fixture(scope="session")
async def providers() -> AsyncIterator[Providers]:
    fakes = Providers(FakeTmdb(api_key=TMDB_KEY), FakeUpcItemDb(), FakeVision(), FakePlex(token=PLEX_TOKEN))
    for fake in vars(fakes).values():
        await fake.start()
    try:
        yield fakes
    finally:
        for fake in vars(fakes).values():
            await fake.stop()


@pytest.fixture(scope="session")
async def sync_worker(system) -> AsyncIterator[Worker]:
    """A sync worker for the session's import jobs (the `system` fixture runs the sync API only).

    It is the worker `python -m sync.worker` runs, in this process, with the sync API's settings and
    pages of 50 items, so a few hundred items make several steps.
    """
    settings = system.services["sync"].app.state.settings.model_copy(update={"batch_size": 50})
    worker = await Worker(settings).start()
    try:
        await worker.broker.wait_ready(10)  # its step queue is declared before any job is started
        yield worker
    finally:
        await worker.stop(grace_seconds=2)


async def configure(account: Account, space_id: uuid.UUID, provider: str, **fields) -> None:
    response = await account.client.put(f"/api/spaces/{space_id}/integrations/{provider}", json=fields)
    assert response.status_code == 200, response.text


@dataclass
class Team:
    """A space with one user per role, its lookups pointed at the fakes, and a browser context per role."""

    space: SpaceWithRoles
    web: str
    browser: Browser
    contexts: dict[str, BrowserContext] = field(default_factory=dict)

    @property
    def space_id(self) -> uuid.UUID:
        return self.space.space_id

    async def page(self, role: str, path: str = "/") -> Page:
        """A new tab signed in as `role` (one shared browser context per role), opened at `path`."""
        if role not in self.contexts:
            account = self.space.by_role()[role]
            self.contexts[role] = await signed_in_context(
                self.browser, self.web, account.email, account.password, self.space_id
            )
        page = await self.contexts[role].new_page()
        await page.goto(self.web + path)
        return page


@pytest.fixture(scope="session")
async def team(system, web: str, browser: Browser, providers: Providers) -> AsyncIterator[Team]:
    space = await make_space_with_roles(system, name=f"Family films {uuid.uuid4().hex[:4]}")
    owner = space.owner
    await configure(owner, space.space_id, "tmdb", base_url=providers.tmdb.base_url, token=TMDB_KEY)
    await configure(owner, space.space_id, "barcode", base_url=providers.upcitemdb.base_url)
    await configure(owner, space.space_id, "vision", base_url=providers.vision.base_url, token="sk-vision-0123456789")
    crew = Team(space, web, browser)
    try:
        yield crew
    finally:
        for context in crew.contexts.values():
            await context.close()
        await space.aclose()


async def screenshot(page: Page, name: str) -> None:
    """A screenshot for the user guide: docs/images/<name>.png at the page's viewport size."""
    IMAGES.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(IMAGES / f"{name}.png"))


async def downloaded(page: Page, link: Locator) -> tuple[str, str]:
    """Clicks a download link; the file's suggested name and its text (UTF-8, with or without BOM)."""
    async with page.expect_download() as downloading:
        await link.click()
    download = await downloading.value
    return download.suggested_filename, await anyio.Path(await download.path()).read_text(encoding="utf-8-sig")
