"""Moving from collectZ, through the gateway with the real services and a sync worker: collectZ
databases of three schema generations (built here) are reported on by a dry run, then brought over
with their people, spaces, titles, copies, ratings and settings; a second run changes nothing."""

import asyncio
import json
import uuid
from decimal import Decimal

import asyncpg
import pytest
from sqlalchemy import text

from services.sync.tests.collectz_db import COLLECTZ_KEY, collectz_database, collectz_seal
from services.sync.tests.fakes import FAST
from shelfspace_kernel.db import create_engine
from sync.collectz.source import connect
from tests.support.identity import Account, admin_account, gateway_client, login, new_user
from tests.support.sync_worker import WorkerProcess

MOVE = "/api/admin/imports/collectz"
FINISHED = ("succeeded", "failed", "cancelled")
OLD_PASSWORD = "old collectz password"


async def move(admin: Account, **body) -> dict:
    response = await admin.client.post(f"{MOVE}?wait=90", json={"dry_run": False, **body})
    assert response.status_code == 200, response.text
    return response.json()["job"]


async def one_value(database, service: str, statement: str, **params):
    engine = create_engine(database.service_url(service), service, pool_size=1)
    try:
        async with engine.connect() as conn:
            return (await conn.execute(text(statement), params)).scalar()
    finally:
        await engine.dispose()


async def signed_in_to(system, email: str, space_name: str) -> tuple[Account, dict]:
    """A migrated user signed in with the old password, with the named space active."""
    account = await login(system.url, email, OLD_PASSWORD)
    me = await account.me()
    (space,) = [space for space in me["spaces"] if space["name"] == space_name]
    chosen = await account.client.post("/api/spaces/active", json={"space_id": space["id"]})
    assert chosen.status_code == 200, chosen.text
    return account, space


async def titles(account: Account) -> dict[str, dict]:
    listed = await account.client.get("/api/media", params={"limit": 200, "sort": "title"})
    assert listed.status_code == 200, listed.text
    found = {}
    for item in listed.json()["items"]:
        detail = await account.client.get(f"/api/media/{item['id']}")
        assert detail.status_code == 200, detail.text
        found[item["title"]] = detail.json()
    return found


async def cannot_sign_in(system, email: str) -> bool:
    async with gateway_client(system.url) as client:
        response = await client.post("/api/auth/login", json={"email": email, "password": OLD_PASSWORD})
    return response.status_code == 401


async def test_a_single_library_install_moves_with_its_people_titles_ratings_and_settings(
    system, postgres, worker, database, job_events
):
    admin = await admin_account(system)
    async with collectz_database(postgres, "1.x") as cz:
        alice = await cz.user("alice", OLD_PASSWORD, "admin")
        bob = await cz.user("bob", OLD_PASSWORD, "user")
        await cz.user("carol", OLD_PASSWORD, "viewer")
        await cz.media(
            "Heat", year=1995, format="Blu-ray", upc="883929106274", location="Shelf A", notes="Director's cut",
            user_rating=Decimal("4.5"), tmdb_id=949, genre="Crime, Drama", director="Michael Mann", added_by=alice,
        )  # fmt: skip
        await cz.media(
            "Arrival", year=2016, format="Digital", tmdb_id=329865, user_rating=Decimal("3.0"), added_by=bob,
            variants=[{"source": "plex", "source_item_key": "77", "source_part_id": "9001", "resolution": "1080"}],
            metadata={"imdb_id": "tt2543164"},
        )  # fmt: skip
        await cz.integrations(
            1,
            tmdb_api_url="https://api.themoviedb.org/3",
            tmdb_api_key_encrypted=collectz_seal("tmdb-key-from-cz-1234"),
        )

        first = await move(admin, database_url=cz.url, collectz_encryption_key=COLLECTZ_KEY)
        second = await move(admin, database_url=cz.url, collectz_encryption_key=COLLECTZ_KEY)

    assert first["status"] == "succeeded", first["error"]
    assert first["provider"] == "collectz"
    assert first["kind"] == "import"
    report = first["report"]
    assert report["generation"] == "1.x"
    assert report["users"]["created"] == 3
    assert report["spaces"]["created"] == 1
    assert report["memberships"]["created"] == 3
    assert report["titles"]["created"] == 2
    assert report["copies"]["created"] == 2
    assert report["ratings"]["created"] == 2
    assert report["integrations"]["created"] == 1
    assert first["summary"]["created"] == 7
    assert first["summary"]["failed"] == 0
    assert first["progress"] == {"total": 7, "processed": 7}

    assert second["status"] == "succeeded", second["error"]
    assert (second["summary"]["created"], second["summary"]["updated"], second["summary"]["failed"]) == (0, 0, 0)
    assert second["summary"]["skipped"] == 7

    owner, space = await signed_in_to(system, cz.email("alice"), "collectZ library")
    assert space["role"] == "owner"
    assert (await owner.me())["user"]["role"] == "admin"
    stored = await one_value(database, "identity", "SELECT password_hash FROM users WHERE email = :e", e=owner.email)
    assert stored.startswith("$argon2")
    library = await titles(owner)
    assert sorted(library) == ["Arrival", "Heat"]
    heat, arrival = library["Heat"], library["Arrival"]
    (blu_ray,) = heat["copies"]
    assert (blu_ray["format"], blu_ray["barcode"], blu_ray["location"]) == ("Blu-ray", "883929106274", "Shelf A")
    assert heat["notes"] == "Director's cut"
    assert heat["tmdb_id"] == 949
    assert heat["annotation"]["rating"] == 9.0  # collectZ 1.x rated out of 5
    (file,) = arrival["copies"]
    assert (file["format"], file["source_provider"], file["source_external_id"]) == ("Digital", "plex", "9001")
    assert file["resolution"] == "1080p"
    assert arrival["imdb_id"] == "tt2543164"
    assert [note["rating"] for note in arrival["shared_annotations"]] == [6.0]
    settings = await owner.client.get(f"/api/spaces/{space['id']}/integrations")
    assert settings.status_code == 200, settings.text
    (tmdb,) = [item for item in settings.json()["items"] if item["provider"] == "tmdb"]
    assert tmdb["secret_set"] is True
    assert tmdb["secret_hint"].endswith("1234")

    viewer, space = await signed_in_to(system, cz.email("carol"), "collectZ library")
    assert space["role"] == "viewer"
    assert (await viewer.me())["user"]["role"] == "user"

    events = await job_events.of_job(first["id"], "sync.job.succeeded")
    assert [event["type"] for event in events] == ["sync.job.queued", "sync.job.started", "sync.job.succeeded"]
    assert cz.url not in json.dumps(events)
    for account in (owner, viewer):
        await account.aclose()


async def test_a_dry_run_reports_a_libraries_install_and_writes_nothing_until_the_import(system, postgres, worker):
    admin = await admin_account(system)
    async with collectz_database(postgres, "2.x") as cz:
        dad = await cz.user("dad", OLD_PASSWORD, "admin")
        kid = await cz.user("kid", OLD_PASSWORD, "user")
        family = await cz.group("Family", {dad: "owner", kid: "viewer"})
        films = await cz.group("Dad's films", {dad: "owner"})
        dark = await cz.media(
            "Dark", media_type="tv_series", library_id=family, tmdb_id=70523, format="Blu-ray", year=2017
        )
        await cz.media("Dark: Secrets", media_type="tv_episode", library_id=family, series_id=dark)
        await cz.media("Dune", media_type="book", library_id=films)
        await cz.media(
            "Alien", media_type="movie", library_id=films, format="4K UHD", year=1979,
            user_rating=Decimal("5.0"), added_by=dad,
        )  # fmt: skip

        dry = await move(admin, database_url=cz.url, dry_run=True)
        assert await cannot_sign_in(system, cz.email("dad"))
        real = await move(admin, database_url=cz.url)

    assert dry["status"] == "succeeded", dry["error"]
    report = dry["report"]
    assert report["generation"] == "2.x"
    assert (report["users"]["created"], report["spaces"]["created"], report["memberships"]["created"]) == (2, 2, 3)
    assert (report["titles"]["created"], report["titles"]["not_imported"], report["copies"]["created"]) == (2, 2, 2)
    reasons = " ".join(error["reason"] for error in dry["summary"]["errors"])
    assert "episode" in reasons
    assert "book" in reasons

    assert real["status"] == "succeeded", real["error"]
    assert real["report"]["titles"]["created"] == 2
    owner, _ = await signed_in_to(system, cz.email("dad"), "Dad's films")
    assert sorted(space["name"] for space in (await owner.me())["spaces"]) == ["Dad's films", "Family"]
    alien = (await titles(owner))["Alien"]
    assert [copy["format"] for copy in alien["copies"]] == ["4K UHD"]
    assert alien["annotation"]["rating"] == 10.0
    kid_account, space = await signed_in_to(system, cz.email("kid"), "Family")
    assert space["role"] == "viewer"
    (series,) = (await titles(kid_account)).values()
    assert (series["title"], series["media_type"], series["copies"][0]["format"]) == ("Dark", "tv_series", "Blu-ray")
    for account in (owner, kid_account):
        await account.aclose()


async def test_a_spaces_install_brings_owned_formats_and_skips_secrets_without_the_key(system, postgres, worker):
    admin = await admin_account(system)
    async with collectz_database(postgres, "3.x") as cz:
        host = await cz.user("host", OLD_PASSWORD, "user")
        guest = await cz.user("guest", OLD_PASSWORD, "user")
        home = await cz.group("Home", {host: "owner", guest: "member"})
        club = await cz.group("Club", {host: "owner"})
        await cz.group(f"Attic {cz.tag}", {})
        await cz.media(
            "Blade Runner", media_type="movie", space_id=home, owned_formats=["dvd", "bluray"], year=1982,
            user_rating=Decimal("8.5"), added_by=guest, cast_members="Harrison Ford, Rutger Hauer",
        )  # fmt: skip
        await cz.media("Twin Peaks", media_type="tv_series", space_id=club, owned_formats=["uhd"], year=1990)
        await cz.integrations(
            1, space_id=home, plex_api_url="http://192.168.1.20:32400", plex_api_key_encrypted=collectz_seal("plex-t")
        )

        job = await move(admin, database_url=cz.url)
        into_one = await move(admin, database_url=cz.url, space_id=str(uuid.uuid4()))

    assert job["status"] == "succeeded", job["error"]
    assert job["report"]["generation"] == "3.x"
    assert job["report"]["integrations"]["skipped"] == 1
    assert any("encryption key" in error["reason"] for error in job["summary"]["errors"])
    guest_account, space = await signed_in_to(system, cz.email("guest"), "Home")
    assert space["role"] == "member"
    blade_runner = (await titles(guest_account))["Blade Runner"]
    assert sorted(copy["format"] for copy in blade_runner["copies"]) == ["Blu-ray", "DVD"]
    assert blade_runner["cast"] == ["Harrison Ford", "Rutger Hauer"]
    assert blade_runner["annotation"]["rating"] == 8.5  # 3.x rates out of 10
    attic = [space for space in (await admin.me())["spaces"] if space["name"] == f"Attic {cz.tag}"]
    assert [space["role"] for space in attic] == ["owner"]  # nobody's space comes to the importing admin
    assert into_one["status"] == "failed"
    assert "space_id" in into_one["error"]
    await guest_account.aclose()


async def test_a_single_library_can_go_into_an_existing_space(system, postgres, worker):
    admin = await admin_account(system)
    created = await admin.client.post("/api/spaces", json={"name": f"From collectZ {uuid.uuid4().hex[:6]}"})
    assert created.status_code == 201, created.text
    space_id = created.json()["id"]
    async with collectz_database(postgres, "1.x") as cz:
        await cz.user("solo", OLD_PASSWORD, "user")
        await cz.media("Paris, Texas", year=1984, format="DVD")
        job = await move(admin, database_url=cz.url, space_id=space_id)
        missing = await move(admin, database_url=cz.url, space_id=str(uuid.uuid4()))

    assert job["status"] == "succeeded", job["error"]
    assert job["report"]["spaces"] == {"created": 0, "updated": 1, "unchanged": 0, "failed": 0}
    chosen = await admin.client.post("/api/spaces/active", json={"space_id": space_id})
    assert chosen.status_code == 200, chosen.text
    assert list(await titles(admin)) == ["Paris, Texas"]
    solo, space = await signed_in_to(system, cz.email("solo"), created.json()["name"])
    assert space["role"] == "member"
    assert missing["status"] == "failed"
    assert "no space" in missing["error"]
    await solo.aclose()


async def test_only_an_instance_admin_may_move_from_collectz(system):
    async with gateway_client(system.url) as anonymous:
        assert (
            await anonymous.post(MOVE, json={"database_url": "postgresql://h/db", "dry_run": True})
        ).status_code == 401
    member = await new_user(system)
    response = await member.client.post(MOVE, json={"database_url": "postgresql://h/db", "dry_run": True})
    assert response.status_code == 403
    assert (await member.client.get(MOVE)).status_code == 403
    await member.aclose()


@pytest.mark.parametrize(
    "url", ["mysql://admin:hunter2-secret@db/collectz", "postgresql://admin:hunter2-secret@/collectz", "not a url"]
)
async def test_a_malformed_url_is_refused_without_echoing_it(system, url):
    admin = await admin_account(system)
    response = await admin.client.post(MOVE, json={"database_url": url, "dry_run": True})
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"][0]["field"] == "database_url"
    assert "hunter2" not in response.text


async def test_a_database_that_refuses_fails_the_job_with_a_reason_and_forgets_the_url(
    system, postgres, worker, database
):
    admin = await admin_account(system)
    bad = postgres.url(f"no_such_collectz_{uuid.uuid4().hex[:6]}", password="wrong-hunter2-password")

    job = await move(admin, database_url=bad)

    assert job["status"] == "failed"
    assert "collectZ's database" in job["error"]
    assert "hunter2" not in json.dumps(job)
    listed = await admin.client.get(MOVE)
    assert listed.status_code == 200
    assert "hunter2" not in listed.text
    params = await one_value(database, "sync", "SELECT params::text FROM sync_jobs WHERE id = :id", id=job["id"])
    assert "sealed" not in json.loads(params)
    assert "hunter2" not in params


async def test_the_connection_to_collectz_is_read_only(postgres):
    async with collectz_database(postgres, "3.x") as cz, connect(cz.url) as conn:
        with pytest.raises(asyncpg.ReadOnlySQLTransactionError):
            await conn.execute("CREATE TABLE intruder (id integer)")


async def test_an_import_is_followed_and_cancelled_by_its_id_only_as_an_instance_admin(system, postgres, worker):
    admin = await admin_account(system)
    async with collectz_database(postgres, "1.x") as cz:
        await cz.user("reader", OLD_PASSWORD)
        job = await move(admin, database_url=cz.url, dry_run=True)

    followed = await admin.client.get(f"{MOVE}/{job['id']}")
    cancelled = await admin.client.post(f"{MOVE}/{job['id']}/cancel")
    unknown = await admin.client.post(f"{MOVE}/{uuid.uuid4()}/cancel")

    assert followed.status_code == 200
    assert followed.json()["job"]["status"] == "succeeded"
    assert cancelled.status_code == 200
    assert cancelled.json()["job"]["status"] == "succeeded"  # already over: nothing to stop
    assert unknown.status_code == 404
    assert job["id"] in [item["id"] for item in (await admin.client.get(MOVE)).json()["items"]]
    member = await new_user(system)
    assert (await member.client.get(f"{MOVE}/{job['id']}")).status_code == 403
    assert (await member.client.get(f"/api/sync-jobs/{job['id']}")).status_code == 404
    await member.aclose()


async def test_a_worker_killed_during_the_move_leaves_exact_counts_and_no_duplicates(system, postgres):
    admin = await admin_account(system)
    settings = system.services["sync"].app.state.settings.model_copy(update={**FAST, "batch_size": 5})
    worker = WorkerProcess(settings).start()
    try:
        async with collectz_database(postgres, "1.x") as cz:
            owner = await cz.user("keeper", OLD_PASSWORD, "admin")
            for n in range(60):
                await cz.media(f"Film {n:02d}", year=1950 + n, format="DVD", user_rating=Decimal("4.0"), added_by=owner)
            started = await admin.client.post(MOVE, json={"database_url": cz.url, "dry_run": False})
            assert started.status_code == 202, started.text
            job_id = started.json()["job"]["id"]
            # Killed once the accounts are in and the titles are on their way, then started again.
            await until(admin, job_id, lambda job: job["progress"]["processed"] > 2 or job["status"] in FINISHED)
            worker.kill()
            worker.start()
            job = await until(admin, job_id, lambda job: job["status"] in FINISHED)
    finally:
        worker.stop()

    assert job["status"] == "succeeded", job["error"]
    assert job["progress"] == {"total": 62, "processed": 62}
    assert (job["summary"]["created"], job["summary"]["failed"]) == (62, 0)
    keeper, _ = await signed_in_to(system, cz.email("keeper"), "collectZ library")
    listed = await keeper.client.get("/api/media", params={"limit": 200})
    assert listed.json()["total"] == 60
    await keeper.aclose()


async def until(admin: Account, job_id: str, done, timeout: float = 60.0) -> dict:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        response = await admin.client.get(f"{MOVE}/{job_id}")
        assert response.status_code == 200, response.text
        job = response.json()["job"]
        if done(job):
            return job
        assert asyncio.get_running_loop().time() < deadline, f"the import never got there: {job}"
        await asyncio.sleep(0.05)
