#!/usr/bin/env bash
# Postgres first-start hook: mounted as /docker-entrypoint-initdb.d/10-shelfspace.sh in the official image,
# which runs it once, on an empty data volume, against a temporary socket-only server.
#
# Why a wrapper: deploy/postgres/bootstrap.sh is a plain psql script shared with other installs (Helm,
# `make run`); this maps the image's init environment (POSTGRES_USER/PASSWORD/DB) onto the PG* and
# SHELFSPACE_DB variables it reads. The <SERVICE>_DB_PASSWORD variables come straight from compose.
#
# Everything runs in a subshell, because the entrypoint sources (rather than executes) *.sh files whose
# executable bit a bind mount may have lost: no `exit`, `set` or export may leak into the entrypoint.
#
# The bootstrap is idempotent. To re-apply it on an existing volume (a new service, rotated passwords):
#   docker compose exec postgres bash /docker-entrypoint-initdb.d/10-shelfspace.sh
(
  set -euo pipefail
  export PGHOST=/var/run/postgresql
  export PGPORT="${PGPORT:-5432}"
  export PGUSER="${POSTGRES_USER:-postgres}"
  export PGPASSWORD="${POSTGRES_PASSWORD:-}"
  export PGDATABASE=postgres
  export SHELFSPACE_DB="${SHELFSPACE_DB:-${POSTGRES_DB:-shelfspace}}"
  bash /opt/shelfspace/bootstrap.sh
)
