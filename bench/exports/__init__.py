"""Export bench: a space of 100k titles exported as JSON and CSV through the gateway (docs/performance.md)."""


async def run() -> dict:
    from bench.exports.scenario import run as run_scenario

    return await run_scenario()
