"""The instance's OpenID providers, as the instance admin configures them.

The client secret is sealed with IDENTITY_ENCRYPTION_KEY (the keyring that seals TOTP secrets),
bound to the provider id, and never answered: GET shows `secret_set` only. Saving replaces the
list; a provider sent without `client_secret` keeps the one it had.
"""

from dataclasses import dataclass

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from identity.bootstrap import Identity
from identity.events import recorder
from identity.oidc import Client
from identity.store import sso_providers
from shelfspace_contracts.identity import Event
from shelfspace_kernel.errors import AppError, NotFound, ValidationFailed
from shelfspace_kernel.internal_auth import CallerContext
from shelfspace_kernel.sealing import CannotDecrypt, Keyring, Sealed

OPTION_KEYS = (
    "scopes", "email_claim", "name_claim", "groups_claim", "allowed_email_domains", "allowed_groups",
    "group_roles", "auto_create",
)  # fmt: skip


class SsoUnavailable(AppError):
    status, code = 503, "sso_unavailable"
    message = "Single sign-on needs IDENTITY_ENCRYPTION_KEY and PUBLIC_URL to be configured on the server."


@dataclass(frozen=True)
class Provider:
    id: str
    name: str
    issuer: str
    client_id: str
    secret_set: bool
    options: dict


def _keyring(identity: Identity) -> Keyring:
    if identity.keyring is None:
        raise SsoUnavailable()
    return identity.keyring


def _associated(provider_id: str) -> bytes:
    # Binds a sealed secret to its provider: a row copied onto another provider does not open.
    return b"identity.sso:" + provider_id.encode()


def redirect_uri(identity: Identity, provider_id: str) -> str:
    """The callback to register at the provider: an absolute URL, so PUBLIC_URL is needed."""
    base = identity.settings.public_url.rstrip("/")
    if not base:
        raise SsoUnavailable()
    return f"{base}/api/auth/sso/{provider_id}/callback"


def _provider(row) -> Provider:
    return Provider(
        row["id"], row["name"], row["issuer"], row["client_id"], row["secret_ciphertext"] is not None,
        dict(row["options"] or {}),
    )  # fmt: skip


async def providers(session: AsyncSession) -> list[Provider]:
    rows = await session.execute(select(sso_providers).order_by(sso_providers.c.position, sso_providers.c.id))
    return [_provider(row) for row in rows.mappings()]


async def provider(session: AsyncSession, provider_id: str) -> Provider:
    row = (await session.execute(select(sso_providers).where(sso_providers.c.id == provider_id))).mappings().first()
    if row is None:
        raise NotFound("No such sign-in provider.")
    return _provider(row)


async def client(session: AsyncSession, identity: Identity, found: Provider) -> Client:
    """What the relying party needs for this provider, its secret opened."""
    row = (await session.execute(select(sso_providers).where(sso_providers.c.id == found.id))).mappings().one()
    secret = ""
    if row["secret_ciphertext"] is not None:
        sealed = Sealed(bytes(row["secret_ciphertext"]), bytes(row["secret_nonce"]), row["secret_key_id"])
        try:
            secret = _keyring(identity).open(sealed, _associated(found.id))
        except CannotDecrypt as exc:
            raise SsoUnavailable(
                "The client secret does not open with the configured IDENTITY_ENCRYPTION_KEY."
            ) from exc
    scopes = found.options.get("scopes") or "openid email profile"
    return Client(found.issuer, found.client_id, secret, redirect_uri(identity, found.id), scopes)


async def replace(session: AsyncSession, identity: Identity, caller: CallerContext, wanted: list[dict]) -> None:
    """Store `wanted` as the instance's providers (in that order), sealing the secrets sent."""
    async with session.begin():
        kept = {row["id"]: row for row in (await session.execute(select(sso_providers).with_for_update())).mappings()}
        rows = []
        for position, item in enumerate(wanted):
            secret = item.get("client_secret")
            if secret:
                sealed = _keyring(identity).seal(secret, _associated(item["id"]))
                sealing = {"secret_ciphertext": sealed.ciphertext, "secret_nonce": sealed.nonce,
                           "secret_key_id": sealed.key_id}  # fmt: skip
            elif item["id"] in kept and kept[item["id"]]["secret_ciphertext"] is not None:
                sealing = {key: kept[item["id"]][key] for key in ("secret_ciphertext", "secret_nonce", "secret_key_id")}
            else:
                field = f"providers.{position}.client_secret"
                raise ValidationFailed(details=[{"field": field, "message": "is required", "type": "missing"}])
            rows.append({
                "id": item["id"], "name": item["name"], "position": position, "issuer": item["issuer"].rstrip("/"),
                "client_id": item["client_id"], "options": {key: item[key] for key in OPTION_KEYS}, **sealing,
            })  # fmt: skip
        await session.execute(delete(sso_providers))
        if rows:
            await session.execute(insert(sso_providers), rows)
        await recorder.record(
            session, Event.SSO_SETTINGS_UPDATED, caller=caller, entity_type="instance_settings", entity_id="sso",
            data={"providers": [{"id": r["id"], "issuer": r["issuer"], "secret_changed": bool(w.get("client_secret"))}
                                for r, w in zip(rows, wanted, strict=True)]},
        )  # fmt: skip
