"""The web app bench: the library page in Chromium over a space of 100k titles, and over a small
space in the same run for comparison (docs/performance.md, "Web app at 100k titles")."""

import os
import time
import uuid
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, async_playwright

from bench.harness import write_result
from bench.library.seed import RARE_WORD, SpacePlan
from bench.library.stack import Process, Stack
from bench.webapp.browser import Tab, prepare
from bench.webapp.posters import PosterServer
from bench.webapp.seeding import seed_library
from shelfspace_kernel.migrations import migrate
from tests.browser.harness import built_web_app, launch, signed_in_context
from tests.support import infra
from tests.support.fixtures import Keys
from tests.support.identity import Account, register

TITLES = int(os.environ.get("BENCH_WEBAPP_TITLES", "100000"))
BASELINE_TITLES = int(os.environ.get("BENCH_WEBAPP_BASELINE_TITLES", "500"))
PAGES = int(os.environ.get("BENCH_WEBAPP_PAGES", "40"))
SCROLL_PX_PER_FRAME = 120
SCROLL_MAX_FRAMES = 1_500
PASSWORD = "bench-password-0123456789"
# Figures compared between the two spaces: name → where it is in a space's figures.
COMPARED = {
    "first_cards_ms": ("first_page", "first_cards_ms"),
    "first_posters_ms": ("first_page", "first_posters_ms"),
    "next_page_p50_ms": ("paging", "next_page", "p50_ms"),
    "next_page_p90_ms": ("paging", "next_page", "p90_ms"),
    "frame_p50_ms": ("scroll", "frames", "p50_ms"),
    "frame_p99_ms": ("scroll", "frames", "p99_ms"),
    "scroll_long_tasks_ms": ("scroll", "long_tasks", "total_ms"),
    "elements_at_end": ("end", "elements"),
    "title_cards_at_end": ("end", "title_cards"),
    "js_heap_mb_at_end": ("end", "js_heap_mb"),
    "search_time_to_results_ms": ("search", "time_to_results_ms"),
}


def _env(name: str, default: str) -> str:
    return os.environ.get(f"BENCH_{name}") or os.environ.get(f"TEST_{name}") or default


async def _start(stack: Stack, pg: infra.Postgres, database: str, amqp_url: str, dist: Path) -> Process:
    """identity, library and the gateway serving the built web app; the gateway."""
    keys = Keys.generate()
    common = {"AMQP_URL": amqp_url, "INTERNAL_AUTH_PUBLIC_KEYS": keys.public_keys}
    identity_env = {**common, "DATABASE_URL": pg.service_url(database, "identity"), "SESSION_COOKIE_SECURE": "false"}
    identity = await stack.start("identity", identity_env)
    library = await stack.start("library", {**common, "DATABASE_URL": pg.service_url(database, "library")})
    gateway_env = {
        "AMQP_URL": amqp_url,
        "INTERNAL_AUTH_PRIVATE_KEY": keys.private("gateway"),
        "FRONTEND_DIST": str(dist),
    }
    gateway_env |= {"IDENTITY_URL": identity.url, "LIBRARY_URL": library.url}
    # The library page calls no other service; their addresses point at this run's library so
    # that nothing else listening on the default ports is ever reached.
    gateway_env |= {f"{name.upper()}_URL": library.url for name in ("integrations", "sync", "audit")}
    return await stack.start("gateway", gateway_env, health="/api/health/live")


async def _measure_space(
    browser: Browser, web: str, owner: Account, space_id: uuid.UUID, titles: int
) -> dict[str, Any]:
    """First page, paging down, a scripted scroll, the footprint before and after, and a search."""
    context = await signed_in_context(browser, web, owner.email, PASSWORD, space_id)
    await prepare(context)
    try:
        tab = await Tab.open(context)
        figures: dict[str, Any] = {"load_average": os.getloadavg()}
        figures["first_page"] = await tab.first_page(web + "/")
        figures["start"] = await tab.footprint()
        figures["paging"] = await tab.next_pages(PAGES, titles)
        figures["scroll"] = await tab.scroll(SCROLL_PX_PER_FRAME, SCROLL_MAX_FRAMES)
        figures["end"] = await tab.footprint()
        figures["search"] = await tab.search(RARE_WORD.lower())
        return figures
    finally:
        await context.close()


async def _warm_up(browser: Browser, web: str, owner: Account) -> None:
    """A first visit, not measured: the services' first requests and the app's files cost more once."""
    context = await signed_in_context(browser, web, owner.email, PASSWORD)
    await prepare(context)
    try:
        await (await Tab.open(context)).first_page(web + "/")
    finally:
        await context.close()


def _pick(figures: dict[str, Any], path: tuple[str, ...]) -> Any:
    for key in path:
        figures = figures.get(key) if isinstance(figures, dict) else None
    return figures


def _ratios(large: dict[str, Any], small: dict[str, Any]) -> dict[str, float | None]:
    """Each compared figure of the large space over the same figure of the small one."""
    out: dict[str, float | None] = {}
    for name, path in COMPARED.items():
        top, bottom = _pick(large, path), _pick(small, path)
        out[name] = round(top / bottom, 2) if top is not None and bottom else None
    return out


async def _measure(web: str, owner: Account, spaces: dict[str, tuple[uuid.UUID, int]]) -> dict[str, Any]:
    posters = await PosterServer().start()
    try:
        async with async_playwright() as playwright:
            browser = await launch(playwright, posters.host_rule, args=("--ignore-certificate-errors",))
            try:
                await _warm_up(browser, web, owner)
                return {
                    label: await _measure_space(browser, web, owner, space, titles)
                    for label, (space, titles) in spaces.items()
                }
            finally:
                await browser.close()
    finally:
        await posters.stop()


async def run() -> dict:
    pg = infra.postgres_from_url(_env("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    amqp = _env("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
    database, vhost = infra.new_name("shelfspace_bench"), infra.new_name("shelfspace_bench")
    started = time.monotonic()
    report: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "load_average_at_start": os.getloadavg()},
        "settings": {"titles": TITLES, "baseline_titles": BASELINE_TITLES, "pages": PAGES},
    }
    # Another build of the web app (such as an earlier version's) can be measured the same way.
    dist = Path(os.environ["BENCH_WEBAPP_DIST"]) if os.environ.get("BENCH_WEBAPP_DIST") else built_web_app()
    report["settings"]["web_app"] = str(dist)
    infra.bootstrap_database(pg, database)
    infra.create_vhost(vhost, "guest")
    stack = Stack()
    try:
        for service in ("identity", "library"):
            module = __import__(f"{service}.migrate", fromlist=["MIGRATIONS"])
            await migrate(pg.service_url(database, service), module.MIGRATIONS, service)
        gateway = await _start(stack, pg, database, infra.with_vhost(amqp, vhost), dist)
        owner = await register(gateway.url, email="webapp-bench@example.com", password=PASSWORD, name="Bench Owner")
        try:
            large = uuid.UUID((await owner.me())["active_space"]["id"])
            created = await owner.client.post("/api/spaces", json={"name": "Baseline"})
            assert created.status_code == 201, created.text
            baseline = uuid.UUID(created.json()["id"])
            others = [SpacePlan(uuid.uuid4(), TITLES // 10, uuid.uuid4()) for _ in range(2)]
            plans = [SpacePlan(large, TITLES, owner.id), SpacePlan(baseline, BASELINE_TITLES, owner.id), *others]
            print(f"seeding {sum(plan.titles for plan in plans)} titles ...", flush=True)
            report["seed"] = await seed_library(pg.service_url(database, "library"), plans)
            print("measuring in Chromium ...", flush=True)
            spaces = {"large": (large, TITLES), "baseline": (baseline, BASELINE_TITLES)}
            report["spaces"] = await _measure(gateway.url, owner, spaces)
        finally:
            await owner.aclose()
    finally:
        await stack.stop()
        infra.drop_database(pg, database)
        infra.delete_vhost(vhost)
    report["ratios_large_over_baseline"] = _ratios(report["spaces"]["large"], report["spaces"]["baseline"])
    report["machine"]["load_average_at_end"] = os.getloadavg()
    report["total_seconds"] = round(time.monotonic() - started, 1)
    path = write_result("webapp", report)
    large_figures = report["spaces"]["large"]
    return {
        "results": str(path),
        "total_seconds": report["total_seconds"],
        **{name: _pick(large_figures, keys) for name, keys in COMPARED.items()},
        "ratios": report["ratios_large_over_baseline"],
    }
