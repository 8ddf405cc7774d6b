"""Own covers in an S3-compatible store: moto's server, started here on a free port, stands in for
MinIO or S3; the library is given the store its settings name (COVER_S3_*) and covers go through the
gateway as they do with the local directory."""

import subprocess
import sys
import time
import uuid

import boto3
import httpx
import pytest

from library.covers.storage import S3Storage, cover_storage
from tests.support import images
from tests.support.servers import free_port

KEYS = {"cover_s3_access_key_id": "test-key", "cover_s3_secret_access_key": "test-secret"}


@pytest.fixture(scope="module")
def s3_server():
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture
def bucket(s3_server):
    name = f"covers-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
    )
    client.create_bucket(Bucket=name)
    return client, name


@pytest.fixture
def s3_library(system, service_settings, s3_server, bucket):
    """The running library, storing covers in the bucket for the length of a test."""
    settings = service_settings(
        "library", cover_s3_bucket=bucket[1], cover_s3_endpoint_url=s3_server, cover_s3_timeout_seconds=5, **KEYS
    )
    kit = system.services["library"].app.state.covers
    local, kit.storage = kit.storage, cover_storage(settings)
    try:
        yield kit.storage
    finally:
        kit.storage = local


def _keys(bucket) -> set[str]:
    client, name = bucket
    return {item["Key"] for item in client.list_objects_v2(Bucket=name).get("Contents", [])}


async def test_covers_are_stored_served_and_removed_in_the_s3_bucket(system, space, s3_library, bucket):
    assert isinstance(s3_library, S3Storage)
    title = (await space.member.client.post("/api/media", json={"title": "Heat", "media_type": "movie"})).json()

    answer = await space.member.client.put(
        f"/api/media/{title['id']}/cover", files={"image": ("c.png", images.picture(kind="PNG"), "image/png")}
    )
    stored = _keys(bucket)
    async with httpx.AsyncClient(base_url=system.url) as anonymous:
        served = [await anonymous.get(url) for url in answer.json()["cover_urls"].values()]
        removed = await space.member.client.delete(f"/api/media/{title['id']}/cover")
        after = [await anonymous.get(url) for url in answer.json()["cover_urls"].values()]

    assert answer.status_code == 200, answer.text
    key = answer.json()["cover_urls"]["500"].split("/")[3]
    assert stored == {f"{key}/200.webp", f"{key}/500.webp", f"{key}/1000.webp"}
    assert [response.status_code for response in served] == [200, 200, 200]
    assert all(response.content.startswith(b"RIFF") for response in served)
    assert removed.status_code == 204
    assert _keys(bucket) == set()
    assert [response.status_code for response in after] == [404, 404, 404]


async def test_a_refused_upload_writes_nothing_to_the_bucket(space, s3_library, bucket):
    title = (await space.member.client.post("/api/media", json={"title": "Ronin", "media_type": "movie"})).json()

    response = await space.member.client.put(
        f"/api/media/{title['id']}/cover", files={"image": ("c.svg", images.SVG, "image/svg+xml")}
    )

    assert response.status_code == 422
    assert _keys(bucket) == set()


async def test_an_unreachable_store_is_503_and_the_title_keeps_no_cover(system, space, service_settings):
    settings = service_settings(
        "library",
        cover_s3_bucket="covers",
        cover_s3_endpoint_url=f"http://127.0.0.1:{free_port()}",
        cover_s3_timeout_seconds=1,
        **KEYS,
    )
    kit = system.services["library"].app.state.covers
    title = (await space.member.client.post("/api/media", json={"title": "Thief", "media_type": "movie"})).json()
    local, kit.storage = kit.storage, cover_storage(settings)
    try:
        response = await space.member.client.put(
            f"/api/media/{title['id']}/cover", files={"image": ("c.jpg", images.picture(), "image/jpeg")}
        )
    finally:
        kit.storage = local
    detail = (await space.member.client.get(f"/api/media/{title['id']}")).json()

    assert response.status_code == 503, response.text
    assert response.json()["error"]["code"] == "unavailable"
    assert "test-secret" not in response.text
    assert detail["cover_urls"] is None
