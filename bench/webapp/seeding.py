"""Titles COPYed straight into the library schema (bench/library/seed.py), for the web app bench and
the browser test of a large library."""

import asyncpg

from bench.library.seed import SpacePlan, seed
from shelfspace_kernel.db import asyncpg_dsn, session_settings


async def seed_library(library_url: str, plans: list[SpacePlan]) -> dict:
    """Seed `plans` as the library service's database role (its URL), as the service would have."""
    settings = session_settings("library")
    conn = await asyncpg.connect(asyncpg_dsn(library_url), server_settings=settings)
    try:
        return await seed(conn, plans)
    finally:
        await conn.close()
