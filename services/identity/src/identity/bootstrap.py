"""Wires the identity service's adapters: settings, the bounded password hasher and the OpenID relying
party, shared by the routes."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from identity.domain.credentials import Passwords
from identity.hashing import BoundedPasswords
from identity.oidc import OidcRelyingParty
from identity.settings import IdentitySettings
from shelfspace_kernel.outbound.settings import outbound_policy
from shelfspace_kernel.sealing import Keyring

_DEV_KEY_SEED = b"shelfspace development-only identity key; never use in production"


@dataclass(frozen=True)
class Identity:
    settings: IdentitySettings
    passwords: BoundedPasswords
    oidc: OidcRelyingParty
    # None when IDENTITY_ENCRYPTION_KEY is not set outside development: nothing can be sealed.
    keyring: Keyring | None = None


def build(settings: IdentitySettings) -> Identity:
    passwords = Passwords(
        settings.password_hash_time_cost, settings.password_hash_memory_kib, settings.password_hash_parallelism
    )
    bounded = BoundedPasswords(passwords, settings.password_hash_concurrency, settings.password_hash_queue)
    oidc = OidcRelyingParty(outbound_policy(settings), settings.sso_timeout_seconds, settings.sso_clock_skew_seconds)
    return Identity(settings=settings, passwords=bounded, oidc=oidc, keyring=_keyring(settings))


def _keyring(settings: IdentitySettings) -> Keyring | None:
    if not settings.identity_encryption_key.strip() and settings.environment != "development":
        return None
    return Keyring.configured(
        settings.identity_encryption_key,
        settings.identity_encryption_old_keys,
        name="IDENTITY_ENCRYPTION_KEY",
        environment=settings.environment,
        dev_seed=_DEV_KEY_SEED,
        service="identity",
    )


def _identity(request: Request) -> Identity:
    return request.app.state.identity


IdentityDep = Annotated[Identity, Depends(_identity)]
