"""Sessions through the gateway: cookies, login and logout, CSRF, revocation and limits per user."""

import asyncio
import time

import pytest
from sqlalchemy import text

from tests.support.identity import (
    PASSWORD,
    admin_account,
    gateway_client,
    login,
    new_user,
    register,
)


def set_cookie_headers(response) -> dict[str, str]:
    return {h.split("=", 1)[0]: h.lower() for h in response.headers.get_list("set-cookie")}


async def eventually_unauthenticated(client, seconds: float = 10.0) -> int:
    deadline = time.monotonic() + seconds
    while True:
        status = (await client.get("/api/auth/me")).status_code
        if status == 401 or time.monotonic() > deadline:
            return status
        await asyncio.sleep(0.1)


async def test_login_sets_an_httponly_session_cookie_and_a_readable_csrf_cookie(system):
    account = await new_user(system)
    async with gateway_client(system.url) as client:
        response = await client.post("/api/auth/login", json={"email": account.email, "password": PASSWORD})

    assert response.status_code == 200
    cookies = set_cookie_headers(response)
    assert "httponly" in cookies["session"]
    assert "samesite=lax" in cookies["session"]
    assert "path=/" in cookies["session"]
    assert "secure" not in cookies["session"]  # test runs serve plain http; production defaults to Secure
    assert "httponly" not in cookies["csrf_token"]
    assert response.json()["user"]["email"] == account.email
    await account.aclose()


async def test_me_shows_the_user_the_active_space_and_the_features(system):
    account = await new_user(system, name="Ada")

    me = await account.me()

    assert me["user"] == {"id": str(account.id), "email": account.email, "name": "Ada", "role": "user"}
    assert me["active_space"]["role"] == "owner"
    assert me["spaces"] == [me["active_space"]]
    assert isinstance(me["features"], dict)
    await account.aclose()


async def test_email_case_and_spaces_never_matter_for_login(system):
    account = await new_user(system)

    again = await login(system.url, f"  {account.email.upper()} ")

    assert again.id == account.id
    await account.aclose()
    await again.aclose()


async def test_unknown_email_and_wrong_password_get_the_same_401(system):
    account = await new_user(system)
    async with gateway_client(system.url) as client:
        wrong = await client.post("/api/auth/login", json={"email": account.email, "password": "not the password"})
        unknown = await client.post("/api/auth/login", json={"email": "nobody@example.com", "password": PASSWORD})

    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["error"]["message"] == unknown.json()["error"]["message"]
    assert wrong.json()["error"]["code"] == unknown.json()["error"]["code"]
    await account.aclose()


async def test_logout_revokes_the_session_at_once(system):
    account = await new_user(system)
    stolen_cookie = account.client.cookies.get("session")
    assert (await account.client.get("/api/auth/me")).status_code == 200

    response = await account.client.post("/api/auth/logout")

    assert response.status_code == 204
    async with gateway_client(system.url, cookies={"session": stolen_cookie}) as replay:
        assert (await replay.get("/api/auth/me")).status_code == 401


@pytest.mark.parametrize("header", [None, "forged"], ids=["missing", "wrong"])
async def test_a_mutating_request_without_the_right_csrf_header_is_refused(system, header):
    account = await new_user(system)
    if header is None:
        del account.client.headers["x-csrf-token"]
    else:
        account.client.headers["x-csrf-token"] = header

    response = await account.client.post("/api/spaces", json={"name": "No token"})

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"
    assert (await account.client.get("/api/spaces")).status_code == 200
    await account.aclose()


async def test_a_csrf_token_planted_in_both_cookie_and_header_must_belong_to_the_session(system):
    account = await new_user(system)
    account.client.cookies.set("csrf_token", "planted-by-a-sibling-site")
    account.client.headers["x-csrf-token"] = "planted-by-a-sibling-site"

    response = await account.client.post("/api/spaces", json={"name": "Planted"})

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"
    await account.aclose()


async def test_changing_the_password_signs_out_the_other_sessions_but_not_this_one(system):
    account = await new_user(system)
    other = await login(system.url, account.email)
    assert (await other.client.get("/api/auth/me")).status_code == 200  # now cached by the gateway

    response = await account.client.patch(
        "/api/auth/me", json={"password": "a brand new passphrase", "current_password": PASSWORD}
    )

    assert response.status_code == 200
    assert await eventually_unauthenticated(other.client) == 401
    assert (await account.client.get("/api/auth/me")).status_code == 200
    assert (await login(system.url, account.email, "a brand new passphrase")).id == account.id
    await account.aclose()
    await other.aclose()


async def test_changing_email_or_password_needs_the_current_password(system):
    account = await new_user(system)

    missing = await account.client.patch("/api/auth/me", json={"password": "another long passphrase"})
    wrong = await account.client.patch(
        "/api/auth/me", json={"email": "new@example.com", "current_password": "not it at all"}
    )

    assert missing.status_code == wrong.status_code == 422
    assert missing.json()["error"]["details"][0]["field"] == "current_password"
    assert (await account.me())["user"]["email"] == account.email
    await account.aclose()


async def test_the_oldest_sessions_beyond_the_maximum_are_pruned(system):
    account = await new_user(system)
    maximum = system.services["identity"].app.state.identity.settings.session_max_per_user
    later = [await login(system.url, account.email) for _ in range(maximum)]

    assert (await account.client.get("/api/auth/me")).status_code == 401
    assert all([(await each.client.get("/api/auth/me")).status_code == 200 for each in later])
    for each in [account, *later]:
        await each.aclose()


async def test_a_disabled_user_is_signed_out_and_cannot_log_in(system):
    admin = await admin_account(system)
    account = await new_user(system)
    assert (await account.client.get("/api/auth/me")).status_code == 200

    response = await admin.client.patch(f"/api/admin/users/{account.id}", json={"disabled": True})

    assert response.status_code == 200
    assert response.json()["disabled"] is True
    assert await eventually_unauthenticated(account.client) == 401
    async with gateway_client(system.url) as client:
        refused = await client.post("/api/auth/login", json={"email": account.email, "password": PASSWORD})
    assert refused.status_code == 401
    await account.aclose()


async def test_expired_sessions_stop_working_and_the_cleanup_job_deletes_them(fresh_stack):
    from identity.main import periodic_jobs
    from shelfspace_kernel.periodic import run_once

    async with fresh_stack(identity={"session_lifetime_seconds": 2}) as stack:
        account = await register(stack.url)
        token = account.client.cookies["session"]
        await account.aclose()

        async with gateway_client(stack.url, cookies={"session": token}) as replay:
            assert (await replay.get("/api/auth/me")).status_code == 200
            assert await eventually_unauthenticated(replay) == 401
        app = stack.identity.app
        job = next(job for job in periodic_jobs(app.state.identity.settings) if "sessions" in job.name)
        assert await run_once(app.state.sessionmaker, job)
        async with app.state.sessionmaker() as session:
            assert await session.scalar(text("SELECT count(*) FROM sessions")) == 0
