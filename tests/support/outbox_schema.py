"""A throwaway schema with the shared outbox and inbox: a stand-in for any producing service."""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from shelfspace_kernel.db import create_engine, create_sessionmaker
from shelfspace_kernel.migrations import migrate

MIGRATIONS = Path(__file__).parent / "outbox_schema_migrations"


@dataclass(frozen=True)
class OutboxSchema:
    schema: str
    url: str
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]


@asynccontextmanager
async def outbox_schema(admin_url: str, prefix: str) -> AsyncIterator[OutboxSchema]:
    """Create `<prefix>_<random>` with the messaging tables; dropped again on exit."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    engine = create_engine(admin_url, name, pool_size=3)
    try:
        async with engine.begin() as conn:
            await conn.execute(text(f"CREATE SCHEMA {name}"))
        await migrate(admin_url, MIGRATIONS, name)
        yield OutboxSchema(name, admin_url, engine, create_sessionmaker(engine))
    finally:
        async with engine.begin() as conn:
            await conn.execute(text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
        await engine.dispose()
