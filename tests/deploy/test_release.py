"""Specification of scripts/release.sh, run in a throwaway clone of the repository.

The clone carries the working tree's current copies of every file a release touches, committed, so the
test checks the script against the files as they are now.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "release.sh"
CHART = Path("deploy/helm/shelfspace/Chart.yaml")
PYPROJECTS = sorted(
    path.relative_to(ROOT)
    for pattern in ("libs/*/pyproject.toml", "services/*/pyproject.toml", "gateway/pyproject.toml")
    for path in ROOT.glob(pattern)
)
RELEASED_FILES = [
    Path("VERSION"),
    Path("CHANGELOG.md"),
    *PYPROJECTS,
    Path("frontend/package.json"),
    Path("frontend/package-lock.json"),
    CHART,
]
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Release Test",
    "GIT_AUTHOR_EMAIL": "release@example.test",
    "GIT_COMMITTER_NAME": "Release Test",
    "GIT_COMMITTER_EMAIL": "release@example.test",
}


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env={**os.environ, **GIT_ENV})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def release(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(SCRIPT), *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV},
        check=False,
    )


def with_changelog_entry(repo: Path, version: str) -> None:
    changelog = repo / "CHANGELOG.md"
    text = changelog.read_text()
    entry = f"## [{version}] - 2030-01-01\n\n### Fixed\n- Something.\n\n"
    changelog.write_text(text.replace("## [Unreleased]\n\n", f"## [Unreleased]\n\n{entry}", 1))
    git(repo, "commit", "-q", "-am", f"Changelog for {version}")


def versions_in(repo: Path) -> dict[str, str]:
    found = {"VERSION": (repo / "VERSION").read_text().strip()}
    for path in PYPROJECTS:
        found[str(path)] = tomllib.loads((repo / path).read_text())["project"]["version"]
    package = json.loads((repo / "frontend/package.json").read_text())
    found["frontend/package.json"] = package["version"]
    lock = json.loads((repo / "frontend/package-lock.json").read_text())
    found["frontend/package-lock.json"] = lock["version"]
    found["frontend/package-lock.json#root"] = lock["packages"][""]["version"]
    chart = yaml.safe_load((repo / CHART).read_text())
    found["Chart.yaml#version"] = str(chart["version"])
    found["Chart.yaml#appVersion"] = str(chart["appVersion"])
    return found


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    clone = tmp_path / "shelfspace"
    subprocess.run(
        ["git", "clone", "-q", "--no-local", "--no-tags", str(ROOT), str(clone)], check=True, capture_output=True
    )
    for path in RELEASED_FILES:
        (clone / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / path, clone / path)
    git(clone, "add", "-A", "--", *map(str, RELEASED_FILES))
    if git(clone, "status", "--porcelain"):
        git(clone, "commit", "-q", "-m", "Files as in the working tree")
    return clone


def test_the_repository_is_at_one_version_with_a_changelog_entry_for_it():
    versions = versions_in(ROOT)
    assert set(versions.values()) == {versions["VERSION"]}, versions
    assert re.search(rf"^## \[{re.escape(versions['VERSION'])}\]", (ROOT / "CHANGELOG.md").read_text(), re.M)


def test_a_release_sets_every_version_commits_and_tags(repo):
    # Given a changelog entry for 1.4.0
    with_changelog_entry(repo, "1.4.0")
    # when releasing it
    result = release(repo, "1.4.0")
    # then every package says 1.4.0, in one commit, tagged v1.4.0
    assert result.returncode == 0, result.stderr
    assert set(versions_in(repo).values()) == {"1.4.0"}
    assert git(repo, "log", "-1", "--format=%s") == "Release 1.4.0"
    assert git(repo, "rev-parse", "v1.4.0^{commit}") == git(repo, "rev-parse", "HEAD")
    assert git(repo, "cat-file", "-t", "v1.4.0") == "tag", "the tag must be annotated"
    assert git(repo, "status", "--porcelain") == ""


def test_a_dry_run_checks_everything_and_changes_nothing(repo):
    with_changelog_entry(repo, "1.4.0")
    head = git(repo, "rev-parse", "HEAD")
    before = versions_in(repo)
    result = release(repo, "--dry-run", "1.4.0")
    assert result.returncode == 0, result.stderr
    assert "frontend/package.json" in result.stdout
    assert versions_in(repo) == before
    assert git(repo, "rev-parse", "HEAD") == head
    assert git(repo, "tag", "--list") == ""


def test_a_version_without_a_changelog_entry_is_refused(repo):
    for args in (["--dry-run", "2.0.0"], ["2.0.0"]):
        result = release(repo, *args)
        assert result.returncode != 0
        assert "CHANGELOG.md has no entry for 2.0.0" in result.stderr
    assert set(versions_in(repo).values()) == {(ROOT / "VERSION").read_text().strip()}
    assert git(repo, "tag", "--list") == ""


def test_a_malformed_version_is_refused(repo):
    result = release(repo, "1.4")
    assert result.returncode != 0
    assert "is not a version" in result.stderr


def test_uncommitted_changes_block_a_release(repo):
    with_changelog_entry(repo, "1.4.0")
    (repo / "VERSION").write_text("9.9.9\n")
    result = release(repo, "1.4.0")
    assert result.returncode != 0
    assert "uncommitted changes" in result.stderr
    assert git(repo, "tag", "--list") == ""


def test_an_existing_tag_is_never_moved(repo):
    with_changelog_entry(repo, "1.4.0")
    assert release(repo, "1.4.0").returncode == 0
    tagged = git(repo, "rev-parse", "v1.4.0^{commit}")
    result = release(repo, "1.4.0")
    assert result.returncode != 0
    assert "tag v1.4.0 already exists" in result.stderr
    assert git(repo, "rev-parse", "v1.4.0^{commit}") == tagged


def test_releasing_the_current_version_tags_without_an_empty_commit(repo):
    current = (ROOT / "VERSION").read_text().strip()
    head = git(repo, "rev-parse", "HEAD")
    result = release(repo, f"VERSION={current}")
    assert result.returncode == 0, result.stderr
    assert git(repo, "rev-parse", "HEAD") == head
    assert git(repo, "rev-parse", f"v{current}^{{commit}}") == head
