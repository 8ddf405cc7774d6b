"""Secrets at rest: encrypted, never in clear in the database, never silently lost, rotatable."""

import subprocess
import sys

import pytest

from integrations.crypto import WeakKeyError
from integrations.main import create_app
from integrations.rotate_keys import rotate
from services.integrations.tests.helpers import configure, new_key

SECRETS = {
    "tmdb": "tmdb-clear-secret-111111",
    "plex": "plex-clear-secret-222222",
    "vision": "vision-clear-secret-333333",
}


async def test_the_database_holds_no_secret_in_clear(admin, space, db_rows):
    # given secrets stored for several providers
    for provider, secret in SECRETS.items():
        await configure(admin, space, provider, token=secret)

    # when the database admin reads every column of every integrations table
    dump = await db_rows()

    # then no secret, nor a recognizable part of one, appears
    assert str(space) in dump  # the rows are there
    for secret in SECRETS.values():
        assert secret not in dump
        assert secret[-8:] not in dump


async def test_each_value_has_its_own_nonce_and_the_key_id(admin, space, db_rows, integrations):
    await configure(admin, space, "tmdb", token="same-secret-value-42")
    await configure(admin, space, "vision", token="same-secret-value-42")

    rows = await db_rows.query(
        "SELECT secret_ciphertext, secret_nonce, secret_key_id FROM integrations.provider_settings"
        " WHERE space_id = :space",
        space=space,
    )

    assert len({bytes(r.secret_nonce) for r in rows}) == 2
    assert len({bytes(r.secret_ciphertext) for r in rows}) == 2
    assert {r.secret_key_id for r in rows} == {integrations.app.state.keyring.current_id}


async def test_a_secret_that_no_longer_decrypts_is_reported_not_blanked(
    admin, as_role, space, start_integrations, events
):
    # given a secret stored under the normal key
    await configure(admin, space, "tmdb", token="tmdb-secret-under-old-key")

    # when the service runs with another key (the old one lost)
    other = await start_integrations(integration_encryption_key=new_key())
    async with as_role("admin", app=other) as client:
        listed = {i["provider"]: i for i in (await client.get(f"/api/spaces/{space}/integrations")).json()["items"]}
        lookup = await client.post("/api/media/search-tmdb", json={"query": "Alien"})

    # then the status says so, with what to do, the secret still counts as set, and lookups explain
    tmdb = listed["tmdb"]
    assert tmdb["status"] == "cannot_decrypt"
    assert "INTEGRATION_ENCRYPTION_OLD_KEYS" in tmdb["status_detail"]
    assert tmdb["secret_set"] is True
    assert tmdb["secret_hint"] is None
    assert lookup.status_code == 409
    assert lookup.json()["error"]["code"] == "secret_undecryptable"
    event = await events.next("integrations.secret.undecryptable", space)
    assert event["data"]["provider"] == "tmdb"

    # and the original service still reads it: nothing was overwritten
    listed = {i["provider"]: i for i in (await admin.get(f"/api/spaces/{space}/integrations")).json()["items"]}
    assert listed["tmdb"]["status"] == "untested"
    assert listed["tmdb"]["secret_hint"] == "…-key"


async def test_rotation_reseals_every_secret_under_the_new_key(as_role, space, start_integrations, service_settings):
    # given secrets sealed under key A
    key_a, key_b = new_key(), new_key()
    app_a = await start_integrations(integration_encryption_key=key_a)
    async with as_role("admin", app=app_a) as client:
        for provider, secret in SECRETS.items():
            await configure(client, space, provider, token=secret)

    # when B becomes current with A still accepted, and the rotation runs
    app_ab = await start_integrations(integration_encryption_key=key_b, integration_encryption_old_keys=key_a)
    async with as_role("admin", app=app_ab) as client:
        before = {i["provider"]: i for i in (await client.get(f"/api/spaces/{space}/integrations")).json()["items"]}
    report = await rotate(
        service_settings("integrations", integration_encryption_key=key_b, integration_encryption_old_keys=key_a)
    )

    # then old secrets were readable during the change, and afterwards B alone opens them
    assert all(before[p]["status"] != "cannot_decrypt" for p in SECRETS)
    assert report.rotated >= len(SECRETS)
    app_b = await start_integrations(integration_encryption_key=key_b)
    async with as_role("admin", app=app_b) as client:
        after = {i["provider"]: i for i in (await client.get(f"/api/spaces/{space}/integrations")).json()["items"]}
    for provider, secret in SECRETS.items():
        assert after[provider]["status"] != "cannot_decrypt"
        assert after[provider]["secret_hint"] == f"…{secret[-4:]}"


def test_the_rotation_command_refuses_to_run_without_a_key(database):
    env = {"DATABASE_URL": database.service_url("integrations"), "ENVIRONMENT": "production", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "integrations.rotate_keys"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "INTEGRATION_ENCRYPTION_KEY is required" in done.stderr


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("", "is required"),
        ("c2hvcnQ=", "exactly 32 bytes"),
        ("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "too repetitive"),
    ],
)
def test_the_service_refuses_to_start_without_a_strong_key(service_settings, key, message):
    settings = service_settings("integrations", integration_encryption_key=key)
    with pytest.raises(WeakKeyError, match=message):
        create_app(settings)


def test_development_mode_runs_with_a_derived_key(service_settings):
    settings = service_settings("integrations", integration_encryption_key="", environment="development")
    app = create_app(settings)
    assert app.state.keyring.current_id
