#!/usr/bin/env bash
# Restores a database backup made by deploy/backup.sh, in one transaction (all or nothing).
#
#   deploy/restore.sh --database-url URL --input FILE [--force] [--rabbitmq-input FILE --amqp-management-url URL]
#
# URL names the target database; the role must be able to create databases (the Postgres superuser). The
# database is created if it is missing. A database that already holds tables is refused unless --force,
# which drops every schema in it (except public) first. Stop the Shelfspace processes while restoring.
# The service roles (shelfspace_<service>) must exist on the server: on a new server run
# deploy/postgres/bootstrap.sh first (it also creates the database, empty, which restore accepts).
# --input - reads the dump from stdin. With --rabbitmq-input, the RabbitMQ definitions saved by backup.sh
# are loaded through the management API as well. See docs/operations/backup.md.
set -euo pipefail

# Self-contained on purpose (no shared helper file): the docs stream this script into the postgres
# container with `bash -s`, where no sibling file exists.
usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
}
die() {
  echo "restore: $*" >&2
  exit 1
}

database_url=""
input=""
force=false
rabbitmq_input=""
management_url=""
while [ $# -gt 0 ]; do
  case "$1" in
    --database-url) database_url="${2:-}"; shift 2 ;;
    --input) input="${2:-}"; shift 2 ;;
    --force) force=true; shift ;;
    --rabbitmq-input) rabbitmq_input="${2:-}"; shift 2 ;;
    --amqp-management-url) management_url="${2:-}"; shift 2 ;;
    -h | --help) usage ;;
    *) echo "restore: unknown option $1" >&2; usage ;;
  esac
done
[ -n "$database_url" ] || die "--database-url is required"
[ -n "$input" ] || die "--input is required"
[ "$input" = "-" ] || [ -r "$input" ] || die "cannot read $input"
if [ -n "$rabbitmq_input" ] && [ -z "$management_url" ]; then
  die "--rabbitmq-input needs --amqp-management-url"
fi
for tool in psql pg_restore; do
  command -v "$tool" >/dev/null || die "$tool not found (install the PostgreSQL client, version 15 or newer)"
done

# postgresql://user:pass@host:port/dbname?options -> the database name and the same URL on the
# maintenance database `postgres`, from which the target is created.
database_url="${database_url/postgresql+asyncpg:/postgresql:}"
url_pattern='^(postgres(ql)?://[^/?]*)/([^/?]+)(\?.*)?$'
[[ "$database_url" =~ $url_pattern ]] || die "--database-url must name a database: postgresql://user@host:5432/NAME"
database="${BASH_REMATCH[3]}"
maintenance_url="${BASH_REMATCH[1]}/postgres${BASH_REMATCH[4]}"
psql_on() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 --no-psqlrc -At -d "$@"; }

exists=$(psql_on "$maintenance_url" -v db="$database" <<'SQL'
SELECT count(*) FROM pg_database WHERE datname = :'db'
SQL
)
if [ "$exists" = "0" ]; then
  psql_on "$maintenance_url" -v db="$database" <<'SQL'
SELECT format('CREATE DATABASE %I', :'db')
\gexec
SQL
  echo "restore: created database $database" >&2
fi

tables=$(psql_on "$database_url" <<'SQL'
SELECT count(*)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
SQL
)
if [ "$tables" != "0" ]; then
  [ "$force" = true ] || die "database $database is not empty ($tables tables, views or sequences); refusing to overwrite it without --force"
  echo "restore: --force: dropping every schema of $database before restoring" >&2
  psql_on "$database_url" <<'SQL'
SELECT format('DROP SCHEMA %I CASCADE', nspname)
FROM pg_namespace
WHERE nspname NOT IN ('public', 'information_schema') AND nspname NOT LIKE 'pg\_%'
\gexec
SQL
fi

# --clean --if-exists also replaces the empty schemas a bootstrap may have created. One transaction and
# --exit-on-error: a failed restore leaves the database as it was before this step.
pg_restore_args=(--dbname="$database_url" --clean --if-exists --single-transaction --exit-on-error --no-comments)
if [ "$input" = "-" ]; then
  pg_restore "${pg_restore_args[@]}" || die "pg_restore failed (a missing role? run deploy/postgres/bootstrap.sh first)"
else
  pg_restore "${pg_restore_args[@]}" "$input" || die "pg_restore failed (a missing role? run deploy/postgres/bootstrap.sh first)"
fi

# Database-level rights are not part of a dump: give each schema's owning role what the bootstrap gives it
# (connect, temporary tables, its search_path), so a restore into a new database serves straight away.
psql_on "$database_url" -v db="$database" <<'SQL'
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', :'db', r.rolname)
FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner
WHERE n.nspname NOT IN ('public', 'extensions', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
  AND NOT r.rolsuper
\gexec
SELECT format('ALTER ROLE %I IN DATABASE %I SET search_path = %I, extensions', r.rolname, :'db', n.nspname)
FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner
WHERE n.nspname NOT IN ('public', 'extensions', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
  AND NOT r.rolsuper
\gexec
SQL
echo "restore: database $database restored from $input" >&2

if [ -n "$rabbitmq_input" ]; then
  command -v curl >/dev/null || die "curl not found (needed for --amqp-management-url)"
  curl --fail --silent --show-error --max-time 60 -H "content-type: application/json" \
    -X POST --data-binary "@$rabbitmq_input" "${management_url%/}/api/definitions" >/dev/null
  echo "restore: RabbitMQ definitions loaded from $rabbitmq_input" >&2
fi
