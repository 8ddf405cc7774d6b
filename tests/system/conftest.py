"""Fixtures of the system suites: one proxied system per test session (see stack.py)."""

from collections.abc import AsyncIterator

import pytest

from tests.system.stack import ProxiedSystem, start_proxied_system, stop_proxied_system


@pytest.fixture(scope="session")
async def proxied_system(postgres, amqp_url, keys) -> AsyncIterator[ProxiedSystem]:
    system = await start_proxied_system(postgres, amqp_url, keys)
    try:
        yield system
    finally:
        await stop_proxied_system(system)


@pytest.fixture
async def healthy_system(proxied_system: ProxiedSystem) -> AsyncIterator[ProxiedSystem]:
    """The proxied system, whole and healthy before the test and again after it (faults undone)."""
    await proxied_system.restore()
    try:
        yield proxied_system
    finally:
        await proxied_system.restore()
