"""How the browser tests and the web app bench run the web app: built from frontend/, in Debian's
Chromium under Playwright, in browser contexts signed in as a user."""

import subprocess
import uuid
from pathlib import Path

from playwright.async_api import Browser, BrowserContext, Playwright

from tests.support.identity import login

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"
DIST = FRONTEND / "dist"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Every host but this machine's fails to resolve: the browser sends nothing off it (seeded titles,
# for one, name posters on an image CDN).
OFF_MACHINE = "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def _newest_source_change() -> float:
    sources = [p for p in (FRONTEND / "src").rglob("*") if p.is_file()]
    sources += [FRONTEND / name for name in ("index.html", "package.json", "vite.config.ts")]
    return max(p.stat().st_mtime for p in sources)


def built_web_app() -> Path:
    """frontend/dist, built first if it is missing or older than the sources."""
    index = DIST / "index.html"
    if not index.is_file() or index.stat().st_mtime < _newest_source_change():
        subprocess.run(["npm", "run", "build"], cwd=FRONTEND, check=True, capture_output=True)
    return DIST


async def launch(playwright: Playwright, *host_rules: str, args: tuple[str, ...] = ()) -> Browser:
    """Chromium; `host_rules` (such as "MAP cdn.example 127.0.0.1:8443") apply before the rule that
    keeps every other host off the machine."""
    resolve = f"--host-resolver-rules={', '.join([*host_rules, OFF_MACHINE])}"
    return await playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, resolve, *args])


async def signed_in_context(
    browser: Browser,
    web: str,
    email: str,
    password: str,
    space_id: uuid.UUID | None = None,
    viewport: dict[str, int] = DESKTOP,
) -> BrowserContext:
    """A browser context carrying a fresh session of this user (signed in through the API), in `space_id`."""
    account = await login(web, email, password)
    try:
        if space_id is not None:  # the active space belongs to the session
            chosen = await account.client.post("/api/spaces/active", json={"space_id": str(space_id)})
            assert chosen.status_code == 200, chosen.text
        context = await browser.new_context(viewport=viewport, base_url=web)
        context.set_default_timeout(10_000)
        await context.add_cookies([{"name": c.name, "value": c.value, "url": web} for c in account.client.cookies.jar])
        return context
    finally:
        await account.aclose()
