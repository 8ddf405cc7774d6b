#!/usr/bin/env bash
# Backs up a Shelfspace install: the whole database (every service schema, one pg_dump in custom format,
# consistent as of one snapshot) and, when asked, the RabbitMQ definitions (exchanges, queues, bindings,
# users, vhosts and policies; messages themselves are not exported).
#
#   deploy/backup.sh --database-url URL --output FILE
#                    [--amqp-management-url URL | --rabbitmqctl] [--rabbitmq-output FILE]
#
# URL is a libpq URL of a role that can read every schema (the Postgres superuser, or the database
# owner); `postgresql+asyncpg://` is accepted too. --output - writes the dump to stdout (for
# `docker compose exec -T`). RabbitMQ definitions go to --rabbitmq-output (default FILE.rabbitmq.json),
# fetched from the management API (--amqp-management-url http://user:pass@host:15672) or with a local
# `rabbitmqctl export_definitions` (--rabbitmqctl). Needs pg_dump 15 or newer; docs/operations/backup.md.
set -euo pipefail

# Self-contained on purpose (no shared helper file): the docs stream this script into the postgres
# container with `bash -s`, where no sibling file exists.
usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
}
die() {
  echo "backup: $*" >&2
  exit 1
}

database_url=""
output=""
management_url=""
use_rabbitmqctl=false
rabbitmq_output=""
while [ $# -gt 0 ]; do
  case "$1" in
    --database-url) database_url="${2:-}"; shift 2 ;;
    --output) output="${2:-}"; shift 2 ;;
    --amqp-management-url) management_url="${2:-}"; shift 2 ;;
    --rabbitmqctl) use_rabbitmqctl=true; shift ;;
    --rabbitmq-output) rabbitmq_output="${2:-}"; shift 2 ;;
    -h | --help) usage ;;
    *) echo "backup: unknown option $1" >&2; usage ;;
  esac
done
[ -n "$database_url" ] || die "--database-url is required"
[ -n "$output" ] || die "--output is required"
command -v pg_dump >/dev/null || die "pg_dump not found (install the PostgreSQL client, version 15 or newer)"
database_url="${database_url/postgresql+asyncpg:/postgresql:}"

if [ "$output" = "-" ]; then
  pg_dump --format=custom --compress=6 --quote-all-identifiers --dbname="$database_url"
else
  # Write next to the target and rename at the end, so a failed run never leaves a truncated FILE.
  partial="${output}.partial"
  trap 'rm -f "$partial"' EXIT
  pg_dump --format=custom --compress=6 --quote-all-identifiers --dbname="$database_url" --file="$partial"
  mv "$partial" "$output"
  trap - EXIT
  echo "backup: database written to $output ($(wc -c <"$output" | tr -d ' ') bytes)" >&2
fi

if [ -n "$management_url" ] || [ "$use_rabbitmqctl" = true ]; then
  if [ -z "$rabbitmq_output" ]; then
    [ "$output" != "-" ] || die "--rabbitmq-output is required with --output -"
    rabbitmq_output="${output}.rabbitmq.json"
  fi
  if [ -n "$management_url" ]; then
    command -v curl >/dev/null || die "curl not found (needed for --amqp-management-url)"
    curl --fail --silent --show-error --max-time 30 "${management_url%/}/api/definitions" -o "$rabbitmq_output"
  else
    command -v rabbitmqctl >/dev/null || die "rabbitmqctl not found"
    # To stdout: a file path would be resolved by the broker node, which may not share this filesystem.
    rabbitmqctl -q export_definitions - >"$rabbitmq_output"
  fi
  echo "backup: RabbitMQ definitions written to $rabbitmq_output" >&2
fi
