"""The two secrets of a collectZ move: how the job keeps the source's URL and key while it runs, and
how collectZ sealed its integration secrets.

The job's copy is sealed (AES-256-GCM) under a key derived with HKDF from the sync service's own
signing key, bound to the job's id, stored in the job's params and dropped when the job finishes.
"""

import base64
import binascii
import hashlib
import json
import os
import uuid
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

SEALED_PARAM = "sealed"
NONCE_BYTES = 12


class CannotOpen(ValueError):
    pass


def job_key(signing_key_pem: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"shelfspace sync job params v1")
    return hkdf.derive(signing_key_pem.encode())


def seal_params(key: bytes, job_id: uuid.UUID, values: dict[str, Any]) -> str:
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = AESGCM(key).encrypt(nonce, json.dumps(values).encode(), job_id.bytes)
    return base64.b64encode(nonce + ciphertext).decode()


def open_params(key: bytes, job_id: uuid.UUID, sealed: str | None) -> dict[str, Any]:
    if not sealed:
        raise CannotOpen("The job no longer holds its connection details.")
    try:
        raw = base64.b64decode(sealed)
        return json.loads(AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], job_id.bytes))
    except (InvalidTag, ValueError, binascii.Error) as exc:
        raise CannotOpen("The job's connection details cannot be read with this service's key.") from exc


def open_collectz_secret(encryption_key: str, stored: str) -> str:
    """A secret collectZ sealed: AES-256-GCM under SHA-256 of its INTEGRATION_ENCRYPTION_KEY, stored
    as `base64(iv):base64(tag):base64(ciphertext)`."""
    parts = stored.split(":")
    if len(parts) != 3:
        raise CannotOpen("not in collectZ's iv:tag:data form")
    try:
        iv, tag, data = (base64.b64decode(part) for part in parts)
        key = hashlib.sha256(encryption_key.encode()).digest()
        return AESGCM(key).decrypt(iv, data + tag, None).decode()
    except (InvalidTag, ValueError, binascii.Error) as exc:
        raise CannotOpen("does not open with the collectZ key given") from exc
