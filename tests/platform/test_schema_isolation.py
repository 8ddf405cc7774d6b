"""Each service's database role can use its own schema and no other."""

import asyncpg
import pytest

from tests.support.infra import ROLE_PASSWORD, SERVICES


async def connect_as(database, service: str) -> asyncpg.Connection:
    pg = database.pg
    return await asyncpg.connect(
        host=pg.host, port=pg.port, user=f"shelfspace_{service}", password=ROLE_PASSWORD, database=database.name
    )


@pytest.mark.parametrize("service", SERVICES)
async def test_a_role_cannot_read_or_write_another_services_schema(database, service):
    conn = await connect_as(database, service)
    try:
        assert await conn.fetchval("SELECT count(*) FROM outbox") >= 0
        for other in SERVICES:
            if other == service:
                continue
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.fetchval(f"SELECT count(*) FROM {other}.outbox")
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.execute(f"CREATE TABLE {other}.intruder (id int)")
    finally:
        await conn.close()


async def test_a_service_role_cannot_create_objects_in_the_public_schema(database):
    conn = await connect_as(database, "library")
    try:
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.execute("CREATE TABLE public.intruder (id int)")
    finally:
        await conn.close()
