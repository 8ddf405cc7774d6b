"""Health endpoints: `/health/live` (the process) and `/health` (readiness).

Readiness fails (503) only on what the process cannot serve without, its database. The broker is
reported but only makes the answer `degraded` (200): requests keep working while it is away (events
wait in the outbox), so an orchestrator must not take every replica out of service for it.
"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from shelfspace_contracts.health import HealthState, ServiceHealth
from shelfspace_kernel.settings import BaseAppSettings

HealthCheck = Callable[[], Awaitable[bool]]
# Extra top-level fields of a service's `/health` body (e.g. a consumer's backlog); never its status.
HealthExtras = Callable[[], Awaitable[dict[str, Any]]]


async def _passes(check: HealthCheck, timeout: float) -> bool:
    try:
        return bool(await asyncio.wait_for(check(), timeout))
    except Exception:  # noqa: BLE001 - any failure of a check means "down"
        return False


async def _extras(extras: HealthExtras | None, timeout: float) -> dict[str, Any]:
    if extras is None:
        return {}
    try:
        return await asyncio.wait_for(extras(), timeout)
    except Exception:  # noqa: BLE001 - extras are informative; the checks decide the status
        return {}


def health_router(
    service: str,
    settings: BaseAppSettings,
    required: dict[str, HealthCheck],
    optional: dict[str, HealthCheck] | None = None,
    extras: HealthExtras | None = None,
) -> APIRouter:
    router = APIRouter(tags=["health"])
    checks = {**required, **(optional or {})}

    def status_of(results: dict[str, bool]) -> HealthState:
        if not all(results[name] for name in required if name in results):
            return "down"
        return "ok" if all(results.values()) else "degraded"

    def report(results: dict[str, bool]) -> ServiceHealth:
        return ServiceHealth(
            service=service,
            status=status_of(results),
            checks={name: "ok" if ok else "down" for name, ok in results.items()},
            version=settings.app_version,
            git_sha=settings.git_sha,
            build_date=settings.build_date,
        )

    @router.get("/health/live", response_model=ServiceHealth)
    async def live() -> ServiceHealth:
        return report({})

    @router.get("/health", response_model=ServiceHealth)
    async def ready() -> JSONResponse:
        names = list(checks)
        outcomes = await asyncio.gather(*(_passes(checks[name], 2.0) for name in names))
        health = report(dict(zip(names, outcomes, strict=True)))
        body = {**await _extras(extras, 2.0), **health.model_dump()}
        return JSONResponse(body, status_code=503 if health.status == "down" else 200)

    return router
