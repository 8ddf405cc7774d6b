"""Per-space schedules: saved by owners/admins, run by a replica-safe scheduler, backed off on failure."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from services.sync.tests.fakes import movies
from shelfspace_contracts.identity import Event
from shelfspace_kernel.broker import Broker
from sync.dispatch import run_due_schedules
from tests.support.audit import an_event, eventually, publish


async def test_an_admin_saves_and_reads_the_space_s_schedules(sync_env):
    space = uuid.uuid4()
    async with sync_env.admin(space) as admin, sync_env.admin(space, role="member") as member:
        saved = await admin.put(
            f"/api/spaces/{space}/sync-schedules", json=[{"provider": "plex", "kind": "import", "every_minutes": 360}]
        )
        read = await admin.get(f"/api/spaces/{space}/sync-schedules")
        refused = await member.get(f"/api/spaces/{space}/sync-schedules")
        invalid = await admin.put(
            f"/api/spaces/{space}/sync-schedules", json=[{"provider": "plex", "kind": "import", "every_minutes": 1}]
        )
        other_space = await admin.get(f"/api/spaces/{uuid.uuid4()}/sync-schedules")
        disabled = await admin.put(
            f"/api/spaces/{space}/sync-schedules",
            json=[{"provider": "plex", "kind": "import", "every_minutes": 360, "enabled": False}],
        )
        cleared = await admin.put(f"/api/spaces/{space}/sync-schedules", json=[])

    assert saved.status_code == 200, saved.text
    (schedule,) = read.json()
    assert schedule["provider"] == "plex"
    assert schedule["every_minutes"] == 360
    assert schedule["enabled"] is True
    next_run = datetime.fromisoformat(schedule["next_run_at"])
    assert timedelta(minutes=359) < next_run - datetime.now(UTC) <= timedelta(minutes=360)
    assert refused.status_code == 403
    assert invalid.status_code == 422
    assert other_space.status_code == 404
    assert disabled.json()[0]["next_run_at"] is None
    assert cleared.json() == []


async def _make_due(sync_env, space: uuid.UUID) -> None:
    await sync_env.sql(
        "UPDATE sync_schedules SET next_run_at = now() - interval '1 minute' WHERE space_id = :s", s=space
    )


async def test_a_due_schedule_runs_an_import_once_and_moves_its_next_run(sync_env):
    sync_env.plex.add_section("1", "Movies", "movie", movies("sched", 12))
    space = uuid.uuid4()
    async with sync_env.admin(space) as admin:
        await admin.put(f"/api/spaces/{space}/sync-schedules", json=[{"provider": "plex", "every_minutes": 60}])
        await _make_due(sync_env, space)
        await sync_env.start_worker()
        await sync_env.start_worker()  # two replicas: the schedule must still run once
        jobs = await _jobs_once_present(sync_env, admin)
        done = await sync_env.wait_for(admin, jobs[0]["id"])
        (schedule,) = (await admin.get(f"/api/spaces/{space}/sync-schedules")).json()

    assert len(jobs) == 1
    assert done["status"] == "succeeded"
    assert done["summary"]["created"] == 12
    assert datetime.fromisoformat(schedule["next_run_at"]) - datetime.now(UTC) > timedelta(minutes=59)
    assert schedule["last_job_id"] == jobs[0]["id"]
    assert schedule["failures"] == 0


async def _jobs_once_present(sync_env, client) -> list[dict]:
    async def listed() -> list[dict]:
        return (await client.get("/api/sync-jobs")).json()["items"]

    for _ in range(100):
        if await listed():
            # give a second replica the chance to (wrongly) run the same schedule
            await asyncio.sleep(1)
            return await listed()
        await asyncio.sleep(0.1)
    raise AssertionError("the schedule never ran")


async def test_a_schedule_whose_integration_fails_records_the_failure_and_backs_off(sync_env):
    sync_env.plex.add_section("1", "Movies", "movie", movies("backoff", 3))
    sync_env.plex.fail("1", 0, 502, "provider_unauthorized", "rejected")
    space = uuid.uuid4()
    async with sync_env.admin(space) as admin:
        await admin.put(f"/api/spaces/{space}/sync-schedules", json=[{"provider": "plex", "every_minutes": 60}])
        await sync_env.start_worker(schedule_seconds=3600)
        schedules_seen = []
        for _ in range(2):
            await _make_due(sync_env, space)
            async with sync_env.api.app.state.sessionmaker.begin() as session:
                (job_id,) = await run_due_schedules(session)
            await sync_env.wait_for(admin, str(job_id))
            schedules_seen.append((await admin.get(f"/api/spaces/{space}/sync-schedules")).json()[0])

    first, second = schedules_seen
    assert first["failures"] == 1
    assert second["failures"] == 2
    assert first["last_error"] == "Plex rejected the token: check the Plex token in integration settings."
    first_wait = datetime.fromisoformat(first["next_run_at"]) - datetime.now(UTC)
    second_wait = datetime.fromisoformat(second["next_run_at"]) - datetime.now(UTC)
    assert timedelta(minutes=115) < first_wait <= timedelta(minutes=120)
    assert timedelta(minutes=235) < second_wait <= timedelta(minutes=240)


async def _announce_scheduled_sync(sync_env, broker: Broker, enabled: bool) -> None:
    """What identity publishes when an instance admin switches the flag; sync has taken it in on return."""
    event = an_event(
        Event.FEATURE_FLAG_CHANGED, producer="identity", space_id=None, entity_type="feature_flag",
        entity_id="scheduled_sync", data={"key": "scheduled_sync", "enabled": enabled},
    )  # fmt: skip
    await publish(broker, event)

    async def taken_in():
        return await sync_env.sql(
            "SELECT 1 FROM sync_feature_flags WHERE key = 'scheduled_sync' AND enabled = :e", e=enabled
        )

    await eventually(taken_in)


async def _run_due(sync_env) -> list[uuid.UUID]:
    async with AsyncSession(sync_env.engine) as session, session.begin():
        return await run_due_schedules(session)


async def test_a_due_schedule_waits_while_scheduled_sync_is_off_and_runs_once_it_is_on(sync_env):
    space = uuid.uuid4()
    broker = Broker(sync_env.settings.amqp_url, sync_env.settings.events_exchange, service="identity")
    await broker.start()
    await broker.wait_ready(10)
    try:
        async with sync_env.admin(space) as admin:
            await admin.put(f"/api/spaces/{space}/sync-schedules", json=[{"provider": "plex", "every_minutes": 60}])
        await _make_due(sync_env, space)

        await _announce_scheduled_sync(sync_env, broker, enabled=False)
        while_off = await _run_due(sync_env)
        await _announce_scheduled_sync(sync_env, broker, enabled=True)
        once_on = await _run_due(sync_env)
    finally:
        await sync_env.sql("DELETE FROM sync_feature_flags")
        await broker.stop()

    assert while_off == []
    assert once_on, "the schedule did not run once the flag was on again"
