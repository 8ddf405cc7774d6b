"""Web app bench: the library page in Chromium with 100k titles in the space (docs/performance.md)."""


async def run() -> dict:
    from bench.webapp.scenario import run as run_scenario

    return await run_scenario()
