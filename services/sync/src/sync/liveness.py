"""The worker's liveness: a file its event loop touches while it is well, read by `--live`.

A probe that opened a database connection would restart healthy workers during a database outage
and miss a worker whose loop is blocked or whose step hangs; this one sees exactly those.
"""

import asyncio
import time
from collections.abc import Callable
from pathlib import Path


def beat(path: Path) -> None:
    path.touch()


def age_seconds(path: Path) -> float | None:
    """Seconds since the last beat, or None when there has been none."""
    try:
        return max(time.time() - path.stat().st_mtime, 0.0)
    except FileNotFoundError:
        return None


async def keep_beating(path: Path, every_seconds: float, well: Callable[[], bool]) -> None:
    """Touch `path` every `every_seconds` while `well()` says so."""
    while True:
        if well():
            beat(path)
        await asyncio.sleep(every_seconds)


def live_problem(path: Path, stale_seconds: float) -> str | None:
    """Why the worker is not alive, or None when its last beat is recent."""
    age = age_seconds(path)
    if age is None:
        return f"no heartbeat at {path} yet"
    if age > stale_seconds:
        return f"last heartbeat {age:.0f} s ago (more than {stale_seconds:.0f} s)"
    return None
