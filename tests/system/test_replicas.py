"""Scale-out proven: two replicas of every service, two gateways and two workers import a Plex library
while one replica of each kind is SIGKILLed and started again (tests/system/replicas.py).

Clients spread their requests over both gateways throughout. Afterwards: every answer a client got
was a success or a clear retryable one (502/503/504 in the API.md error shape, or a dropped
connection), every title exists once, every event is in the activity log once, and a schedule that
fell due during the kills fired once.
"""

import asyncio
import itertools
import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
import pytest

from tests.support.audit import eventually
from tests.support.identity import Account, new_user, set_features
from tests.system.checks import assert_error_shape, fetch, logged_exactly_once
from tests.system.replicas import START_SECONDS, ReplicatedSystem, replicated_system
from tests.system.stack import PLEX_TOKEN

# A few thousand films: long enough to kill and restart a replica of each kind mid-import, short
# enough for a loaded two-core machine (`REPLICA_IMPORT_ITEMS` changes it).
IMPORT_ITEMS = int(os.environ.get("REPLICA_IMPORT_ITEMS", "3000"))
SCHEDULED_ITEMS = 40
CLIENTS = 3
RETRYABLE = (502, 503, 504)
FINISHED = ("succeeded", "failed", "cancelled")
EVENT_SCHEMAS = ("identity", "library", "integrations", "sync")


@pytest.fixture
async def replicated(postgres, amqp_url, keys) -> AsyncIterator[ReplicatedSystem]:
    async with replicated_system(postgres, amqp_url, keys) as system:
        yield system


@dataclass
class Clients:
    """Users' requests, each sent to the next gateway in turn; what they were answered."""

    gateways: list[str]
    answers: list[httpx.Response] = field(default_factory=list)
    dropped: int = 0
    created: dict[str, str] = field(default_factory=dict)  # title → id, for each 201
    unsure: set[str] = field(default_factory=set)  # titles whose create got a retryable answer
    _turn: itertools.count = field(default_factory=itertools.count)

    def _next(self) -> str:
        return self.gateways[next(self._turn) % len(self.gateways)]

    async def read(self, client: httpx.AsyncClient, path: str, **params: str) -> httpx.Response:
        """A GET, sent again (to the other gateway next) until it gets an answer that is not retryable."""
        for _ in range(100):
            try:
                response = await client.get(self._next() + path, params=params)
            except httpx.TransportError:
                self.dropped += 1
                await asyncio.sleep(0.1)
                continue
            self.answers.append(response)
            if response.status_code not in RETRYABLE:
                return response
            await asyncio.sleep(0.1)
        raise AssertionError(f"GET {path} was refused a hundred times")

    async def create(self, client: httpx.AsyncClient, label: str) -> None:
        """A POST is not sent again: an unanswered create may or may not have been stored."""
        title = f"{label} {uuid.uuid4().hex[:8]}"
        try:
            response = await client.post(self._next() + "/api/media", json={"title": title, "media_type": "movie"})
        except httpx.TransportError:
            self.dropped += 1
            self.unsure.add(title)
            return
        self.answers.append(response)
        if response.status_code == 201:
            self.created[title] = response.json()["id"]
        else:
            self.unsure.add(title)

    async def browse(self, account: Account, job_id: str, stop: asyncio.Event, label: str) -> None:
        """One user at work: titles added, the library listed, the import's job looked at."""
        for n in itertools.count():
            if stop.is_set():
                return
            await self.create(account.client, f"{label} {n}")
            await self.read(account.client, "/api/media", limit="5")
            await self.read(account.client, f"/api/sync-jobs/{job_id}")
            await asyncio.sleep(0.05)

    def unclear_answers(self) -> list[str]:
        """Every answer that was neither a success nor a retryable API.md error."""
        unclear = []
        for response in self.answers:
            if response.status_code < 400:
                continue
            try:
                assert_error_shape(response, *RETRYABLE)
            except (AssertionError, ValueError):
                unclear.append(f"{response.request.method} {response.request.url.path}: {response.text[:200]}")
        return unclear


async def test_two_replicas_of_everything_survive_one_of_each_killed_during_an_import(replicated):
    system = replicated
    _films(system, "1", "Replica Film", IMPORT_ITEMS)
    _films(system, "2", "Scheduled Short", SCHEDULED_ITEMS)
    await _all_healthy(system)
    await set_features(system, {"scheduled_sync": True})
    importer = await _owner_with_plex(system, "1")
    scheduler = await _owner_with_plex(system, "2")
    schedule_space = await _space_id(scheduler)
    saved = await scheduler.client.put(
        f"/api/spaces/{schedule_space}/sync-schedules", json=[{"provider": "plex", "every_minutes": 15}]
    )
    assert saved.status_code == 200, saved.text
    clients = Clients([gateway.url for gateway in system.gateways])

    # given an import of IMPORT_ITEMS films under way, and users at work through both gateways
    started = await importer.client.post("/api/media/import-plex", json={"section_keys": ["1"]})
    assert started.status_code == 202, started.text
    job_id = started.json()["job"]["id"]
    stop = asyncio.Event()
    users = [asyncio.create_task(clients.browse(importer, job_id, stop, f"Client {n}")) for n in range(CLIENTS)]
    try:
        await _processed_at_least(clients, importer, job_id, IMPORT_ITEMS // 3)
        # when the schedule falls due and one replica of each kind is SIGKILLed, then started again
        await fetch(
            system.admin_dsn,
            "UPDATE sync.sync_schedules SET next_run_at = now() WHERE space_id = $1",
            uuid.UUID(schedule_space),
        )
        killed = [processes[0] for processes in system.replicas.values()] + [system.gateways[0]]
        for process in killed:
            process.kill()
        system.workers[0].kill()
        await asyncio.sleep(1)
        system.workers[0].start()
        await asyncio.gather(*(process.start(START_SECONDS) for process in killed))
        done = await _finished(clients, importer, job_id)
    finally:
        stop.set()
        await asyncio.gather(*users, return_exceptions=True)
    await _all_healthy(system)

    # then every answer was a success or a clear retryable error
    assert clients.unclear_answers() == []
    assert len(clients.created) > 0
    # and the import counted every film once, and the library holds each once
    assert done["status"] == "succeeded", f"{done['error']}\n{system.log_tails()}"
    assert done["progress"] == {"total": IMPORT_ITEMS, "processed": IMPORT_ITEMS}
    assert done["summary"]["created"] == IMPORT_ITEMS
    titles = await _titles(system, await _space_id(importer))
    assert {name: n for name, n in titles.items() if n != 1} == {}
    assert sum(name.startswith("Replica Film") for name in titles) == IMPORT_ITEMS
    # each title a client was told was created exists, and one whose answer was unclear at most once
    assert set(clients.created) <= set(titles)
    assert len(titles) == IMPORT_ITEMS + len(clients.created) + len(set(clients.unsure) & set(titles))
    # and the schedule fired exactly once for the time it fell due, and its job ran to the end
    scheduled = await _scheduled_jobs(system, schedule_space)
    assert len(scheduled) == 1, scheduled
    await eventually(lambda: _job_finished(clients, scheduler, str(scheduled[0]["id"])), timeout=120, every=0.5)
    scheduled_titles = await _titles(system, schedule_space)
    assert scheduled_titles == {f"Scheduled Short {n:05d}": 1 for n in range(SCHEDULED_ITEMS)}
    # and every event any service recorded is in the activity log exactly once
    events = await _every_event(system)
    await eventually(lambda: logged_exactly_once(system.admin_dsn, events), timeout=120, every=0.5)
    await importer.aclose()
    await scheduler.aclose()


def _films(system: ReplicatedSystem, section: str, label: str, count: int) -> None:
    system.plex.add_section(section, label, "movie")
    for n in range(count):
        system.plex.add_movie(
            section, f"{label} {n:05d}", year=1950 + n % 70, guids=[f"tmdb://{int(section) * 100_000 + n}"]
        )


async def _all_healthy(system: ReplicatedSystem) -> None:
    async def ok() -> bool:
        for gateway in system.gateways:
            async with httpx.AsyncClient(base_url=gateway.url, timeout=10) as client:
                response = await client.get("/api/health")
            if response.status_code != 200 or response.json()["status"] != "ok":
                return False
        return True

    await eventually(ok, timeout=60, every=0.2)


async def _owner_with_plex(system: ReplicatedSystem, section: str) -> Account:
    """A new user whose space imports one section of the fake Plex (set up by them, through the gateway)."""
    owner = await new_user(system)
    settings = {
        "base_url": system.plex.url,
        "token": PLEX_TOKEN,
        "library_sections": [{"key": section, "title": f"Section {section}", "type": "movie"}],
    }
    response = await owner.client.put(f"/api/spaces/{await _space_id(owner)}/integrations/plex", json=settings)
    assert response.status_code == 200, response.text
    return owner


async def _space_id(owner: Account) -> str:
    return (await owner.me())["active_space"]["id"]


async def _processed_at_least(clients: Clients, owner: Account, job_id: str, count: int) -> None:
    async def reached() -> bool:
        job = (await clients.read(owner.client, f"/api/sync-jobs/{job_id}")).json()
        assert job["status"] not in FINISHED, f"the job finished before the expected point: {job}"
        return job["progress"]["processed"] >= count

    await eventually(reached, timeout=240, every=0.2)


async def _job_finished(clients: Clients, owner: Account, job_id: str) -> dict | None:
    response = await clients.read(owner.client, f"/api/sync-jobs/{job_id}")
    assert response.status_code == 200, response.text
    job = response.json()
    return job if job["status"] in FINISHED else None


async def _finished(clients: Clients, owner: Account, job_id: str) -> dict:
    return await eventually(lambda: _job_finished(clients, owner, job_id), timeout=300, every=0.2)


async def _titles(system: ReplicatedSystem, space_id: str) -> dict[str, int]:
    """How many live titles of each name the space holds."""
    rows = await fetch(
        system.admin_dsn,
        "SELECT title, count(*) AS n FROM library.media WHERE space_id = $1 AND deleted_at IS NULL GROUP BY title",
        uuid.UUID(space_id),
    )
    return {row["title"]: row["n"] for row in rows}


async def _scheduled_jobs(system: ReplicatedSystem, space_id: str) -> list:
    return await fetch(
        system.admin_dsn,
        "SELECT j.id, j.status FROM sync.sync_jobs j JOIN sync.sync_schedules s ON s.id = j.schedule_id"
        " WHERE s.space_id = $1",
        uuid.UUID(space_id),
    )


async def _every_event(system: ReplicatedSystem) -> set[uuid.UUID]:
    """The id of every event the services wrote to their outboxes."""
    union = " UNION ALL ".join(f"SELECT id FROM {schema}.outbox" for schema in EVENT_SCHEMAS)
    return {row["id"] for row in await fetch(system.admin_dsn, union)}
