"""Events the sync service publishes (`sync.job.*`, through the outbox) and the consumers it runs."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shelfspace_contracts.identity import Event as IdentityEvent
from shelfspace_contracts.sync import JobProgress, SyncJobEventData
from shelfspace_kernel.events import EventRecorder
from shelfspace_kernel.inbox import ConsumerSpec
from shelfspace_kernel.internal_auth import CallerContext
from sync import SERVICE
from sync.flags import on_feature_flag_changed

recorder = EventRecorder(SERVICE)
CONSUMERS: list[ConsumerSpec] = [
    ConsumerSpec("sync.feature-flags", [IdentityEvent.FEATURE_FLAG_CHANGED], on_feature_flag_changed)
]


async def record_job_event(session: AsyncSession, job: Any, verb: str, error: str | None = None) -> None:
    """`sync.job.<verb>` for a job row, in the session's transaction; the actor is the job's creator."""
    actor = CallerContext(request_id=job.request_id or "", caller=SERVICE, user_id=job.created_by)
    data = SyncJobEventData(
        job_id=job.id,
        provider=job.provider,
        kind=job.kind,
        status=job.status,
        progress=JobProgress(total=job.total, processed=job.processed),
        summary={
            "created": job.n_created,
            "updated": job.n_updated,
            "skipped": job.n_skipped,
            "failed": job.n_failed,
        },
        error=error,
    )
    await recorder.record(
        session,
        f"sync.job.{verb}",
        caller=actor,
        space_id=job.space_id,
        entity_type="sync_job",
        entity_id=job.id,
        data=data.model_dump(mode="json"),
    )
