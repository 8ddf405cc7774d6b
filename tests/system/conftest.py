"""Fixtures of the system suites: one proxied system per test session (see stack.py)."""

from collections.abc import AsyncIterator

import pytest

from tests.fakes.plex import FakePlex
from tests.system.checks import fetch
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


@pytest.fixture
async def plex(healthy_system: ProxiedSystem) -> AsyncIterator[FakePlex]:
    """The system's fake Plex, empty; afterwards emptied again, and no job left for the worker."""
    healthy_system.plex.sections.clear()
    try:
        yield healthy_system.plex
    finally:
        healthy_system.plex.sections.clear()
        healthy_system.plex.reset()
        # A job a failed test left running would keep the shared worker busy during the next tests.
        await fetch(
            healthy_system.admin_dsn,
            "UPDATE sync.sync_jobs SET status = 'cancelled' WHERE status IN ('queued', 'running')",
        )
