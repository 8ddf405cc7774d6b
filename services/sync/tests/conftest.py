"""A sync service (API + workers) wired to local fakes of the library and integrations internals."""

import asyncio
import json
import subprocess
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aio_pika
import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from services.sync.tests.fakes import FAST, FakeLibrary, FakePlex, integrations_app, library_app
from services.sync.tests.households import PLEX_TOKEN, Household
from shelfspace_kernel.db import create_engine
from sync.main import create_app
from sync.settings import SyncSettings
from sync.worker import Worker
from tests.fakes.plex import FakePlex as FakePlexServer
from tests.support.clients import signed_client
from tests.support.fixtures import Keys
from tests.support.servers import RunningApp
from tests.support.sync_worker import spawn_worker, worker_environment


@dataclass
class SyncEnv:
    settings: SyncSettings
    plex: FakePlex
    library: FakeLibrary
    api: RunningApp
    engine: AsyncEngine
    keys: Keys
    workers: list[Worker] = field(default_factory=list)
    processes: list[subprocess.Popen] = field(default_factory=list)

    def admin(self, space_id: uuid.UUID | None = None, role: str = "admin") -> httpx.AsyncClient:
        """A client acting as a (new) user with `role` in the space (a new space unless given)."""
        return signed_client(
            self.api.url,
            self.keys,
            "sync",
            user_id=uuid.uuid4(),
            space_id=space_id or uuid.uuid4(),
            space_role=role,
        )

    async def start_worker(self, **overrides: Any) -> Worker:
        settings = self.settings.model_copy(update=overrides)
        worker = await Worker(settings).start()
        await worker.broker.wait_ready(10)
        self.workers.append(worker)
        return worker

    def worker_env(self, **extra: str) -> dict[str, str]:
        return worker_environment(self.settings, **extra)

    def spawn_worker(self, **extra: str) -> subprocess.Popen:
        """`python -m sync.worker` as a real process with this environment's settings (and `extra`)."""
        process = spawn_worker(self.worker_env(**extra))
        self.processes.append(process)
        return process

    async def job(self, client: httpx.AsyncClient, job_id: str) -> dict:
        response = await client.get(f"/api/sync-jobs/{job_id}")
        assert response.status_code == 200, response.text
        return response.json()

    async def wait_for(self, client: httpx.AsyncClient, job_id: str, until=None, timeout: float = 30.0) -> dict:
        """Poll the job until `until(job)` holds (default: it finished)."""
        until = until or (lambda job: job["status"] in ("succeeded", "failed", "cancelled"))
        deadline = time.monotonic() + timeout
        while True:
            job = await self.job(client, job_id)
            if until(job):
                return job
            if time.monotonic() > deadline:
                raise AssertionError(f"job never reached the expected state: {job}")
            await asyncio.sleep(0.1)

    async def sql(self, statement: str, **params: Any) -> list:
        async with self.engine.begin() as conn:
            result = await conn.execute(text(statement), params)
            return result.all() if result.returns_rows else []


@pytest.fixture
async def sync_env(service_settings, keys, database) -> AsyncIterator[SyncEnv]:
    plex, library = FakePlex(), FakeLibrary()
    integrations_server = await RunningApp(lambda: integrations_app(plex, keys.public_keys)).start()
    library_server = await RunningApp(lambda: library_app(library, keys.public_keys)).start()
    settings = service_settings(
        "sync",
        library_url=library_server.url,
        integrations_url=integrations_server.url,
        step_queue=f"sync.job-steps.test-{uuid.uuid4().hex[:8]}",
        **FAST,
    )
    api = await RunningApp(lambda: create_app(settings)).start()
    engine = create_engine(database.service_url("sync"), "sync", pool_size=3)
    env = SyncEnv(settings, plex, library, api, engine, keys)
    # Tests through the gateway may have switched scheduled_sync off in this database; here, schedules
    # are saved straight to the sync API, as if it were on.
    await env.sql("DELETE FROM sync_feature_flags")
    try:
        yield env
    finally:
        for gate in plex.gates.values():
            gate.set()
        library.release.set()
        for process in env.processes:
            process.kill()
            process.wait()
        for worker in env.workers:
            await worker.stop(grace_seconds=2)
        await api.stop()
        # Nothing this test left active may be picked up by another test's worker.
        await env.sql("UPDATE sync_jobs SET status = 'cancelled' WHERE status IN ('queued', 'running')")
        await env.sql("UPDATE sync_schedules SET enabled = false")
        await engine.dispose()
        await integrations_server.stop()
        await library_server.stop()


@dataclass
class EventLog:
    queue: aio_pika.abc.AbstractQueue
    seen: list[dict] = field(default_factory=list)

    async def of_job(self, job_id: str, until_type: str | None = None, timeout: float = 15.0) -> list[dict]:
        """The `sync.job.*` events of one job, in order, waiting until `until_type` arrived."""
        deadline = time.monotonic() + timeout
        while True:
            while (message := await self.queue.get(fail=False)) is not None:
                await message.ack()
                self.seen.append(json.loads(message.body))
            events = [event for event in self.seen if event["entity_id"] == job_id]
            if until_type is None or any(event["type"] == until_type for event in events):
                return events
            if time.monotonic() > deadline:
                raise AssertionError(f"no {until_type} event for {job_id}: {[e['type'] for e in events]}")
            await asyncio.sleep(0.1)


@pytest.fixture
async def job_events(amqp_url) -> AsyncIterator[EventLog]:
    connection = await aio_pika.connect_robust(amqp_url)
    channel = await connection.channel()
    exchange = await channel.declare_exchange("shelfspace.events", aio_pika.ExchangeType.TOPIC, durable=True)
    queue = await channel.declare_queue(exclusive=True)
    await queue.bind(exchange, routing_key="sync.job.*")
    try:
        yield EventLog(queue)
    finally:
        await connection.close()


# The real services (the session's `system`) with a sync worker, for end-to-end tests ------------


@pytest.fixture
async def worker(system) -> AsyncIterator[Worker]:
    settings = system.services["sync"].app.state.settings.model_copy(update=FAST)
    worker = await Worker(settings).start()
    try:
        yield worker
    finally:
        await worker.stop(grace_seconds=2)


@pytest.fixture
async def household(system, keys, worker) -> AsyncIterator[Household]:
    plex = await FakePlexServer(token=PLEX_TOKEN).start()
    home = Household(system, keys, plex, uuid.uuid4(), uuid.uuid4())
    await home.configure_plex(base_url=plex.url, token=PLEX_TOKEN)
    try:
        yield home
    finally:
        await plex.stop()
