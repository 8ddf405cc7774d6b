"""The merged OpenAPI document and the web app served by the gateway in local runs."""

import json
import re

import httpx
import pytest

from gateway.main import create_app
from gateway.route_table import ROUTES
from gateway.routes import RouteTable
from gateway.settings import GatewaySettings
from scripts import api_snapshot
from tests.support.servers import RunningApp


async def test_the_merged_openapi_lists_only_routed_public_paths(system):
    async with httpx.AsyncClient(base_url=system.url) as client:
        response = await client.get("/api/openapi.json")

    spec = response.json()
    table = RouteTable(ROUTES)
    assert response.status_code == 200
    assert spec["openapi"].startswith("3.")
    own = {"/api/health", "/api/health/live"}
    assert own <= set(spec["paths"])
    assert all(table.allows_path(path) for path in set(spec["paths"]) - own)
    assert not any(path.startswith(("/internal", "/health")) for path in spec["paths"])


async def test_the_running_gateway_serves_the_committed_contract(system):
    async with httpx.AsyncClient(base_url=system.url) as client:
        served = (await client.get("/api/openapi.json")).json()
    committed = json.loads(api_snapshot.SNAPSHOT.read_text())

    assert api_snapshot.contract_differences(committed, served) == []


@pytest.fixture
async def gateway_with_web_app(keys, tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<html>shelfspace app</html>")
    (tmp_path / "assets" / "app.js").write_text("console.log('app')")
    settings = GatewaySettings(
        environment="test",
        log_format="console",
        internal_auth_private_key=keys.private("gateway"),
        frontend_dist=tmp_path,
    )
    gateway = await RunningApp(lambda: create_app(settings, routes=[])).start()
    async with httpx.AsyncClient(base_url=gateway.url) as client:
        yield client
    await gateway.stop()


async def test_the_web_app_is_served_at_the_root_with_its_assets(gateway_with_web_app):
    index = await gateway_with_web_app.get("/")
    asset = await gateway_with_web_app.get("/assets/app.js")

    assert index.status_code == 200
    assert "shelfspace app" in index.text
    assert asset.text == "console.log('app')"


async def test_app_routes_get_the_index_and_api_paths_never_do(gateway_with_web_app):
    deep_link = await gateway_with_web_app.get("/library/some-title")
    escape = await gateway_with_web_app.get("/../../etc/passwd")
    api = await gateway_with_web_app.get("/api/unknown")

    assert "shelfspace app" in deep_link.text
    assert "root:" not in escape.text
    assert api.status_code == 404
    assert api.json()["error"]["code"] == "not_found"


async def test_the_merged_openapi_lists_the_bearer_and_session_schemes(system):
    async with httpx.AsyncClient(base_url=system.url) as client:
        schemes = (await client.get("/api/openapi.json")).json()["components"]["securitySchemes"]

    assert schemes["bearer"] == {"type": "http", "scheme": "bearer", "description": schemes["bearer"]["description"]}
    assert schemes["session"]["in"] == "cookie"


async def test_api_docs_is_a_page_whose_every_script_and_style_comes_from_our_origin(gateway_with_web_app):
    page = await gateway_with_web_app.get("/api/docs")

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page.text, re.S)
    sources = [re.search(r'src="([^"]+)"', attributes).group(1) for attributes, _ in scripts]
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page.text)
    assert scripts
    assert all(body.strip() == "" for _, body in scripts)
    assert all(src.startswith("/") and not src.startswith("//") for src in sources + styles)
    for src in sources + styles:
        asset = await gateway_with_web_app.get(src)
        assert asset.status_code == 200, src
        assert len(asset.content) > 10
    assert "SwaggerUIBundle" in (await gateway_with_web_app.get(sources[0])).text
    assert "/api/openapi.json" in (await gateway_with_web_app.get(sources[-1])).text
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


async def test_api_docs_serves_only_its_own_assets(gateway_with_web_app):
    for path in ("/api/docs/assets/..%2F__init__.py", "/api/docs/assets/nothing.js", "/api/docs/assets/"):
        response = await gateway_with_web_app.get(path)
        assert response.status_code == 404, path
        assert "fastapi_offline" not in response.text
