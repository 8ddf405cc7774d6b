"""Limits that racing cannot bypass, bounded password hashing, and registration that reveals no
account (issue 16, item 7), all through the gateway against identity on a fresh database."""

import asyncio
import time
import uuid
from collections import Counter

from tests.support.identity import PASSWORD, gateway_client, identity_stack, register, unique_email

LIMIT = 5
WINDOW_SECONDS = 30  # longer than the racing guesses take on a busy machine
# Per account LIMIT; per address high enough to stay out of the way, unless a test is about it.
# Cheap hashing where the test is about counting, so the old code's unlimited guesses finish in time.
CHEAP_HASHING = {"password_hash_time_cost": 1, "password_hash_memory_kib": 8192}
GUESS_LIMITS = {
    **CHEAP_HASHING,
    "login_max_failures_per_account": LIMIT,
    "login_max_failures_per_address": 1000,
    "login_failure_window_seconds": WINDOW_SECONDS,
}
# The test gateway believes X-Forwarded-For from loopback, as it would from a reverse proxy.
BEHIND_A_PROXY = {"trusted_proxies": "127.0.0.1"}


async def login(client, email: str, password: str, address: str = "198.51.100.1"):
    return await client.post(
        "/api/auth/login", json={"email": email, "password": password}, headers={"x-forwarded-for": address}
    )


async def anonymous_registration(client, email: str | None = None, invite_token: str | None = None):
    body = {"email": email or unique_email(), "password": PASSWORD, "name": "Someone"}
    if invite_token:
        body["invite_token"] = invite_token
    return await client.post("/api/auth/register", json=body)


def a_bogus_token() -> str:
    return uuid.uuid4().hex + uuid.uuid4().hex


def assert_rate_limited(response) -> None:
    assert response.status_code == 429, response.text
    assert int(response.headers["retry-after"]) > 0
    assert response.json()["error"]["code"] == "rate_limited"


async def test_racing_wrong_passwords_are_evaluated_at_most_up_to_the_account_limit(postgres, amqp_url, keys):
    async with (
        identity_stack(postgres, amqp_url, keys, identity=GUESS_LIMITS, gateway=BEHIND_A_PROXY) as stack,
        gateway_client(stack.url) as client,
    ):
        victim = await register(stack.url)

        guesses = await asyncio.gather(
            *(login(client, victim.email, f"wrong guess {n}", f"198.51.100.{n}") for n in range(50))
        )
        right_too_soon = await login(client, victim.email, PASSWORD, "203.0.113.9")

        statuses = Counter(answer.status_code for answer in guesses)
        assert statuses[401] <= LIMIT, statuses
        assert statuses[401] + statuses[429] == 50, statuses
        assert_rate_limited(right_too_soon)

        await asyncio.sleep(int(right_too_soon.headers["retry-after"]) + 1)
        assert (await login(client, victim.email, PASSWORD, "203.0.113.9")).status_code == 200
        await victim.aclose()


async def test_racing_current_password_guesses_are_evaluated_at_most_up_to_the_account_limit(postgres, amqp_url, keys):
    async with identity_stack(postgres, amqp_url, keys, identity=GUESS_LIMITS) as stack:
        user = await register(stack.url)

        def change_password(current: str):
            return user.client.patch(
                "/api/auth/me", json={"password": "a brand new password", "current_password": current}
            )

        guesses = await asyncio.gather(*(change_password(f"wrong guess {n}") for n in range(20)))
        right = await change_password(PASSWORD)

        statuses = Counter(answer.status_code for answer in guesses)
        assert statuses[422] <= LIMIT, statuses
        assert statuses[422] + statuses[429] == 20, statuses
        assert_rate_limited(right)
        await user.aclose()


async def test_a_registration_flood_from_one_address_is_refused_with_429(postgres, amqp_url, keys):
    limits = {**CHEAP_HASHING, "registration_max_failures_per_address": LIMIT}
    async with identity_stack(postgres, amqp_url, keys, identity=limits) as stack, gateway_client(stack.url) as client:
        admin = await register(stack.url)  # the first user; registration is invite-only from now on

        answers = await asyncio.gather(*(anonymous_registration(client) for _ in range(20)))

        statuses = Counter(answer.status_code for answer in answers)
        assert statuses[403] <= LIMIT, statuses
        assert statuses[429] >= 20 - LIMIT, statuses
        assert_rate_limited(next(answer for answer in answers if answer.status_code == 429))
        await admin.aclose()


async def test_an_invite_claim_flood_from_one_address_is_refused_with_429(postgres, amqp_url, keys):
    limits = {**CHEAP_HASHING, "invite_claim_max_failures_per_address": LIMIT}
    async with identity_stack(postgres, amqp_url, keys, identity=limits) as stack, gateway_client(stack.url) as client:
        user = await register(stack.url)

        claims = await asyncio.gather(
            *(user.client.post("/api/invites/accept", json={"token": a_bogus_token()}) for _ in range(20))
        )
        with_invite = await anonymous_registration(client, invite_token=a_bogus_token())

        statuses = Counter(answer.status_code for answer in claims)
        assert statuses[404] <= LIMIT, statuses
        assert statuses[429] >= 20 - LIMIT, statuses
        assert_rate_limited(with_invite)  # registering with an invite claims it: the same budget
        await user.aclose()


async def test_a_registration_with_an_invalid_invite_answers_at_once_while_the_hasher_is_saturated(
    postgres, amqp_url, keys
):
    slow_hashing = {
        "password_hash_time_cost": 8, "password_hash_concurrency": 1, "password_hash_queue": 100,
        "login_max_failures_per_address": 1000, "registration_max_failures_per_address": 1000,
    }  # fmt: skip
    async with (
        identity_stack(postgres, amqp_url, keys, identity=slow_hashing) as stack,
        gateway_client(stack.url) as client,
    ):
        started = time.monotonic()
        admin = await register(stack.url)
        one_hash = time.monotonic() - started
        saturating = [asyncio.create_task(login(client, unique_email(), "wrong guess")) for _ in range(6)]
        await asyncio.sleep(0.2)

        started = time.monotonic()
        refused = await anonymous_registration(client, invite_token=a_bogus_token())
        elapsed = time.monotonic() - started

        assert refused.status_code == 404, refused.text
        assert refused.json()["error"]["code"] == "invite_not_found"
        assert elapsed < one_hash / 2, (elapsed, one_hash)
        assert not all(task.done() for task in saturating)
        await asyncio.gather(*saturating)
        await admin.aclose()


async def test_invite_only_registration_answers_the_same_for_a_taken_and_an_unknown_email(postgres, amqp_url, keys):
    async with identity_stack(postgres, amqp_url, keys) as stack, gateway_client(stack.url) as client:
        admin = await register(stack.url)

        for token in (None, a_bogus_token()):
            taken = await anonymous_registration(client, email=admin.email, invite_token=token)
            unknown = await anonymous_registration(client, email=unique_email(), invite_token=token)

            assert taken.status_code == unknown.status_code != 409
            assert {**taken.json()["error"], "request_id": None} == {**unknown.json()["error"], "request_id": None}
        await admin.aclose()


async def test_48_parallel_anonymous_registrations_keep_identity_under_300_mb(postgres, amqp_url, keys):
    limits = {"registration_max_failures_per_address": 1000}
    async with (
        identity_stack(postgres, amqp_url, keys, identity=limits, identity_as_process=True) as stack,
        gateway_client(stack.url) as client,
    ):
        admin = await register(stack.url)
        opened = await admin.client.patch("/api/admin/instance-settings", json={"registration": "open"})
        assert opened.status_code == 200, opened.text

        answers = await asyncio.gather(*(anonymous_registration(client) for _ in range(48)), return_exceptions=True)
        await asyncio.gather(
            *(anonymous_registration(client, invite_token=a_bogus_token()) for _ in range(48)), return_exceptions=True
        )

        assert stack.identity.peak_memory_mb() < 300
        statuses = Counter(getattr(answer, "status_code", type(answer).__name__) for answer in answers)
        assert statuses[201] >= 1, statuses
        assert statuses[201] + statuses[503] == 48, statuses
        busy = next((answer for answer in answers if answer.status_code == 503), None)
        assert busy is None or (busy.json()["error"]["code"] == "busy" and "retry-after" in busy.headers)
        await admin.aclose()
