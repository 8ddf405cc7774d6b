"""Every public operation of the merged OpenAPI has a caller in the web app's API client.

The client's calls are read by frontend/scripts/check-api.mjs (the same parser `npm run check-api`
uses for the other direction: every call is documented). An operation the app does not call is
either machine-only or waits for its page; each is listed below with its reason.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"

# "METHOD /path/{template}" -> why the web app has no caller for it.
NO_CALLER: dict[str, str] = {
    "GET /api/health/live": "liveness probe for orchestrators",
    "GET /api/admin/settings/integrations": "1.x path kept for scripts; the app uses the space's integrations",
    "PUT /api/admin/settings/integrations": "1.x path kept for scripts; the app uses the space's integrations",
    "POST /api/admin/settings/integrations/test-{provider}": "1.x path kept for scripts; the app tests a provider "
    "through the space's integrations",
    "GET /api/spaces/{space_id}/integrations/plex/artwork": "an image address the server writes into poster_url; "
    "the browser loads it as an <img>, not through the API client",
    "GET /api/covers/{cover_key}/{file}": "an own cover's image address the server writes into poster_url and "
    "cover_urls; the browser loads it as an <img>, not through the API client",
    "GET /api/auth/sso/{provider_id}/callback": "the OpenID provider redirects the browser here, not the app",
    "GET /api/auth/forward-auth": "opened in the browser through the operator's forward-auth proxy, not the app",
}


def _template(path: str) -> str:
    """`/api/media/{media_id}` and the client's `/api/media/${seg(id)}` both become `/api/media/{}`."""
    return re.sub(r"\$?\{[^}]*\}", "{}", path).rstrip("/")


def client_calls() -> set[str]:
    script = (
        "import('./scripts/check-api.mjs').then((m) => "
        "console.log(JSON.stringify(m.readClientCalls().map((c) => `${c.method} ${c.path}`))))"
    )
    node = shutil.which("node")
    assert node, "node is needed to read the web app's API client"
    out = subprocess.run([node, "-e", script], cwd=FRONTEND, capture_output=True, text=True, check=True).stdout
    return {f"{call.split(' ', 1)[0]} {_template(call.split(' ', 1)[1])}" for call in json.loads(out)}


def operations(spec: dict) -> dict[str, str]:
    """`METHOD /template` of every operation -> its path as documented."""
    methods = {"get", "post", "put", "patch", "delete"}
    return {
        f"{method.upper()} {_template(path)}": f"{method.upper()} {path}"
        for path, item in spec["paths"].items()
        for method in item
        if method in methods
    }


def test_the_client_reader_sees_method_and_path_templates():
    calls = client_calls()

    assert "GET /api/media/{}" in calls
    assert "DELETE /api/media/{}" in calls
    assert "POST /api/watchlist/sync" in calls


async def test_every_public_operation_has_a_caller_in_the_web_app_or_a_reason(system):
    async with httpx.AsyncClient(base_url=system.url) as client:
        spec = (await client.get("/api/openapi.json")).json()
    documented = operations(spec)
    calls = client_calls()
    allowed = {_key(entry) for entry in NO_CALLER}

    uncalled = sorted(shown for key, shown in documented.items() if key not in calls and key not in allowed)
    stale = sorted(key for key in NO_CALLER if _key(key) in calls or _key(key) not in documented)

    assert not uncalled, "no caller in frontend/src/api and no reason in NO_CALLER:\n" + "\n".join(uncalled)
    assert not stale, "NO_CALLER lists operations the app now calls, or that are gone:\n" + "\n".join(stale)


def _key(entry: str) -> str:
    method, path = entry.split(" ", 1)
    return f"{method} {_template(path)}"


@pytest.mark.parametrize("reason", sorted(set(NO_CALLER.values())))
def test_every_reason_says_why(reason):
    assert len(reason) > 10
