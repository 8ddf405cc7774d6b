"""`make run` rebuilds the web app only when one of its sources is newer than the last build.

Checked with `make -n` (what make would do) on a scratch copy of the Makefile's inputs, so no build
runs: the stamp logic, not npm, is under test. And a start that fails says where and why in a few
lines (scripts/run_local.py against a Postgres port where nothing listens).
"""

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WEB_SOURCES = (
    "frontend/src/main.tsx",
    "frontend/index.html",
    "frontend/package-lock.json",
    "frontend/vite.config.ts",
    "frontend/tsconfig.json",
)
# Everything `install` depends on, made older than what it produces so it has nothing to do.
INSTALL_INPUTS = ("frontend/package.json", "requirements/base.txt", "requirements/dev.txt", "requirements/local.txt")
INSTALL_OUTPUTS = (".venv/.installed", "frontend/node_modules/.package-lock.json")
BUILD = "frontend/dist/index.html"

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def _touch(path: Path, when: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    os.utime(path, (when, when))


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    past = time.time() - 3600
    for name in (*INSTALL_INPUTS, *WEB_SOURCES):
        _touch(tmp_path / name, past)
    for name in INSTALL_OUTPUTS:
        _touch(tmp_path / name, past + 60)
    return tmp_path


def _planned(checkout: Path) -> str:
    return subprocess.run(["make", "-n", BUILD], cwd=checkout, capture_output=True, text=True, check=True).stdout


def test_a_second_start_does_not_rebuild_the_web_app(checkout: Path) -> None:
    assert "npm run build" in _planned(checkout)  # never built

    _touch(checkout / BUILD, time.time() - 60)
    assert "npm run build" not in _planned(checkout)


@pytest.mark.parametrize("source", WEB_SOURCES)
def test_a_changed_source_rebuilds_the_web_app(checkout: Path, source: str) -> None:
    _touch(checkout / BUILD, time.time() - 60)
    _touch(checkout / source, time.time())
    assert "npm run build" in _planned(checkout)


def test_a_failing_step_shows_the_end_of_its_log_and_nothing_else() -> None:
    db = f"shelfspace_start_{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "SHELFSPACE_DB": db, "PGPORT": "1"}  # nothing listens on port 1: the bootstrap fails
    try:
        done = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "run_local.py")],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        shutil.rmtree(ROOT / ".run" / db, ignore_errors=True)

    assert done.returncode != 0
    assert done.stdout.splitlines() == [
        f"shelfspace: logs of every process: .run/{db}/logs/",
        f"shelfspace: bootstrap failed (exit {done.returncode}); end of {ROOT}/.run/{db}/logs/bootstrap.log:",
    ]
    assert "port 1 failed" in done.stderr
