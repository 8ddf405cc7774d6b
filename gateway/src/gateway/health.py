"""`/api/health`: the gateway's build and the state of every service behind it.

`down` when the identity service is down (nobody can sign in) or every service is; `degraded`
when some other service is down or a service says it is degraded (its broker is away); `ok`
otherwise. 200 for ok and degraded, 503 for down.
"""

import asyncio
from typing import Literal

import httpx
from pydantic import BaseModel

from shelfspace_contracts.health import BuildInfo, HealthState


class ServiceState(BaseModel):
    status: HealthState
    version: str | None = None


class SystemHealth(BuildInfo):
    status: Literal["ok", "degraded", "down"]
    services: dict[str, ServiceState]


async def _probe(client: httpx.AsyncClient, timeout: float) -> ServiceState:
    try:
        response = await client.get("/health", timeout=timeout)
        body = response.json()
        serving = response.status_code == 200 and body.get("status") in ("ok", "degraded")
        return ServiceState(status=body["status"] if serving else "down", version=body.get("version"))
    except (httpx.HTTPError, ValueError):
        return ServiceState(status="down")


async def system_health(clients: dict[str, httpx.AsyncClient], build: BuildInfo, timeout: float) -> SystemHealth:
    names = list(clients)
    states = dict(zip(names, await asyncio.gather(*(_probe(clients[n], timeout) for n in names)), strict=True))
    down = {name for name, state in states.items() if state.status == "down"}
    if "identity" in down or down == set(names):
        status = "down"
    elif down or any(state.status == "degraded" for state in states.values()):
        status = "degraded"
    else:
        status = "ok"
    return SystemHealth(status=status, services=states, **build.model_dump())
