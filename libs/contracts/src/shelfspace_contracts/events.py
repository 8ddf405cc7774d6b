"""The event envelope every service publishes and consumes (DESIGN.md §3)."""

import re
import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

EVENT_TYPE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")


class EventEnvelope(BaseModel):
    """One domain event; the routing key is its `type` (`<context>.<entity>.<verb>`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    type: str
    version: int = 1
    occurred_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    producer: str
    space_id: uuid.UUID | None = None
    actor_user_id: uuid.UUID | None = None
    entity_type: str | None = None
    entity_id: str | None = None
    request_id: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)

    @field_validator("type")
    @classmethod
    def _type_has_three_parts(cls, value: str) -> str:
        if not EVENT_TYPE_PATTERN.match(value):
            raise ValueError("event type must look like <context>.<entity>.<verb>")
        return value

    @property
    def routing_key(self) -> str:
        return self.type
