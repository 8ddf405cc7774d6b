"""The Plex test against a web server that is not Plex (a NAS page, another service, broken XML),
and on the values typed in the form rather than the saved settings."""

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from fastapi.responses import Response

from services.integrations.tests.helpers import configure
from tests.support.servers import RunningApp

TOKEN = "plex-token-0123456789"

ANSWERS = {
    "nas": (b"<!doctype html><html><head><title>DiskStation</title></head><body>Sign in</body></html>", "text/html"),
    "json": (b'{"status": "ok", "service": "jellyfin"}', "application/json"),
    "broken_xml": (b'<?xml version="1.0"?><MediaContainer friendlyName="x"', "application/xml"),
    "other_xml": (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title></channel></rss>', "text/xml"),
}


@pytest.fixture
async def not_plex() -> AsyncIterator[str]:
    """A web server that answers every path with what the query string `kind` names, status 200."""
    app = FastAPI()

    @app.get("/{kind}/{rest:path}")
    async def anything(kind: str, rest: str) -> Response:
        body, media_type = ANSWERS[kind]
        return Response(body, media_type=media_type)

    server = await RunningApp(lambda: app).start()
    try:
        yield server.url
    finally:
        await server.stop()


@pytest.mark.parametrize("kind", sorted(ANSWERS))
async def test_a_server_that_is_not_plex_is_a_failed_test_with_what_to_check(admin, space, not_plex, kind):
    await configure(admin, space, "plex", base_url=f"{not_plex}/{kind}", token=TOKEN)

    response = await admin.post(f"/api/spaces/{space}/integrations/plex/test")

    assert response.status_code == 200, response.text
    result = response.json()
    assert result["ok"] is False
    assert "not a Plex server" in result["detail"]
    assert "address and port" in result["detail"]
    listed = {i["provider"]: i for i in (await admin.get(f"/api/spaces/{space}/integrations")).json()["items"]}
    assert listed["plex"]["status"] == "failing"


async def test_the_test_runs_on_the_typed_address_and_token_without_saving_them(admin, space, plex, not_plex):
    await configure(admin, space, "plex", base_url=f"{not_plex}/nas", token=TOKEN)

    typed = await admin.post(f"/api/spaces/{space}/integrations/plex/test", json={"base_url": plex.url, "token": TOKEN})

    assert typed.status_code == 200, typed.text
    assert typed.json()["ok"] is True
    assert typed.json()["server_name"] == "Fake Plex"
    listed = {i["provider"]: i for i in (await admin.get(f"/api/spaces/{space}/integrations")).json()["items"]}
    assert listed["plex"]["base_url"] == f"{not_plex}/nas"  # nothing saved
    assert listed["plex"]["status"] != "ok"  # the saved settings were not the ones tested


async def test_a_typed_address_on_another_host_needs_its_token_typed_too(admin, space, plex):
    await configure(admin, space, "plex", base_url=plex.url, token=TOKEN)
    elsewhere = plex.url.replace("127.0.0.1", "localhost")

    result = (await admin.post(f"/api/spaces/{space}/integrations/plex/test", json={"base_url": elsewhere})).json()

    assert result["ok"] is False
    assert result["reason"] == "secret_required"


async def test_a_typed_token_is_tested_against_the_saved_address(admin, space, plex):
    await configure(admin, space, "plex", base_url=plex.url, token=TOKEN)

    result = (
        await admin.post(f"/api/spaces/{space}/integrations/plex/test", json={"token": "wrong-token-000000"})
    ).json()

    assert result["ok"] is False
    assert "Plex rejected the token" in result["detail"]
