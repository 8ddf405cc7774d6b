#!/usr/bin/env bash
# Cuts a release: sets one version everywhere, checks the changelog, commits, tags and (optionally) builds.
#
#   scripts/release.sh [--dry-run] [--build] X.Y.Z
#
# 1. checks: X.Y.Z is a version (X.Y.Z or X.Y.Z-pre), the tracked tree is clean, tag vX.Y.Z is free, and
#    CHANGELOG.md has a "## [X.Y.Z]" entry;
# 2. writes X.Y.Z to VERSION, every pyproject.toml (libs/*, services/*, gateway), frontend/package.json
#    and package-lock.json, and the Helm chart's version and appVersion;
# 3. commits "Release X.Y.Z" (when something changed) and tags vX.Y.Z (annotated) on that commit;
# 4. with --build: `docker compose build` with APP_VERSION, GIT_SHA and BUILD_DATE of the tagged commit.
# --dry-run runs the checks and prints what would change, changing nothing. Nothing is pushed.
set -euo pipefail

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
}
die() {
  echo "release: $*" >&2
  exit 1
}

dry_run=false
build=false
version=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) dry_run=true ;;
    --build) build=true ;;
    -h | --help) usage ;;
    -*) echo "release: unknown option $1" >&2; usage ;;
    *) [ -z "$version" ] || usage; version="$1" ;;
  esac
  shift
done
version="${version#VERSION=}"
[ -n "$version" ] || die "give the version to release, e.g. scripts/release.sh 1.2.3"
[[ "$version" =~ ^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$ ]] \
  || die "'$version' is not a version (X.Y.Z or X.Y.Z-pre)"
tag="v${version}"

root="$(git rev-parse --show-toplevel 2>/dev/null)" || die "run inside the repository"
cd "$root"

# --- checks -----------------------------------------------------------------------------------------------
git diff --quiet && git diff --cached --quiet || die "the working tree has uncommitted changes; commit or stash them first"
if git rev-parse -q --verify "refs/tags/${tag}" >/dev/null; then
  die "tag ${tag} already exists"
fi
[ -f CHANGELOG.md ] || die "CHANGELOG.md is missing"
escaped="${version//./\\.}"
grep -Eq "^## \[${escaped}\]" CHANGELOG.md \
  || die "CHANGELOG.md has no entry for ${version}: add a '## [${version}] - $(date -u +%Y-%m-%d)' section first"

pyprojects=(libs/*/pyproject.toml services/*/pyproject.toml gateway/pyproject.toml)
chart=deploy/helm/shelfspace/Chart.yaml
files=(VERSION "${pyprojects[@]}" frontend/package.json frontend/package-lock.json "$chart")
for file in "${files[@]}"; do
  [ -f "$file" ] || die "$file is missing"
done

if [ "$dry_run" = true ]; then
  echo "release: dry run for ${version} (current $(cat VERSION)); checks passed. Would update:"
  printf '  %s\n' "${files[@]}"
  echo "release: would commit 'Release ${version}' and tag ${tag}$([ "$build" = true ] && echo ', then build the images')"
  exit 0
fi

# --- one version everywhere -------------------------------------------------------------------------------
printf '%s\n' "$version" >VERSION
for file in "${pyprojects[@]}"; do
  # The first `version = ` line is the [project] table's (each pyproject starts with it).
  sed -i -E "0,/^version = \".*\"$/s//version = \"${version}\"/" "$file"
done
sed -i -E "0,/^  \"version\": \".*\",$/s//  \"version\": \"${version}\",/" frontend/package.json
# The lockfile carries the version twice: at the top and in the root package entry (packages."").
sed -i -E "0,/^  \"version\": \".*\",$/s//  \"version\": \"${version}\",/" frontend/package-lock.json
sed -i -E "0,/^      \"version\": \".*\",$/s//      \"version\": \"${version}\",/" frontend/package-lock.json
sed -i -E "s/^version: .*/version: ${version}/; s/^appVersion: .*/appVersion: \"${version}\"/" "$chart"

for file in "${files[@]}"; do
  grep -q -- "${version}" "$file" || die "could not set the version in $file"
done

if git diff --quiet; then
  echo "release: every file already says ${version}; tagging the current commit"
else
  git add -- "${files[@]}"
  git commit -q -m "Release ${version}"
  echo "release: committed 'Release ${version}'"
fi
git tag -a "$tag" -m "Shelfspace ${version}"
echo "release: tagged ${tag} at $(git rev-parse --short HEAD)"

if [ "$build" = true ]; then
  command -v docker >/dev/null || die "--build needs docker"
  APP_VERSION="$version" GIT_SHA="$(git rev-parse --short HEAD)" BUILD_DATE="$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    docker compose build
  echo "release: built shelfspace/*:${version}"
fi
echo "release: publish with: git push origin HEAD ${tag}"
