"""Secrets at rest: AES-GCM with a random nonce per value and the id of the key that sealed it.

The current key seals; old keys (rotation) still open. A key id is a short digest of the key, so
nothing but the key itself has to be configured.
"""

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass

import structlog
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from integrations.settings import IntegrationsSettings

log = structlog.get_logger(__name__)

KEY_BYTES = 32
NONCE_BYTES = 12
_DEV_KEY_SEED = b"shelfspace development-only integration key; never use in production"


class WeakKeyError(RuntimeError):
    """The configured encryption key is missing or not strong enough to start."""


class CannotDecrypt(Exception):
    """A sealed value does not open with any configured key."""


@dataclass(frozen=True)
class Sealed:
    ciphertext: bytes
    nonce: bytes
    key_id: str


def key_id_of(key: bytes) -> str:
    return hashlib.sha256(b"shelfspace-key-id:" + key).hexdigest()[:12]


def parse_key(value: str, name: str) -> bytes:
    """A key from its base64 text; refuses anything but 32 bytes with real variety in them."""
    try:
        key = base64.b64decode(value.strip() + "=" * (-len(value.strip()) % 4), altchars=b"-_", validate=False)
    except (binascii.Error, ValueError) as exc:
        raise WeakKeyError(f"{name} is not valid base64") from exc
    if len(key) != KEY_BYTES:
        raise WeakKeyError(f"{name} must be base64 of exactly {KEY_BYTES} bytes (got {len(key)})")
    if len(set(key)) < 12:
        raise WeakKeyError(f"{name} is too repetitive to be a random key; generate one with `openssl rand -base64 32`")
    return key


class Keyring:
    def __init__(self, current: bytes, old: list[bytes] | None = None) -> None:
        self.current_id = key_id_of(current)
        self._keys = {key_id_of(key): key for key in [*(old or []), current]}

    @classmethod
    def from_settings(cls, settings: IntegrationsSettings) -> "Keyring":
        old = [
            parse_key(part, "INTEGRATION_ENCRYPTION_OLD_KEYS")
            for part in settings.integration_encryption_old_keys.split(",")
            if part.strip()
        ]
        if settings.integration_encryption_key.strip():
            return cls(parse_key(settings.integration_encryption_key, "INTEGRATION_ENCRYPTION_KEY"), old)
        if settings.environment != "development":
            raise WeakKeyError(
                "INTEGRATION_ENCRYPTION_KEY is required (base64 of 32 random bytes: `openssl rand -base64 32`); "
                "only ENVIRONMENT=development may run without one"
            )
        log.warning(
            "integrations.dev_encryption_key",
            message="INTEGRATION_ENCRYPTION_KEY is not set: using a fixed development key. "
            "Secrets stored now will not decrypt once a real key is configured.",
        )
        return cls(hashlib.sha256(_DEV_KEY_SEED).digest(), old)

    def knows(self, key_id: str) -> bool:
        return key_id in self._keys

    def seal(self, plaintext: str, associated: bytes) -> Sealed:
        nonce = os.urandom(NONCE_BYTES)
        ciphertext = AESGCM(self._keys[self.current_id]).encrypt(nonce, plaintext.encode(), associated)
        return Sealed(ciphertext, nonce, self.current_id)

    def open(self, sealed: Sealed, associated: bytes) -> str:
        key = self._keys.get(sealed.key_id)
        if key is None:
            raise CannotDecrypt(f"no configured key has id {sealed.key_id}")
        try:
            return AESGCM(key).decrypt(sealed.nonce, sealed.ciphertext, associated).decode()
        except (InvalidTag, ValueError) as exc:
            raise CannotDecrypt(f"the value does not open with key {sealed.key_id}") from exc
