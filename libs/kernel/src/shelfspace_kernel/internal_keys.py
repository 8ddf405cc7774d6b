"""Internal-auth keys: one Ed25519 pair per signer, and the list of public keys every service trusts.

A key's id (`kid`) is its RFC 7638 thumbprint, so a signer needs no setting beyond its private key and
an id can never name the wrong key. Verifiers hold `INTERNAL_AUTH_PUBLIC_KEYS`: entries
`<caller>:<base64 SubjectPublicKeyInfo>` separated by spaces, commas or new lines (or the path of a
file holding them, one a line, `#` comments allowed). An entry binds its key to the one caller name the
key may sign as; several entries per caller make a rotation.
"""

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

CALLER_NAME = re.compile(r"^[a-z][a-z0-9-]{0,31}$")
INLINE_LIST = re.compile(r"^\s*[a-z][a-z0-9-]*:")


@dataclass(frozen=True)
class TrustedKey:
    """A public key and the caller name tokens signed with it must carry."""

    caller: str
    key: Ed25519PublicKey


def key_id(public_key: Ed25519PublicKey) -> str:
    """The key's RFC 7638 JWK thumbprint (SHA-256, base64url)."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    jwk = {"crv": "Ed25519", "kty": "OKP", "x": _b64url(raw)}
    digest = hashlib.sha256(json.dumps(jwk, separators=(",", ":"), sort_keys=True).encode()).digest()
    return _b64url(digest)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def load_private_key(private_key_pem: str) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the internal auth private key must be an Ed25519 key")
    return key


def generate_keypair() -> tuple[str, str]:
    """A new (private PEM, public PEM) pair; for development runs and tests."""
    private = Ed25519PrivateKey.generate()
    private_pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private_pem, public_pem


def public_key_entry(caller: str, private_key_pem: str) -> str:
    """The `INTERNAL_AUTH_PUBLIC_KEYS` entry that trusts this private key to sign as `caller`."""
    der = (
        load_private_key(private_key_pem)
        .public_key()
        .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return f"{caller}:{base64.b64encode(der).decode()}"


def read_public_keys(value: str) -> str:
    """The key list given inline, or read from the file that `value` names."""
    if not value.strip() or INLINE_LIST.match(value):
        return value
    return Path(value.strip()).read_text()


def parse_public_keys(text: str) -> dict[str, TrustedKey]:
    """The trusted keys by id; ValueError names the entry that is wrong."""
    lines = [line.split("#", 1)[0] for line in text.splitlines()]
    entries = [entry for line in lines for entry in re.split(r"[\s,]+", line) if entry]
    trusted: dict[str, TrustedKey] = {}
    for entry in entries:
        caller, _, encoded = entry.partition(":")
        if not CALLER_NAME.match(caller) or not encoded:
            raise ValueError(f"INTERNAL_AUTH_PUBLIC_KEYS: {entry[:24]!r}… is not <caller>:<base64 public key>")
        try:
            key = serialization.load_der_public_key(base64.b64decode(encoded, validate=True))
        except ValueError as exc:
            raise ValueError(f"INTERNAL_AUTH_PUBLIC_KEYS: the key of {caller!r} is not a public key") from exc
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError(f"INTERNAL_AUTH_PUBLIC_KEYS: the key of {caller!r} is not an Ed25519 key")
        kid = key_id(key)
        if kid in trusted:
            raise ValueError(
                f"INTERNAL_AUTH_PUBLIC_KEYS: one key is listed twice ({trusted[kid].caller!r} and {caller!r}); "
                "each signer needs a key of its own"
            )
        trusted[kid] = TrustedKey(caller, key)
    if not trusted:
        raise ValueError(
            "INTERNAL_AUTH_PUBLIC_KEYS is empty: list one public key per signer; it replaces INTERNAL_AUTH_PUBLIC_KEY "
            "(docs/operations/upgrade.md)"
        )
    return trusted
