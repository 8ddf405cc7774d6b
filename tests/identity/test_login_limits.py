"""Failed logins are limited per account and per client address (429 with Retry-After)."""

from starlette.requests import Request

from gateway.addresses import client_address
from shelfspace_kernel.outbound import parse_networks
from tests.support.identity import PASSWORD, gateway_client, register

LIMITS = {"login_max_failures_per_account": 3, "login_max_failures_per_address": 5}
# The test gateway believes X-Forwarded-For from loopback, as it would from a reverse proxy.
BEHIND_A_PROXY = {"trusted_proxies": "127.0.0.1"}


async def attempt(client, email: str, password: str, address: str):
    return await client.post(
        "/api/auth/login", json={"email": email, "password": password}, headers={"x-forwarded-for": address}
    )


async def test_repeated_failures_lock_the_account_even_for_the_right_password(fresh_stack):
    async with fresh_stack(identity=LIMITS, gateway=BEHIND_A_PROXY) as stack, gateway_client(stack.url) as client:
        victim = await register(stack.url)
        for number in range(3):
            assert (await attempt(client, victim.email, "wrong guess", f"198.51.100.{number}")).status_code == 401

        blocked = await attempt(client, victim.email, PASSWORD, "198.51.100.99")

        assert blocked.status_code == 429
        assert int(blocked.headers["retry-after"]) > 0
        assert blocked.json()["error"]["code"] == "rate_limited"
        await victim.aclose()


async def test_repeated_failures_from_one_address_block_that_address_only(fresh_stack):
    async with fresh_stack(identity=LIMITS, gateway=BEHIND_A_PROXY) as stack, gateway_client(stack.url) as client:
        user = await register(stack.url)
        for number in range(5):
            await attempt(client, f"guess{number}@example.com", "wrong guess", "203.0.113.7")

        blocked = await attempt(client, user.email, PASSWORD, "203.0.113.7")
        elsewhere = await attempt(client, user.email, PASSWORD, "203.0.113.8")

        assert blocked.status_code == 429
        assert "retry-after" in blocked.headers
        assert elsewhere.status_code == 200
        await user.aclose()


def a_request(peer: str, forwarded_for: str | None = None) -> Request:
    headers = [(b"x-forwarded-for", forwarded_for.encode())] if forwarded_for else []
    return Request({"type": "http", "method": "POST", "path": "/", "headers": headers, "client": (peer, 4321)})


def test_a_client_cannot_pick_its_address_without_a_trusted_proxy():
    assert client_address(a_request("192.0.2.10", "203.0.113.5"), parse_networks("")) == "192.0.2.10"


def test_behind_trusted_proxies_the_nearest_untrusted_hop_is_the_client():
    trusted = parse_networks("10.0.0.0/8, 192.0.2.10")
    request = a_request("192.0.2.10", "198.51.100.1, 203.0.113.5, 10.1.2.3")

    assert client_address(request, trusted) == "203.0.113.5"
