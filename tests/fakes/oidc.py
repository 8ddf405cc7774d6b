"""A local OpenID provider: discovery, authorize (auto-approves `user`, redirects with a code), token
(client secret, PKCE S256, single-use codes), JWKS (with key rotation) and userinfo.

ID tokens are signed with RSA keys generated here; `id_token_claims` overrides claims of the next
tokens (an expired one, another audience) and `sign_with_unpublished_key` signs with a key the
JWKS never lists (a forged signature).
"""

import base64
import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Form, Header, Request
from fastapi.responses import JSONResponse, RedirectResponse
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from tests.fakes.base import FakeServer


def new_key() -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": uuid.uuid4().hex[:12], "use": "sig", "alg": "RS256"})


@dataclass
class Grant:
    client_id: str
    redirect_uri: str
    nonce: str | None
    challenge: str
    user: dict


@dataclass
class FakeOidcProvider(FakeServer):
    client_id: str = "shelfspace"
    client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    # Who the authorize endpoint signs in (auto-approved): claims of the ID token and userinfo.
    user: dict = field(default_factory=dict)
    id_token_claims: dict = field(default_factory=dict)
    sign_with_unpublished_key: bool = False

    def __post_init__(self) -> None:
        super().__init__()
        self.signing_key = new_key()
        self.published = [self.signing_key]
        self._unpublished = new_key()
        self._grants: dict[str, Grant] = {}
        self._access: dict[str, dict] = {}

    def rotate_keys(self, keep_old: bool = False) -> None:
        """A new signing key; the old one stays in the JWKS only with `keep_old`."""
        self.signing_key = new_key()
        self.published = [self.signing_key, *(self.published if keep_old else [])]

    def sign_in_as(self, **claims: Any) -> dict:
        self.user = {"sub": uuid.uuid4().hex, "email_verified": True, "name": "SSO Person", **claims}
        return self.user

    def _id_token(self, grant: Grant) -> str:
        now = int(time.time())
        claims = {
            "iss": self.url, "aud": grant.client_id, "iat": now, "exp": now + 300, "auth_time": now,
            **({"nonce": grant.nonce} if grant.nonce else {}), **grant.user, **self.id_token_claims,
        }  # fmt: skip
        key = self._unpublished if self.sign_with_unpublished_key else self.signing_key
        if self.sign_with_unpublished_key:
            # The same key id as the real one: only the signature tells them apart.
            key = RSAKey.import_key(self._unpublished.as_dict(private=True), {"kid": self.signing_key.kid})
        return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)

    def routes(self, app: FastAPI) -> None:
        @app.get("/.well-known/openid-configuration")
        async def discovery() -> dict:
            return {
                "issuer": self.url,
                "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token",
                "jwks_uri": f"{self.url}/jwks",
                "userinfo_endpoint": f"{self.url}/userinfo",
                "response_types_supported": ["code"],
                "code_challenge_methods_supported": ["S256"],
                "id_token_signing_alg_values_supported": ["RS256"],
            }

        @app.get("/authorize")
        async def authorize(request: Request):  # type: ignore[no-untyped-def]
            q = request.query_params
            if q.get("client_id") != self.client_id or q.get("response_type") != "code":
                return JSONResponse({"error": "invalid_request"}, status_code=400)
            if q.get("code_challenge_method") != "S256" or not q.get("code_challenge"):
                return JSONResponse({"error": "invalid_request", "error_description": "PKCE S256 required"}, 400)
            code = secrets.token_urlsafe(24)
            self._grants[code] = Grant(
                self.client_id, q["redirect_uri"], q.get("nonce"), q["code_challenge"], dict(self.user)
            )
            return RedirectResponse(f"{q['redirect_uri']}?{urlencode({'code': code, 'state': q.get('state', '')})}")

        @app.post("/token")
        async def token(
            grant_type: str = Form(), code: str = Form(), redirect_uri: str = Form(), code_verifier: str = Form(""),
            authorization: str = Header(""),
        ):  # type: ignore[no-untyped-def]  # fmt: skip
            expected = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
            if authorization != f"Basic {expected}":
                return JSONResponse({"error": "invalid_client"}, status_code=401)
            grant = self._grants.pop(code, None)  # single use: a replayed code finds nothing
            if grant_type != "authorization_code" or grant is None or grant.redirect_uri != redirect_uri:
                return JSONResponse({"error": "invalid_grant"}, status_code=400)
            digest = hashlib.sha256(code_verifier.encode()).digest()
            if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant.challenge:
                return JSONResponse({"error": "invalid_grant", "error_description": "PKCE"}, status_code=400)
            access = secrets.token_urlsafe(24)
            self._access[access] = grant.user
            return {
                "access_token": access,
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": self._id_token(grant),
            }

        @app.get("/jwks")
        async def jwks() -> dict:
            return KeySet(self.published).as_dict(private=False)

        @app.get("/userinfo")
        async def userinfo(authorization: str = Header("")):  # type: ignore[no-untyped-def]
            user = self._access.get(authorization.removeprefix("Bearer "))
            if user is None:
                return JSONResponse({"error": "invalid_token"}, status_code=401)
            return user
