"""Uploading files to the file import through the gateway, and following the job it starts."""

import asyncio
import csv
import io
import json
import time

import httpx

FINISHED = ("succeeded", "failed", "cancelled")


async def upload(
    client: httpx.AsyncClient, content: bytes | str, *, name: str = "export.csv", preview: bool = False, **fields
) -> httpx.Response:
    data = content.encode() if isinstance(content, str) else content
    form = {}
    for key, value in fields.items():
        form[key] = (
            json.dumps(value) if isinstance(value, dict) else str(value).lower() if isinstance(value, bool) else value
        )
    path = "/api/imports/file/preview" if preview else "/api/imports/file"
    return await client.post(path, files={"file": (name, data, "application/octet-stream")}, data=form)


async def job_of(client: httpx.AsyncClient, job_id: str) -> dict:
    response = await client.get(f"/api/sync-jobs/{job_id}")
    assert response.status_code == 200, response.text
    return response.json()


async def finished(client: httpx.AsyncClient, job_id: str, timeout: float = 90.0, until=None) -> dict:
    until = until or (lambda job: job["status"] in FINISHED)
    deadline = time.monotonic() + timeout
    while True:
        job = await job_of(client, job_id)
        if until(job):
            return job
        assert time.monotonic() < deadline, f"the job did not get there in time: {job}"
        await asyncio.sleep(0.1)


async def imported(client: httpx.AsyncClient, content: bytes | str, **fields) -> dict:
    """Import the file and wait for its job to finish."""
    response = await upload(client, content, **fields)
    assert response.status_code == 202, response.text
    job = response.json()["job"]
    assert (job["provider"], job["kind"]) == ("file", "import")
    return await finished(client, job["id"])


async def titles(client: httpx.AsyncClient) -> list[dict]:
    response = await client.get("/api/media", params={"limit": 200, "sort": "title"})
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def title_count(client: httpx.AsyncClient) -> int:
    response = await client.get("/api/media", params={"limit": 1})
    assert response.status_code == 200, response.text
    return response.json()["total"]


async def errors_csv(client: httpx.AsyncClient, job_id: str) -> list[dict]:
    response = await client.get(f"/api/sync-jobs/{job_id}/errors.csv")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
