#!/usr/bin/env bash
# Provides the PostgreSQL that the integration tests run against, on a fresh Debian machine,
# as root. Every step checks before it acts, so running it again is harmless. Progress goes to
# stderr; stdout is one line to export:
#   FLOTILLA_TEST_DATABASE_URL=postgres://flotilla:flotilla@127.0.0.1:5432/flotilla_test
# The role gets CREATEDB (not SUPERUSER): the suite gives each test a database of its own.
set -euo pipefail

role="${FLOTILLA_PG_ROLE:-flotilla}"
password="${FLOTILLA_PG_PASSWORD:-flotilla}"
database="${FLOTILLA_PG_DATABASE:-flotilla_test}"

say() { echo "postgres.sh: $*" >&2; }
fail() { say "error: $*"; exit 1; }

[[ "$(id -u)" == 0 ]] || fail "run as root (it installs packages and starts the server as the postgres user)"
for name in "$role" "$database"; do
  [[ "$name" =~ ^[a-z_][a-z0-9_]*$ ]] || fail "'$name' is not a plain lower-case SQL identifier"
done
[[ "$password" != *"'"* ]] || fail "the password may not contain a single quote"

server_installed() { compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; }
if server_installed && command -v pg_lsclusters >/dev/null; then
  say "PostgreSQL is installed"
else
  say "installing PostgreSQL"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
fi

# Newest installed major version, for creating a cluster if the package did not (containers
# without an init system often get none).
version="$(ls /usr/lib/postgresql | sort -n | tail -n 1)"
if [[ -z "$(pg_lsclusters --no-header 2>/dev/null)" ]]; then
  say "creating cluster $version/main"
  pg_createcluster "$version" main
fi

# Use cluster main of the newest version if present, else whatever cluster exists.
read -r cluster_version cluster_name port status _ < <(
  pg_lsclusters --no-header | awk -v v="$version" '$1 == v && $2 == "main" { print; found = 1 } END { if (!found) exit 1 }' ||
    pg_lsclusters --no-header | head -n 1
)
if [[ "$status" != online* ]]; then
  say "starting cluster $cluster_version/$cluster_name on port $port"
  pg_ctlcluster "$cluster_version" "$cluster_name" start
else
  say "cluster $cluster_version/$cluster_name is running on port $port"
fi

for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 1
done
pg_isready -q -h 127.0.0.1 -p "$port" || fail "PostgreSQL on 127.0.0.1:$port did not accept connections within 30 s"

admin() { runuser -u postgres -- psql -p "$port" -X -q -v ON_ERROR_STOP=1 -tA "$@"; }

if [[ "$(admin -c "select 1 from pg_roles where rolname = '$role'")" == 1 ]]; then
  say "role $role exists"
else
  say "creating role $role"
  admin -c "create role $role"
fi
# Re-applied every time so a role left by an earlier setup ends up with the expected login.
admin -c "alter role $role login createdb password '$password'"

if [[ "$(admin -c "select 1 from pg_database where datname = '$database'")" == 1 ]]; then
  say "database $database exists"
else
  say "creating database $database owned by $role"
  admin -c "create database $database owner $role"
fi

url="postgres://$role:$password@127.0.0.1:$port/$database"
PGPASSWORD="$password" psql "$url" -X -q -tA -c 'select 1' >/dev/null || fail "cannot log in as $role over TCP (check pg_hba.conf)"
say "ready"
echo "FLOTILLA_TEST_DATABASE_URL=$url"
