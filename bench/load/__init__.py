"""Load bench: simulated users browsing, searching and adding through the gateway (docs/performance.md "Load").

Every service and the gateway run as their own processes (`python -m <name>`) on loopback against a
fresh database and vhost. First one user runs the mix alone (the single-user baseline), then
`LOAD_USERS` users run it together for `LOAD_SECONDS`. Reported: error rate, p50/p99 per route,
throughput, and the memory (RSS, peak) of every process; written to bench/results/load.json.
"""


async def run() -> dict:
    from bench.load.scenario import run as run_scenario

    return await run_scenario()
