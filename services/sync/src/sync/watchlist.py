"""Watchlists: a job that copies each linked provider's watchlist (Plex, then Trakt) into the sync
schema, and the merged view that marks titles the active space already owns."""

import uuid
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shelfspace_contracts.media_items import NormalizedItem, ProviderPage
from shelfspace_contracts.sync import WATCHLIST_PROVIDERS, MediaMatchCandidate
from shelfspace_kernel.internal_auth import CallerContext
from sync.domain.jobs import Tally
from sync.outcome import StepOutcome
from sync.store import watchlist_items
from sync.upstream import Upstream, job_context

FIELDS = ("title", "media_type", "year", "tmdb_id", "imdb_id", "poster_url")


def _row(item: NormalizedItem) -> dict[str, Any]:
    ids = item.identities
    values = (item.title, item.media_type, item.year, ids.tmdb_id, ids.imdb_id, item.poster_url)
    return dict(zip(FIELDS, values, strict=True))


def title_key(entry: dict[str, Any]) -> str:
    """One key per title across providers: TMDB id, else IMDb id, else title + year + type."""
    if entry.get("tmdb_id"):
        return f"tmdb:{entry['media_type']}:{entry['tmdb_id']}"
    if entry.get("imdb_id"):
        return f"imdb:{entry['imdb_id']}"
    return f"title:{entry['media_type']}:{entry['title'].casefold()}:{entry.get('year') or ''}"


def _store_page(job: Any, provider: str, page: ProviderPage, finished: bool):
    """The checkpoint part of a watchlist step: upsert the page's entries, count them, drop the gone."""

    async def apply(session: AsyncSession, tally: Tally) -> None:
        user_id = job.created_by
        incoming = {item.external_id: (index, _row(item)) for index, item in enumerate(page.items)}
        existing = {
            row.external_id: row
            for row in await session.execute(
                select(watchlist_items).where(
                    watchlist_items.c.user_id == user_id,
                    watchlist_items.c.provider == provider,
                    watchlist_items.c.external_id.in_(list(incoming)),
                )
            )
        }
        for external_id, (index, values) in incoming.items():
            before = existing.get(external_id)
            if before is None:
                tally.add("created")
            elif any(getattr(before, name) != values[name] for name in FIELDS):
                tally.add("updated")
            else:
                tally.add("skipped")
            changes = {**values, "position": page.start + index, "last_job_id": job.id, "synced_at": func.now()}
            await session.execute(
                insert(watchlist_items)
                .values(user_id=user_id, provider=provider, external_id=external_id, **changes)
                .on_conflict_do_update(index_elements=["user_id", "provider", "external_id"], set_=changes)
            )
        tally.add("skipped", len(page.items) - len(incoming))
        if finished:
            await session.execute(
                delete(watchlist_items).where(
                    watchlist_items.c.user_id == user_id,
                    watchlist_items.c.provider == provider,
                    watchlist_items.c.last_job_id != job.id,
                )
            )

    return apply


def _forget_provider(job: Any, provider: str):
    """The checkpoint part for a provider the user no longer links: its entries go (after an unlink)."""

    async def apply(session: AsyncSession, tally: Tally) -> None:
        await session.execute(
            delete(watchlist_items).where(
                watchlist_items.c.user_id == job.created_by, watchlist_items.c.provider == provider
            )
        )

    return apply


async def sync_watchlist_step(job: Any, upstream: Upstream, batch_size: int) -> StepOutcome:
    """One page of one provider's watchlist; a provider the user has not linked (or unlinked) is
    passed over, and what an earlier sync copied from it is dropped."""
    plan = job.plan or [{"provider": provider} for provider in WATCHLIST_PROVIDERS]
    cursor = job.cursor or {"section": 0, "start": 0}
    index, start = cursor["section"], cursor["start"]
    provider = plan[index]["provider"]
    context = job_context(job.space_id, job.created_by, job.request_id)
    page = await upstream.watchlist_page(context, provider, start, batch_size)
    following = {"section": index + 1, "start": 0} if index + 1 < len(plan) else None
    total = job.total or 0
    if page is None:
        outcome = StepOutcome(cursor=following, done=following is None, plan=plan, total=total)
        outcome.apply = _forget_provider(job, provider)
        return outcome
    more = page.next_start is not None and page.start < page.next_start < page.total
    if start == 0:
        total += page.total
    outcome = StepOutcome(
        processed=len(page.items),
        cursor={"section": index, "start": page.next_start} if more else following,
        plan=plan,
        total=max(total, job.processed + len(page.items)),
    )
    outcome.done = outcome.cursor is None
    outcome.apply = _store_page(job, provider, page, finished=not more)
    return outcome


async def read_watchlist(session: AsyncSession, upstream: Upstream, caller: CallerContext) -> dict[str, Any]:
    """The user's watchlist, merged across providers, each title marked as owned in the active space."""
    rows = await session.execute(
        select(watchlist_items)
        .where(watchlist_items.c.user_id == caller.user_id)
        .order_by(watchlist_items.c.provider, watchlist_items.c.position)
    )
    merged: dict[str, dict[str, Any]] = {}
    synced_at = None
    for row in rows:
        entry = {name: getattr(row, name) for name in FIELDS}
        item = merged.setdefault(title_key(entry), {**entry, "providers": []})
        item["providers"].append({"provider": row.provider, "external_id": row.external_id})
        synced_at = max(synced_at, row.synced_at) if synced_at else row.synced_at
    candidates = [
        MediaMatchCandidate(key=key, **{n: item[n] for n in FIELDS if n != "poster_url"})
        for key, item in merged.items()
    ]
    context = CallerContext(
        request_id=caller.request_id,
        caller="sync",
        user_id=caller.user_id,
        space_id=caller.space_id,
        space_role=caller.space_role,
    )
    owned = await upstream.owned(context, candidates)
    items = []
    for key, item in merged.items():
        media_id: uuid.UUID | None = owned.get(key) if owned is not None else None
        items.append({**item, "owned": (media_id is not None) if owned is not None else None, "media_id": media_id})
    return {"items": items, "synced_at": synced_at}
