"""First run: the first registration becomes the global admin; later ones need an invite."""

import asyncio

from tests.support.identity import PASSWORD, gateway_client, register, unique_email


async def test_the_first_registration_becomes_admin_and_owner_of_a_default_space(fresh_stack):
    async with fresh_stack() as stack, gateway_client(stack.url) as client:
        assert (await client.get("/api/auth/config")).json() == {
            "first_run": True,
            "registration": "invite_only",
            "password_min_length": 10,
            "password_rejects_common": True,
            "password_login": True,
            "password_reset_by_email": False,
            "sso": [],
            "forward_auth": False,
        }

        first = await register(stack.url, name="First")
        me = await first.me()

        assert me["user"]["role"] == "admin"
        assert me["active_space"]["role"] == "owner"
        assert (await client.get("/api/auth/config")).json()["first_run"] is False
        await first.aclose()


async def test_after_the_first_run_registration_needs_an_invite(fresh_stack):
    async with fresh_stack() as stack, gateway_client(stack.url) as client:
        first = await register(stack.url)

        response = await client.post(
            "/api/auth/register", json={"email": unique_email(), "password": PASSWORD, "name": "Late"}
        )

        assert response.status_code == 403
        assert response.json()["error"]["code"] == "invite_required"
        await first.aclose()


async def test_open_registration_gives_a_new_user_a_personal_space(fresh_stack):
    async with fresh_stack() as stack:
        admin = await register(stack.url)
        opened = await admin.client.patch("/api/admin/instance-settings", json={"registration": "open"})
        assert opened.json()["registration"] == "open"

        newcomer = await register(stack.url, name="Newcomer")
        me = await newcomer.me()

        assert me["user"]["role"] == "user"
        assert me["active_space"] == {"id": me["spaces"][0]["id"], "name": "Newcomer's space", "role": "owner"}
        await admin.aclose()
        await newcomer.aclose()


async def test_two_racing_first_registrations_make_exactly_one_admin(fresh_stack):
    async with fresh_stack() as stack, gateway_client(stack.url) as a, gateway_client(stack.url) as b:
        bodies = [{"email": unique_email(), "password": PASSWORD, "name": n} for n in ("A", "B")]

        responses = await asyncio.gather(
            *(c.post("/api/auth/register", json=body) for c, body in zip((a, b), bodies, strict=True))
        )

        statuses = sorted(r.status_code for r in responses)
        assert statuses == [201, 403]
        winner = next(r for r in responses if r.status_code == 201)
        assert winner.json()["user"]["role"] == "admin"
