"""Health report shapes shared by the services and the gateway."""

from typing import Literal

from pydantic import BaseModel

CheckState = Literal["ok", "down"]


class BuildInfo(BaseModel):
    version: str
    git_sha: str
    build_date: str


class ServiceHealth(BuildInfo):
    """What a service's `/health` answers."""

    service: str
    status: CheckState
    checks: dict[str, CheckState] = {}
