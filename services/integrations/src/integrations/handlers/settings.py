"""Use cases of provider settings: read (masked), partial update, credentials for adapters, test outcomes."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog
from pydantic import ValidationError
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from integrations.crypto import CannotDecrypt, Keyring, Sealed
from integrations.domain.providers import (
    CONFIG_MODELS,
    PROVIDERS,
    ProviderConfig,
    apply_update,
    secret_hint,
    secret_origin,
)
from integrations.errors import ProviderNotConfigured, SecretRequired, SecretUndecryptable
from integrations.events import recorder
from integrations.store import provider_settings
from shelfspace_contracts.integrations import SecretUndecryptableData, SettingsTestedData, SettingsUpdatedData
from shelfspace_kernel.errors import NotFound, ValidationFailed
from shelfspace_kernel.internal_auth import CallerContext

log = structlog.get_logger(__name__)

MAX_SECRET_LENGTH = 4000


@dataclass
class Stored:
    provider: str
    config: ProviderConfig
    sealed: Sealed | None = None
    # The origins the secret was entered for: it is sent nowhere else.
    secret_origin: str | None = None
    status: str = "untested"
    status_detail: str | None = None
    tested_at: datetime | None = None
    updated_at: datetime | None = None
    undecryptable_since: datetime | None = None


def associated_data(space_id: uuid.UUID, provider: str, origin: str | None = None) -> bytes:
    """Binds a ciphertext to its row and origins, so it opens for no other space, provider or host.

    Without `origin`: the binding of secrets sealed before origins were recorded (row only).
    """
    row = f"provider_settings:{space_id}:{provider}"
    return (row if origin is None else f"{row}:{origin}").encode()


def _moved_away(provider: str) -> ProviderNotConfigured:
    return ProviderNotConfigured(
        f"The stored {provider.upper()} secret was entered for another address: enter it again in the settings."
    )


def check_provider(provider: str) -> str:
    if provider not in PROVIDERS:
        raise NotFound("Unknown integration provider.")
    return provider


def _from_row(row: Any) -> Stored:
    sealed = Sealed(row.secret_ciphertext, row.secret_nonce, row.secret_key_id) if row.secret_ciphertext else None
    model = CONFIG_MODELS[row.provider]
    return Stored(
        provider=row.provider,
        config=model.model_validate({**model().model_dump(), **row.config}),
        sealed=sealed,
        secret_origin=row.secret_origin,
        status=row.status,
        status_detail=row.status_detail,
        tested_at=row.tested_at,
        updated_at=row.updated_at,
        undecryptable_since=row.undecryptable_since,
    )


async def load_all(session: AsyncSession, space_id: uuid.UUID) -> dict[str, Stored]:
    rows = (await session.execute(select(provider_settings).where(provider_settings.c.space_id == space_id))).all()
    found = {row.provider: _from_row(row) for row in rows}
    return {p: found.get(p) or Stored(p, CONFIG_MODELS[p]()) for p in PROVIDERS}


async def load(session: AsyncSession, space_id: uuid.UUID, provider: str) -> Stored:
    row = (
        await session.execute(
            select(provider_settings).where(
                provider_settings.c.space_id == space_id, provider_settings.c.provider == provider
            )
        )
    ).first()
    return _from_row(row) if row else Stored(provider, CONFIG_MODELS[provider]())


async def _report_undecryptable(
    session: AsyncSession, caller: CallerContext | None, space_id: uuid.UUID, stored: Stored
) -> None:
    """Marks the row and emits the event once per episode; the ciphertext itself is kept."""
    if stored.undecryptable_since is not None or stored.sealed is None:
        return
    result = await session.execute(
        update(provider_settings)
        .where(
            provider_settings.c.space_id == space_id,
            provider_settings.c.provider == stored.provider,
            provider_settings.c.undecryptable_since.is_(None),
        )
        .values(undecryptable_since=func.now())
    )
    if result.rowcount:
        log.warning("integrations.secret.undecryptable", provider=stored.provider, key_id=stored.sealed.key_id)
        data = SecretUndecryptableData(provider=stored.provider, key_id=stored.sealed.key_id)
        await recorder.record(
            session,
            "integrations.secret.undecryptable",
            caller=caller,
            space_id=space_id,
            entity_type="integration",
            entity_id=stored.provider,
            data=data.model_dump(),
        )
    await session.commit()


async def _clear_undecryptable(session: AsyncSession, space_id: uuid.UUID, stored: Stored) -> None:
    if stored.undecryptable_since is None:
        return
    await session.execute(
        update(provider_settings)
        .where(provider_settings.c.space_id == space_id, provider_settings.c.provider == stored.provider)
        .values(undecryptable_since=None)
    )
    await session.commit()


async def _open_row_bound(
    session: AsyncSession,
    keyring: Keyring,
    caller: CallerContext | None,
    space_id: uuid.UUID,
    stored: Stored,
    origin: str,
) -> str:
    """A secret sealed before origins were bound (row only), re-sealed with `origin` once it opens.

    The re-seal is skipped when the row changed meanwhile (a new secret is never overwritten).
    """
    assert stored.sealed is not None
    try:
        secret = keyring.open(stored.sealed, associated_data(space_id, stored.provider))
    except CannotDecrypt as exc:
        await _report_undecryptable(session, caller, space_id, stored)
        raise SecretUndecryptable() from exc
    sealed = keyring.seal(secret, associated_data(space_id, stored.provider, origin))
    await session.execute(
        update(provider_settings)
        .where(
            provider_settings.c.space_id == space_id,
            provider_settings.c.provider == stored.provider,
            provider_settings.c.secret_ciphertext == stored.sealed.ciphertext,
        )
        .values(secret_ciphertext=sealed.ciphertext, secret_nonce=sealed.nonce, secret_key_id=sealed.key_id)
    )
    await session.commit()
    return secret


async def open_secret(
    session: AsyncSession, keyring: Keyring, caller: CallerContext | None, space_id: uuid.UUID, stored: Stored
) -> str | None:
    """The clear secret for the settings' current origins, None when none is stored.

    Raises ProviderNotConfigured when the settings now point elsewhere than the secret was entered
    for, and SecretUndecryptable (after reporting it) when no key opens it.
    """
    if stored.sealed is None:
        return None
    origin = secret_origin(stored.provider, stored.config)
    if stored.secret_origin != origin:
        raise _moved_away(stored.provider)
    try:
        secret = keyring.open(stored.sealed, associated_data(space_id, stored.provider, origin))
    except CannotDecrypt:
        secret = await _open_row_bound(session, keyring, caller, space_id, stored, origin)
    await _clear_undecryptable(session, space_id, stored)
    return secret


async def view(
    session: AsyncSession, keyring: Keyring, caller: CallerContext, space_id: uuid.UUID, stored: Stored
) -> dict[str, Any]:
    """What an owner or admin sees: the config, whether a secret is set and its hint; never the secret."""
    status, detail, hint = stored.status, stored.status_detail, None
    try:
        secret = await open_secret(session, keyring, caller, space_id, stored)
        hint = secret_hint(secret) if secret else None
    except (SecretUndecryptable, ProviderNotConfigured) as exc:
        status, detail = "cannot_decrypt", exc.message
    return {
        "provider": stored.provider,
        **stored.config.model_dump(),
        "secret_set": stored.sealed is not None,
        "secret_hint": hint,
        "status": status,
        "status_detail": detail,
        "tested_at": stored.tested_at,
        "updated_at": stored.updated_at,
    }


def _split_update(body: dict[str, Any]) -> tuple[dict[str, Any], str | None, bool]:
    changes = dict(body)
    changes.pop("provider", None)
    token = changes.pop("token", None)
    clear = changes.pop("clear_secret", False)
    if token is not None and not isinstance(token, str):
        raise ValidationFailed(details=[{"field": "token", "message": "must be a string", "type": "string_type"}])
    if isinstance(token, str):
        token = token.strip() or None
    if token is not None and len(token) > MAX_SECRET_LENGTH:
        raise ValidationFailed(details=[{"field": "token", "message": "is too long", "type": "string_too_long"}])
    if not isinstance(clear, bool):
        raise ValidationFailed(details=[{"field": "clear_secret", "message": "must be a boolean", "type": "bool_type"}])
    if clear and token:
        raise ValidationFailed(
            "Send either a new token or clear_secret, not both.",
            details=[{"field": "clear_secret", "message": "conflicts with token", "type": "conflict"}],
        )
    return changes, token, clear


def _config_errors(exc: ValidationError) -> ValidationFailed:
    details = [
        {"field": ".".join(str(p) for p in err["loc"]), "message": err["msg"], "type": err["type"]}
        for err in exc.errors()
    ]
    return ValidationFailed(details=details)


def _secret_stays_home(current: Stored, origin: str, token: str | None, clear: bool) -> None:
    """A stored secret is never carried to another host: moving there needs the secret again (or clearing it)."""
    if current.sealed is None or token is not None or clear or current.secret_origin == origin:
        return
    raise SecretRequired(
        f"The new {current.provider.upper()} address is on a different host than the stored secret was entered "
        "for: enter the secret for the new host in `token` (or send `clear_secret: true`).",
        details=[{"field": "token", "message": "required when the address moves to another host", "type": "missing"}],
    )


async def write_update(
    session: AsyncSession,
    keyring: Keyring,
    caller: CallerContext,
    space_id: uuid.UUID,
    provider: str,
    body: dict[str, Any],
) -> None:
    changes, token, clear = _split_update(body)
    key = (provider_settings.c.space_id == space_id, provider_settings.c.provider == provider)
    await session.execute(
        insert(provider_settings).values(space_id=space_id, provider=provider).on_conflict_do_nothing()
    )
    row = (await session.execute(select(provider_settings).where(*key).with_for_update())).one()
    current = _from_row(row)
    try:
        config, changed = apply_update(current.config, changes)
    except ValidationError as exc:
        raise _config_errors(exc) from exc
    origin = secret_origin(provider, config)
    _secret_stays_home(current, origin, token, clear)
    values: dict[str, Any] = {"config": config.model_dump(), "updated_at": func.now(), "updated_by": caller.user_id}
    if token is not None:
        sealed = keyring.seal(token, associated_data(space_id, provider, origin))
        values |= {"secret_ciphertext": sealed.ciphertext, "secret_nonce": sealed.nonce, "secret_origin": origin}
        values |= {"secret_key_id": sealed.key_id, "undecryptable_since": None}
    elif clear:
        values |= {"secret_ciphertext": None, "secret_nonce": None, "secret_key_id": None, "secret_origin": None}
        values |= {"undecryptable_since": None}
    if changed or token is not None or clear:
        values |= {"status": "untested", "status_detail": None}
    await session.execute(update(provider_settings).where(*key).values(**values))
    data = SettingsUpdatedData(
        provider=provider,
        changed_fields=changed + (["token"] if token is not None or (clear and current.sealed) else []),
        secret_changed=token is not None,
        secret_cleared=bool(clear and current.sealed),
    )
    await recorder.record(
        session,
        "integrations.settings.updated",
        caller=caller,
        space_id=space_id,
        entity_type="integration",
        entity_id=provider,
        data=data.model_dump(),
    )


async def update_settings(
    session: AsyncSession, keyring: Keyring, caller: CallerContext, space_id: uuid.UUID, bodies: dict[str, dict]
) -> None:
    """Partial updates (provider → fields) in one transaction: all of them, or none when one is refused.

    Omitted fields keep their value, an omitted token keeps the stored secret.
    """
    for provider, body in bodies.items():
        await write_update(session, keyring, caller, space_id, provider, body)
    await session.commit()


@dataclass(frozen=True)
class Typed:
    """The settings a form holds before they are saved: typed fields over the saved ones."""

    stored: Stored
    config: ProviderConfig
    token: str | None
    clear: bool

    @property
    def is_saved(self) -> bool:
        """Whether these are exactly the saved settings (so a test of them is the saved settings' status)."""
        return self.token is None and not self.clear and self.config == self.stored.config


async def typed_settings(session: AsyncSession, space_id: uuid.UUID, provider: str, body: dict[str, Any]) -> Typed:
    """The saved settings with `body` (the fields of an update) applied, validated; nothing is written."""
    changes, token, clear = _split_update(body)
    stored = await load(session, space_id, provider)
    try:
        config, _ = apply_update(stored.config, changes)
    except ValidationError as exc:
        raise _config_errors(exc) from exc
    return Typed(stored, config, token, clear)


async def typed_credentials(
    session: AsyncSession,
    keyring: Keyring,
    caller: CallerContext | None,
    space_id: uuid.UUID,
    typed: Typed,
    *,
    secret_required: bool = True,
) -> tuple[ProviderConfig, str | None]:
    """The config and secret to test: the typed token, else the saved secret if the address stays on its host."""
    provider = typed.stored.provider
    secret = typed.token
    if secret is None and not typed.clear and typed.stored.sealed is not None:
        _secret_stays_home(typed.stored, secret_origin(provider, typed.config), None, False)
        secret = await open_secret(session, keyring, caller, space_id, typed.stored)
    if secret is None and secret_required:
        raise ProviderNotConfigured(f"{provider.upper()} is not set up for this space: add its token in the settings.")
    return typed.config, secret


async def credentials(
    session: AsyncSession,
    keyring: Keyring,
    caller: CallerContext | None,
    space_id: uuid.UUID,
    provider: str,
    *,
    secret_required: bool = True,
) -> tuple[ProviderConfig, str | None]:
    """The config and clear secret an adapter needs, or the error that explains what is missing."""
    stored = await load(session, space_id, provider)
    secret = await open_secret(session, keyring, caller, space_id, stored)
    if secret is None and secret_required:
        raise ProviderNotConfigured(f"{provider.upper()} is not set up for this space: add its token in the settings.")
    return stored.config, secret


async def record_test(
    session: AsyncSession, caller: CallerContext, space_id: uuid.UUID, provider: str, ok: bool, detail: str
) -> None:
    await session.execute(
        insert(provider_settings).values(space_id=space_id, provider=provider).on_conflict_do_nothing()
    )
    await session.execute(
        update(provider_settings)
        .where(provider_settings.c.space_id == space_id, provider_settings.c.provider == provider)
        .values(status="ok" if ok else "failing", status_detail=detail[:1000], tested_at=func.now())
    )
    data = SettingsTestedData(provider=provider, ok=ok, outcome="ok" if ok else "failing")
    await recorder.record(
        session,
        "integrations.settings.tested",
        caller=caller,
        space_id=space_id,
        entity_type="integration",
        entity_id=provider,
        data=data.model_dump(),
    )
    await session.commit()
