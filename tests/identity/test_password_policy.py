"""One password policy: registration, a profile change and a reset link refuse the same passwords,
and `GET /api/auth/config` tells the rules the forms show."""

from urllib.parse import parse_qs, urlsplit

from tests.support.identity import admin_account, gateway_client, login, new_user, open_registration, unique_email


def refusal(response) -> tuple[int, str, str]:
    detail = response.json()["error"]["details"][0]
    return response.status_code, detail["field"], detail["type"]


async def test_registration_refuses_a_short_or_common_password_and_creates_no_account(system):
    await open_registration(system)
    email = unique_email()
    async with gateway_client(system.url) as client:
        short = await client.post("/api/auth/register", json={"email": email, "password": "abc12", "name": "N"})
        common = await client.post("/api/auth/register", json={"email": email, "password": "Password123", "name": "N"})
        config = (await client.get("/api/auth/config")).json()
        tried = await client.post("/api/auth/login", json={"email": email, "password": "Password123"})

    assert refusal(short) == (422, "password", "too_short")
    assert refusal(common) == (422, "password", "too_common")
    assert tried.status_code == 401
    assert config["password_min_length"] == 10
    assert config["password_rejects_common"] is True


async def test_a_profile_change_refuses_a_common_password_and_keeps_the_old_one(system):
    user = await new_user(system)

    changed = await user.client.patch(
        "/api/auth/me", json={"password": "QWERTYUIOP", "current_password": user.password}
    )

    assert refusal(changed) == (422, "password", "too_common")
    still = await login(system.url, user.email, user.password)
    await still.aclose()
    await user.aclose()


async def test_a_reset_link_refuses_a_common_password_and_still_works_after(system):
    admin = await admin_account(system)
    user = await new_user(system)
    issued = await admin.client.post(f"/api/admin/users/{user.id}/reset-link")
    token = parse_qs(urlsplit(issued.json()["reset_url"]).query)["token"][0]

    async with gateway_client(system.url) as client:
        common = await client.post("/api/auth/password-reset", json={"token": token, "password": "letmein123"})
        good = await client.post("/api/auth/password-reset", json={"token": token, "password": "a fine long one"})

    assert refusal(common) == (422, "password", "too_common")
    assert good.status_code == 204
    await user.aclose()
