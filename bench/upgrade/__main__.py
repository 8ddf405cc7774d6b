"""`make rehearse-upgrade`: the rehearsal at full size, its report, and a non-zero exit above the stall bound.

REHEARSE_TITLES (100000), REHEARSE_MAX_STALL_SECONDS (1), REHEARSE_WRITES_PER_SECOND (20); the database
from BENCH_DATABASE_URL or TEST_DATABASE_URL (a superuser: it creates and drops its own databases).
"""

import asyncio
import json
import os
import sys

from bench.harness import bench_env, write_result
from bench.upgrade.rehearsal import rehearse
from tests.support import infra


def main() -> int:
    titles = int(os.environ.get("REHEARSE_TITLES", "100000"))
    bound = float(os.environ.get("REHEARSE_MAX_STALL_SECONDS", "1"))
    rate = float(os.environ.get("REHEARSE_WRITES_PER_SECOND", "20"))
    pg = infra.postgres_from_url(bench_env("DATABASE_URL"))
    print(f"rehearsing the upgrade of a {titles}-title install ...", flush=True)
    report = asyncio.run(rehearse(pg, titles, rate))
    report["max_stall_seconds"] = bound
    print(json.dumps(report, indent=2, default=str))
    print(f"written to {write_result('upgrade', report)}")
    failures = [f"longest write stall {report['longest_write_stall_seconds']}s is above {bound}s"]
    failures = failures if report["longest_write_stall_seconds"] > bound else []
    failures += [f"{len(report['write_errors'])} writes failed"] if report["write_errors"] else []
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
