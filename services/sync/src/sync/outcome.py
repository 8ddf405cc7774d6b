"""What one step of a job produced; the worker writes it as one checkpoint."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from sync.domain.jobs import Tally


@dataclass
class StepOutcome:
    tally: Tally = field(default_factory=Tally)
    processed: int = 0
    cursor: dict[str, int] | None = None
    done: bool = False
    plan: list[dict[str, Any]] | None = None
    total: int | None = None
    # Writes the step's own data in the checkpoint transaction and counts it in the tally.
    apply: Callable[[AsyncSession, Tally], Awaitable[None]] | None = None
