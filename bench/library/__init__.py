"""Library bench: list, search, deep pages and creates over 200k titles (docs/performance.md)."""


async def run() -> dict:
    from bench.library.scenario import run as run_scenario

    return await run_scenario()
