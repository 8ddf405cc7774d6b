"""Local stand-ins for the two internal contracts sync calls, controllable from a test.

- integrations: `GET /internal/plex/sections` and `GET /internal/plex/sections/{key}/items`
  (a `ProviderPage`), backed by in-memory Plex sections;
- library: `POST /internal/media/import` (`ImportBatch` → `ImportBatchResult`), an idempotent
  upsert keyed by provider identity, then TMDB id, then title + year + type; a batch sent again
  with its `batch_key` gets the first answer.
"""

import asyncio
import uuid
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from shelfspace_contracts.media_items import (
    ImportBatch,
    ImportBatchResult,
    ImportItemResult,
    NormalizedItem,
    ProviderPage,
)
from shelfspace_contracts.sync import MediaMatchQuery
from shelfspace_kernel.internal_auth import CallerContext, TokenVerifier, request_target
from shelfspace_kernel.internal_keys import parse_public_keys

# Sync settings that make leases, sweeps and retries quick enough for tests.
FAST = {
    "batch_size": 50,
    "lease_seconds": 2.0,
    "requeue_after_seconds": 2.0,
    "sweep_seconds": 0.3,
    "schedule_seconds": 0.5,
    "retry_delay_seconds": 0.1,
    "step_retries": 1,
}


def movie(external_id: str, title: str, year: int | None = 2000, tmdb_id: int | None = None, **extra: Any) -> dict:
    identities = {"tmdb_id": tmdb_id, "tmdb_media_type": "movie"} if tmdb_id else {}
    return {
        "provider": "plex",
        "external_id": external_id,
        "title": title,
        "media_type": "movie",
        "year": year,
        "identities": identities,
        **extra,
    }


def movies(prefix: str, count: int, first_tmdb: int = 1000) -> list[dict]:
    return [movie(f"{prefix}-{n}", f"{prefix} film {n}", 1950 + n % 70, first_tmdb + n) for n in range(count)]


@dataclass
class Failure:
    section: str
    start: int
    status: int
    code: str
    message: str
    times: int = 10**6


@dataclass
class FakePlex:
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    # Pages at these (section, start) wait until the test releases them.
    gates: dict[tuple[str, int], asyncio.Event] = field(default_factory=dict)
    page_delay: float = 0.0
    dropped: set[str] = field(default_factory=set)
    page_calls: int = 0
    calls: list[CallerContext] = field(default_factory=list)
    # Linked watchlists: (user_id, provider) → items; any other user answers "not linked".
    watchlists: dict[tuple[uuid.UUID, str], list[dict]] = field(default_factory=dict)

    def add_section(self, key: str, title: str, kind: str, items: list[dict]) -> None:
        self.sections[key] = {"title": title, "type": kind, "items": items}

    def fail(self, section: str, start: int, status: int, code: str, message: str, times: int = 10**6) -> None:
        self.failures.append(Failure(section, start, status, code, message, times))

    def gate(self, section: str, start: int) -> asyncio.Event:
        return self.gates.setdefault((section, start), asyncio.Event())


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, "details": [], "request_id": None}}, status)


def _guarded(public_keys: str, audience: str, calls: list[CallerContext]) -> FastAPI:
    """An app that, like every service, accepts only signed service-to-service calls."""
    app = FastAPI()
    verifier = TokenVerifier(parse_public_keys(public_keys), audience)

    @app.middleware("http")
    async def verify(request: Request, call_next):
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        target = request_target(request.scope["raw_path"], request.scope["query_string"])
        try:
            caller = verifier.verify(token, request.method, target, request.headers.get("x-request-id", ""))
        except Exception:
            return _error(401, "unauthenticated", "A valid internal token is required.")
        if caller.caller != "sync" or caller.space_id is None:
            return _error(403, "forbidden", "This route is internal.")
        request.state.caller = caller
        calls.append(caller)
        return await call_next(request)

    return app


def integrations_app(plex: FakePlex, public_keys: str) -> FastAPI:
    app = _guarded(public_keys, "integrations", plex.calls)

    @app.get("/internal/plex/sections")
    async def sections() -> dict:
        rows = [{"key": key, "title": s["title"], "type": s["type"]} for key, s in plex.sections.items()]
        return {"server_name": "Fake Plex", "sections": rows}

    @app.get("/internal/plex/sections/{key}/items")
    async def items(key: str, start: int = 0, size: int = 200):
        plex.page_calls += 1
        for failure in plex.failures:
            if failure.section == key and failure.start == start and failure.times > 0:
                failure.times -= 1
                return _error(failure.status, failure.code, failure.message)
        if (gate := plex.gates.get((key, start))) is not None:
            await gate.wait()
        if plex.page_delay:
            await asyncio.sleep(plex.page_delay)
        section = plex.sections.get(key)
        if section is None:
            return _error(404, "not_found", "Plex has no movie or show section with that key.")
        everything = section["items"]
        window = everything[start : start + size]
        kept = [NormalizedItem.model_validate(item) for item in window if item["external_id"] not in plex.dropped]
        end = start + len(window)
        page = ProviderPage(
            items=kept, start=start, total=len(everything), next_start=end if end < len(everything) else None
        )
        return page.model_dump(mode="json")

    @app.get("/internal/{provider}/watchlist")
    async def watchlist(provider: str, request: Request, start: int = 0, size: int = 200):
        entries = plex.watchlists.get((request.state.caller.user_id, provider))
        if entries is None:
            return _error(404, "provider_not_linked", f"Link your {provider} account first.")
        window = entries[start : start + size]
        end = start + len(window)
        items = [NormalizedItem.model_validate(entry) for entry in window]
        next_start = end if end < len(entries) else None
        return ProviderPage(items=items, start=start, total=len(entries), next_start=next_start).model_dump(mode="json")

    return app


@dataclass
class FakeLibrary:
    """Titles per space; each title has copies keyed by (provider, external_id)."""

    titles: dict[uuid.UUID, list[dict[str, Any]]] = field(default_factory=dict)
    batches: int = 0
    fail_status: int | None = None
    calls: list[CallerContext] = field(default_factory=list)
    # Answers by (space, batch_key), as the library remembers keyed batches.
    keyed: dict[tuple[uuid.UUID, str], ImportBatchResult] = field(default_factory=dict)
    keys_seen: list[str] = field(default_factory=list)
    # Batch number `hold_at` (1-based) is stored, then its answer waits until `release` is set.
    hold_at: int | None = None
    holding: asyncio.Event = field(default_factory=asyncio.Event)
    release: asyncio.Event = field(default_factory=asyncio.Event)

    def space(self, space_id: uuid.UUID) -> list[dict[str, Any]]:
        return self.titles.setdefault(space_id, [])

    def add_by_hand(self, space_id: uuid.UUID, title: str, year: int, tmdb_id: int) -> dict:
        row = {"id": uuid.uuid4(), "title": title, "year": year, "tmdb_id": tmdb_id, "copies": [("hand", "Blu-ray")]}
        self.space(space_id).append(row)
        return row

    def upsert(self, space_id: uuid.UUID, item: NormalizedItem) -> ImportItemResult:
        titles = self.space(space_id)
        copy_key = (item.provider, item.external_id)
        for row in titles:
            if copy_key in row["copies"]:
                return ImportItemResult(external_id=item.external_id, outcome="unchanged", media_id=row["id"])
        tmdb = item.identities.tmdb_id
        match = next((row for row in titles if tmdb and row["tmdb_id"] == tmdb), None)
        if match is None and tmdb is None:
            match = next(
                (
                    row
                    for row in titles
                    if row["title"] == item.title and row["year"] == item.year and not row["tmdb_id"]
                ),
                None,
            )
        if match is not None:
            match["copies"].append(copy_key)
            return ImportItemResult(external_id=item.external_id, outcome="updated", media_id=match["id"])
        row = {"id": uuid.uuid4(), "title": item.title, "year": item.year, "tmdb_id": tmdb, "copies": [copy_key]}
        titles.append(row)
        return ImportItemResult(external_id=item.external_id, outcome="created", media_id=row["id"])


def library_app(library: FakeLibrary, public_keys: str) -> FastAPI:
    app = _guarded(public_keys, "library", library.calls)

    @app.post("/internal/media/import")
    async def import_batch(batch: ImportBatch, request: Request):
        library.batches += 1
        if library.fail_status:
            return _error(library.fail_status, "internal_error", "An unexpected error occurred.")
        space_id = request.state.caller.space_id
        if batch.batch_key is not None:
            library.keys_seen.append(batch.batch_key)
        earlier = library.keyed.get((space_id, batch.batch_key)) if batch.batch_key else None
        result = earlier or ImportBatchResult(results=[library.upsert(space_id, item) for item in batch.items])
        if batch.batch_key is not None:
            library.keyed[(space_id, batch.batch_key)] = result
        if library.batches == library.hold_at:
            library.holding.set()
            await library.release.wait()
        return result.model_dump(mode="json")

    @app.post("/internal/media/match")
    async def match(query: MediaMatchQuery, request: Request):
        titles = library.space(request.state.caller.space_id)
        matches = []
        for candidate in query.items:
            found = next(
                (
                    row
                    for row in titles
                    if (candidate.tmdb_id and row["tmdb_id"] == candidate.tmdb_id)
                    or (row["title"] == candidate.title and row["year"] == candidate.year)
                ),
                None,
            )
            matches.append({"key": candidate.key, "media_id": str(found["id"]) if found else None})
        return {"matches": matches}

    return app
