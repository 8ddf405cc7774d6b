"""Emails, passwords and opaque tokens."""

import hashlib
import hmac
import secrets

import bcrypt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from shelfspace_contracts.collectz import BCRYPT_PREFIXES


def normalize_email(email: str) -> str:
    """One spelling per mailbox: case and surrounding spaces never matter."""
    return email.strip().lower()


def new_token() -> str:
    """An opaque, unguessable token (256 bits)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What is stored instead of a token: its SHA-256 (tokens are random, so no salt is needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def same_secret(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def is_bcrypt(password_hash: str | None) -> bool:
    """A hash brought over from collectZ (bcrypt), told apart from ours (argon2) by its prefix."""
    return password_hash is not None and password_hash.startswith(BCRYPT_PREFIXES)


def _bcrypt_matches(password_hash: str, password: str) -> bool:
    # bcrypt reads at most 72 bytes of a password (bcryptjs drops the rest too).
    try:
        return bcrypt.checkpw(password.encode()[:72], password_hash.encode())
    except ValueError:
        return False


class Passwords:
    """argon2id hashing; verification of an unknown account costs the same as a real one.

    An imported bcrypt hash is verified as bcrypt; `needs_rehash` then says to store an argon2 one.
    """

    def __init__(self, time_cost: int, memory_kib: int, parallelism: int) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)
        self._decoy = self._hasher.hash(new_token())

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        if password_hash is not None and is_bcrypt(password_hash):
            return _bcrypt_matches(password_hash, password)
        try:
            return self._hasher.verify(password_hash or self._decoy, password) and password_hash is not None
        except (VerificationError, InvalidHashError):
            return False

    @staticmethod
    def needs_rehash(password_hash: str) -> bool:
        return is_bcrypt(password_hash)
