"""A secret opens only for the origins it was entered for: rows from before the binding, rows changed
behind the service's back, and users' Trakt links after the space's Trakt address moves."""

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from integrations.crypto import Keyring, parse_key
from integrations.handlers.settings import associated_data
from integrations.migrate import MIGRATIONS
from services.integrations.tests.helpers import configure, link_trakt
from shelfspace_kernel.migrations import migrate
from tests.fakes.plex import FakePlex
from tests.fakes.trakt import FakeTrakt
from tests.support import infra
from tests.support.fixtures import TEST_INTEGRATION_KEY

PLEX_TOKEN = "plex-token-0123456789"
DISCOVER = "https://discover.provider.plex.tv:443"


async def _execute(database_url: str, sql: str, /, **params) -> list:
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as conn:
            result = await conn.execute(text(sql), params)
            return result.all() if result.returns_rows else []
    finally:
        await engine.dispose()


@pytest.fixture
async def database_at_0001(postgres):
    """A database whose integrations schema is at revision 0001 (before secrets named their origin)."""
    name = infra.new_name("shelfspace_origin")
    infra.bootstrap_database(postgres, name)
    await migrate(postgres.service_url(name, "integrations"), MIGRATIONS, "integrations", "0001_integrations")
    try:
        yield name
    finally:
        infra.drop_database(postgres, name)


async def test_a_secret_stored_before_the_upgrade_keeps_working_and_is_bound_to_its_host(
    postgres, database_at_0001, plex, start_integrations, as_role, space
):
    # given a Plex token sealed the 0001 way (bound to its row only), pointing at the household's Plex
    admin_url = postgres.url(database_at_0001, driver="asyncpg")
    sealed = Keyring(parse_key(TEST_INTEGRATION_KEY, "key")).seal(PLEX_TOKEN, associated_data(space, "plex"))
    await _execute(
        admin_url,
        "INSERT INTO integrations.provider_settings (space_id, provider, config, secret_ciphertext, secret_nonce,"
        " secret_key_id) VALUES (:space, 'plex', CAST(:config AS jsonb), :ciphertext, :nonce, :key_id)",
        space=space,
        config=f'{{"base_url": "{plex.url}"}}',
        ciphertext=sealed.ciphertext,
        nonce=sealed.nonce,
        key_id=sealed.key_id,
    )

    # when the schema is upgraded and the service uses the secret
    await migrate(postgres.service_url(database_at_0001, "integrations"), MIGRATIONS, "integrations")
    service = await start_integrations(database_url=postgres.service_url(database_at_0001, "integrations"))
    try:
        async with as_role("admin", app=service) as admin, FakePlex(token=PLEX_TOKEN) as elsewhere:
            tested = await admin.post(f"/api/spaces/{space}/integrations/plex/test")
            moved = await admin.put(f"/api/spaces/{space}/integrations/plex", json={"base_url": elsewhere.url})
            assert elsewhere.requests == []
    finally:
        await service.stop()

    # then it still works, is bound to the origins it was used with, re-sealed with them, and stays there
    port = plex.url.rsplit(":", 1)[1]
    (row,) = await _execute(admin_url, "SELECT secret_origin, secret_ciphertext FROM integrations.provider_settings")
    assert tested.json()["ok"] is True, tested.text
    assert row.secret_origin == f"http://127.0.0.1:{port} {DISCOVER}"
    assert bytes(row.secret_ciphertext) != sealed.ciphertext
    assert moved.status_code == 422
    assert moved.json()["error"]["code"] == "secret_required"


async def test_a_row_pointed_elsewhere_behind_the_services_back_does_not_open(admin, space, plex, database):
    # given the owner's Plex token, stored through the API
    await configure(admin, space, "plex", base_url=plex.url, token=PLEX_TOKEN)

    # when someone with write access to the database (but not the key) points the row at their host
    async with FakePlex(token=PLEX_TOKEN) as elsewhere:
        await _execute(
            database.admin_url,
            "UPDATE integrations.provider_settings SET config = jsonb_set(config, '{base_url}', to_jsonb(CAST(:url AS text))),"
            " secret_origin = :origin WHERE space_id = :space AND provider = 'plex'",
            url=elsewhere.url,
            origin=f"http://127.0.0.1:{elsewhere.url.rsplit(':', 1)[1]} {DISCOVER}",
            space=space,
        )
        tested = await admin.post(f"/api/spaces/{space}/integrations/plex/test")

        # then the secret does not open for that host, and nothing is sent there
        assert tested.json()["ok"] is False
        assert tested.json()["reason"] == "secret_undecryptable"
        assert elsewhere.requests == []


async def test_a_trakt_link_is_not_sent_to_the_spaces_new_trakt_address(admin, member, space, trakt, sync_for_user):
    # given a member who linked their Trakt account
    await link_trakt(admin, member, space, trakt)

    # when an admin moves the space's Trakt app to another host, with a client secret of their own
    async with FakeTrakt(client_id="admins-app", client_secret="admins-secret-0123") as elsewhere:
        await configure(
            admin, space, "trakt", base_url=elsewhere.url, client_id="admins-app", token="admins-secret-0123"
        )
        page = await sync_for_user.get("/internal/trakt/watchlist")
        status = (await member.get("/api/integrations/trakt/link")).json()
        unlinked = await member.delete("/api/integrations/trakt/link")

        # then the member's tokens never reach that host: the link asks to be made again
        assert page.status_code == 404
        assert page.json()["error"]["code"] == "provider_not_linked"
        assert "link it again" in page.json()["error"]["message"]
        assert status["status"] == "cannot_decrypt"
        assert unlinked.status_code in (200, 204)
        assert elsewhere.requests == []
