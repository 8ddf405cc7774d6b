"""`/api/health`: the gateway's build and the state of every service behind it.

`down` when the identity service is down (nobody can sign in) or every service is; `degraded`
when some other service is down or a service says it is degraded (its broker is away); `ok`
otherwise. 200 for ok and degraded, 503 for down.

A report of `ok` is reused for HEALTH_CACHE_SECONDS; once older it is still answered while one
background round of probes replaces it, so a dashboard polling every second costs one fan-out per
period instead of one per call (the fan-out is five requests and five database pings, about 17 ms
of CPU across the system). A report that is not `ok` is never reused: whoever is looking at an
outage sees each change at once, and a start-up waiting for `ok` is not held back. The probes go
over the forwarding pools' aiohttp sessions (cheaper per request than httpx), and a cached report
is kept as the bytes it is answered with.
"""

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel

from gateway.proxy import UPSTREAM_ERRORS, Upstream
from shelfspace_contracts.health import BuildInfo, HealthState


class ServiceState(BaseModel):
    status: HealthState
    version: str | None = None


class SystemHealth(BuildInfo):
    status: Literal["ok", "degraded", "down"]
    services: dict[str, ServiceState]
    checked_at: datetime


async def _probe(upstream: Upstream, timeout: float) -> ServiceState:
    try:
        status, raw = await upstream.get("/health", timeout)
        body = json.loads(raw)
        serving = status == 200 and body.get("status") in ("ok", "degraded")
        return ServiceState(status=body["status"] if serving else "down", version=body.get("version"))
    except (*UPSTREAM_ERRORS, ValueError, AttributeError, KeyError):
        return ServiceState(status="down")


async def system_health(upstreams: dict[str, Upstream], build: BuildInfo, timeout: float) -> SystemHealth:
    names = list(upstreams)
    states = dict(zip(names, await asyncio.gather(*(_probe(upstreams[n], timeout) for n in names)), strict=True))
    down = {name for name, state in states.items() if state.status == "down"}
    if "identity" in down or down == set(names):
        status = "down"
    elif down or any(state.status == "degraded" for state in states.values()):
        status = "degraded"
    else:
        status = "ok"
    return SystemHealth(status=status, services=states, checked_at=datetime.now(UTC), **build.model_dump())


@dataclass(frozen=True)
class HealthAnswer:
    report: SystemHealth
    body: bytes
    status_code: int

    @classmethod
    def of(cls, report: SystemHealth) -> "HealthAnswer":
        return cls(report, report.model_dump_json().encode(), 503 if report.status == "down" else 200)


class HealthCache:
    """The last `ok` answer for `max_age` seconds, then refreshed in the background (one round at a time)."""

    def __init__(self, check: Callable[[], Awaitable[SystemHealth]], max_age: float) -> None:
        self._check = check
        self._max_age = max_age
        self._answer: HealthAnswer | None = None
        self._taken = 0.0
        self._round: asyncio.Task[HealthAnswer] | None = None

    async def answer(self) -> HealthAnswer:
        cached = self._answer
        if cached is None or cached.report.status != "ok" or self._max_age <= 0:
            return await asyncio.shield(self._refresh())
        if time.monotonic() - self._taken > self._max_age:
            self._refresh()
        return cached

    def _refresh(self) -> asyncio.Task[HealthAnswer]:
        if self._round is None or self._round.done():
            self._round = asyncio.create_task(self._run())
        return self._round

    async def _run(self) -> HealthAnswer:
        answer = HealthAnswer.of(await self._check())
        self._answer, self._taken = answer, time.monotonic()
        return answer

    async def close(self) -> None:
        if self._round is not None and not self._round.done():
            self._round.cancel()
            await asyncio.gather(self._round, return_exceptions=True)
