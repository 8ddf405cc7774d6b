"""Two-factor sign-in (TOTP): enrolment with a locally drawn QR code and recovery codes shown once,
the half-signed-in step after the password, clock drift of one step, no replay, rate limits,
turning it off, an admin's reset, and the instance setting that requires it of admins."""

import asyncio
import time

import pyotp
import pytest
from sqlalchemy import text

from tests.support.identity import PASSWORD, Account, gateway_client, login, new_user, register, unique_email


async def steady_step() -> None:
    """Wait until the current 30 s step has at least 8 s left, so 'now' is the same step for the
    test and the server throughout a short sequence of calls."""
    left = 30 - time.time() % 30
    if left < 8:
        await asyncio.sleep(left + 0.2)


def code_at(secret: str, steps_from_now: int) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_from_now)


async def enrol(account: Account, steps_from_now: int = 0) -> tuple[str, list[str]]:
    """Turn two-factor sign-in on for the account: its secret and recovery codes."""
    setup = await account.client.post("/api/auth/2fa/setup")
    assert setup.status_code == 200, setup.text
    secret = pyotp.parse_uri(setup.json()["otpauth_uri"]).secret
    enabled = await account.client.post("/api/auth/2fa/enable", json={"code": code_at(secret, steps_from_now)})
    assert enabled.status_code == 200, enabled.text
    return secret, enabled.json()["recovery_codes"]


async def password_step(url: str, email: str, password: str = PASSWORD):
    client = gateway_client(url)
    response = await client.post("/api/auth/login", json={"email": email, "password": password})
    return client, response


async def second_step(client, challenge: str, **factor: str):
    return await client.post("/api/auth/login/2fa", json={"challenge_token": challenge, **factor})


async def test_enrolment_shows_a_local_qr_code_then_sign_in_needs_a_code_after_the_password(system):
    await steady_step()
    user = await new_user(system)
    setup = await user.client.post("/api/auth/2fa/setup")
    body = setup.json()
    secret = pyotp.parse_uri(body["otpauth_uri"]).secret
    wrong = await user.client.post(
        "/api/auth/2fa/enable", json={"code": "000000" if code_at(secret, 0) != "000000" else "111111"}
    )
    still_off = (await user.me())["two_factor"]
    enabled = await user.client.post("/api/auth/2fa/enable", json={"code": code_at(secret, 0)})

    assert body["otpauth_uri"].startswith("otpauth://totp/Shelfspace:")
    assert "issuer=Shelfspace" in body["otpauth_uri"]
    assert body["qr_svg"].startswith("<svg")
    assert "<script" not in body["qr_svg"]
    assert wrong.status_code == 422
    assert still_off == {"enabled": False, "required": False}
    assert enabled.status_code == 200
    codes = enabled.json()["recovery_codes"]
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert (await user.me())["two_factor"]["enabled"] is True

    client, half = await password_step(system.url, user.email)
    cookies_after_password = dict(client.cookies)
    no_session = await client.get("/api/auth/me")
    done = await second_step(client, half.json()["challenge_token"], code=code_at(secret, 1))
    adopted = await client.get("/api/auth/me")

    assert half.status_code == 200
    assert half.json()["two_factor_required"] is True
    assert "user" not in half.json()
    assert cookies_after_password == {}  # half signed in: no session cookie
    assert no_session.status_code == 401
    assert done.status_code == 200, done.text
    assert done.json()["user"]["email"] == user.email
    assert adopted.status_code == 200
    await client.aclose()
    await user.aclose()


async def test_a_code_is_accepted_within_one_step_of_drift_and_never_twice(system):
    await steady_step()
    user = await new_user(system)
    secret, _ = await enrol(user, steps_from_now=-1)  # a phone one step behind

    client, half = await password_step(system.url, user.email)
    challenge = half.json()["challenge_token"]
    too_far = await second_step(client, challenge, code=code_at(secret, 2))
    replayed = await second_step(client, challenge, code=code_at(secret, -1))
    ahead = await second_step(client, challenge, code=code_at(secret, 1))

    other, half_again = await password_step(system.url, user.email)
    same_code_again = await second_step(other, half_again.json()["challenge_token"], code=code_at(secret, 1))
    used_challenge = await second_step(other, challenge, code=code_at(secret, 1))

    assert too_far.status_code == 422
    assert replayed.status_code == 422  # the step used at enrolment
    assert ahead.status_code == 200, ahead.text
    assert same_code_again.status_code == 422
    assert used_challenge.status_code == 401
    assert used_challenge.json()["error"]["code"] == "two_factor_challenge_invalid"
    await client.aclose()
    await other.aclose()
    await user.aclose()


async def test_each_recovery_code_signs_in_once(system):
    user = await new_user(system)
    _, codes = await enrol(user)

    first, half = await password_step(system.url, user.email)
    used = await second_step(first, half.json()["challenge_token"], recovery_code=codes[3].upper())
    second, half_again = await password_step(system.url, user.email)
    again = await second_step(second, half_again.json()["challenge_token"], recovery_code=codes[3])
    another = await second_step(second, half_again.json()["challenge_token"], recovery_code=codes[4])

    assert used.status_code == 200, used.text
    assert again.status_code == 422
    assert another.status_code == 200
    await first.aclose()
    await second.aclose()
    await user.aclose()


async def test_a_made_up_or_expired_challenge_opens_nothing(system):
    user = await new_user(system)
    secret, _ = await enrol(user)
    async with gateway_client(system.url) as client:
        made_up = await second_step(client, "not-a-challenge", code=code_at(secret, 0))
        both = await client.post(
            "/api/auth/login/2fa", json={"challenge_token": "x", "code": "123456", "recovery_code": "abcde-12345"}
        )
    client, half = await password_step(system.url, user.email)
    async with system.services["identity"].app.state.sessionmaker.begin() as session:
        await session.execute(
            text("UPDATE login_challenges SET expires_at = now() - interval '1 second' WHERE user_id = :u"),
            {"u": user.id},
        )
    expired = await second_step(client, half.json()["challenge_token"], code=code_at(secret, 1))

    assert made_up.status_code == 401
    assert both.status_code == 422
    assert expired.status_code == 401
    assert expired.json()["error"]["code"] == "two_factor_challenge_invalid"
    await client.aclose()
    await user.aclose()


async def test_turning_it_off_needs_the_password_and_then_the_password_alone_signs_in(system):
    user = await new_user(system)
    await enrol(user)

    refused = await user.client.post("/api/auth/2fa/disable", json={"current_password": "not the password"})
    off = await user.client.post("/api/auth/2fa/disable", json={"current_password": user.password})
    plain = await login(system.url, user.email)

    assert refused.status_code == 422
    assert off.status_code == 204
    assert (await plain.me())["two_factor"]["enabled"] is False
    await plain.aclose()
    await user.aclose()


async def admin_view_of(admin, user_id) -> dict | None:
    """The user's row in the admin list, paged through (a shared test system holds many users)."""
    params: dict = {"limit": 200}
    while True:
        page = (await admin.client.get("/api/admin/users", params=params)).json()
        found = next((row for row in page["items"] if row["id"] == str(user_id)), None)
        if found is not None or not page["next_cursor"]:
            return found
        params["cursor"] = page["next_cursor"]


async def test_an_admin_resets_a_users_second_factor(system):
    from tests.support.identity import admin_account

    admin = await admin_account(system)
    user = await new_user(system)
    await enrol(user)
    listed = await admin_view_of(admin, user.id)

    by_user = await user.client.post(f"/api/admin/users/{user.id}/2fa/reset")
    reset = await admin.client.post(f"/api/admin/users/{user.id}/2fa/reset")
    plain = await login(system.url, user.email)

    assert listed is not None
    assert listed["two_factor_enabled"] is True
    assert by_user.status_code == 403
    assert reset.status_code == 204
    assert (await plain.me())["two_factor"]["enabled"] is False
    await plain.aclose()
    await user.aclose()


async def test_the_secret_is_stored_sealed(system):
    user = await new_user(system)
    secret, _ = await enrol(user)
    async with system.services["identity"].app.state.sessionmaker() as session:
        stored = (
            (await session.execute(text("SELECT * FROM two_factor WHERE user_id = :u"), {"u": user.id}))
            .mappings()
            .one()
        )
        hashes = list(
            await session.scalars(text("SELECT code_hash FROM recovery_codes WHERE user_id = :u"), {"u": user.id})
        )

    assert secret.encode() not in bytes(stored["secret_ciphertext"])
    assert len(hashes) == 10
    assert all(len(value) == 64 for value in hashes)
    await user.aclose()


async def test_wrong_codes_spend_the_login_budget(fresh_stack):
    async with fresh_stack(identity={"login_max_failures_per_account": 3}) as stack:
        user = await register(stack.url, email=unique_email())
        secret, _ = await enrol(user)
        client, half = await password_step(stack.url, user.email)
        challenge = half.json()["challenge_token"]
        wrong = [
            (await second_step(client, challenge, code=f"{n:06d}")).status_code
            for n in range(1, 5)
            if f"{n:06d}" not in {code_at(secret, s) for s in (-1, 0, 1)}
        ][:4]
        right_but_late = await second_step(client, challenge, code=code_at(secret, 1))

        assert wrong[:3] == [422, 422, 422]
        assert wrong[3] == 429
        assert right_but_late.status_code == 429
        assert "retry-after" in right_but_late.headers
        await client.aclose()
        await user.aclose()


async def test_without_an_encryption_key_enrolment_is_refused_plainly(fresh_stack):
    async with fresh_stack(identity={"identity_encryption_key": ""}) as stack:
        user = await register(stack.url, email=unique_email())
        refused = await user.client.post("/api/auth/2fa/setup")

        assert refused.status_code == 503
        assert refused.json()["error"]["code"] == "two_factor_unavailable"
        await user.aclose()


async def test_the_instance_can_require_it_of_admins(fresh_stack):
    async with fresh_stack() as stack:
        root = await register(stack.url, email=unique_email("root"), name="Root")
        assert (
            await root.client.patch("/api/admin/instance-settings", json={"registration": "open"})
        ).status_code == 200
        other = await register(stack.url, email=unique_email("other"), name="Other")
        assert (await root.client.patch(f"/api/admin/users/{other.id}", json={"role": "admin"})).status_code == 200

        too_early = await root.client.patch("/api/admin/instance-settings", json={"two_factor_for_admins": True})
        await enrol(root)
        switched = await root.client.patch("/api/admin/instance-settings", json={"two_factor_for_admins": True})
        other = await login(stack.url, other.email)
        blocked = await other.client.get("/api/admin/users")
        told = (await other.me())["two_factor"]
        await enrol(other)
        allowed = await other.client.get("/api/admin/users")

        assert too_early.status_code == 409
        assert too_early.json()["error"]["code"] == "two_factor_required"
        assert switched.status_code == 200
        assert switched.json()["two_factor_for_admins"] is True
        assert blocked.status_code == 403
        assert blocked.json()["error"]["code"] == "two_factor_required"
        assert told == {"enabled": False, "required": True}
        assert allowed.status_code == 200
        await root.aclose()
        await other.aclose()


@pytest.mark.parametrize("path", ["/api/auth/2fa/setup", "/api/auth/2fa/enable", "/api/auth/2fa/disable"])
async def test_anonymous_callers_cannot_enrol(system, path):
    async with gateway_client(system.url) as client:
        response = await client.post(path, json={})
    assert response.status_code == 401


def test_a_weak_encryption_key_stops_identity_at_start(keys):
    from identity.bootstrap import build
    from identity.settings import IdentitySettings
    from shelfspace_kernel.sealing import WeakKeyError

    with pytest.raises(WeakKeyError, match="IDENTITY_ENCRYPTION_KEY"):
        build(
            IdentitySettings(
                environment="test",
                database_url="postgresql+asyncpg://nobody@127.0.0.1:1/none",
                internal_auth_public_keys=keys.public_keys,
                identity_encryption_key="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            )
        )


async def test_codes_in_other_scripts_digits_are_refused_not_crashing(system):
    await steady_step()
    user = await new_user(system)
    secret, _ = await enrol(user)
    client, half = await password_step(system.url, user.email)
    challenge = half.json()["challenge_token"]

    eastern = await second_step(client, challenge, code="١٢٣٤٥٦")
    enrol_again = await user.client.post("/api/auth/2fa/enable", json={"code": "١٢٣٤٥٦"})
    right = await second_step(client, challenge, code=code_at(secret, 1))

    assert eastern.status_code == 422
    assert enrol_again.status_code == 409  # already on
    assert right.status_code == 200
    await client.aclose()
    await user.aclose()
