"""Linking a user's Trakt account with the OAuth device-code flow, with the space's Trakt app."""

import uuid

from services.integrations.tests.helpers import TRAKT_SECRET, configure, configure_trakt, link_trakt, new_key
from tests.support.clients import signed_client

LINK = "/api/integrations/trakt/link"


async def test_a_member_links_trakt_by_entering_a_code_at_trakt(admin, member, space, trakt, db_rows):
    await configure_trakt(admin, space, trakt)

    started = await member.post(LINK)

    assert started.status_code == 200
    assert started.json() == {
        "user_code": "5055CC52",
        "verification_url": "https://trakt.tv/activate",
        "expires_in": 600,
        "interval": 5,
    }
    assert (await member.get(LINK)).json()["status"] == "pending"
    assert (await member.post(f"{LINK}/poll")).json() == {"status": "pending", "interval": 5}

    trakt.approve()
    assert (await member.post(f"{LINK}/poll")).json() == {"status": "linked"}

    status = (await member.get(LINK)).json()
    assert status["status"] == "linked"
    assert status["available"] is True
    assert status["since"]
    redeemed = trakt.requests_to("/oauth/device/token")[-1]
    assert b"device-code-1" in redeemed.body
    assert TRAKT_SECRET.encode() in redeemed.body
    stored = await db_rows()
    for secret in ("device-code-1", trakt.access_token, trakt.refresh_token):
        assert secret not in stored
    for answer in (started.text, str(status)):
        assert "device-code" not in answer
        assert "access-token" not in answer


async def test_a_denied_link_is_reported_and_forgotten(admin, member, space, trakt):
    await configure_trakt(admin, space, trakt)
    await member.post(LINK)

    trakt.deny()

    assert (await member.post(f"{LINK}/poll")).json() == {"status": "denied"}
    assert (await member.get(LINK)).json()["status"] == "not_linked"
    nothing = await member.post(f"{LINK}/poll")
    assert nothing.status_code == 404


async def test_an_expired_code_is_reported_and_a_new_link_can_start(admin, member, space, trakt):
    await configure_trakt(admin, space, trakt)
    await member.post(LINK)

    trakt.expire()

    assert (await member.post(f"{LINK}/poll")).json() == {"status": "expired"}
    assert (await member.get(LINK)).json()["status"] == "not_linked"
    again = await member.post(LINK)
    assert again.status_code == 200
    trakt.approve()
    assert (await member.post(f"{LINK}/poll")).json() == {"status": "linked"}


async def test_polling_too_fast_keeps_the_link_pending_and_slows_the_interval(admin, member, space, trakt):
    await configure_trakt(admin, space, trakt)
    await member.post(LINK)

    trakt.fail_next(429, path="/oauth/device/token")

    assert (await member.post(f"{LINK}/poll")).json() == {"status": "pending", "interval": 10}
    assert len(trakt.requests_to("/oauth/device/token")) == 1  # a slow-down is not retried


async def test_a_linked_account_must_be_unlinked_before_linking_another(admin, member, space, trakt):
    await link_trakt(admin, member, space, trakt)
    token = trakt.access_token

    again = await member.post(LINK)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_linked"

    assert (await member.delete(LINK)).status_code == 204
    assert trakt.revoked == [token]
    assert (await member.get(LINK)).json()["status"] == "not_linked"
    assert (await member.delete(LINK)).status_code == 204


async def test_a_link_belongs_to_one_user_in_one_space(admin, member, space, trakt, integrations, keys):
    await link_trakt(admin, member, space, trakt)

    async with signed_client(
        integrations.url, keys, "integrations", user_id=uuid.uuid4(), space_id=space, space_role="member"
    ) as someone_else:
        assert (await someone_else.get(LINK)).json()["status"] == "not_linked"


async def test_linking_needs_the_spaces_trakt_app(member, admin, space, trakt):
    assert (await member.get(LINK)).json() == {"status": "not_linked", "since": None, "available": False}
    response = await member.post(LINK)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "provider_not_configured"

    await configure(admin, space, "trakt", base_url=trakt.url, client_id="trakt-client-id")
    response = await member.post(LINK)
    assert response.status_code == 409
    assert "client secret" in response.json()["error"]["message"]


async def test_viewers_cannot_link_trakt(as_role):
    async with as_role("viewer") as viewer:
        assert (await viewer.post(LINK)).status_code == 403
        assert (await viewer.get(LINK)).status_code == 403


async def test_a_link_that_no_longer_decrypts_is_reported_not_dropped(
    admin, member, space, user, trakt, start_integrations, keys
):
    await link_trakt(admin, member, space, trakt)

    other = await start_integrations(integration_encryption_key=new_key())
    async with (
        signed_client(other.url, keys, "integrations", user_id=user, space_id=space, space_role="member") as elsewhere,
        signed_client(other.url, keys, "integrations", user_id=user, space_id=space, caller="sync") as sync,
    ):
        status = (await elsewhere.get(LINK)).json()
        page = await sync.get("/internal/trakt/watchlist")

    assert status["status"] == "cannot_decrypt"
    assert "unlink Trakt and link it again" in status["detail"]
    assert page.status_code == 409
    assert page.json()["error"]["code"] == "secret_undecryptable"
    assert (await member.get(LINK)).json()["status"] == "linked"
