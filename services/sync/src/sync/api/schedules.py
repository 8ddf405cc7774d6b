"""Per-space sync schedules: `GET/PUT /api/spaces/{space_id}/sync-schedules` (owner/admin)."""

import uuid
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shelfspace_kernel.errors import NotFound
from sync.api.deps import AdminDep
from sync.store import schedules

router = APIRouter(prefix="/api")


class ScheduleIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    provider: Literal["plex"]
    kind: Literal["import"] = "import"
    every_minutes: int = Field(ge=15, le=43200)
    enabled: bool = True


class ScheduleOut(BaseModel):
    provider: str
    kind: str
    every_minutes: int
    enabled: bool
    next_run_at: datetime | None
    last_run_at: datetime | None
    last_job_id: uuid.UUID | None
    failures: int
    last_error: str | None


class ScheduleList(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[ScheduleIn] = Field(max_length=20)

    @model_validator(mode="after")
    def _one_per_kind(self) -> "ScheduleList":
        keys = [(item.provider, item.kind) for item in self.items]
        if len(keys) != len(set(keys)):
            raise ValueError("each provider and kind may appear once")
        return self


def _same_space(space_id: uuid.UUID, caller: Any) -> None:
    # The gateway put the path's space in the context; a mismatch means the route was misused.
    if caller.space_id != space_id:
        raise NotFound()


async def _read(session: AsyncSession, space_id: uuid.UUID) -> list[ScheduleOut]:
    rows = await session.execute(
        select(schedules).where(schedules.c.space_id == space_id).order_by(schedules.c.provider, schedules.c.kind)
    )
    return [ScheduleOut.model_validate(row, from_attributes=True) for row in rows]


@router.get("/spaces/{space_id}/sync-schedules", response_model=list[ScheduleOut], operation_id="list_sync_schedules")
async def list_schedules(space_id: uuid.UUID, request: Request, caller: AdminDep) -> list[ScheduleOut]:
    _same_space(space_id, caller)
    async with request.app.state.sessionmaker() as session:
        return await _read(session, space_id)


@router.put("/spaces/{space_id}/sync-schedules", response_model=list[ScheduleOut], operation_id="put_sync_schedules")
async def put_schedules(
    space_id: uuid.UUID,
    request: Request,
    caller: AdminDep,
    body: Annotated[list[ScheduleIn], Body(max_length=20)],
) -> list[ScheduleOut]:
    """Replace the space's schedules; a new interval or a re-enabled schedule runs one interval from now."""
    _same_space(space_id, caller)
    wanted = ScheduleList(items=body).items
    async with request.app.state.sessionmaker.begin() as session:
        current = {
            (row.provider, row.kind): row
            for row in await session.execute(
                select(schedules).where(schedules.c.space_id == space_id).with_for_update()
            )
        }
        keep = {(item.provider, item.kind) for item in wanted}
        for key in set(current) - keep:
            await session.execute(
                delete(schedules).where(
                    schedules.c.space_id == space_id, schedules.c.provider == key[0], schedules.c.kind == key[1]
                )
            )
        for item in wanted:
            await _upsert(session, space_id, caller.user_id, item, current.get((item.provider, item.kind)))
        return await _read(session, space_id)


async def _upsert(
    session: AsyncSession, space_id: uuid.UUID, user_id: uuid.UUID, item: ScheduleIn, current: Any
) -> None:
    unchanged = (
        current is not None
        and current.enabled == item.enabled
        and current.every_minutes == item.every_minutes
        and current.next_run_at is not None
    )
    next_run_at: Any = None
    if item.enabled:
        next_run_at = current.next_run_at if unchanged else func.now() + timedelta(minutes=item.every_minutes)
    values = {
        "every_minutes": item.every_minutes,
        "enabled": item.enabled,
        "next_run_at": next_run_at,
        "created_by": user_id,
        "updated_at": func.now(),
    }
    statement = insert(schedules).values(
        id=uuid.uuid4(), space_id=space_id, provider=item.provider, kind=item.kind, **values
    )
    await session.execute(statement.on_conflict_do_update(index_elements=["space_id", "provider", "kind"], set_=values))
