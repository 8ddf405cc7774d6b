"""What one step of a job does, by job kind."""

from typing import Any

from sync.collectz.job import run_collectz_step
from sync.file_import import FileRows, import_file_page
from sync.outcome import StepOutcome
from sync.plex_import import import_plex_page, plan_plex_import
from sync.upstream import Upstream, UpstreamError
from sync.watchlist import sync_watchlist_step


async def run_step(
    job: Any, upstream: Upstream, batch_size: int, file_rows: FileRows, file_batch_size: int
) -> StepOutcome:
    if job.kind == "import" and job.provider == "plex":
        if job.plan is None:
            return await plan_plex_import(job, upstream)
        return await import_plex_page(job, upstream, batch_size)
    if job.kind == "import" and job.provider == "file":
        return await import_file_page(job, upstream, file_rows, file_batch_size)
    if job.kind == "import" and job.provider == "collectz":
        return await run_collectz_step(job, upstream, batch_size)
    if job.kind == "watchlist":
        return await sync_watchlist_step(job, upstream, batch_size)
    raise UpstreamError(f"Sync does not know how to run a {job.provider} {job.kind} job.")
