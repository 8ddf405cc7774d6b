"""Secrets at rest: AES-GCM with a random nonce per value and the id of the key that sealed it.

The current key seals; old keys (rotation) still open. A key id is a short digest of the key, so
nothing but the key itself has to be configured. Used by integrations (provider secrets) and
identity (TOTP secrets, SSO client secrets), each with its own key setting.
"""

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass

import structlog
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

log = structlog.get_logger(__name__)

KEY_BYTES = 32
NONCE_BYTES = 12


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
    def configured(
        cls, current: str, old: str, *, name: str, environment: str, dev_seed: bytes, service: str
    ) -> "Keyring":
        """The keyring of a `<NAME>` / `<NAME>_OLD_KEYS` pair of settings; only development runs may
        go without a key (a fixed one, with a warning)."""
        old_keys = [parse_key(part, f"{name.removesuffix('_KEY')}_OLD_KEYS") for part in old.split(",") if part.strip()]
        if current.strip():
            return cls(parse_key(current, name), old_keys)
        if environment != "development":
            raise WeakKeyError(
                f"{name} is required (base64 of 32 random bytes: `openssl rand -base64 32`); "
                "only ENVIRONMENT=development may run without one"
            )
        log.warning(
            f"{service}.dev_encryption_key",
            message=f"{name} is not set: using a fixed development key. "
            "Secrets stored now will not decrypt once a real key is configured.",
        )
        return cls(hashlib.sha256(dev_seed).digest(), old_keys)

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
