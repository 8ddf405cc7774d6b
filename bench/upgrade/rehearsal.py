"""Rehearse an upgrade on a realistic snapshot: build it, back it up, restore it, upgrade it under writes.

1. A scratch database is bootstrapped and every service migrated to the previous release's heads
   (release.py); the library gets `titles` titles from the bench seed (bench/library/seed.py).
2. It is backed up with deploy/backup.sh and restored into a second database with deploy/restore.sh,
   after the bootstrap has been run again there (what docs/operations/upgrade.md asks before an upgrade).
3. While a writer (writer.py) writes to the library's tables at a steady rate, every service is upgraded
   to head one revision at a time, each revision timed; the longest write under way during each revision
   is its stall.
"""

import asyncio
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import asyncpg
from alembic.script import ScriptDirectory

from bench.library.seed import SpacePlan, seed
from bench.upgrade.release import HEADS, PREVIOUS_RELEASE
from bench.upgrade.writer import Writer
from shelfspace_kernel.db import asyncpg_dsn, session_settings
from shelfspace_kernel.migrations import alembic_config, migrate
from tests.support import infra
from tests.support.fixtures import service_migrations

REPO = Path(__file__).resolve().parents[2]


def revisions_after(service: str, start: str) -> list[str]:
    """The service's revisions after `start` up to its head, oldest first."""
    scripts = ScriptDirectory.from_config(alembic_config(service_migrations(service), service))
    chain = [script.revision for script in reversed(list(scripts.walk_revisions()))]
    return chain[chain.index(start) + 1 :]


def _plans(titles: int) -> list[SpacePlan]:
    """Half the titles in one large space, the rest in three smaller ones, shared by a few users."""
    others = [uuid.uuid4(), uuid.uuid4()]
    large = titles - 3 * (titles // 6)
    return [SpacePlan(uuid.uuid4(), large, uuid.uuid4(), others)] + [
        SpacePlan(uuid.uuid4(), titles // 6, uuid.uuid4(), others) for _ in range(3)
    ]


async def build_snapshot(pg: infra.Postgres, database: str, titles: int) -> dict[str, Any]:
    infra.bootstrap_database(pg, database)
    for service, head in HEADS.items():
        await migrate(pg.service_url(database, service), service_migrations(service), service, head)
    conn = await asyncpg.connect(
        asyncpg_dsn(pg.service_url(database, "library")), server_settings=session_settings("library")
    )
    try:
        return await seed(conn, _plans(titles))
    finally:
        await conn.close()


def _run(*command: str) -> None:
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:2])} failed:\n{done.stderr[-2000:]}")


async def backup_and_restore(pg: infra.Postgres, source: str, target: str) -> dict[str, float]:
    """deploy/backup.sh of `source`, deploy/restore.sh into `target` (bootstrapped first), then VACUUM ANALYZE
    as a live database would have its statistics and visibility map."""
    times = {}
    with tempfile.TemporaryDirectory(prefix="shelfspace-rehearse-") as scratch:
        dump = str(Path(scratch) / "snapshot.dump")
        started = time.perf_counter()
        _run("bash", "deploy/backup.sh", "--database-url", pg.url(source), "--output", dump)
        times["backup_seconds"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        infra.bootstrap_database(pg, target)
        _run("bash", "deploy/restore.sh", "--database-url", pg.url(target), "--input", dump)
        times["restore_seconds"] = round(time.perf_counter() - started, 1)
    conn = await asyncpg.connect(pg.url(target))
    try:
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()
    return times


def _migrate_in_own_loop(url: str, service: str, revision: str) -> None:
    """Migrations run in a thread with their own event loop, so the writer's loop measures only the database."""
    asyncio.run(migrate(url, service_migrations(service), service, revision))


async def upgrade_under_writes(pg: infra.Postgres, database: str, per_second: float) -> dict[str, Any]:
    library = asyncpg_dsn(pg.service_url(database, "library"))
    conn = await asyncpg.connect(library, server_settings=session_settings("library"))
    try:
        existing = [row["id"] for row in await conn.fetch("SELECT id FROM media ORDER BY id LIMIT 2000")]
        writer, stop = Writer(conn, existing, per_second), asyncio.Event()
        writing = asyncio.create_task(writer.run(stop))
        await asyncio.sleep(2)  # the writer's pace before any migration, for comparison
        baseline = writer.longest(0, time.perf_counter())
        windows = []
        upgrade_started = time.perf_counter()
        for service, start in HEADS.items():
            for revision in revisions_after(service, start):
                started = time.perf_counter()
                url = pg.service_url(database, service)
                await asyncio.to_thread(_migrate_in_own_loop, url, service, revision)
                windows.append((service, revision, started, time.perf_counter()))
        upgrade_ended = time.perf_counter()
        await asyncio.sleep(1)
        stop.set()
        await writing  # a write held up by a revision is recorded only when it ends, maybe after that revision
        migrations = [
            {
                "service": service,
                "revision": revision,
                "seconds": round(ended - started, 2),
                "longest_write_seconds": round(writer.longest(started, ended), 3),
            }
            for service, revision, started, ended in windows
        ]
        during = [w for w in writer.writes if upgrade_started <= w.started <= upgrade_ended]
        return {
            "migrations": migrations,
            "upgrade_seconds": round(upgrade_ended - upgrade_started, 1),
            "writes": len(writer.writes),
            "writes_during_upgrade": len(during),
            "write_errors": writer.errors,
            "longest_write_before_upgrade_seconds": round(baseline, 3),
            "longest_write_stall_seconds": round(writer.longest(upgrade_started, upgrade_ended), 3),
        }
    finally:
        await conn.close()


async def rehearse(pg: infra.Postgres, titles: int, writes_per_second: float = 20) -> dict[str, Any]:
    """The whole rehearsal on scratch databases of its own (dropped afterwards); its report."""
    snapshot, target = infra.new_name("shelfspace_rehearse_snapshot"), infra.new_name("shelfspace_rehearse")
    report: dict[str, Any] = {"from_release": PREVIOUS_RELEASE, "from_heads": HEADS, "titles": titles}
    try:
        report["seed"] = await build_snapshot(pg, snapshot, titles)
        report |= await backup_and_restore(pg, snapshot, target)
        infra.drop_database(pg, snapshot)
        report |= await upgrade_under_writes(pg, target, writes_per_second)
    finally:
        infra.drop_database(pg, snapshot)
        infra.drop_database(pg, target)
    return report
