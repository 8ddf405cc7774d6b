"""Health report shapes shared by the services and the gateway."""

from typing import Literal

from pydantic import BaseModel

CheckState = Literal["ok", "down"]
# `degraded`: serving, with something it can ride out missing (the broker: the outbox keeps events).
HealthState = Literal["ok", "degraded", "down"]


class BuildInfo(BaseModel):
    version: str
    git_sha: str
    build_date: str


class ServiceHealth(BuildInfo):
    """What a service's `/health` answers."""

    service: str
    status: HealthState
    checks: dict[str, CheckState] = {}
