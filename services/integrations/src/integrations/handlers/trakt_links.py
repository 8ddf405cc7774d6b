"""Per-user Trakt links: the OAuth device-code flow, the sealed tokens, and refresh on rejection.

A link belongs to (space, user): the Trakt app (client id and secret) is the space's, the account
is the user's. The pending device code and the linked tokens are sealed like every secret, bound to
the link's row and to the Trakt origin they were issued by; they are never returned or logged, and
never sent to another origin (after the space's Trakt address moves, the user links again).
"""

import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from integrations.adapters.http import ProviderKit
from integrations.adapters.trakt import LINK_REJECTED, AccessTokenRejected, Trakt
from integrations.crypto import CannotDecrypt, Keyring, Sealed
from integrations.domain.providers import secret_origin
from integrations.errors import (
    ProviderBadResponse,
    ProviderNotConfigured,
    ProviderNotLinked,
    ProviderUnauthorized,
    SecretUndecryptable,
)
from integrations.handlers.settings import credentials, load
from integrations.store import trakt_links
from shelfspace_kernel.errors import AppError, Conflict, NotFound, ValidationFailed
from shelfspace_kernel.internal_auth import CallerContext

log = structlog.get_logger(__name__)

NOT_LINKED = "Trakt is not linked for this user in this space: link it from the watchlist settings."
UNDECRYPTABLE = (
    "The Trakt link cannot be decrypted with the configured keys: restore the previous "
    "INTEGRATION_ENCRYPTION_KEY (or list it in INTEGRATION_ENCRYPTION_OLD_KEYS), or unlink Trakt and link it again."
)
MOVED = (
    "The space's Trakt address changed since this account was linked, so the link is not sent there: "
    "unlink Trakt and link it again."
)
REFRESH_MARGIN_SECONDS = 60
SLOW_DOWN_STEP_SECONDS = 5


class LinkMoved(Exception):
    """The link was made with another Trakt origin than the space's settings name now."""


def link_associated_data(space_id: uuid.UUID, user_id: uuid.UUID, origin: str | None = None) -> bytes:
    """Binds a link's ciphertext to its row and Trakt origin (links sealed before origins: row only)."""
    row = f"trakt_link:{space_id}:{user_id}"
    return (row if origin is None else f"{row}:{origin}").encode()


async def trakt_origin(session: AsyncSession, space_id: uuid.UUID) -> str:
    return secret_origin("trakt", (await load(session, space_id, "trakt")).config)


def _subject(caller: CallerContext) -> tuple[uuid.UUID, uuid.UUID]:
    if caller.space_id is None:
        raise ValidationFailed("The caller context names no space.", code="no_space")
    if caller.user_id is None:
        raise ValidationFailed("The caller context names no user.", code="no_user")
    return caller.space_id, caller.user_id


def _where(space_id: uuid.UUID, user_id: uuid.UUID) -> tuple:
    return trakt_links.c.space_id == space_id, trakt_links.c.user_id == user_id


async def _row(session: AsyncSession, space_id: uuid.UUID, user_id: uuid.UUID, *, lock: bool = False) -> Any:
    query = select(trakt_links).where(*_where(space_id, user_id))
    return (await session.execute(query.with_for_update() if lock else query)).first()


def open_link(keyring: Keyring, row: Any, origin: str) -> str:
    """The clear value of a link made with Trakt at `origin`; LinkMoved for another origin, else CannotDecrypt."""
    if row.secret_origin != origin:
        raise LinkMoved()
    sealed = Sealed(row.secret_ciphertext, row.secret_nonce, row.secret_key_id)
    try:
        return keyring.open(sealed, link_associated_data(row.space_id, row.user_id, origin))
    except CannotDecrypt:
        return keyring.open(sealed, link_associated_data(row.space_id, row.user_id))


def _sealed_values(
    keyring: Keyring, space_id: uuid.UUID, user_id: uuid.UUID, origin: str, plaintext: str
) -> dict[str, Any]:
    sealed = keyring.seal(plaintext, link_associated_data(space_id, user_id, origin))
    return {
        "secret_ciphertext": sealed.ciphertext,
        "secret_nonce": sealed.nonce,
        "secret_key_id": sealed.key_id,
        "secret_origin": origin,
    }


def _token_values(
    keyring: Keyring, space_id: uuid.UUID, user_id: uuid.UUID, origin: str, answer: dict[str, Any]
) -> dict:
    """The columns of a linked row for Trakt's token answer (tokens sealed together, expiry beside them)."""
    created = answer.get("created_at") if isinstance(answer.get("created_at"), int) else int(time.time())
    lifetime = answer.get("expires_in") if isinstance(answer.get("expires_in"), int) else 86400
    tokens = {"access_token": answer["access_token"], "refresh_token": answer["refresh_token"]}
    return {
        "state": "linked",
        **_sealed_values(keyring, space_id, user_id, origin, json.dumps(tokens)),
        "expires_at": datetime.fromtimestamp(created + lifetime, UTC),
        "poll_interval_seconds": None,
        "updated_at": func.now(),
    }


async def trakt_for(session: AsyncSession, keyring: Keyring, kit: ProviderKit, caller: CallerContext) -> Trakt:
    """The space's Trakt app; linking and reading lists need its client secret too."""
    config, secret = await credentials(session, keyring, caller, caller.space_id, "trakt", secret_required=False)
    trakt = Trakt(kit, caller.space_id, config, secret)
    if not secret:
        raise ProviderNotConfigured("Trakt's client secret is not set for this space; an owner or admin can add it.")
    return trakt


async def start_link(session: AsyncSession, keyring: Keyring, kit: ProviderKit, caller: CallerContext) -> dict:
    """A new device code for the user to enter at Trakt: {user_code, verification_url, expires_in, interval}."""
    space_id, user_id = _subject(caller)
    trakt = await trakt_for(session, keyring, kit, caller)
    existing = await _row(session, space_id, user_id)
    if existing is not None and existing.state == "linked":
        raise Conflict("Trakt is already linked; unlink it first to link another account.", code="already_linked")
    code = await trakt.device_code()
    try:
        answer = {
            "user_code": str(code["user_code"]),
            "verification_url": str(code["verification_url"]),
            "expires_in": int(code["expires_in"]),
            "interval": max(int(code.get("interval") or 5), 1),
        }
    except (KeyError, TypeError, ValueError) as exc:
        raise ProviderBadResponse("Trakt's device code answer is incomplete.") from exc
    values = {
        "state": "pending",
        **_sealed_values(keyring, space_id, user_id, await trakt_origin(session, space_id), str(code["device_code"])),
        "expires_at": datetime.now(UTC) + timedelta(seconds=answer["expires_in"]),
        "poll_interval_seconds": answer["interval"],
        "updated_at": func.now(),
    }
    await session.execute(
        insert(trakt_links)
        .values(space_id=space_id, user_id=user_id, **values)
        .on_conflict_do_update(index_elements=["space_id", "user_id"], set_=values)
    )
    await session.commit()
    return answer


async def _forget_pending(session: AsyncSession, space_id: uuid.UUID, user_id: uuid.UUID, status: str) -> dict:
    await session.execute(delete(trakt_links).where(*_where(space_id, user_id), trakt_links.c.state == "pending"))
    await session.commit()
    return {"status": status}


async def poll_link(session: AsyncSession, keyring: Keyring, kit: ProviderKit, caller: CallerContext) -> dict:
    """One poll of a pending link: {status: linked | pending (with interval) | expired | denied}."""
    space_id, user_id = _subject(caller)
    trakt = await trakt_for(session, keyring, kit, caller)
    # Locked, so two polls in a row cannot both redeem the code (the second would see "already used").
    row = await _row(session, space_id, user_id, lock=True)
    if row is None:
        raise NotFound("No Trakt link is in progress: start one first.")
    if row.state == "linked":
        await session.commit()
        return {"status": "linked"}
    if row.expires_at is None or row.expires_at <= datetime.now(UTC):
        return await _forget_pending(session, space_id, user_id, "expired")
    origin = await trakt_origin(session, space_id)
    try:
        device_code = open_link(keyring, row, origin)
    except (CannotDecrypt, LinkMoved):
        return await _forget_pending(session, space_id, user_id, "expired")
    state, tokens = await trakt.device_token(device_code)
    if state == "linked" and tokens is not None:
        await session.execute(
            update(trakt_links)
            .where(*_where(space_id, user_id))
            .values(**_token_values(keyring, space_id, user_id, origin, tokens))
        )
        await session.commit()
        log.info("integrations.trakt.linked", space_id=str(space_id), user_id=str(user_id))
        return {"status": "linked"}
    if state in ("expired", "invalid", "denied"):
        return await _forget_pending(session, space_id, user_id, "denied" if state == "denied" else "expired")
    interval = row.poll_interval_seconds or 5
    if state == "slow_down":
        interval += SLOW_DOWN_STEP_SECONDS
        await session.execute(
            update(trakt_links).where(*_where(space_id, user_id)).values(poll_interval_seconds=interval)
        )
    await session.commit()
    return {"status": "pending", "interval": interval}


async def link_status(session: AsyncSession, keyring: Keyring, caller: CallerContext) -> dict:
    """{status: not_linked | pending | linked | cannot_decrypt, since, available (the space has a Trakt app)}."""
    space_id, user_id = _subject(caller)
    settings = await load(session, space_id, "trakt")
    available = bool(getattr(settings.config, "client_id", None)) and settings.sealed is not None
    row = await _row(session, space_id, user_id)
    answer: dict[str, Any] = {"status": "not_linked", "since": None, "available": available}
    if row is None or (row.state == "pending" and (row.expires_at is None or row.expires_at <= datetime.now(UTC))):
        return answer
    answer |= {"status": row.state, "since": row.updated_at}
    try:
        open_link(keyring, row, secret_origin("trakt", settings.config))
    except CannotDecrypt:
        answer |= {"status": "cannot_decrypt", "detail": UNDECRYPTABLE}
    except LinkMoved:
        answer |= {"status": "cannot_decrypt", "detail": MOVED}
    return answer


async def unlink(session: AsyncSession, keyring: Keyring, kit: ProviderKit, caller: CallerContext) -> None:
    """Forgets the link (idempotent); Trakt is asked to revoke the token, best effort."""
    space_id, user_id = _subject(caller)
    row = await _row(session, space_id, user_id, lock=True)
    if row is None:
        return
    if row.state == "linked":
        try:
            access_token = json.loads(open_link(keyring, row, await trakt_origin(session, space_id)))["access_token"]
            await (await trakt_for(session, keyring, kit, caller)).revoke(access_token)
        except (AppError, CannotDecrypt, LinkMoved, ValueError, KeyError) as exc:
            log.info("integrations.trakt.revoke_skipped", reason=getattr(exc, "code", type(exc).__name__))
    await session.execute(delete(trakt_links).where(*_where(space_id, user_id)))
    await session.commit()


async def linked_tokens(session: AsyncSession, keyring: Keyring, caller: CallerContext) -> dict[str, Any]:
    """The user's tokens, with their expiry; ProviderNotLinked (404) without a link."""
    space_id, user_id = _subject(caller)
    row = await _row(session, space_id, user_id)
    if row is None or row.state != "linked":
        raise ProviderNotLinked(NOT_LINKED)
    try:
        tokens = json.loads(open_link(keyring, row, await trakt_origin(session, space_id)))
    except LinkMoved as exc:
        raise ProviderNotLinked(MOVED) from exc
    except CannotDecrypt as exc:
        log.warning("integrations.trakt.link_undecryptable", key_id=row.secret_key_id)
        raise SecretUndecryptable(UNDECRYPTABLE) from exc
    return {**tokens, "expires_at": row.expires_at}


async def refresh_tokens(
    session: AsyncSession, keyring: Keyring, trakt: Trakt, caller: CallerContext, rejected: str
) -> dict[str, Any]:
    """New tokens after `rejected` (an access token) failed; a concurrent refresh's result is reused."""
    space_id, user_id = _subject(caller)
    row = await _row(session, space_id, user_id, lock=True)
    if row is None or row.state != "linked":
        raise ProviderNotLinked(NOT_LINKED)
    origin = await trakt_origin(session, space_id)
    try:
        current = json.loads(open_link(keyring, row, origin))
    except LinkMoved as exc:
        raise ProviderNotLinked(MOVED) from exc
    except CannotDecrypt as exc:
        raise SecretUndecryptable(UNDECRYPTABLE) from exc
    if current["access_token"] != rejected:
        await session.commit()
        return current
    answer = await trakt.refresh(current["refresh_token"])
    values = _token_values(keyring, space_id, user_id, origin, answer)
    await session.execute(update(trakt_links).where(*_where(space_id, user_id)).values(**values))
    await session.commit()
    log.info("integrations.trakt.refreshed", space_id=str(space_id), user_id=str(user_id))
    return {"access_token": answer["access_token"], "refresh_token": answer["refresh_token"]}


async def list_entries(
    session: AsyncSession, keyring: Keyring, kit: ProviderKit, caller: CallerContext, kind: str, page: int, limit: int
) -> tuple[list[dict[str, Any]], int]:
    """A page of the user's Trakt list; an expiring or rejected access token is refreshed once."""
    tokens = await linked_tokens(session, keyring, caller)
    trakt = await trakt_for(session, keyring, kit, caller)
    expires_at = tokens.get("expires_at")
    if expires_at is not None and expires_at <= datetime.now(UTC) + timedelta(seconds=REFRESH_MARGIN_SECONDS):
        tokens = await refresh_tokens(session, keyring, trakt, caller, tokens["access_token"])
    try:
        return await trakt.list_page(tokens["access_token"], kind, page, limit)
    except AccessTokenRejected:
        tokens = await refresh_tokens(session, keyring, trakt, caller, tokens["access_token"])
    try:
        return await trakt.list_page(tokens["access_token"], kind, page, limit)
    except AccessTokenRejected as exc:
        raise ProviderUnauthorized(LINK_REJECTED) from exc
