"""The OpenID Connect relying party: discovery, the authorization URL (PKCE S256), the code exchange
and ID token verification against the provider's JWKS.

Every call goes through the shared outbound policy (OUTBOUND_*: providers on the LAN are reachable,
loopback only when allowed) with a timeout. A provider's keys are kept per JWKS URL and fetched again
when a token names a key id they lack (the provider rotated its keys), at most once per token.
"""

import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from authlib.common.security import generate_token
from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from shelfspace_kernel.outbound import OutboundAsyncTransport, OutboundPolicy

# Asymmetric algorithms only: an HS256 token would be "signed" with the client secret, which the
# provider's JWKS cannot vouch for.
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]


class OidcError(Exception):
    """A sign-in that cannot go on; the message is shown to the person signing in."""


@dataclass(frozen=True)
class Discovery:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str | None


@dataclass(frozen=True)
class Client:
    issuer: str
    client_id: str
    client_secret: str
    redirect_uri: str
    scopes: str


@dataclass(frozen=True)
class Pending:
    """What a sign-in keeps server-side until its callback: `state` is sent, the rest is not."""

    state: str
    nonce: str
    code_verifier: str


@dataclass
class OidcRelyingParty:
    policy: OutboundPolicy
    timeout: float
    clock_skew: int
    _keys: dict[str, KeySet] = field(default_factory=dict)

    def _http(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            timeout=self.timeout, transport=OutboundAsyncTransport(self.policy), follow_redirects=False
        )

    async def _json(self, method: str, url: str, what: str, **kwargs: Any) -> dict:
        try:
            async with self._http() as http:
                response = await http.request(method, url, **kwargs)
        except httpx.TimeoutException as exc:
            raise OidcError(f"The sign-in provider did not answer in time ({what}).") from exc
        except (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError) as exc:
            raise OidcError(f"The sign-in provider could not be reached ({what}).") from exc
        if response.status_code != 200:
            raise OidcError(f"The sign-in provider refused the request ({what}: HTTP {response.status_code}).")
        try:
            body = response.json()
        except ValueError as exc:
            raise OidcError(f"The sign-in provider answered something other than JSON ({what}).") from exc
        if not isinstance(body, dict):
            raise OidcError(f"The sign-in provider answered something unexpected ({what}).")
        return body

    async def discover(self, issuer: str) -> Discovery:
        issuer = issuer.rstrip("/")
        found = await self._json("GET", f"{issuer}/.well-known/openid-configuration", "discovery")
        # OpenID Connect Discovery 4.3: the document must name the issuer it was fetched for.
        if str(found.get("issuer", "")).rstrip("/") != issuer:
            raise OidcError("The provider's discovery document names another issuer.")
        try:
            return Discovery(
                issuer=found["issuer"],
                authorization_endpoint=found["authorization_endpoint"],
                token_endpoint=found["token_endpoint"],
                jwks_uri=found["jwks_uri"],
                userinfo_endpoint=found.get("userinfo_endpoint"),
            )
        except KeyError as exc:
            raise OidcError(f"The provider's discovery document has no {exc.args[0]}.") from exc

    @staticmethod
    def new_pending() -> Pending:
        return Pending(state=generate_token(43), nonce=generate_token(43), code_verifier=generate_token(64))

    @staticmethod
    def authorization_url(found: Discovery, client: Client, pending: Pending) -> str:
        return add_params_to_uri(
            found.authorization_endpoint,
            {
                "response_type": "code",
                "client_id": client.client_id,
                "redirect_uri": client.redirect_uri,
                "scope": client.scopes,
                "state": pending.state,
                "nonce": pending.nonce,
                "code_challenge": create_s256_code_challenge(pending.code_verifier),
                "code_challenge_method": "S256",
            },
        )

    async def exchange(self, found: Discovery, client: Client, code: str, pending: Pending) -> dict:
        """The code for tokens; the ID token's verified claims, with the userinfo's added when it has some."""
        tokens = await self._json(
            "POST",
            found.token_endpoint,
            "token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": client.redirect_uri,
                "code_verifier": pending.code_verifier,
            },
            auth=(client.client_id, client.client_secret),
        )
        id_token = tokens.get("id_token")
        if not isinstance(id_token, str):
            raise OidcError("The provider sent no ID token.")
        claims = await self.verify(found, client, id_token, pending.nonce)
        access_token = tokens.get("access_token")
        if found.userinfo_endpoint and isinstance(access_token, str):
            extra = await self._json(
                "GET", found.userinfo_endpoint, "userinfo", headers={"Authorization": f"Bearer {access_token}"}
            )
            # OpenID Connect Core 5.3.2: userinfo about another subject is not used.
            if extra.get("sub") == claims["sub"]:
                claims = {**extra, **claims}
        return claims

    async def verify(self, found: Discovery, client: Client, id_token: str, nonce: str) -> dict:
        try:
            kid = jws.extract_compact(id_token.encode()).protected.get("kid")
        except (JoseError, ValueError) as exc:
            raise OidcError("The provider's ID token is malformed.") from exc
        keys = await self._key_set(found.jwks_uri, kid)
        try:
            token = jwt.decode(id_token, keys, algorithms=ALGORITHMS)
            jwt.JWTClaimsRegistry(
                now=int(time.time()),
                leeway=self.clock_skew,
                iss={"essential": True, "value": found.issuer},
                sub={"essential": True},
                exp={"essential": True},
                iat={"essential": True},
                nonce={"essential": True, "value": nonce},
            ).validate(token.claims)
        except (JoseError, ValueError) as exc:
            raise OidcError("The provider's ID token did not verify.") from exc
        claims = token.claims
        self._check_audience(claims, client.client_id)
        if int(claims["iat"]) > time.time() + self.clock_skew:
            raise OidcError("The provider's ID token was issued in the future.")
        return claims

    @staticmethod
    def _check_audience(claims: dict, client_id: str) -> None:
        audience = claims.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if client_id not in audiences:
            raise OidcError("The provider's ID token is meant for another application.")
        # Core 3.1.3.7: with several audiences, the authorized party must be this client.
        if len(audiences) > 1 and claims.get("azp") != client_id:
            raise OidcError("The provider's ID token is meant for another application.")

    async def _key_set(self, jwks_uri: str, kid: str | None) -> KeySet:
        keys = self._keys.get(jwks_uri)
        if keys is None or (kid is not None and not any(key.kid == kid for key in keys.keys)):
            fetched = await self._json("GET", jwks_uri, "keys")
            try:
                keys = KeySet.import_key_set(fetched)  # type: ignore[arg-type]
            except (JoseError, ValueError, TypeError) as exc:
                raise OidcError("The provider's signing keys could not be read.") from exc
            self._keys[jwks_uri] = keys
        return keys
