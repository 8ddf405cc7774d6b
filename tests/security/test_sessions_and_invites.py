"""Sessions end when idle and at their absolute lifetime, cookies are `__Host-` prefixed when
Secure, and an invite bound to an email cannot be claimed by switching to that email."""

import asyncio
import time

import httpx

from tests.support.identity import (
    PASSWORD,
    gateway_client,
    identity_stack,
    invite,
    make_space_with_roles,
    new_user,
    register,
    unique_email,
)

IDLE_SECONDS = 3
LIFETIME_SECONDS = 8
# Short windows for a test run: the gateway re-asks identity often enough to notice activity.
SHORT_SESSIONS = {"session_idle_timeout_seconds": IDLE_SECONDS, "session_lifetime_seconds": LIFETIME_SECONDS}
QUICK_GATEWAY = {"session_cache_seconds": 0.2}


def set_cookies(response: httpx.Response) -> dict[str, tuple[str, str]]:
    """Set-Cookie headers by cookie name: `{"session": ("<value>", "httponly; path=/; ...")}`."""
    cookies = {}
    for header in response.headers.get_list("set-cookie"):
        pair, _, attributes = header.partition(";")
        name, _, value = pair.partition("=")
        cookies[name] = (value, attributes.lower())
    return cookies


async def status_of_me(client: httpx.AsyncClient, **kwargs) -> int:
    return (await client.get("/api/auth/me", **kwargs)).status_code


async def test_an_idle_session_ends_after_the_idle_timeout_and_a_busy_one_at_the_absolute_lifetime(
    postgres, amqp_url, keys
):
    async with identity_stack(postgres, amqp_url, keys, identity=SHORT_SESSIONS, gateway=QUICK_GATEWAY) as stack:
        idle = await register(stack.url)  # the first user: the admin, who opens registration
        opened = await idle.client.patch("/api/admin/instance-settings", json={"registration": "open"})
        idle_since = time.monotonic()
        assert opened.status_code == 200
        busy = await register(stack.url)
        started = time.monotonic()
        busy_answers: list[tuple[float, int]] = []

        while time.monotonic() - idle_since < IDLE_SECONDS + 1.5:
            busy_answers.append((time.monotonic() - started, await status_of_me(busy.client)))
            await asyncio.sleep(0.5)
        idle_after_timeout = await status_of_me(idle.client)
        while time.monotonic() - started < LIFETIME_SECONDS + 2 and busy_answers[-1][1] == 200:
            busy_answers.append((time.monotonic() - started, await status_of_me(busy.client)))
            await asyncio.sleep(0.5)

        assert idle_after_timeout == 401
        first_refusal = next(at for at, status in busy_answers if status == 401)
        assert all(status == 200 for at, status in busy_answers if at < first_refusal)
        assert LIFETIME_SECONDS - 1 < first_refusal <= LIFETIME_SECONDS + 1
        await idle.aclose()
        await busy.aclose()


async def test_the_gateways_session_cache_does_not_keep_a_session_past_its_idle_deadline(postgres, amqp_url, keys):
    settings = {"session_idle_timeout_seconds": 2}
    async with identity_stack(
        postgres, amqp_url, keys, identity=settings, gateway={"session_cache_seconds": 60}
    ) as stack:
        account = await register(stack.url)
        assert await status_of_me(account.client) == 200  # the gateway now holds this answer

        await asyncio.sleep(2.5)

        assert await status_of_me(account.client) == 401
        await account.aclose()


async def test_with_secure_cookies_set_by_the_operator_the_cookies_are_host_prefixed_and_the_app_works(
    postgres, amqp_url, keys, monkeypatch
):
    # What compose and Helm do: one SESSION_COOKIE_SECURE in the environment of the processes.
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "true")
    async with identity_stack(postgres, amqp_url, keys) as stack, gateway_client(stack.url) as client:
        email = unique_email()
        registered = await client.post(
            "/api/auth/register", json={"email": email, "password": PASSWORD, "name": "Secure"}
        )
        logged_in = await client.post("/api/auth/login", json={"email": email, "password": PASSWORD})

        cookies = set_cookies(logged_in)
        assert registered.status_code == 201
        assert logged_in.status_code == 200
        assert set(cookies) == {"__Host-session", "__Host-csrf_token"}
        for _, attributes in cookies.values():
            assert "; secure" in attributes
            assert "; path=/" in attributes
            assert "domain=" not in attributes
        (session, _), (csrf, _) = cookies["__Host-session"], cookies["__Host-csrf_token"]
        # httpx keeps Secure cookies for https only: send them by hand, as a browser would over TLS.
        jar = {"cookie": f"__Host-session={session}; __Host-csrf_token={csrf}"}
        created = await client.post("/api/spaces", json={"name": "Behind TLS"}, headers={**jar, "x-csrf-token": csrf})
        unprotected = await client.post("/api/spaces", json={"name": "No token"}, headers=jar)
        assert await status_of_me(client, headers=jar) == 200
        assert created.status_code == 201, created.text
        assert unprotected.status_code == 403
        # A cookie without the prefix (one a sibling host could have set) is not a session here.
        tossed = {"cookie": f"session={session}; csrf_token={csrf}"}
        assert await status_of_me(client, headers=tossed) == 401
        logged_out = await client.post("/api/auth/logout", headers={**jar, "x-csrf-token": csrf})
        assert logged_out.status_code == 204
        assert set(set_cookies(logged_out)) == {"__Host-session", "__Host-csrf_token"}
        assert await status_of_me(client, headers=jar) == 401


async def test_an_invite_cannot_be_claimed_by_switching_ones_email_to_the_invited_address(system):
    space = await make_space_with_roles(system)
    intruder = await new_user(system)
    invited = unique_email("invited")
    token = await invite(space.owner, space.space_id, invited, "member")

    switched = await intruder.client.patch("/api/auth/me", json={"email": invited, "current_password": PASSWORD})
    claim = await intruder.client.post("/api/invites/accept", json={"token": token})

    assert switched.status_code == 200
    assert claim.status_code == 403
    assert claim.json()["error"]["code"] == "invite_email_changed"
    members = (await space.owner.client.get(f"/api/spaces/{space.space_id}/members")).json()["items"]
    assert invited not in [member["email"] for member in members]
    # The account that holds the address when the invite is made is the one it is for.
    fresh = await invite(space.owner, space.space_id, invited, "member")
    assert (await intruder.client.post("/api/invites/accept", json={"token": fresh})).status_code == 200
    await intruder.aclose()
    await space.aclose()
