"""The Plex import's steps: plan the sections, then one page of one section per step.

A step reads from integrations and writes to the library only; it returns a `StepOutcome` and the
worker records that outcome as one checkpoint.
"""

from typing import Any

from shelfspace_contracts.library import WatchedImport, WatchedImportItem
from shelfspace_contracts.media_items import ImportBatchResult, NormalizedItem, ProviderPage, batch_fingerprint
from shelfspace_contracts.sync import ProviderSection
from shelfspace_kernel.internal_auth import CallerContext
from sync.domain.jobs import NoSections, Tally, choose_sections, consumed_by, next_cursor, tally_batch
from sync.outcome import StepOutcome
from sync.upstream import Upstream, UpstreamError, job_context


def step_batch_key(job: Any, items: list[NormalizedItem]) -> str:
    """The library's idempotency key of this step's batch: the same on every run of the step.

    If the step's previous run stored the batch but died before its checkpoint, the library answers
    that run's results (created stays created). The page's identity is part of the key, so a page that
    changed between the runs is applied as a new batch rather than answered with another page's results.
    """
    return f"{job.id}:{job.step}:{batch_fingerprint(items)[:16]}"


async def plan_plex_import(job: Any, upstream: Upstream) -> StepOutcome:
    """Step 0: choose the video sections and learn how many items each holds."""
    context = job_context(job.space_id, job.created_by, job.request_id)
    available: list[ProviderSection] = await upstream.plex_sections(context)
    try:
        chosen = choose_sections(available, job.params.get("section_keys"))
    except NoSections as exc:
        raise UpstreamError(str(exc)) from exc
    plan = []
    for section in chosen:
        entry = {"key": section.key, "title": section.title, "type": section.type}
        probe = await upstream.plex_page(context, entry, 0, 1)
        plan.append({**entry, "total": probe.total})
    total = sum(entry["total"] for entry in plan)
    cursor = {"section": 0, "start": 0}
    return StepOutcome(cursor=cursor, done=total == 0, plan=plan, total=total)


async def import_watched_states(
    upstream: Upstream, context: CallerContext, page: ProviderPage, result: ImportBatchResult
) -> None:
    """The Plex account's plays of the page's titles become the watched state of the user running the
    import (the job's creator: the space's Plex token is theirs to use). The library keeps the later date
    and the larger play count, so a step run again, or an import run again, changes nothing."""
    if context.user_id is None or not page.watched:
        return
    titles = {outcome.external_id: outcome.media_id for outcome in result.results if outcome.media_id}
    items = [
        WatchedImportItem(media_id=titles[seen.external_id], watched_at=seen.last_viewed_at, play_count=seen.play_count)
        for seen in page.watched
        if seen.external_id in titles
    ]
    if items:
        await upstream.import_watched(context, WatchedImport(user_id=context.user_id, source="plex", items=items))


async def import_plex_page(job: Any, upstream: Upstream, batch_size: int) -> StepOutcome:
    """Steps 1..n: one page of one section, upserted into the library as one batch."""
    context = job_context(job.space_id, job.created_by, job.request_id)
    plan = [dict(entry) for entry in job.plan]
    index, start = job.cursor["section"], job.cursor["start"]
    section = plan[index]
    page = await upstream.plex_page(context, section, start, batch_size)
    tally = Tally()
    if page.items:
        result = await upstream.import_batch(context, page.items, step_batch_key(job, page.items))
        tally = tally_batch(page.items, result)
        await import_watched_states(upstream, context, page, result)
    consumed = consumed_by(page)
    # Items the provider could not normalize (no title, not a video) are counted, as skipped.
    tally.add("skipped", consumed - len(page.items))
    total = job.total or 0
    if page.total != section["total"]:
        total += page.total - section["total"]
        section["total"] = page.total
    cursor = next_cursor(plan, index, page)
    total = max(total, job.processed + consumed)
    return StepOutcome(tally=tally, processed=consumed, cursor=cursor, done=cursor is None, plan=plan, total=total)
