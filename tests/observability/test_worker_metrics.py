"""The sync worker's metrics: served on its own listener (WORKER_METRICS_PORT), they show a Plex
import's job and the items its steps processed."""

import uuid

import httpx

from tests.fakes.plex import FakePlex
from tests.support.audit import eventually
from tests.support.identity import signed_in
from tests.support.metrics import scrape, value
from tests.support.servers import free_port
from tests.support.sync_worker import WorkerProcess

FILMS = 450  # three steps of 200, so that several workers may share them


async def test_the_worker_serves_metrics_that_move_with_an_imports_steps_and_items(system, service_settings):
    plex = await FakePlex(token="metrics-plex-token").start()
    plex.add_section("1", "Movies", "movie")
    for n in range(FILMS):
        plex.add_movie("1", f"Metered Film {n:04d}", year=1960 + n % 60, guids=[f"tmdb://{700_000 + n}"])
    port = free_port()
    upstreams = {"library_url": system.services["library"].url, "integrations_url": system.services["integrations"].url}
    worker = WorkerProcess(service_settings("sync", **upstreams))
    worker.env["WORKER_METRICS_PORT"] = str(port)
    worker.env["HOST"] = "127.0.0.1"
    metrics = f"http://127.0.0.1:{port}/metrics"
    try:
        worker.start()
        before = await eventually(lambda: _scraped(metrics), timeout=30)
        async with signed_in(system) as owner:
            space_id = (await owner.me())["active_space"]["id"]
            configured = await owner.client.put(
                f"/api/spaces/{space_id}/integrations/plex", json={"base_url": plex.url, "token": plex.token}
            )
            assert configured.status_code == 200, configured.text
            started = await owner.client.post("/api/media/import-plex")
            assert started.status_code == 202, started.text
            job_id = started.json()["job"]["id"]

            async def finished() -> dict | None:
                job = (await owner.client.get(f"/api/sync-jobs/{job_id}")).json()
                return job if job["status"] in ("succeeded", "failed", "cancelled") else None

            job = await eventually(finished, timeout=120, every=0.2)

        async def counted() -> dict | None:
            samples = await scrape(metrics)
            # Other workers of the shared test system (the browser suite's) may take some of the
            # steps, so this worker is asked only to have run at least one of them.
            stepped = value(samples, "shelfspace_sync_steps_total", outcome="checkpointed") >= 1
            # The step queue's depth is read every 15 s once the worker consumes.
            return samples if stepped and "shelfspace_consumer_queue_messages" in samples else None

        after = await eventually(counted, timeout=30)
    finally:
        worker.stop()
        await plex.stop()

    assert job["status"] == "succeeded", job
    assert value(before, "shelfspace_build_info", process="sync-worker") == 1
    assert value(before, "shelfspace_db_pool_size", pool="main") == 5
    items = "shelfspace_sync_items_processed_total"
    assert 0 < value(after, items) - value(before, items) <= FILMS
    assert value(after, "shelfspace_sync_jobs_finished_total", state="failed") == 0
    assert {labels["state"] for labels, _ in after["shelfspace_sync_jobs"]} == {"queued", "running"}
    assert value(after, "shelfspace_consumer_queue_messages", queue="sync.job-steps") >= 0
    assert uuid.UUID(job_id)


async def _scraped(url: str) -> dict | None:
    try:
        return await scrape(url)
    except httpx.TransportError:
        return None
