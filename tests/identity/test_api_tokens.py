"""Personal API tokens: shown once, stored hashed, one space with a role no higher than the user's,
sent as `Authorization: Bearer` through the gateway; revoked, expired or disabled → 401 at once."""

import uuid
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import text

from gateway.access import REFUSAL_HEADER
from shelfspace_contracts.audit import REQUEST_ENTITY_TYPE
from tests.support.audit import activity, eventually
from tests.support.identity import (
    Account,
    admin_account,
    gateway_client,
    make_space_with_roles,
    new_user,
)

TITLE = {"title": "Alien", "media_type": "movie", "year": 1979}


async def create_token(account: Account, space_id, role: str, **extra) -> httpx.Response:
    body = {"name": f"{role} script", "space_id": str(space_id), "role": role, **extra}
    return await account.client.post("/api/auth/tokens", json=body)


async def secret_of(account: Account, space_id, role: str, **extra) -> str:
    response = await create_token(account, space_id, role, **extra)
    assert response.status_code == 201, response.text
    return response.json()["secret"]


def bearer(system, secret: str) -> httpx.AsyncClient:
    """A script's client: the token and nothing else (no cookie, no CSRF header)."""
    return gateway_client(system.url, headers={"authorization": f"Bearer {secret}"})


async def test_a_token_is_shown_once_stored_hashed_and_listed_with_its_last_use(system):
    account = await new_user(system)
    space_id = (await account.me())["active_space"]["id"]

    created = await create_token(account, space_id, "member")
    secret = created.json()["secret"]
    before = (await account.client.get("/api/auth/tokens")).json()["items"]
    async with bearer(system, secret) as script:
        used = await script.get("/api/media")
    after = (await account.client.get("/api/auth/tokens")).json()["items"]
    async with system.services["identity"].app.state.sessionmaker() as session:
        stored = await session.scalar(text("SELECT token_hash FROM api_tokens WHERE id = :id"),
                                      {"id": created.json()["token"]["id"]})  # fmt: skip

    assert created.status_code == 201
    assert secret.startswith("shs_")
    assert created.json()["token"]["role"] == "member"
    assert secret not in str(before)
    assert before[0]["last_used_at"] is None
    assert used.status_code == 200
    assert after[0]["last_used_at"] is not None
    assert stored != secret
    assert secret not in stored


async def test_tokens_act_with_their_role_at_every_level(system):
    space = await make_space_with_roles(system)
    scripts = {role: bearer(system, await secret_of(account, space.space_id, role))
               for role, account in space.by_role().items()}  # fmt: skip
    throwaway = await space.owner.client.post("/api/spaces", json={"name": "Throwaway"})
    owner_of_throwaway = bearer(system, await secret_of(space.owner, throwaway.json()["id"], "owner"))

    viewer_reads = await scripts["viewer"].get("/api/media")
    viewer_writes = await scripts["viewer"].post("/api/media", json=TITLE)
    member_writes = await scripts["member"].post("/api/media", json=TITLE)
    member_renames = await scripts["member"].patch(f"/api/spaces/{space.space_id}", json={"name": "Mine"})
    admin_renames = await scripts["admin"].patch(f"/api/spaces/{space.space_id}", json={"name": "Renamed"})
    admin_deletes = await scripts["admin"].request("DELETE", f"/api/spaces/{space.space_id}",
                                                    json={"confirm_name": "Renamed"})  # fmt: skip
    owner_deletes = await owner_of_throwaway.request("DELETE", f"/api/spaces/{throwaway.json()['id']}",
                                                     json={"confirm_name": "Throwaway"})  # fmt: skip

    assert viewer_reads.status_code == 200
    assert viewer_writes.status_code == 403
    assert member_writes.status_code == 201
    assert member_renames.status_code == 403
    assert admin_renames.status_code == 200
    assert admin_deletes.status_code == 403
    assert owner_deletes.status_code == 204
    for script in [*scripts.values(), owner_of_throwaway]:
        await script.aclose()


async def test_a_token_cannot_get_more_than_the_user_s_role_or_a_space_they_are_not_in(system):
    space = await make_space_with_roles(system)
    stranger = await new_user(system)

    too_high = await create_token(space.member, space.space_id, "admin")
    not_mine = await create_token(stranger, space.space_id, "viewer")
    past = await create_token(space.member, space.space_id, "viewer",
                              expires_at=(datetime.now(UTC) - timedelta(minutes=1)).isoformat())  # fmt: skip

    assert too_high.status_code == 422
    assert too_high.json()["error"]["details"][0]["field"] == "role"
    assert not_mine.status_code == 404
    assert past.status_code == 422


async def test_a_token_follows_the_user_s_current_role_and_membership(system):
    space = await make_space_with_roles(system)
    async with bearer(system, await secret_of(space.member, space.space_id, "member")) as script:
        demoted = await space.owner.client.patch(f"/api/spaces/{space.space_id}/members/{space.member.id}",
                                                 json={"role": "viewer"})  # fmt: skip
        as_viewer_write = await script.post("/api/media", json=TITLE)
        as_viewer_read = await script.get("/api/media")
        removed = await space.owner.client.delete(f"/api/spaces/{space.space_id}/members/{space.member.id}")
        after_removal = await script.get("/api/media")

    assert demoted.status_code == 200
    assert as_viewer_write.status_code == 403
    assert as_viewer_read.status_code == 200
    assert removed.status_code == 204
    assert after_removal.status_code == 403
    assert after_removal.headers[REFUSAL_HEADER] == "no_active_space"


async def test_a_revoked_token_is_refused_at_once(system):
    account = await new_user(system)
    space_id = (await account.me())["active_space"]["id"]
    created = await create_token(account, space_id, "owner")
    async with bearer(system, created.json()["secret"]) as script:
        before = await script.get("/api/media")
        revoked = await account.client.delete(f"/api/auth/tokens/{created.json()['token']['id']}")
        after = await script.get("/api/media")
        again = await account.client.delete(f"/api/auth/tokens/{created.json()['token']['id']}")

    assert before.status_code == 200
    assert revoked.status_code == 204
    assert after.status_code == 401
    assert after.json()["error"]["code"] == "invalid_token"
    assert again.status_code == 404


async def test_an_expired_token_is_refused(system):
    account = await new_user(system)
    space_id = (await account.me())["active_space"]["id"]
    soon = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    created = await create_token(account, space_id, "viewer", expires_at=soon)
    async with bearer(system, created.json()["secret"]) as script:
        before = await script.get("/api/media")
        async with system.services["identity"].app.state.sessionmaker.begin() as session:
            await session.execute(text("UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = :id"),
                                  {"id": created.json()["token"]["id"]})  # fmt: skip
        after = await script.get("/api/media")

    assert before.status_code == 200
    assert after.status_code == 401


async def test_a_disabled_user_s_tokens_stop_working_until_the_user_is_enabled_again(system):
    admin = await admin_account(system)
    account = await new_user(system)
    space_id = (await account.me())["active_space"]["id"]
    async with bearer(system, await secret_of(account, space_id, "owner")) as script:
        before = await script.get("/api/media")
        await admin.client.patch(f"/api/admin/users/{account.id}", json={"disabled": True})
        while_disabled = await script.get("/api/media")
        await admin.client.patch(f"/api/admin/users/{account.id}", json={"disabled": False})
        enabled_again = await script.get("/api/media")

    assert before.status_code == 200
    assert while_disabled.status_code == 401
    assert enabled_again.status_code == 200


async def test_a_token_reaches_only_its_own_space_even_with_x_space_id(system):
    first = await make_space_with_roles(system)
    second = await make_space_with_roles(system)
    invited = await first.owner.client.post(
        f"/api/spaces/{first.space_id}/invites", json={"email": second.owner.email, "role": "admin"}
    )
    accepted = await second.owner.client.post("/api/invites/accept", json={"token": invited.json()["token"]})
    assert accepted.status_code == 200, accepted.text
    async with bearer(system, await secret_of(second.owner, second.space_id, "owner")) as script:
        own = await script.get("/api/media")
        other = await script.get("/api/media", headers={"x-space-id": str(first.space_id)})
        other_members = await script.get(f"/api/spaces/{first.space_id}/members")

    assert own.status_code == 200
    assert other.status_code == 403
    assert other_members.status_code == 404


async def test_bearer_requests_need_no_csrf_and_a_cookie_less_form_post_is_refused(system):
    account = await new_user(system)
    space_id = (await account.me())["active_space"]["id"]
    async with bearer(system, await secret_of(account, space_id, "member")) as script:
        with_token = await script.post("/api/media", json=TITLE)
    async with gateway_client(system.url) as browser:
        form = await browser.post("/api/media", data={"title": "Forged", "media_type": "movie"})
    async with gateway_client(system.url, cookies=account.client.cookies) as no_csrf:
        session_without_csrf = await no_csrf.post("/api/media", json=TITLE)

    assert with_token.status_code == 201
    assert form.status_code == 401
    assert session_without_csrf.status_code == 403
    assert session_without_csrf.json()["error"]["code"] == "csrf_failed"


async def test_a_token_cannot_mint_tokens_change_the_account_or_administer_the_instance(system):
    admin = await admin_account(system)
    space_id = (await admin.me())["spaces"][0]["id"]
    async with bearer(system, await secret_of(admin, space_id, "owner")) as script:
        mint = await script.post("/api/auth/tokens", json={"name": "x", "space_id": space_id, "role": "viewer"})
        listing = await script.get("/api/auth/tokens")
        password = await script.patch("/api/auth/me", json={"password": "x" * 12, "current_password": "y"})
        users = await script.get("/api/admin/users")
        me = await script.get("/api/auth/me")

    assert mint.status_code == 403
    assert mint.json()["error"]["code"] == "session_required"
    assert listing.status_code == 403
    assert password.status_code == 403
    assert users.status_code == 403
    assert me.status_code == 200


async def test_an_unknown_or_malformed_bearer_is_401_even_on_a_public_route(system):
    async with bearer(system, "shs_" + uuid.uuid4().hex) as script:
        unknown = await script.get("/api/media")
        public = await script.get("/api/auth/config")
    async with bearer(system, "x" * 500) as script:
        too_long = await script.get("/api/media")

    assert unknown.status_code == 401
    assert unknown.headers["www-authenticate"].startswith("Bearer")
    assert public.status_code == 401
    assert too_long.status_code == 401


async def test_creation_revocation_and_refused_uses_are_in_the_activity_log(system):
    admin = await admin_account(system)
    account = await new_user(system)
    space_id = (await account.me())["active_space"]["id"]
    created = await create_token(account, space_id, "viewer")
    token_id = created.json()["token"]["id"]
    async with bearer(system, created.json()["secret"]) as script:
        refused = await script.post("/api/media", json=TITLE)
    await account.client.delete(f"/api/auth/tokens/{token_id}")

    async def refused_use() -> list[dict]:
        request_id = refused.headers["x-request-id"]
        return (await activity(admin.client, entity_type=REQUEST_ENTITY_TYPE, entity_id=request_id))["items"]

    async def both() -> list[dict]:
        rows = (await activity(admin.client, action="identity.api_token.*", entity_id=token_id))["items"]
        return rows if len(rows) == 2 else []

    rows = await eventually(both)
    failures = await eventually(refused_use)
    assert refused.status_code == 403
    assert failures[0]["details"]["path"] == "/api/media"
    assert failures[0]["details"]["pat_id"] == token_id
    assert failures[0]["user_id"] == str(account.id)
    assert {row["action"] for row in rows} == {"identity.api_token.created", "identity.api_token.revoked"}
    assert all(row["user_id"] == str(account.id) for row in rows)
    assert created.json()["secret"] not in str(rows)


async def test_with_a_bearer_token_the_session_cookie_is_ignored(system):
    account = await new_user(system)
    space_id = (await account.me())["active_space"]["id"]
    secret = await secret_of(account, space_id, "viewer")
    headers = {"authorization": f"Bearer {secret}"}
    async with gateway_client(system.url, cookies=account.client.cookies, headers=headers) as both:
        write = await both.post("/api/media", json=TITLE)
        tokens = await both.get("/api/auth/tokens")

    assert write.status_code == 403  # the viewer token decides, not the owner's session
    assert tokens.status_code == 403
    assert tokens.json()["error"]["code"] == "session_required"
