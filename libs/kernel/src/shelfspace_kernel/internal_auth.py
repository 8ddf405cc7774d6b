"""Internal tokens: the gateway (and services calling each other) sign the caller's context.

Tokens are EdDSA (Ed25519) JWTs, short-lived, addressed to one service (`aud`). Services hold only
the public key, so a compromised service cannot mint tokens for the others.
"""

import time
import uuid
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from shelfspace_kernel.errors import Unauthenticated

ALGORITHMS = ["EdDSA"]
ISSUER = "shelfspace"


@dataclass(frozen=True)
class CallerContext:
    """Who is calling, in which space and with which roles; server-authoritative."""

    request_id: str
    caller: str
    user_id: uuid.UUID | None = None
    global_role: str | None = None
    space_id: uuid.UUID | None = None
    space_role: str | None = None
    # The identity session the gateway resolved for this request (its row id, never the token).
    session_id: uuid.UUID | None = None
    # The client's address as the gateway determined it (for login rate limits).
    client_ip: str | None = None

    def claims(self) -> dict[str, Any]:
        claims = {
            "rid": self.request_id,
            "caller": self.caller,
            "sub": str(self.user_id) if self.user_id else None,
            "role": self.global_role,
            "space": str(self.space_id) if self.space_id else None,
            "space_role": self.space_role,
            "sid": str(self.session_id) if self.session_id else None,
            "ip": self.client_ip,
        }
        return {name: value for name, value in claims.items() if value is not None}

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> "CallerContext":
        return cls(
            request_id=claims["rid"],
            caller=claims["caller"],
            user_id=uuid.UUID(claims["sub"]) if claims.get("sub") else None,
            global_role=claims.get("role"),
            space_id=uuid.UUID(claims["space"]) if claims.get("space") else None,
            space_role=claims.get("space_role"),
            session_id=uuid.UUID(claims["sid"]) if claims.get("sid") else None,
            client_ip=claims.get("ip"),
        )


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


class TokenSigner:
    def __init__(self, private_key_pem: str, ttl_seconds: int = 60) -> None:
        key = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("the internal auth private key must be an Ed25519 key")
        self._key = key
        self._ttl = ttl_seconds

    def sign(self, audience: str, context: CallerContext) -> str:
        now = int(time.time())
        claims = {**context.claims(), "iss": ISSUER, "aud": audience, "iat": now, "exp": now + self._ttl}
        return jwt.encode(claims, self._key, algorithm="EdDSA")


class TokenVerifier:
    def __init__(self, public_key_pem: str, audience: str) -> None:
        key = serialization.load_pem_public_key(public_key_pem.encode())
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("the internal auth public key must be an Ed25519 key")
        self._key = key
        self._audience = audience

    def verify(self, token: str) -> CallerContext:
        try:
            claims = jwt.decode(
                token,
                self._key,
                algorithms=ALGORITHMS,
                audience=self._audience,
                issuer=ISSUER,
                options={"require": ["exp", "iat", "aud", "iss", "rid", "caller"]},
            )
            return CallerContext.from_claims(claims)
        except (jwt.PyJWTError, KeyError, ValueError) as exc:
            raise Unauthenticated("A valid internal token is required.") from exc
