"""Plex import as a durable job: progress, counts, idempotence, one active job, `?wait`."""

import uuid

from services.sync.tests.fakes import movie, movies


async def _start(client, **body):
    response = await client.post("/api/media/import-plex", json=body or None)
    assert response.status_code in (200, 202), response.text
    return response


async def test_an_import_pages_every_video_section_and_counts_each_item_once(sync_env, job_events):
    # given two video sections and a music section in Plex
    sync_env.plex.add_section("1", "Movies", "movie", movies("a", 120))
    sync_env.plex.add_section("2", "Shows", "show", movies("b", 30, first_tmdb=5000))
    sync_env.plex.add_section("3", "Music", "artist", movies("c", 10, first_tmdb=9000))
    await sync_env.start_worker()
    async with sync_env.admin() as client:
        # when an admin imports and waits
        response = await _start(client)
        job = response.json()["job"]
        assert response.status_code == 202
        assert job["status"] == "queued"
        finished = await sync_env.wait_for(client, job["id"])

    # then every item of the video sections counts once, and the events tell the story
    assert finished["status"] == "succeeded"
    assert finished["progress"] == {"total": 150, "processed": 150}
    assert finished["summary"]["created"] == 150
    assert finished["summary"]["updated"] == finished["summary"]["skipped"] == finished["summary"]["failed"] == 0
    assert finished["started_at"]
    assert finished["finished_at"]
    events = await job_events.of_job(job["id"], until_type="sync.job.succeeded")
    assert [event["type"] for event in events] == ["sync.job.queued", "sync.job.started", "sync.job.succeeded"]
    assert events[-1]["data"]["summary"]["created"] == 150
    assert all(call.caller == "sync" and call.space_role == "admin" for call in sync_env.library.calls)


async def test_importing_the_same_library_twice_creates_nothing_the_second_time(sync_env):
    sync_env.plex.add_section("1", "Movies", "movie", movies("twice", 80))
    await sync_env.start_worker()
    space = uuid.uuid4()
    async with sync_env.admin(space) as client:
        first = await sync_env.wait_for(client, (await _start(client)).json()["job"]["id"])
        second = await sync_env.wait_for(client, (await _start(client)).json()["job"]["id"])

    assert first["summary"]["created"] == 80
    assert second["status"] == "succeeded"
    assert second["summary"] == {**second["summary"], "created": 0, "updated": 0, "skipped": 80, "failed": 0}
    assert len(sync_env.library.space(space)) == 80


async def test_a_second_request_returns_the_running_job(sync_env):
    sync_env.plex.add_section("1", "Movies", "movie", movies("once", 60))
    gate = sync_env.plex.gate("1", 0)
    await sync_env.start_worker()
    space = uuid.uuid4()
    async with sync_env.admin(space) as client, sync_env.admin(space) as other_admin:
        first = (await _start(client)).json()["job"]
        second = (await _start(other_admin)).json()["job"]
        assert second["id"] == first["id"]
        gate.set()
        done = await sync_env.wait_for(client, first["id"])
        third = (await _start(client)).json()["job"]

    assert done["status"] == "succeeded"
    assert third["id"] != first["id"]


async def test_wait_answers_200_with_the_finished_job_and_202_when_it_is_still_running(sync_env):
    sync_env.plex.add_section("1", "Movies", "movie", movies("wait", 20))
    await sync_env.start_worker()
    async with sync_env.admin() as client:
        finished = await client.post("/api/media/import-plex?wait=20", json={})
    gate = sync_env.plex.gate("1", 0)
    async with sync_env.admin() as client:
        pending = await client.post("/api/media/import-plex?wait=0.5")
        gate.set()
        await sync_env.wait_for(client, pending.json()["job"]["id"])

    assert finished.status_code == 200
    assert finished.json()["job"]["status"] == "succeeded"
    assert finished.json()["job"]["summary"]["created"] == 20
    assert pending.status_code == 202
    assert pending.json()["job"]["status"] in ("queued", "running")


async def test_only_the_requested_sections_are_imported(sync_env):
    sync_env.plex.add_section("1", "Movies", "movie", movies("m", 10))
    sync_env.plex.add_section("2", "4K Movies", "movie", movies("k", 5, first_tmdb=7000))
    await sync_env.start_worker()
    async with sync_env.admin() as client:
        job = (await _start(client, section_keys=["2"])).json()["job"]
        done = await sync_env.wait_for(client, job["id"])
        unknown = await sync_env.wait_for(client, (await _start(client, section_keys=["99"])).json()["job"]["id"])

    assert done["progress"] == {"total": 5, "processed": 5}
    assert unknown["status"] == "failed"
    assert "99" in unknown["error"]


async def test_a_film_in_two_sections_becomes_one_title_with_two_copies(sync_env):
    sync_env.plex.add_section("1", "Movies", "movie", [movie("1/100", "Heat", 1995, tmdb_id=949)])
    sync_env.plex.add_section("2", "4K Movies", "movie", [movie("2/200", "Heat", 1995, tmdb_id=949)])
    await sync_env.start_worker()
    space = uuid.uuid4()
    async with sync_env.admin(space) as client:
        job = await sync_env.wait_for(client, (await _start(client)).json()["job"]["id"])

    assert job["summary"]["created"] == 1
    assert job["summary"]["updated"] == 1
    (title,) = sync_env.library.space(space)
    assert len(title["copies"]) == 2


async def test_items_the_provider_cannot_normalize_count_as_skipped(sync_env):
    items = movies("odd", 10)
    sync_env.plex.add_section("1", "Movies", "movie", items)
    sync_env.plex.dropped = {items[3]["external_id"], items[7]["external_id"]}
    await sync_env.start_worker()
    async with sync_env.admin() as client:
        job = await sync_env.wait_for(client, (await _start(client)).json()["job"]["id"])

    assert job["progress"] == {"total": 10, "processed": 10}
    assert job["summary"]["created"] == 8
    assert job["summary"]["skipped"] == 2


async def test_only_a_space_admin_may_start_an_import_and_members_may_follow_it(sync_env):
    sync_env.plex.add_section("1", "Movies", "movie", movies("rbac", 3))
    space = uuid.uuid4()
    async with sync_env.admin(space, role="member") as member, sync_env.admin(space, role="owner") as owner:
        refused = await member.post("/api/media/import-plex", json={})
        job = (await _start(owner)).json()["job"]
        seen = await member.get(f"/api/sync-jobs/{job['id']}")
        cancel = await member.post(f"/api/sync-jobs/{job['id']}/cancel")
    async with sync_env.admin() as stranger:
        hidden = await stranger.get(f"/api/sync-jobs/{job['id']}")

    assert refused.status_code == 403
    assert seen.status_code == 200
    assert cancel.status_code == 403
    assert hidden.status_code == 404
