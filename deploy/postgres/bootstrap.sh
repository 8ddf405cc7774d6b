#!/usr/bin/env bash
# Creates (idempotently) the Shelfspace database with one schema and one login role per service;
# each role may use only its own schema. Shared extensions live in the `extensions` schema.
#
# Connection: the usual libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD) of a superuser.
# SHELFSPACE_DB names the database (default shelfspace). <SERVICE>_DB_PASSWORD sets a role's
# password (e.g. LIBRARY_DB_PASSWORD); without one the role has none (local trust auth).
# SHELFSPACE_DB_ROLE_PREFIX names the roles (default shelfspace_).
set -euo pipefail
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"

db="${SHELFSPACE_DB:-shelfspace}"
prefix="${SHELFSPACE_DB_ROLE_PREFIX:-shelfspace_}"
services=(identity library integrations sync audit)
psql_admin() { psql -v ON_ERROR_STOP=1 -X -q "$@"; }

psql_admin -d postgres -v db="$db" <<'SQL'
SELECT format('CREATE DATABASE %I', :'db') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db')
\gexec
SQL

psql_admin -d "$db" -v db="$db" <<'SQL'
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
CREATE SCHEMA IF NOT EXISTS extensions;
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA extensions;
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA extensions;
CREATE EXTENSION IF NOT EXISTS btree_gin WITH SCHEMA extensions;
SQL

for service in "${services[@]}"; do
  role="${prefix}${service}"
  password_var="${service^^}_DB_PASSWORD"
  password="${!password_var:-}"
  psql_admin -d "$db" -v db="$db" -v role="$role" -v schema="$service" -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role')
\gexec
SELECT format('ALTER ROLE %I PASSWORD %L', :'role', :'password') WHERE :'password' <> ''
\gexec
CREATE SCHEMA IF NOT EXISTS :"schema" AUTHORIZATION :"role";
ALTER SCHEMA :"schema" OWNER TO :"role";
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"role";
GRANT USAGE ON SCHEMA extensions TO :"role";
ALTER ROLE :"role" IN DATABASE :"db" SET search_path = :"schema", extensions;
SQL
done
echo "bootstrap: database ${db} ready with schemas ${services[*]}"
