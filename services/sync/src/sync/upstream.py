"""Calls to the integrations and library services, as the job's creator in the job's space.

Failures become `UpstreamError` with a reason a space admin can act on; `transient` ones are retried.
"""

import asyncio
import uuid
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from shelfspace_contracts.exports import RecordBatch
from shelfspace_contracts.integrations import TmdbSearchResult, TmdbStatus, TmdbTitle
from shelfspace_contracts.library import WatchedImport, WatchedImportResult
from shelfspace_contracts.media_items import ImportBatch, ImportBatchResult, NormalizedItem, ProviderPage
from shelfspace_contracts.sync import MediaMatchCandidate, MediaMatchQuery, MediaMatchResult, ProviderSection
from shelfspace_kernel.errors import Unavailable
from shelfspace_kernel.internal_auth import CallerContext, TokenSigner
from shelfspace_kernel.internal_client import InternalClient
from shelfspace_kernel.settings import read_key_material
from sync import SERVICE
from sync.collectz.secrets import job_key
from sync.pacing import Pacers
from sync.settings import SyncSettings

TOKEN_REJECTED = "Plex rejected the token: check the Plex token in integration settings."  # noqa: S105 - a message, not a secret


Answer = TypeVar("Answer", bound=BaseModel)

# The most candidates the library matches per call (MediaMatchQuery's bound).
MATCH_BATCH = 500


class UpstreamError(Exception):
    def __init__(self, reason: str, *, transient: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient


def job_context(space_id: uuid.UUID, user_id: uuid.UUID | None, request_id: str | None) -> CallerContext:
    return CallerContext(
        request_id=request_id or uuid.uuid4().hex,
        caller=SERVICE,
        user_id=user_id,
        space_id=space_id,
        space_role="admin",
    )


def _error_of(response: httpx.Response) -> tuple[str | None, str | None]:
    """The (code, message) of an error answer in the shared error shape."""
    try:
        error = response.json().get("error") or {}
    except (ValueError, AttributeError):
        return None, None
    code, message = error.get("code"), error.get("message")
    return code, (message if code not in ("internal_error", "unavailable") else None)


TMDB_NOT_CONFIGURED = "TMDB is not set up for this space"
# Integrations' error codes (shelfspace_contracts.integrations.PROVIDER_ERROR_CODES) that a retry may cure.
NOT_LINKED_CODES = {"provider_not_linked", "provider_not_configured"}
TRANSIENT_CODES = {"provider_unreachable", "provider_timeout", "provider_rate_limited", "provider_error"}


def provider_failure(response: httpx.Response, what: str) -> UpstreamError:
    """Integrations answered an error while reading `what` from the provider."""
    status = response.status_code
    code, message = _error_of(response)
    if code == "provider_unauthorized" or status in (401, 403):
        return UpstreamError(TOKEN_REJECTED)
    if code in ("provider_not_configured", "secret_undecryptable"):
        return UpstreamError(
            f"{message} (Plex integration settings)" if message else "Plex is not set up for this space."
        )
    if status == 404:
        return UpstreamError(f"Plex no longer has {what}: choose the sections again in integration settings.")
    if code in TRANSIENT_CODES or status >= 500 or status == 429:
        return UpstreamError(
            f"Plex could not be read ({message or f'HTTP {status}'}) while reading {what}: "
            "check that the Plex server is up, then run the import again.",
            transient=True,
        )
    return UpstreamError(message or f"Reading {what} failed (HTTP {status}).")


def library_failure(response: httpx.Response) -> UpstreamError:
    status = response.status_code
    if status >= 500 or status == 429:
        return UpstreamError(
            f"The library could not store a batch (HTTP {status}); run the import again later.", transient=True
        )
    return UpstreamError(_error_of(response)[1] or f"The library refused a batch (HTTP {status}).")


class Upstream:
    def __init__(self, settings: SyncSettings) -> None:
        signing_key = read_key_material(settings.internal_auth_private_key)
        signer = TokenSigner(signing_key, settings.internal_token_ttl_seconds)
        # Seals what a job must keep secret while it runs (a collectZ database URL), derived from the same key.
        self.params_key = job_key(signing_key)
        timeout = settings.upstream_timeout_seconds
        self.integrations = InternalClient(settings.integrations_url, "integrations", signer, timeout=timeout)
        self.library = InternalClient(settings.library_url, "library", signer, timeout=timeout)
        self.identity = InternalClient(settings.identity_url, "identity", signer, timeout=timeout)
        self.tmdb_pacers = Pacers(settings.tmdb_enrich_per_second)
        self.tmdb_timeout = settings.tmdb_enrich_timeout_seconds

    async def aclose(self) -> None:
        await self.integrations.aclose()
        await self.library.aclose()
        await self.identity.aclose()

    async def exchange(
        self, client: InternalClient, path: str, context: CallerContext, body: BaseModel, answer: type[Answer]
    ) -> Answer:
        """POST a contract body to another service's internal route and read its contract answer."""
        response = await self._call(client, "POST", path, context, json=body.model_dump(mode="json"))
        if response.status_code >= 500 or response.status_code == 429:
            raise UpstreamError(
                f"The {client.audience} service could not take the import (HTTP {response.status_code}); "
                "it is retried.",
                transient=True,
            )
        if response.status_code >= 400:
            message = _error_of(response)[1]
            raise UpstreamError(
                message or f"The {client.audience} service refused the import (HTTP {response.status_code})."
            )
        try:
            return answer.model_validate_json(response.content)
        except ValidationError as exc:
            raise UpstreamError(f"The {client.audience} service sent an answer sync cannot read.") from exc

    async def import_records(self, context: CallerContext, batch: RecordBatch) -> ImportBatchResult:
        """Exported titles, with their copies and annotations, into the caller's space."""
        return await self.exchange(self.library, "/internal/media/records", context, batch, ImportBatchResult)

    async def _call(self, client: InternalClient, method: str, path: str, context: CallerContext, **kw: Any):
        try:
            return await client.request(method, path, context, **kw)
        except Unavailable as exc:
            raise UpstreamError(
                f"The {client.audience} service is unavailable; retrying later.", transient=True
            ) from exc

    async def plex_sections(self, context: CallerContext) -> list[ProviderSection]:
        response = await self._call(self.integrations, "GET", "/internal/plex/sections", context)
        if response.status_code >= 400:
            raise provider_failure(response, "the library sections")
        body = response.json()
        rows = body.get("sections", []) if isinstance(body, dict) else body
        return [ProviderSection.model_validate(row) for row in rows]

    async def plex_page(self, context: CallerContext, section: dict[str, Any], start: int, size: int) -> ProviderPage:
        path = f"/internal/plex/sections/{section['key']}/items"
        response = await self._call(self.integrations, "GET", path, context, params={"start": start, "size": size})
        if response.status_code >= 400:
            raise provider_failure(response, f"section “{section.get('title') or section['key']}”")
        try:
            return ProviderPage.model_validate_json(response.content)
        except ValidationError as exc:
            raise UpstreamError("The integrations service sent a page sync cannot read.") from exc

    async def import_batch(
        self, context: CallerContext, items: list[NormalizedItem], batch_key: str | None = None
    ) -> ImportBatchResult:
        body = ImportBatch(items=items, batch_key=batch_key).model_dump(mode="json")
        response = await self._call(self.library, "POST", "/internal/media/import", context, json=body)
        if response.status_code >= 400:
            raise library_failure(response)
        return ImportBatchResult.model_validate_json(response.content)

    async def import_watched(self, context: CallerContext, batch: WatchedImport) -> WatchedImportResult:
        """A provider's watched states of one user, for titles of the context's space."""
        body = batch.model_dump(mode="json")
        response = await self._call(self.library, "POST", "/internal/media/watched", context, json=body)
        if response.status_code >= 400:
            raise library_failure(response)
        return WatchedImportResult.model_validate_json(response.content)

    async def watchlist_page(self, context: CallerContext, provider: str, start: int, size: int) -> ProviderPage | None:
        """A page of the user's watchlist at `provider`, or None when the user has not linked it."""
        path = f"/internal/{provider}/watchlist"
        response = await self._call(self.integrations, "GET", path, context, params={"start": start, "size": size})
        code, _ = _error_of(response)
        if response.status_code == 404 or code in NOT_LINKED_CODES:
            return None
        if response.status_code >= 400:
            raise provider_failure(response, f"the {provider} watchlist")
        return ProviderPage.model_validate_json(response.content)

    async def owned(self, context: CallerContext, candidates: list[MediaMatchCandidate]) -> dict[str, uuid.UUID] | None:
        """The caller space's title for each candidate key that it owns; None when the library cannot say."""
        owned: dict[str, uuid.UUID] = {}
        for first in range(0, len(candidates), MATCH_BATCH):
            body = MediaMatchQuery(items=candidates[first : first + MATCH_BATCH]).model_dump(mode="json")
            try:
                response = await self.library.request("POST", "/internal/media/match", context, json=body)
            except Unavailable:
                return None
            if response.status_code >= 400:
                return None
            result = MediaMatchResult.model_validate_json(response.content)
            owned |= {match.key: match.media_id for match in result.matches if match.media_id is not None}
        return owned

    async def tmdb_configured(self, context: CallerContext) -> bool:
        """Whether the caller's space has a TMDB key; False also when integrations cannot say."""
        try:
            response = await self.integrations.request("GET", "/internal/tmdb/status", context)
        except Unavailable:
            return False
        return response.status_code == 200 and TmdbStatus.model_validate_json(response.content).configured

    async def tmdb_search(
        self, context: CallerContext, job_id: uuid.UUID, query: str, year: int, media_type: str
    ) -> list[TmdbTitle]:
        """TMDB's search for a title, paced per job; UpstreamError says why there is no answer."""
        await self.tmdb_pacers.wait(job_id)
        body = {"query": query[:200], "year": year, "media_type": media_type}
        try:
            async with asyncio.timeout(self.tmdb_timeout):
                response = await self.integrations.request("POST", "/internal/tmdb/search", context, json=body)
        except TimeoutError as exc:
            raise UpstreamError(f"TMDB did not answer within {self.tmdb_timeout:g} s") from exc
        except Unavailable as exc:
            raise UpstreamError("the integrations service is unavailable") from exc
        if response.status_code >= 400:
            code, message = _error_of(response)
            if code in NOT_LINKED_CODES:
                raise UpstreamError(TMDB_NOT_CONFIGURED)
            raise UpstreamError((message or f"TMDB could not be asked (HTTP {response.status_code})").rstrip("."))
        try:
            return TmdbSearchResult.model_validate_json(response.content).items
        except ValidationError as exc:
            raise UpstreamError("TMDB's answer could not be read") from exc
