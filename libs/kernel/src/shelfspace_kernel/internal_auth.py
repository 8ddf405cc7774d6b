"""Internal tokens: the gateway (and services calling each other) sign the caller's context.

Tokens are EdDSA (Ed25519) JWTs, short-lived, addressed to one service (`aud`). Services hold only
the public key, so a compromised service cannot mint tokens for the others.

A token names the caller, not the request: the request id travels in `X-Request-Id`. So the signer
reuses a token for the same caller and audience during the first half of its life, and a verifier
remembers the tokens it has checked until they expire. An Ed25519 check costs about a third of a
millisecond here, as much as the rest of a small request.
"""

import dataclasses
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
    def from_claims(cls, claims: dict[str, Any], request_id: str) -> "CallerContext":
        return cls(
            request_id=request_id,
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


# Tokens a signer or verifier remembers at most; past that it starts afresh.
MAX_REMEMBERED_TOKENS = 10_000


class TokenSigner:
    def __init__(self, private_key_pem: str, ttl_seconds: int = 60) -> None:
        key = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("the internal auth private key must be an Ed25519 key")
        self._key = key
        self._ttl = ttl_seconds
        self._signed: dict[tuple[str, CallerContext], tuple[float, str]] = {}

    def sign(self, audience: str, context: CallerContext) -> str:
        key = (audience, dataclasses.replace(context, request_id=""))
        now = time.time()
        known = self._signed.get(key)
        if known is not None and now < known[0]:
            return known[1]
        issued = int(now)
        claims = {**context.claims(), "iss": ISSUER, "aud": audience, "iat": issued, "exp": issued + self._ttl}
        token = jwt.encode(claims, self._key, algorithm="EdDSA")
        if len(self._signed) >= MAX_REMEMBERED_TOKENS:
            self._signed.clear()
        # Reused only while at least half its life is left, so a reused token outlives any request.
        self._signed[key] = (issued + self._ttl / 2, token)
        return token


class TokenVerifier:
    def __init__(self, public_key_pem: str, audience: str) -> None:
        key = serialization.load_pem_public_key(public_key_pem.encode())
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("the internal auth public key must be an Ed25519 key")
        self._key = key
        self._audience = audience
        self._verified: dict[str, tuple[float, CallerContext]] = {}

    def verify(self, token: str, request_id: str) -> CallerContext:
        """The caller the token names, for the request `request_id`; Unauthenticated otherwise."""
        known = self._verified.get(token)
        if known is not None and time.time() < known[0]:
            return dataclasses.replace(known[1], request_id=request_id)
        try:
            claims = jwt.decode(
                token,
                self._key,
                algorithms=ALGORITHMS,
                audience=self._audience,
                issuer=ISSUER,
                options={"require": ["exp", "iat", "aud", "iss", "caller"]},
            )
            context = CallerContext.from_claims(claims, request_id)
        except (jwt.PyJWTError, KeyError, ValueError) as exc:
            raise Unauthenticated("A valid internal token is required.") from exc
        if len(self._verified) >= MAX_REMEMBERED_TOKENS:
            self._verified.clear()
        self._verified[token] = (float(claims["exp"]), context)
        return context
