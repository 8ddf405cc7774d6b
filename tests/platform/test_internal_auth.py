"""Every service accepts only requests carrying a valid internal token; health stays open."""

import time
import uuid

import httpx
import jwt
import pytest

from shelfspace_kernel.internal_auth import CallerContext, TokenSigner
from shelfspace_kernel.internal_keys import generate_keypair, load_private_key
from tests.support.infra import SERVICES


def claims(audience: str, path: str, **changes) -> dict:
    now = int(time.time())
    base = {"caller": "gateway", "iss": "shelfspace", "aud": audience, "iat": now, "exp": now + 30}
    return {**base, "htm": "GET", "htu": path, **changes}


def bad_tokens(service: str, path: str, private_pem: str) -> dict[str, str]:
    other_private, _ = generate_keypair()
    context = CallerContext(request_id="r1", caller="gateway")
    signer = TokenSigner(private_pem)
    kid = {"kid": signer.key_id}
    return {
        "none": "",
        "garbage": "not-a-token",
        "other audience": signer.sign("elsewhere", context, "GET", path),
        "other key": TokenSigner(other_private).sign(service, context, "GET", path),
        "expired": jwt.encode(claims(service, path, iat=1, exp=2), load_private_key(private_pem), "EdDSA", headers=kid),
        "hmac": jwt.encode(claims(service, path), "a-shared-secret-that-is-long-enough-for-hs256", "HS256", kid),
        "unsigned": jwt.encode(claims(service, path), None, algorithm="none", headers=kid),
    }


@pytest.mark.parametrize("service", SERVICES)
async def test_a_request_without_a_valid_internal_token_gets_401(system, keys, service):
    url = system.services[service].url
    async with httpx.AsyncClient(base_url=url) as client:
        for path in ("/openapi.json", "/api/anything", f"/internal/{uuid.uuid4()}"):
            for name, token in bad_tokens(service, path, keys.private("gateway")).items():
                headers = {"authorization": f"Bearer {token}"} if token else {}
                response = await client.get(path, headers=headers)
                assert response.status_code == 401, (name, path)
                assert response.json()["error"]["code"] == "unauthenticated"


@pytest.mark.parametrize("service", SERVICES)
async def test_a_valid_internal_token_is_accepted_and_health_needs_none(system, keys, service):
    url = system.services[service].url
    token = keys.signer("gateway").sign(
        service, CallerContext(request_id="r1", caller="gateway"), "GET", "/openapi.json"
    )
    async with httpx.AsyncClient(base_url=url) as client:
        spec = await client.get("/openapi.json", headers={"authorization": f"Bearer {token}"})
        health = await client.get("/health")
        live = await client.get("/health/live")

    assert spec.status_code == 200
    assert health.status_code == 200
    assert health.json()["checks"] == {"database": "ok", "broker": "ok"}
    assert live.status_code == 200
    assert live.json()["service"] == service
