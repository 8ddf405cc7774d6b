"""Every identity action leaves an event in the outbox; no secret ever appears in one."""

import json

from sqlalchemy import text

from tests.support.identity import PASSWORD, gateway_client, invite, make_space_with_roles, register, unique_email


async def outbox_payloads(system) -> list[dict]:
    async with system.services["identity"].app.state.sessionmaker() as session:
        rows = await session.execute(text("SELECT payload FROM outbox ORDER BY created_at"))
        return [row.payload if isinstance(row.payload, dict) else json.loads(row.payload) for row in rows]


async def test_identity_actions_are_recorded_as_events_without_secrets(system):
    space = await make_space_with_roles(system)
    email = unique_email()
    token = await invite(space.owner, space.space_id, email, "viewer")
    guest = await register(system.url, email=email, invite_token=token)
    session_token = guest.client.cookies["session"]
    async with gateway_client(system.url) as client:
        await client.post("/api/auth/login", json={"email": email, "password": "wrong password!"})
    await space.owner.client.patch(f"/api/spaces/{space.space_id}/members/{guest.id}", json={"role": "member"})
    await space.owner.client.delete(f"/api/spaces/{space.space_id}/members/{guest.id}")
    await guest.client.post("/api/auth/logout")

    payloads = await outbox_payloads(system)

    mine = [p for p in payloads if p["entity_id"] == str(guest.id) or p["actor_user_id"] == str(guest.id)]
    types = {p["type"] for p in mine}
    assert {
        "identity.user.registered",
        "identity.invite.claimed",
        "identity.membership.added",
        "identity.membership.role_changed",
        "identity.membership.removed",
        "identity.user.login_failed",
        "identity.user.logged_out",
    } <= types
    everything = json.dumps(payloads)
    assert PASSWORD not in everything
    assert token not in everything
    assert "$argon2" not in everything
    assert session_token not in everything
    await space.aclose()
