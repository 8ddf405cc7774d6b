"""Invites: per space, with a role and expiry, single use, revocable, token shown once."""

import asyncio

from sqlalchemy import text

from tests.support.identity import (
    PASSWORD,
    gateway_client,
    invite,
    make_space_with_roles,
    new_user,
    register,
    unique_email,
)


async def test_an_invite_shows_its_token_once_and_joins_the_space_with_its_role(system):
    space = await make_space_with_roles(system)
    email = unique_email("guest")

    created = await space.admin.client.post(
        f"/api/spaces/{space.space_id}/invites", json={"email": email.upper(), "role": "member"}
    )
    token = created.json()["token"]
    listed = await space.admin.client.get(f"/api/spaces/{space.space_id}/invites")
    guest = await register(system.url, email=email, invite_token=token)

    assert created.status_code == 201
    assert created.json()["invite"]["state"] == "pending"
    assert created.json()["invite_url"].endswith(token)
    assert token not in listed.text
    assert "token" not in listed.json()["items"][0]
    me = await guest.me()
    assert me["active_space"] == {"id": str(space.space_id), "name": space.name, "role": "member"}
    await guest.aclose()
    await space.aclose()


async def test_used_revoked_and_expired_invites_are_hidden_unless_all_are_asked_for(system):
    space = await make_space_with_roles(system)
    base = f"/api/spaces/{space.space_id}/invites"
    used_email = unique_email()
    used = await invite(space.owner, space.space_id, used_email, "viewer")
    await (await register(system.url, email=used_email, invite_token=used)).aclose()
    revoked = (await space.owner.client.post(base, json={"email": unique_email(), "role": "viewer"})).json()
    await space.owner.client.post(f"{base}/{revoked['invite']['id']}/revoke")
    expired = (await space.owner.client.post(base, json={"email": unique_email(), "role": "viewer"})).json()
    await expire(system, expired["invite"]["id"])
    pending = (await space.owner.client.post(base, json={"email": unique_email(), "role": "member"})).json()

    default = (await space.owner.client.get(base)).json()["items"]
    everything = (await space.owner.client.get(base, params={"state": "all"})).json()["items"]

    assert [item["id"] for item in default] == [pending["invite"]["id"]]
    states = {item["id"]: item["state"] for item in everything}
    assert states[revoked["invite"]["id"]] == "revoked"
    assert states[expired["invite"]["id"]] == "expired"
    assert sorted(set(states.values())) == ["expired", "pending", "revoked", "used"]
    await space.aclose()


async def expire(system, invite_id: str) -> None:
    async with system.services["identity"].app.state.sessionmaker.begin() as session:
        await session.execute(
            text("UPDATE invites SET expires_at = now() - interval '1 minute' WHERE id = :id"), {"id": invite_id}
        )


async def test_a_revoked_invite_cannot_be_used_and_a_used_one_cannot_be_revoked(system):
    space = await make_space_with_roles(system)
    base = f"/api/spaces/{space.space_id}/invites"
    email = unique_email()
    created = (await space.owner.client.post(base, json={"email": email, "role": "member"})).json()
    await space.owner.client.post(f"{base}/{created['invite']['id']}/revoke")
    async with gateway_client(system.url) as client:
        refused = await client.post(
            "/api/auth/register",
            json={"email": email, "password": PASSWORD, "name": "Late", "invite_token": created["token"]},
        )
    used_email = unique_email()
    used = (await space.owner.client.post(base, json={"email": used_email, "role": "member"})).json()
    await (await register(system.url, email=used_email, invite_token=used["token"])).aclose()

    revoke_used = await space.owner.client.post(f"{base}/{used['invite']['id']}/revoke")

    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "invite_revoked"
    assert revoke_used.status_code == 409
    await space.aclose()


async def test_two_racing_claims_of_one_invite_make_one_member_and_one_409(system):
    space = await make_space_with_roles(system)
    email = unique_email()
    token = await invite(space.owner, space.space_id, email, "member")
    first, second = await new_user(system, email=email), None
    second_client = gateway_client(system.url)
    logged = await second_client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    second_client.headers["x-csrf-token"] = second_client.cookies["csrf_token"]
    assert logged.status_code == 200

    responses = await asyncio.gather(
        first.client.post("/api/invites/accept", json={"token": token}),
        second_client.post("/api/invites/accept", json={"token": token}),
    )

    assert sorted(r.status_code for r in responses) == [200, 409]
    members = (await space.owner.client.get(f"/api/spaces/{space.space_id}/members")).json()["items"]
    assert [m["role"] for m in members if m["email"] == email] == ["member"]
    await first.aclose()
    await second_client.aclose()
    await space.aclose()
    assert second is None


async def test_an_existing_user_accepts_an_invite_into_another_space(system):
    space = await make_space_with_roles(system)
    existing = await new_user(system)
    token = await invite(space.owner, space.space_id, existing.email, "viewer")

    accepted = await existing.client.post("/api/invites/accept", json={"token": token})

    assert accepted.status_code == 200
    me = await existing.me()
    assert len(me["spaces"]) == 2
    assert me["active_space"]["id"] == str(space.space_id)
    assert me["active_space"]["role"] == "viewer"
    await existing.aclose()
    await space.aclose()


async def test_an_invite_for_someone_else_cannot_be_accepted(system):
    space = await make_space_with_roles(system)
    token = await invite(space.owner, space.space_id, unique_email("intended"), "member")
    other = await new_user(system)

    response = await other.client.post("/api/invites/accept", json={"token": token})

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "invite_email_mismatch"
    await other.aclose()
    await space.aclose()


async def test_an_admin_cannot_invite_an_owner_and_a_member_cannot_invite_at_all(system):
    space = await make_space_with_roles(system)
    base = f"/api/spaces/{space.space_id}/invites"

    as_admin = await space.admin.client.post(base, json={"email": unique_email(), "role": "owner"})
    as_member = await space.member.client.post(base, json={"email": unique_email(), "role": "viewer"})
    as_owner = await space.owner.client.post(base, json={"email": unique_email(), "role": "owner"})

    assert as_admin.status_code == as_member.status_code == 403
    assert as_owner.status_code == 201
    await space.aclose()


async def test_bad_registration_input_is_422_with_field_details_and_writes_nothing(system):
    email = unique_email()
    async with gateway_client(system.url) as client:
        response = await client.post(
            "/api/auth/register",
            json={"email": email, "password": "short", "name": "x" * 101, "invite_token": 7, "extra": True},
        )
        short = await client.post("/api/auth/register", json={"email": email, "password": "short", "name": "Ok"})
        no_email = await client.post(
            "/api/auth/register", json={"email": "not-an-email", "password": PASSWORD, "name": "A"}
        )
        login = await client.post("/api/auth/login", json={"email": email, "password": "short"})

    fields = {detail["field"] for detail in response.json()["error"]["details"]}
    assert response.status_code == 422
    assert {"name", "invite_token", "extra"} <= fields
    assert short.status_code == 422
    assert short.json()["error"]["details"][0]["field"] == "password"
    assert no_email.status_code == 422
    assert login.status_code == 401
