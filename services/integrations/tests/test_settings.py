"""Integration settings per space: round trip, masking, partial updates, roles, events, 1.x paths."""

import uuid

import pytest

from services.integrations.tests.helpers import configure

TOKEN = "tmdb-secret-value-abcd1234"


async def test_settings_round_trip_masks_the_secret(admin, space):
    # given an admin who stores TMDB settings with a token
    saved = await configure(admin, space, "tmdb", base_url="http://tmdb.lan/3/", language="de-DE", token=TOKEN)

    # when the settings are read back
    listed = (await admin.get(f"/api/spaces/{space}/integrations")).json()["items"]

    # then the config is there, the secret is not: only that it is set and its last 4 characters
    tmdb = next(item for item in listed if item["provider"] == "tmdb")
    assert saved == tmdb
    assert tmdb["base_url"] == "http://tmdb.lan/3"
    assert tmdb["language"] == "de-DE"
    assert tmdb["secret_set"] is True
    assert tmdb["secret_hint"] == "…1234"
    assert tmdb["status"] == "untested"
    assert "token" not in tmdb
    assert TOKEN not in str(listed)


async def test_every_provider_is_listed_with_its_public_default(admin, space):
    listed = (await admin.get(f"/api/spaces/{space}/integrations")).json()["items"]

    by_provider = {item["provider"]: item for item in listed}
    assert set(by_provider) == {"tmdb", "barcode", "vision", "plex", "trakt"}
    assert by_provider["tmdb"]["base_url"] == "https://api.themoviedb.org/3"
    assert by_provider["vision"]["model"] == "gpt-4o-mini"
    assert by_provider["plex"]["library_sections"] == []
    assert by_provider["trakt"]["client_id"] is None
    assert all(item["secret_set"] is False and item["secret_hint"] is None for item in listed)


async def test_an_omitted_token_keeps_the_stored_secret(admin, space):
    await configure(admin, space, "plex", base_url="http://plex.lan:32400", token="plex-token-wxyz9876")

    updated = await configure(admin, space, "plex", library_sections=[{"key": "1", "title": "Films", "type": "movie"}])

    assert updated["base_url"] == "http://plex.lan:32400"
    assert updated["library_sections"] == [{"key": "1", "title": "Films", "type": "movie"}]
    assert updated["secret_set"] is True
    assert updated["secret_hint"] == "…9876"


async def test_clear_secret_removes_it(admin, space):
    await configure(admin, space, "barcode", token="barcode-key-5555")

    cleared = await configure(admin, space, "barcode", clear_secret=True)

    assert cleared["secret_set"] is False
    assert cleared["secret_hint"] is None


async def test_a_short_secret_gets_no_hint(admin, space):
    saved = await configure(admin, space, "vision", token="short")
    assert saved["secret_set"] is True
    assert saved["secret_hint"] == "…"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"base_url": "not a url"}, "base_url"),
        ({"surprise": 1}, "surprise"),
        ({"token": 1234}, "token"),
        ({"token": "x", "clear_secret": True}, "clear_secret"),
    ],
)
async def test_invalid_settings_are_refused_with_the_field_named(admin, space, body, field):
    response = await admin.put(f"/api/spaces/{space}/integrations/tmdb", json=body)

    assert response.status_code == 422
    assert field in [detail["field"] for detail in response.json()["error"]["details"]]


async def test_an_unknown_provider_is_not_found(admin, space):
    response = await admin.put(f"/api/spaces/{space}/integrations/netflix", json={"token": "x"})
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["member", "viewer"])
async def test_members_and_viewers_cannot_see_or_change_settings(as_role, space, role):
    async with as_role(role) as client:
        assert (await client.get(f"/api/spaces/{space}/integrations")).status_code == 403
        assert (await client.put(f"/api/spaces/{space}/integrations/tmdb", json={"token": "x"})).status_code == 403
        assert (await client.post(f"/api/spaces/{space}/integrations/tmdb/test")).status_code == 403
        assert (await client.get("/api/admin/settings/integrations")).status_code == 403


async def test_the_owner_may_change_settings(as_role, space):
    async with as_role("owner") as owner:
        response = await owner.put(f"/api/spaces/{space}/integrations/tmdb", json={"language": "fr-FR"})
    assert response.status_code == 200


async def test_another_spaces_settings_are_not_found(admin, space):
    other = uuid.uuid4()
    assert (await admin.get(f"/api/spaces/{other}/integrations")).status_code == 404
    assert (await admin.put(f"/api/spaces/{other}/integrations/tmdb", json={"token": "x"})).status_code == 404


async def test_settings_do_not_leak_between_spaces(as_role, space):
    async with as_role("admin") as first:
        await configure(first, space, "tmdb", token=TOKEN)
    other = uuid.uuid4()
    async with as_role("admin", space_id=other) as second:
        listed = (await second.get(f"/api/spaces/{other}/integrations")).json()["items"]
    assert next(i for i in listed if i["provider"] == "tmdb")["secret_set"] is False


async def test_an_update_emits_the_changed_field_names_never_values(admin, space, events):
    await configure(
        admin, space, "vision", base_url="http://ollama.lan:11434/v1", model="llava", token="sk-abcdef123456"
    )

    event = await events.next("integrations.settings.updated", space)

    assert event["data"] == {
        "provider": "vision",
        "changed_fields": ["base_url", "model", "token"],
        "secret_changed": True,
        "secret_cleared": False,
    }
    assert "sk-abcdef123456" not in str(event)
    assert "ollama.lan" not in str(event)


async def test_the_1x_paths_act_on_the_active_space(admin, space):
    response = await admin.put(
        "/api/admin/settings/integrations", json={"tmdb": {"token": TOKEN}, "plex": {"base_url": "http://plex:32400"}}
    )
    assert response.status_code == 200

    listed = {i["provider"]: i for i in (await admin.get("/api/admin/settings/integrations")).json()["items"]}
    assert listed["tmdb"]["secret_hint"] == "…1234"
    assert listed["plex"]["base_url"] == "http://plex:32400"
    same = (await admin.get(f"/api/spaces/{space}/integrations")).json()["items"]
    assert {i["provider"]: i for i in same} == listed


async def test_the_1x_update_refuses_unknown_providers(admin):
    response = await admin.put("/api/admin/settings/integrations", json={"netflix": {"token": "x"}})
    assert response.status_code == 422
