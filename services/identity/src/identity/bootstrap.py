"""Wires the identity service's adapters: settings and the bounded password hasher, shared by the routes."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from identity.domain.credentials import Passwords
from identity.hashing import BoundedPasswords
from identity.settings import IdentitySettings


@dataclass(frozen=True)
class Identity:
    settings: IdentitySettings
    passwords: BoundedPasswords


def build(settings: IdentitySettings) -> Identity:
    passwords = Passwords(
        settings.password_hash_time_cost, settings.password_hash_memory_kib, settings.password_hash_parallelism
    )
    bounded = BoundedPasswords(passwords, settings.password_hash_concurrency, settings.password_hash_queue)
    return Identity(settings=settings, passwords=bounded)


def _identity(request: Request) -> Identity:
    return request.app.state.identity


IdentityDep = Annotated[Identity, Depends(_identity)]
