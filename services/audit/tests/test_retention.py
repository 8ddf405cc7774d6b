"""ACTIVITY_RETENTION_DAYS: rows older than the retention are deleted by a replica-safe job."""

import uuid
from datetime import UTC, datetime, timedelta

from audit.jobs import periodic_jobs, retention_job
from shelfspace_kernel.periodic import run_once
from tests.support.audit import activity, an_event, landed, publish


async def test_rows_past_the_retention_are_deleted_and_newer_ones_kept(
    event_broker, admin_client, audit_db, service_settings
):
    space_id = uuid.uuid4()
    now = datetime.now(UTC)
    old = an_event("library.media.deleted", space_id=space_id, occurred_at=now - timedelta(days=31))
    recent = an_event("library.media.created", space_id=space_id, occurred_at=now - timedelta(days=29))
    await publish(event_broker, old, recent)
    await landed(admin_client, 2, space_id=space_id)
    job = retention_job(service_settings("audit", activity_retention_days=30))

    ran = await run_once(audit_db, job)

    async with admin_client() as client:
        rows = (await activity(client, space_id=space_id))["items"]
    assert ran
    assert [row["action"] for row in rows] == ["library.media.created"]


async def test_the_log_is_kept_forever_unless_a_retention_is_set(service_settings):
    assert periodic_jobs(service_settings("audit")) == []
    assert periodic_jobs(service_settings("audit", activity_retention_days="")) == []
    assert [job.name for job in periodic_jobs(service_settings("audit", activity_retention_days=90))] == [
        "audit.activity.retention"
    ]
