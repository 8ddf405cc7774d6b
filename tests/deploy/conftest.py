from collections.abc import AsyncIterator

import pytest_asyncio

from tests.support import infra
from tests.support.fixtures import TestDatabase


@pytest_asyncio.fixture(loop_scope="session")
async def bootstrapped_database(postgres: infra.Postgres) -> AsyncIterator[TestDatabase]:
    """A database of the test's own as the production bootstrap leaves it: roles and empty schemas."""
    db = TestDatabase(postgres, infra.new_name("shelfspace_deploy"))
    infra.bootstrap_database(postgres, db.name)
    try:
        yield db
    finally:
        infra.drop_database(postgres, db.name)
