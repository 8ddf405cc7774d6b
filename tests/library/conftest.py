"""Fixtures of the library's gateway suites: a space with a member of every role, and the library's schema."""

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from tests.support.identity import make_space_with_roles


@pytest.fixture(scope="module")
async def space(system):
    space = await make_space_with_roles(system)
    yield space
    await space.aclose()


@pytest.fixture(scope="module")
async def library_db(database):
    """An engine on the library's schema, for assertions on stored rows."""
    engine = create_async_engine(
        database.service_url("library"), connect_args={"server_settings": {"search_path": "library"}}
    )
    yield engine
    await engine.dispose()
