"""Following jobs: the job list with filters and pages, and the per-provider sync status."""

import uuid

from services.sync.tests.fakes import movies


async def _import(sync_env, client, **body) -> dict:
    response = await client.post("/api/media/import-plex?wait=20", json=body or None)
    assert response.status_code == 200, response.text
    return response.json()["job"]


async def test_sync_status_is_idle_then_running_then_succeeded_or_failed(sync_env):
    sync_env.plex.add_section("1", "Movies", "movie", movies("status", 10))
    space = uuid.uuid4()
    async with sync_env.admin(space) as client:
        idle = (await client.get("/api/sync-status")).json()
        gate = sync_env.plex.gate("1", 0)
        await sync_env.start_worker()
        running_job = (await client.post("/api/media/import-plex")).json()["job"]
        running = (await client.get("/api/sync-status")).json()
        gate.set()
        await sync_env.wait_for(client, running_job["id"])
        succeeded = (await client.get("/api/sync-status")).json()
        sync_env.plex.fail("1", 0, 502, "provider_unauthorized", "rejected")
        await _import(sync_env, client)
        failed = (await client.get("/api/sync-status")).json()

    assert idle["plex"] == {"state": "idle", "last_job": None}
    assert idle["trakt"]["state"] == "idle"
    assert running["plex"]["state"] == "running"
    assert running["plex"]["last_job"]["id"] == running_job["id"]
    assert succeeded["plex"]["state"] == "succeeded"
    assert failed["plex"]["state"] == "failed"
    assert "Plex token" in failed["plex"]["last_job"]["error"]


async def test_the_job_list_is_newest_first_filtered_and_paged_within_the_space(sync_env):
    sync_env.plex.add_section("1", "Movies", "movie", movies("list", 3))
    await sync_env.start_worker()
    space = uuid.uuid4()
    async with sync_env.admin(space) as client, sync_env.admin() as stranger:
        jobs = [await _import(sync_env, client) for _ in range(3)]
        sync_env.plex.fail("1", 0, 502, "provider_unauthorized", "rejected")
        failed = await _import(sync_env, client)
        first_page = (await client.get("/api/sync-jobs", params={"limit": 2})).json()
        second_page = (
            await client.get("/api/sync-jobs", params={"limit": 2, "cursor": first_page["next_cursor"]})
        ).json()
        only_failed = (await client.get("/api/sync-jobs", params={"status": "failed"})).json()
        other_provider = (await client.get("/api/sync-jobs", params={"provider": "trakt"})).json()
        strangers = (await stranger.get("/api/sync-jobs")).json()
        bad_cursor = await client.get("/api/sync-jobs", params={"cursor": "nonsense"})

    newest_first = [failed["id"], *[job["id"] for job in reversed(jobs)]]
    assert [job["id"] for job in first_page["items"] + second_page["items"]] == newest_first
    assert first_page["total"] == 4
    assert first_page["total_is_lower_bound"] is False
    assert second_page["next_cursor"] is None
    assert [job["id"] for job in only_failed["items"]] == [failed["id"]]
    assert other_provider["items"] == []
    assert strangers["items"] == []
    assert bad_cursor.status_code == 422


async def test_a_job_of_another_space_cannot_be_seen_or_cancelled(sync_env):
    sync_env.plex.add_section("1", "Movies", "movie", movies("private", 3))
    async with sync_env.admin() as owner_client, sync_env.admin() as other:
        job = (await owner_client.post("/api/media/import-plex")).json()["job"]
        seen = await other.get(f"/api/sync-jobs/{job['id']}")
        cancelled = await other.post(f"/api/sync-jobs/{job['id']}/cancel")
        still = await owner_client.get(f"/api/sync-jobs/{job['id']}")

    assert seen.status_code == 404
    assert cancelled.status_code == 404
    assert still.json()["status"] == "queued"
