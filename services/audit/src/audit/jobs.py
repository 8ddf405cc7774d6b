"""Periodic jobs of the audit service (replica-safe through the kernel's advisory locks)."""

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from audit import SERVICE
from audit.handlers import delete_expired
from audit.settings import AuditSettings
from shelfspace_kernel.periodic import PeriodicJob

log = structlog.get_logger(__name__)


def retention_job(settings: AuditSettings) -> PeriodicJob | None:
    """The job that applies ACTIVITY_RETENTION_DAYS; None when the log is kept forever."""
    days = settings.activity_retention_days
    if days is None:
        return None

    async def apply_retention(session: AsyncSession) -> None:
        deleted = await delete_expired(
            session,
            retention_days=days,
            batch_size=settings.retention_batch_size,
            max_batches=settings.retention_max_batches,
        )
        if deleted:
            log.info("activity_retention_applied", deleted=deleted, retention_days=days)

    return PeriodicJob(f"{SERVICE}.activity.retention", settings.retention_every_seconds, apply_retention)


def periodic_jobs(settings: AuditSettings) -> list[PeriodicJob]:
    return [job for job in (retention_job(settings),) if job is not None]
