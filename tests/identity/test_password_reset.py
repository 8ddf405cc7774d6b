"""Password reset: one-time links from an admin or by email (through a durable mail outbox);
using one sets the password and ends every session of the user."""

import asyncio
import re
import statistics
import time
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import text

from tests.fakes.smtp import FakeSmtp
from tests.support.audit import eventually
from tests.support.identity import PASSWORD, gateway_client, login, register, unique_email

PUBLIC_URL = "http://shelf.test"
NEW_PASSWORD = "a brand new passphrase"
MAIL = {"public_url": PUBLIC_URL, "smtp_from": "shelf@shelf.test", "smtp_starttls": "off",
        "mail_send_every_seconds": 0.2, "mail_retry_max_seconds": 0.5}  # fmt: skip


@pytest.fixture
async def smtp():
    server = FakeSmtp().start()
    yield server
    server.stop()


@pytest.fixture
async def stack(fresh_stack, smtp):
    async with fresh_stack(identity={**MAIL, "smtp_url": smtp.url}) as running:
        yield running


async def admin_and_user(url: str):
    admin = await register(url, email=unique_email("admin"), name="Admin")
    assert (await admin.client.patch("/api/admin/instance-settings", json={"registration": "open"})).status_code == 200
    user = await register(url, email=unique_email("user"), name="User")
    return admin, user


def token_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["token"][0]


async def reset(url: str, token: str, password: str = NEW_PASSWORD):
    async with gateway_client(url) as client:
        return await client.post("/api/auth/password-reset", json={"token": token, "password": password})


async def events(stack) -> list[str]:
    async with stack.identity.app.state.sessionmaker() as session:
        return list(await session.scalars(text("SELECT routing_key FROM outbox ORDER BY created_at")))


async def test_an_admin_link_sets_the_password_once_and_ends_every_session(stack):
    admin, user = await admin_and_user(stack.url)
    other_device = await login(stack.url, user.email)

    issued = await admin.client.post(f"/api/admin/users/{user.id}/reset-link")
    token = token_of(issued.json()["reset_url"])
    used = await reset(stack.url, token)
    again = await reset(stack.url, token, "yet another passphrase")

    assert issued.status_code == 200, issued.text
    assert issued.json()["reset_url"].startswith(f"{PUBLIC_URL}/reset-password?token=")
    assert used.status_code == 204, used.text
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "reset_link_used"
    assert (await user.client.get("/api/auth/me")).status_code == 401
    assert (await other_device.client.get("/api/auth/me")).status_code == 401
    async with gateway_client(stack.url) as client:
        old = await client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
        new = await client.post("/api/auth/login", json={"email": user.email, "password": NEW_PASSWORD})
    assert old.status_code == 401
    assert new.status_code == 200
    assert {"identity.password_reset.link_created", "identity.user.password_reset"} <= set(await events(stack))


async def test_a_newer_link_revokes_the_older_one_and_an_expired_or_unknown_link_is_refused(stack):
    admin, user = await admin_and_user(stack.url)

    first = token_of((await admin.client.post(f"/api/admin/users/{user.id}/reset-link")).json()["reset_url"])
    second = token_of((await admin.client.post(f"/api/admin/users/{user.id}/reset-link")).json()["reset_url"])
    async with stack.identity.app.state.sessionmaker.begin() as session:
        await session.execute(text("UPDATE password_resets SET expires_at = now() - interval '1 minute'"
                                   " WHERE revoked_at IS NULL AND used_at IS NULL"))  # fmt: skip

    revoked, expired, unknown = [await reset(stack.url, token) for token in (first, second, "no-such-token")]

    assert (revoked.status_code, revoked.json()["error"]["code"]) == (409, "reset_link_revoked")
    assert (expired.status_code, expired.json()["error"]["code"]) == (409, "reset_link_expired")
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "reset_link_not_found")
    assert (await user.client.get("/api/auth/me")).status_code == 200


async def test_a_too_short_password_is_refused_and_the_link_still_works(stack):
    admin, user = await admin_and_user(stack.url)
    token = token_of((await admin.client.post(f"/api/admin/users/{user.id}/reset-link")).json()["reset_url"])

    short = await reset(stack.url, token, "short")
    good = await reset(stack.url, token)

    assert short.status_code == 422
    assert short.json()["error"]["details"][0]["field"] == "password"
    assert good.status_code == 204


async def test_two_racing_uses_of_one_link_exactly_one_wins(stack):
    admin, user = await admin_and_user(stack.url)
    token = token_of((await admin.client.post(f"/api/admin/users/{user.id}/reset-link")).json()["reset_url"])

    first, second = await asyncio.gather(reset(stack.url, token, "first racer passphrase"),
                                         reset(stack.url, token, "second racer passphrase"))  # fmt: skip

    assert sorted([first.status_code, second.status_code]) == [204, 409]
    winner = "first racer passphrase" if first.status_code == 204 else "second racer passphrase"
    await login(stack.url, user.email, winner)


async def test_only_admins_issue_links(stack):
    _, user = await admin_and_user(stack.url)

    response = await user.client.post(f"/api/admin/users/{user.id}/reset-link")

    assert response.status_code == 403


async def test_a_requested_reset_is_emailed_and_its_link_works(stack, smtp):
    _, user = await admin_and_user(stack.url)
    async with gateway_client(stack.url) as client:
        config = (await client.get("/api/auth/config")).json()
        asked = await client.post("/api/auth/password-reset/request", json={"email": user.email.upper()})

    mail = await smtp.wait_for(user.email)
    link = re.search(r"http://shelf\.test/reset-password\?token=\S+", mail.get_content()).group(0)
    used = await reset(stack.url, token_of(link))

    assert config["password_reset_by_email"] is True
    assert config["password_min_length"] == 10
    assert config["password_login"] is True
    assert asked.status_code == 202
    assert mail["Subject"] == "Reset your Shelfspace password"
    assert mail["From"] == "shelf@shelf.test"
    assert used.status_code == 204
    assert (await user.client.get("/api/auth/me")).status_code == 401
    await login(stack.url, user.email, NEW_PASSWORD)


async def test_an_unknown_email_gets_the_same_answer_and_no_mail(stack, smtp):
    _, user = await admin_and_user(stack.url)
    stranger = unique_email("nobody")
    async with gateway_client(stack.url) as client:
        known = await client.post("/api/auth/password-reset/request", json={"email": user.email})
        unknown = await client.post("/api/auth/password-reset/request", json={"email": stranger})
    await smtp.wait_for(user.email)
    await asyncio.sleep(1.0)  # five sender ticks

    assert (known.status_code, known.content) == (unknown.status_code, unknown.content) == (202, b"")
    assert smtp.messages_to(stranger) == []


async def test_known_and_unknown_emails_take_about_as_long(fresh_stack, smtp):
    """Both only queue a mail (the account is looked up when it is sent); the limits are raised
    so that ten requests fit."""
    limits = {"password_reset_max_requests_per_email": 100, "password_reset_max_requests_per_address": 100}
    async with fresh_stack(identity={**MAIL, **limits, "smtp_url": smtp.url}) as stack:
        await _time_known_and_unknown(stack)


async def _time_known_and_unknown(stack):
    async with gateway_client(stack.url) as client:
        _, user = await admin_and_user(stack.url)
        timings: dict[str, list[float]] = {"known": [], "unknown": []}
        for _ in range(5):
            for kind, email in (("known", user.email), ("unknown", unique_email("nobody"))):
                started = time.perf_counter()
                response = await client.post("/api/auth/password-reset/request", json={"email": email})
                timings[kind].append(time.perf_counter() - started)
                assert response.status_code == 202

    known, unknown = statistics.median(timings["known"]), statistics.median(timings["unknown"])
    assert abs(known - unknown) < 0.05, timings


async def test_requests_are_limited_per_email_whether_or_not_it_has_an_account(stack, smtp):
    _, user = await admin_and_user(stack.url)
    async with gateway_client(stack.url) as client:
        for email in (user.email, unique_email("nobody")):
            answers = [
                (await client.post("/api/auth/password-reset/request", json={"email": email})).status_code
                for _ in range(4)
            ]
            assert answers == [202, 202, 202, 429], (email, answers)


async def test_mail_queued_while_the_server_is_down_arrives_when_it_is_back(stack, smtp):
    _, user = await admin_and_user(stack.url)
    smtp.stop()
    async with gateway_client(stack.url) as client:
        asked = await client.post("/api/auth/password-reset/request", json={"email": user.email})

    async def attempts() -> int:
        async with stack.identity.app.state.sessionmaker() as session:
            return await session.scalar(text("SELECT coalesce(max(attempts), 0) FROM mail_outbox"))

    deadline = time.monotonic() + 10
    while await attempts() < 2:
        assert time.monotonic() < deadline, "the sender never tried"
        await asyncio.sleep(0.1)
    smtp.start()
    mail = await smtp.wait_for(user.email)

    assert asked.status_code == 202
    assert "reset-password?token=" in mail.get_content()

    async def outbox_empty() -> bool:
        async with stack.identity.app.state.sessionmaker() as session:
            return await session.scalar(text("SELECT count(*) FROM mail_outbox")) == 0

    await eventually(outbox_empty, timeout=10)


async def test_without_smtp_there_is_no_email_reset_and_no_mail_is_queued(fresh_stack):
    async with fresh_stack(identity={"public_url": PUBLIC_URL}) as stack:
        _, user = await admin_and_user(stack.url)
        async with gateway_client(stack.url) as client:
            config = (await client.get("/api/auth/config")).json()
            asked = await client.post("/api/auth/password-reset/request", json={"email": user.email})
        async with stack.identity.app.state.sessionmaker() as session:
            queued = await session.scalar(text("SELECT count(*) FROM mail_outbox"))

    assert config["password_reset_by_email"] is False
    assert asked.status_code == 202
    assert queued == 0


async def test_there_is_no_link_for_an_unknown_user(stack):
    admin, _ = await admin_and_user(stack.url)

    missing = await admin.client.post(f"/api/admin/users/{uuid.uuid4()}/reset-link")

    assert missing.status_code == 404
