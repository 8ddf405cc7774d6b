"""Every service accepts only requests carrying a valid internal token; health stays open."""

import time
import uuid

import httpx
import jwt
import pytest

from shelfspace_kernel.internal_auth import CallerContext, TokenSigner, generate_keypair
from tests.support.infra import SERVICES


def claims(audience: str, **changes) -> dict:
    now = int(time.time())
    base = {"caller": "gateway", "iss": "shelfspace", "aud": audience, "iat": now, "exp": now + 60}
    return {**base, **changes}


def bad_tokens(service: str, private_pem: str) -> dict[str, str]:
    other_private, _ = generate_keypair()
    context = CallerContext(request_id="r1", caller="gateway")
    return {
        "none": "",
        "garbage": "not-a-token",
        "other audience": TokenSigner(private_pem).sign("elsewhere", context),
        "other key": TokenSigner(other_private).sign(service, context),
        "expired": jwt.encode(claims(service, iat=1, exp=2), _key(private_pem), algorithm="EdDSA"),
        "hmac": jwt.encode(claims(service), "a-shared-secret-that-is-long-enough-for-hs256", algorithm="HS256"),
        "unsigned": jwt.encode(claims(service), None, algorithm="none"),
    }


def _key(private_pem: str):
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    return load_pem_private_key(private_pem.encode(), password=None)


@pytest.mark.parametrize("service", SERVICES)
async def test_a_request_without_a_valid_internal_token_gets_401(system, keys, service):
    url = system.services[service].url
    async with httpx.AsyncClient(base_url=url) as client:
        for name, token in bad_tokens(service, keys.private_pem).items():
            headers = {"authorization": f"Bearer {token}"} if token else {}
            for path in ("/openapi.json", "/api/anything", f"/internal/{uuid.uuid4()}"):
                response = await client.get(path, headers=headers)
                assert response.status_code == 401, (name, path)
                assert response.json()["error"]["code"] == "unauthenticated"


@pytest.mark.parametrize("service", SERVICES)
async def test_a_valid_internal_token_is_accepted_and_health_needs_none(system, keys, service):
    url = system.services[service].url
    token = TokenSigner(keys.private_pem).sign(service, CallerContext(request_id="r1", caller="gateway"))
    async with httpx.AsyncClient(base_url=url) as client:
        spec = await client.get("/openapi.json", headers={"authorization": f"Bearer {token}"})
        health = await client.get("/health")
        live = await client.get("/health/live")

    assert spec.status_code == 200
    assert health.status_code == 200
    assert health.json()["checks"] == {"database": "ok", "broker": "ok"}
    assert live.status_code == 200
    assert live.json()["service"] == service
