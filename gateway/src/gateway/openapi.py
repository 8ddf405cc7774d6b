"""The merged OpenAPI document: every service's public paths under one spec."""

import asyncio
import time
from typing import Any

import httpx
from pydantic.json_schema import models_json_schema

from gateway.health import SystemHealth
from gateway.routes import RouteTable
from shelfspace_contracts.health import BuildInfo
from shelfspace_kernel.internal_auth import CallerContext, TokenSigner
from shelfspace_kernel.internal_client import SignedAs

_REF = "#/components/schemas/{model}"
# The schemas of the gateway's own answers.
GATEWAY_SCHEMAS: dict[str, Any] = models_json_schema(
    [(SystemHealth, "serialization"), (BuildInfo, "serialization")], ref_template=_REF
)[1]["$defs"]


def _json(model: str) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": {"$ref": _REF.format(model=model)}}}}


# The gateway's own public endpoints, documented beside the services' paths.
GATEWAY_PATHS: dict[str, Any] = {
    "/api/health": {
        "get": {
            "operationId": "get_health",
            "summary": "Version, build and the state of every service (200 ok or degraded, 503 down)",
            "responses": {
                "200": {"description": "ok or degraded", **_json("SystemHealth")},
                "503": {"description": "down", **_json("SystemHealth")},
            },
        }
    },
    "/api/health/live": {
        "get": {
            "operationId": "get_health_live",
            "summary": "The gateway process answers",
            "responses": {"200": {"description": "alive", **_json("BuildInfo")}},
        }
    },
}

# How a caller is known: a personal API token, or the browser's session cookie (whose mutating
# requests also need the CSRF header, docs/security.md).
SECURITY_SCHEMES: dict[str, Any] = {
    "bearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "A personal API token (`Authorization: Bearer <secret>`); no CSRF header needed.",
    },
    "session": {
        "type": "apiKey",
        "in": "cookie",
        "name": "session",
        "description": "The web app's session (`__Host-session` over https); mutating requests also send "
        "`X-CSRF-Token` equal to the `csrf_token` cookie.",
    },
}


class OpenApiMerger:
    def __init__(
        self,
        clients: dict[str, httpx.AsyncClient],
        signer: TokenSigner,
        table: RouteTable,
        version: str,
        cache_seconds: float = 30.0,
    ) -> None:
        self._clients = clients
        self._signer = signer
        self._table = table
        self._version = version
        self._cache_seconds = cache_seconds
        self._cached: tuple[float, dict[str, Any]] | None = None

    async def document(self, request_id: str) -> dict[str, Any]:
        if self._cached and time.monotonic() - self._cached[0] < self._cache_seconds:
            return self._cached[1]
        names = list(self._clients)
        specs = await asyncio.gather(*(self._fetch(name, request_id) for name in names))
        merged = self._merge([spec for spec in specs if spec])
        if all(specs):
            self._cached = (time.monotonic(), merged)
        return merged

    async def _fetch(self, service: str, request_id: str) -> dict[str, Any] | None:
        auth = SignedAs(self._signer, service, CallerContext(request_id=request_id, caller="gateway"))
        try:
            response = await self._clients[service].get("/openapi.json", auth=auth)
            response.raise_for_status()
            return response.json()
        except (httpx.HTTPError, ValueError):
            return None

    def _merge(self, specs: list[dict[str, Any]]) -> dict[str, Any]:
        return merge_specs(specs, self._table, self._version)


def merge_specs(specs: list[dict[str, Any]], table: RouteTable, version: str) -> dict[str, Any]:
    """The services' documents under one: only the paths the route table lets through, the gateway's own."""
    paths: dict[str, Any] = dict(GATEWAY_PATHS)
    schemas: dict[str, Any] = dict(GATEWAY_SCHEMAS)
    for spec in specs:
        for path, operations in spec.get("paths", {}).items():
            if table.allows_path(path):
                paths.setdefault(path, {}).update(operations)
        schemas.update(spec.get("components", {}).get("schemas", {}))
    return {
        "openapi": "3.1.0",
        "info": {"title": "Shelfspace API", "version": version},
        "paths": dict(sorted(paths.items())),
        "components": {"schemas": dict(sorted(schemas.items())), "securitySchemes": SECURITY_SCHEMES},
    }
