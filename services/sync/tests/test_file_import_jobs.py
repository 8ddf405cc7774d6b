"""The file import as a job through the gateway: re-import, dry run, messy and hostile files, limits,
who may import, cancel, and a worker SIGKILLed mid-file."""

import codecs

import pytest

from services.sync.tests import file_samples as samples
from services.sync.tests.fakes import FAST
from services.sync.tests.file_uploads import finished, imported, title_count, titles, upload
from tests.support.identity import make_space_with_roles, signed_in
from tests.support.sync_worker import WorkerProcess

MESSY = 'Title;Year;Notes\r\n"Amélie";2001;"line one\nline two"\r\nCrème brûlée;1999;x\r\n'


async def test_importing_the_same_file_again_creates_nothing(system, worker):
    content = samples.clz_movies()
    async with signed_in(system) as owner:
        first = await imported(owner.client, content)
        second = await imported(owner.client, content)
        count = await title_count(owner.client)

    assert first["summary"]["created"] == 2
    assert (second["summary"]["created"], second["summary"]["updated"], second["summary"]["skipped"]) == (0, 0, 3)
    assert count == 2


async def test_a_dry_run_tells_new_from_existing_and_writes_nothing(system, worker):
    async with signed_in(system) as owner:
        await imported(owner.client, samples.letterboxd_ratings())
        before = await titles(owner.client)
        content = samples.table(samples.LETTERBOXD_WATCHLIST, [["2024-04-01", "Heat", 1995, "u"], ["2024-04-01", "Alien", 1979, "u"]])  # fmt: skip
        dry = await imported(owner.client, content, dry_run=True)
        after = await titles(owner.client)
        listed = (await owner.client.get("/api/sync-jobs", params={"provider": "file"})).json()["items"]

    assert dry["status"] == "succeeded", dry
    assert (dry["summary"]["created"], dry["summary"]["updated"]) == (1, 1)
    assert after == before
    # The job says it was a dry run, so its history does not read as titles added.
    assert [job["dry_run"] for job in listed] == [True, False]


@pytest.mark.parametrize(
    ("encoded", "delimiter"),
    [
        (MESSY.encode("utf-8"), ";"),
        (codecs.BOM_UTF8 + MESSY.encode("utf-8"), ";"),
        (codecs.BOM_UTF16_LE + MESSY.encode("utf-16-le"), ";"),
        (codecs.BOM_UTF16_BE + MESSY.encode("utf-16-be"), ";"),
        (MESSY.encode("cp1252"), ";"),
        (MESSY.replace(";", "\t").encode("utf-8"), "\t"),
        (MESSY.replace(";", ",").encode("utf-8"), ","),
    ],
    ids=["utf8", "utf8-bom", "utf16le", "utf16be", "windows-1252", "tab", "comma"],
)
async def test_spreadsheet_encodings_and_delimiters_read_the_same_rows(system, encoded, delimiter):
    async with signed_in(system) as owner:
        response = await upload(owner.client, encoded, preview=True)

    assert response.status_code == 200, response.text
    preview = response.json()
    assert preview["delimiter"] == delimiter
    assert preview["columns"] == ["Title", "Year", "Notes"]
    assert [row["fields"].get("title") for row in preview["rows"]] == ["Amélie", "Crème brûlée"]
    assert [row["row"] for row in preview["rows"]] == [2, 3]


async def test_duplicate_headers_and_extra_or_missing_cells_are_reported_and_imported(system, worker):
    content = "Title,Year,Title,Format\r\nHeat,1995,Other,DVD,extra\r\nAlien,1979\r\n"
    async with signed_in(system) as owner:
        preview = (await upload(owner.client, content, preview=True)).json()
        job = await imported(owner.client, content)
        stored = {title["title"]: title for title in await titles(owner.client)}

    codes = {problem["code"] for problem in preview["problems"]}
    assert {"duplicate_header", "extra_cells", "missing_cells"} <= codes
    assert preview["columns"] == ["Title", "Year", "Title (2)", "Format"]
    assert job["summary"]["created"] == 2
    assert stored["Heat"]["copies"][0]["format"] == "DVD"
    assert stored["Alien"]["year"] == 1979


@pytest.mark.parametrize(
    "content",
    [
        b"PK\x03\x04" + b"\x00" * 200,
        b"\x1f\x8b\x08\x00" + b"\x00" * 50,
        b"Title\n\x00\x01\x02\x03binary",
        b"\x81\x8d\x8f",
    ],
    ids=["zip", "gzip", "nul-bytes", "undecodable"],
)
async def test_a_binary_or_archive_file_is_refused_with_422_and_no_job(system, content):
    async with signed_in(system) as owner:
        response = await upload(owner.client, content)
        jobs = (await owner.client.get("/api/sync-jobs")).json()

    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "unreadable_file"
    assert jobs["total"] == 0


async def test_a_file_over_the_limit_is_refused_with_413(system):
    settings = system.services["sync"].app.state.settings
    system.services["sync"].app.state.settings = settings.model_copy(update={"import_max_file_bytes": 4096})
    try:
        async with signed_in(system) as owner:
            response = await upload(owner.client, samples.generic_rows(500))
            jobs = (await owner.client.get("/api/sync-jobs")).json()
    finally:
        system.services["sync"].app.state.settings = settings

    assert response.status_code == 413, response.text
    assert response.json()["error"]["code"] == "payload_too_large"
    assert jobs["total"] == 0


async def test_a_file_without_a_title_column_is_refused_before_anything_runs(system):
    async with signed_in(system) as owner:
        response = await upload(owner.client, "Titel,Jahr\nHeat,1995\n", preset="csv")

    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"][0]["field"] == "mapping"


async def test_a_member_or_a_viewer_cannot_import_a_file(system):
    space = await make_space_with_roles(system)
    try:
        answers = {
            role: (await upload(account.client, samples.letterboxd_ratings())).status_code
            for role, account in (("member", space.member), ("viewer", space.viewer))
        }
        previews = (await upload(space.member.client, samples.letterboxd_ratings(), preview=True)).status_code
        admin = await upload(space.admin.client, samples.letterboxd_ratings(), dry_run=True)
    finally:
        await space.aclose()

    assert answers == {"member": 403, "viewer": 403}
    assert previews == 403
    assert admin.status_code == 202, admin.text


async def test_a_running_file_import_can_be_cancelled(system):
    async with signed_in(system) as owner:
        response = await upload(owner.client, samples.generic_rows(300))
        job_id = response.json()["job"]["id"]
        cancelled = await owner.client.post(f"/api/sync-jobs/{job_id}/cancel")
        job = await finished(owner.client, job_id)
        count = await title_count(owner.client)

    assert cancelled.status_code == 200, cancelled.text
    assert job["status"] == "cancelled"
    assert count == 0


async def test_a_worker_killed_mid_file_resumes_with_exact_counts(system):
    rows = 3000
    settings = system.services["sync"].app.state.settings.model_copy(update={**FAST, "file_batch_size": 50})
    process = WorkerProcess(settings)
    async with signed_in(system) as owner:
        response = await upload(owner.client, samples.generic_rows(rows, "Killed"))
        assert response.status_code == 202, response.text
        job_id = response.json()["job"]["id"]
        try:
            process.start()
            await finished(owner.client, job_id, until=lambda job: job["progress"]["processed"] >= 600)
            process.kill()
            process.start()
            job = await finished(owner.client, job_id, timeout=180)
        finally:
            process.stop()
        count = await title_count(owner.client)

    assert job["status"] == "succeeded", job
    assert job["progress"] == {"total": rows, "processed": rows}
    assert (job["summary"]["created"], job["summary"]["updated"], job["summary"]["failed"]) == (rows, 0, 0)
    assert count == rows


async def test_a_file_import_announces_its_job_events(system, worker, job_events):
    async with signed_in(system) as owner:
        job = await imported(owner.client, samples.letterboxd_ratings())

    events = await job_events.of_job(job["id"], until_type="sync.job.succeeded")
    assert [event["type"] for event in events] == ["sync.job.queued", "sync.job.started", "sync.job.succeeded"]
    assert events[-1]["data"]["provider"] == "file"
    assert events[-1]["data"]["summary"]["created"] == 3


async def test_a_file_import_cancelled_while_running_stops_between_pages_with_its_counts_true(system):
    settings = system.services["sync"].app.state.settings.model_copy(update={**FAST, "file_batch_size": 20})
    process = WorkerProcess(settings)
    async with signed_in(system) as owner:
        job_id = (await upload(owner.client, samples.generic_rows(2000, "Stopped"))).json()["job"]["id"]
        try:
            process.start()
            await finished(owner.client, job_id, until=lambda job: job["progress"]["processed"] >= 40)
            cancelled = await owner.client.post(f"/api/sync-jobs/{job_id}/cancel")
            job = await finished(owner.client, job_id)
        finally:
            process.stop()
        count = await title_count(owner.client)

    assert cancelled.status_code == 200, cancelled.text
    assert job["status"] == "cancelled"
    assert 40 <= job["progress"]["processed"] < 2000
    assert job["summary"]["created"] == job["progress"]["processed"] == count
