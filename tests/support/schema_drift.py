"""`alembic check` for one service: its SQLAlchemy tables against the schema its migrations built.

What is compared: every table the model declares (and every table of the schema the model does not),
columns, their types and nullability, unique constraints, foreign keys, and the indexes the model
declares. Not compared:
- the kernel's outbox and inbox: its shared revision creates them and its code writes them in SQL;
- indexes only the migrations declare (partial, GIN with operator classes, INCLUDE columns): they are
  tuned in SQL where a measured plan needs them, and no query builds on their declaration.
"""

import importlib
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from shelfspace_kernel.db import schema_search_path

KERNEL_TABLES = {"outbox", "inbox"}


def service_metadata(service: str) -> MetaData:
    """The tables a service's migration env compares against (`<service>.store.metadata`)."""
    return importlib.import_module(f"{service}.store").metadata


def _compared(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    if type_ == "table" and name in KERNEL_TABLES:
        return False
    return not (type_ == "index" and reflected and compare_to is None)


async def drift(database_url: str, service: str, metadata: MetaData) -> list[Any]:
    """What autogenerate would write to make the schema match the model: [] when they agree."""
    engine = create_async_engine(
        database_url,
        poolclass=NullPool,
        connect_args={"server_settings": {"search_path": schema_search_path(service)}},
    )
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"include_object": _compared, "compare_type": True}),
                    metadata,
                )
            )
    finally:
        await engine.dispose()
