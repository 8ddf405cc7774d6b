"""The worker's probes: readiness needs the database only; liveness follows the running worker's own
heartbeat, so a blocked loop or a hung step is caught and a database outage is not a reason."""

import asyncio
import signal
import sys
import time
import uuid
from asyncio.subprocess import PIPE
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from services.sync.tests.fakes import movies
from tests.support.tcp_proxy import TcpProxy

STALE = 2.0


async def probe(env: dict[str, str], flag: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "sync.worker", flag, env=env, stdout=PIPE, stderr=PIPE
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode or 0, (out + err).decode()


async def until_probe(env: dict[str, str], flag: str, code: int, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    while True:
        returned, output = await probe(env, flag)
        if returned == code:
            return output
        if time.monotonic() > deadline:
            raise AssertionError(f"{flag} kept exiting {returned}: {output}")
        await asyncio.sleep(0.3)


@pytest.fixture
def heartbeat(tmp_path: Path) -> dict[str, str]:
    return {"WORKER_HEARTBEAT_FILE": str(tmp_path / "alive"), "WORKER_STALE_SECONDS": str(STALE)}


async def test_readiness_needs_the_database_and_only_reports_the_broker(sync_env):
    ready = await probe(sync_env.worker_env(), "--check")
    broker_away = await probe(sync_env.worker_env(AMQP_URL="amqp://guest:guest@127.0.0.1:1/"), "--check")
    database_away = await probe(
        sync_env.worker_env(DATABASE_URL="postgresql+asyncpg://postgres@127.0.0.1:1/postgres"), "--check"
    )

    assert ready[0] == 0, ready[1]
    assert broker_away[0] == 0, broker_away[1]
    assert "broker unreachable" in broker_away[1]
    assert database_away[0] == 1
    assert "database" in database_away[1]


async def test_liveness_follows_the_heartbeat_of_the_running_worker(sync_env, heartbeat):
    env = sync_env.worker_env(**heartbeat)
    # given no worker has run, there is no heartbeat
    before = await probe(env, "--live")
    # when a worker runs, it is alive
    worker = sync_env.spawn_worker(**heartbeat)
    await until_probe(env, "--live", 0)
    # and when its process stops answering (a blocked loop), it is reported dead after the stale time
    worker.send_signal(signal.SIGSTOP)
    try:
        stuck = await until_probe(env, "--live", 1, timeout=STALE * 5)
    finally:
        worker.send_signal(signal.SIGCONT)
    # and alive again once it runs
    await until_probe(env, "--live", 0)

    assert before[0] == 1
    assert "no heartbeat" in before[1]
    assert "last heartbeat" in stuck


async def test_a_database_outage_makes_the_worker_unready_but_never_dead(sync_env, heartbeat):
    database = make_url(sync_env.settings.database_url)
    proxy = await TcpProxy(database.host or "127.0.0.1", database.port or 5432).open()
    proxied = database.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    env = sync_env.worker_env(DATABASE_URL=proxied, **heartbeat)
    sync_env.spawn_worker(DATABASE_URL=proxied, **heartbeat)
    await until_probe(env, "--live", 0)
    try:
        # when the database goes away for longer than the stale time
        await proxy.cut()
        await until_probe(env, "--check", 1)
        await asyncio.sleep(STALE * 2)
        live_during_outage = await probe(env, "--live")
    finally:
        await proxy.open()

    assert live_during_outage[0] == 0, live_during_outage[1]


async def test_a_step_that_hangs_past_its_bound_makes_the_worker_dead(sync_env, heartbeat):
    # given a worker whose steps may take one second, and a Plex page that never comes
    sync_env.plex.add_section("1", "Movies", "movie", movies("hung", 5))
    gate = sync_env.plex.gate("1", 0)
    env = sync_env.worker_env(**heartbeat)
    sync_env.spawn_worker(STEP_STUCK_SECONDS="1", **heartbeat)
    await until_probe(env, "--live", 0)
    async with sync_env.admin(uuid.uuid4()) as client:
        response = await client.post("/api/media/import-plex")
        assert response.status_code in (200, 202), response.text
        # when the step waits on the page past the bound, the worker is reported dead
        hung = await until_probe(env, "--live", 1, timeout=STALE * 10)
        # and once the page comes, the step ends and the worker is alive again
        gate.set()
        await until_probe(env, "--live", 0)

    assert "last heartbeat" in hung
