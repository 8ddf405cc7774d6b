"""Wires the identity service's adapters: settings and the password hasher, shared by the routes."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from identity.domain.credentials import Passwords
from identity.settings import IdentitySettings


@dataclass(frozen=True)
class Identity:
    settings: IdentitySettings
    passwords: Passwords


def build(settings: IdentitySettings) -> Identity:
    passwords = Passwords(
        settings.password_hash_time_cost, settings.password_hash_memory_kib, settings.password_hash_parallelism
    )
    return Identity(settings=settings, passwords=passwords)


def _identity(request: Request) -> Identity:
    return request.app.state.identity


IdentityDep = Annotated[Identity, Depends(_identity)]
