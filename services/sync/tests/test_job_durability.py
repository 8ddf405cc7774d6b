"""Jobs survive worker crashes and lost messages, fail with a clear reason, and stop when cancelled."""

import asyncio
import signal
import uuid

from services.sync.tests.fakes import movies


async def _start(client, **body) -> dict:
    response = await client.post("/api/media/import-plex", json=body or None)
    assert response.status_code in (200, 202), response.text
    return response.json()["job"]


async def test_a_killed_worker_s_job_resumes_from_its_checkpoint_with_exact_counts(sync_env):
    # given a 600-item library read in batches of 50 by a worker process
    sync_env.plex.add_section("1", "Movies", "movie", movies("crash", 600))
    gate = sync_env.plex.gate("1", 300)
    first = sync_env.spawn_worker()
    space = uuid.uuid4()
    async with sync_env.admin(space) as client:
        job = await _start(client)
        # when the worker is SIGKILLed mid-job (here: while it waits for the page at 300)
        await sync_env.wait_for(client, job["id"], until=lambda j: j["progress"]["processed"] >= 300, timeout=60)
        while sync_env.plex.page_calls < 8:
            await asyncio.sleep(0.05)
        first.send_signal(signal.SIGKILL)
        first.wait()
        gate.set()
        progress_at_kill = (await sync_env.job(client, job["id"]))["progress"]["processed"]
        # and another worker process starts
        sync_env.spawn_worker()
        done = await sync_env.wait_for(client, job["id"], timeout=90)

    # then the job resumed from its last checkpoint and counted every item exactly once
    assert progress_at_kill == 300
    assert done["status"] == "succeeded"
    assert done["progress"] == {"total": 600, "processed": 600}
    assert done["summary"]["created"] == 600
    assert done["summary"]["updated"] == done["summary"]["skipped"] == done["summary"]["failed"] == 0
    titles = [row["title"] for row in sync_env.library.space(space)]
    assert len(titles) == len(set(titles)) == 600


async def test_a_worker_killed_at_any_point_of_a_step_leaves_exact_counts_and_no_duplicates(sync_env):
    # given a 400-item library with a few hand-added twins, read by a worker process
    sync_env.plex.add_section("1", "Movies", "movie", movies("midbatch", 400))
    sync_env.plex.page_delay = 0.05
    space = uuid.uuid4()
    for n in (120, 260):
        sync_env.library.add_by_hand(space, f"midbatch film {n}", 1950 + n % 70, 1000 + n)
    first = sync_env.spawn_worker()
    async with sync_env.admin(space) as client:
        job = await _start(client)
        # when it is SIGKILLed wherever it is once 100 items were checkpointed (page, library call or checkpoint)
        await sync_env.wait_for(client, job["id"], until=lambda j: j["progress"]["processed"] >= 100, timeout=60)
        first.send_signal(signal.SIGKILL)
        first.wait()
        sync_env.spawn_worker()
        done = await sync_env.wait_for(client, job["id"], timeout=90)

    # then every item counts once, in the bucket of what the library did with it the first time
    assert done["status"] == "succeeded"
    assert done["progress"] == {"total": 400, "processed": 400}
    assert done["summary"]["created"] == 398
    assert done["summary"]["updated"] == 2
    assert done["summary"]["skipped"] == done["summary"]["failed"] == 0
    titles = [row["title"] for row in sync_env.library.space(space)]
    assert len(titles) == len(set(titles)) == 400


async def test_a_batch_stored_before_the_worker_died_counts_as_created_when_its_step_runs_again(sync_env):
    # given a worker process whose third batch the library stores but whose answer never reaches it
    sync_env.plex.add_section("1", "Movies", "movie", movies("stored", 200))
    sync_env.library.hold_at = 3
    first = sync_env.spawn_worker()
    space = uuid.uuid4()
    async with sync_env.admin(space) as client:
        job = await _start(client)
        await asyncio.wait_for(sync_env.library.holding.wait(), 60)
        # when the worker is SIGKILLed before that step's checkpoint, and another worker takes over
        first.send_signal(signal.SIGKILL)
        first.wait()
        sync_env.library.release.set()
        at_kill = (await sync_env.job(client, job["id"]))["progress"]["processed"]
        sync_env.spawn_worker()
        done = await sync_env.wait_for(client, job["id"], timeout=90)

    # then the step was sent again with the same key and its titles count as created, once
    keys = sync_env.library.keys_seen
    assert at_kill == 100
    assert len(keys) == 5
    assert keys[2] == keys[3]
    assert len(set(keys)) == 4
    assert done["status"] == "succeeded"
    assert done["summary"] == {"created": 200, "updated": 0, "skipped": 0, "failed": 0, "errors": [], "errors_total": 0}
    titles = [row["title"] for row in sync_env.library.space(space)]
    assert len(titles) == len(set(titles)) == 200


async def test_a_step_slower_than_its_lease_keeps_it_through_heartbeats(sync_env):
    # given pages that take longer than a lease (2 s) and two workers competing
    sync_env.plex.add_section("1", "Movies", "movie", movies("slow", 100))
    sync_env.plex.page_delay = 3.0
    await sync_env.start_worker()
    await sync_env.start_worker()
    async with sync_env.admin() as client:
        job = await sync_env.wait_for(client, (await _start(client))["id"], timeout=60)

    # then no step ran twice
    assert job["summary"]["created"] == 100
    assert sync_env.library.batches == 2


async def test_a_lost_step_message_is_enqueued_again_by_the_sweeper(sync_env):
    sync_env.plex.add_section("1", "Movies", "movie", movies("lost", 30))
    async with sync_env.admin() as client:
        job = await _start(client)
        # the step message disappears before any worker ran (e.g. a broker without that queue's data)
        await sync_env.sql("UPDATE sync_jobs SET enqueued_at = now() - interval '1 hour' WHERE id = :id", id=job["id"])
        worker = await sync_env.start_worker()
        await worker.broker.wait_ready(10)
        channel = await worker.broker.channel()
        queue = await channel.declare_queue(sync_env.settings.step_queue, passive=True)
        await queue.purge()
        done = await sync_env.wait_for(client, job["id"], timeout=30)

    assert done["status"] == "succeeded"
    assert done["summary"]["created"] == 30


async def test_plex_rejecting_the_token_mid_import_fails_the_job_with_an_actionable_reason(sync_env, job_events):
    sync_env.plex.add_section("1", "Movies", "movie", movies("token", 200))
    sync_env.plex.fail("1", 100, 502, "provider_unauthorized", "The provider rejected the stored credentials.", times=1)
    await sync_env.start_worker()
    space = uuid.uuid4()
    async with sync_env.admin(space) as client:
        failed = await sync_env.wait_for(client, (await _start(client))["id"])
        events = await job_events.of_job(failed["id"], until_type="sync.job.failed")
        # when the token is fixed and the import runs again
        again = await sync_env.wait_for(client, (await _start(client))["id"])

    assert failed["status"] == "failed"
    assert failed["error"] == "Plex rejected the token: check the Plex token in integration settings."
    assert failed["progress"]["processed"] == 100
    assert events[-1]["data"]["error"] == failed["error"]
    assert again["summary"]["created"] == 100
    assert again["summary"]["skipped"] == 100
    assert len(sync_env.library.space(space)) == 200


async def test_plex_answering_500_mid_import_is_retried_then_fails_with_a_clear_reason(sync_env):
    sync_env.plex.add_section("1", "Movies", "movie", movies("flaky", 150))
    sync_env.plex.fail("1", 50, 502, "provider_error", "The provider answered with something unexpected.", times=1)
    sync_env.plex.fail("1", 100, 502, "provider_error", "The provider answered with something unexpected.")
    await sync_env.start_worker()
    space = uuid.uuid4()
    async with sync_env.admin(space) as client:
        job = await sync_env.wait_for(client, (await _start(client))["id"])

    # one transient failure is retried; the one that persists fails the job
    assert job["status"] == "failed"
    assert job["progress"]["processed"] == 100
    assert job["summary"]["created"] == 100
    assert "Plex could not be read" in job["error"]
    assert "run the import again" in job["error"]
    assert len(sync_env.library.space(space)) == 100


async def test_a_library_error_fails_the_job_without_internal_detail(sync_env):
    sync_env.plex.add_section("1", "Movies", "movie", movies("libfail", 20))
    sync_env.library.fail_status = 500
    await sync_env.start_worker()
    async with sync_env.admin() as client:
        job = await sync_env.wait_for(client, (await _start(client))["id"])

    assert job["status"] == "failed"
    assert job["error"] == "The library could not store a batch (HTTP 500); run the import again later."


async def test_cancel_stops_a_running_job_at_the_next_batch(sync_env, job_events):
    sync_env.plex.add_section("1", "Movies", "movie", movies("stop", 300))
    gate = sync_env.plex.gate("1", 100)
    await sync_env.start_worker()
    async with sync_env.admin() as client:
        job = await _start(client)
        await sync_env.wait_for(client, job["id"], until=lambda j: j["progress"]["processed"] == 100)
        # and the worker is inside the step that reads the page at 100 (the probe and two pages came first)
        while sync_env.plex.page_calls < 4:
            await asyncio.sleep(0.05)
        response = await client.post(f"/api/sync-jobs/{job['id']}/cancel")
        gate.set()
        done = await sync_env.wait_for(client, job["id"])
        events = await job_events.of_job(job["id"], until_type="sync.job.cancelled")

    assert response.status_code == 200
    assert response.json()["cancel_requested"] is True
    assert done["status"] == "cancelled"
    assert done["progress"]["processed"] == 150
    assert done["summary"]["created"] == 150
    assert events[-1]["type"] == "sync.job.cancelled"


async def test_cancelling_a_queued_job_cancels_it_at_once(sync_env):
    sync_env.plex.add_section("1", "Movies", "movie", movies("queued", 5))
    async with sync_env.admin() as client:
        job = await _start(client)
        response = await client.post(f"/api/sync-jobs/{job['id']}/cancel")
        again = await client.post(f"/api/sync-jobs/{job['id']}/cancel")

    assert response.json()["status"] == "cancelled"
    assert response.json()["finished_at"]
    assert again.status_code == 200
