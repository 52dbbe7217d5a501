#!/usr/bin/env bash
# Start a local PostgreSQL for the Swarmdex test suite (Debian/Ubuntu, run as root).
#
# Idempotent: installs Debian's postgresql package if missing, starts the cluster if it is
# down, waits until it accepts TCP connections on 127.0.0.1:5432, and makes sure the role
# "swarmdex" (password "swarmdex", LOGIN CREATEDB) and the database "swarmdex_test" it owns
# exist. Tests then use SWARMDEX_PG_URL's default:
#   jdbc:postgresql://127.0.0.1:5432/swarmdex_test?user=swarmdex&password=swarmdex
set -euo pipefail

PG_HOST=127.0.0.1
PG_PORT=5432
PG_ROLE=swarmdex
PG_PASSWORD=swarmdex
PG_DB=swarmdex_test
WAIT_SECONDS=${PG_WAIT_SECONDS:-60}

log() { printf '[postgres.sh] %s\n' "$*"; }
die() { printf '[postgres.sh] ERROR: %s\n' "$*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || die "run as root (it installs packages and starts the cluster as user postgres)"

if ! command -v pg_lsclusters >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  log "installing Debian's postgresql package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y postgresql
fi

# The newest installed server version, e.g. 15.
PG_VERSION=$(ls -1 /usr/lib/postgresql | sort -V | tail -n 1)
[[ -n $PG_VERSION ]] || die "no server found under /usr/lib/postgresql"
PG_CLUSTER=main

# The package normally creates the cluster; a slimmed image may not have it.
if ! pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1 == v && $2 == c { found = 1 } END { exit !found }'; then
  log "creating cluster $PG_VERSION/$PG_CLUSTER"
  pg_createcluster "$PG_VERSION" "$PG_CLUSTER" --port "$PG_PORT"
fi

status=$(pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1 == v && $2 == c { print $4 }')
cluster_port=$(pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1 == v && $2 == c { print $3 }')
[[ $cluster_port == "$PG_PORT" ]] || die "cluster $PG_VERSION/$PG_CLUSTER listens on port $cluster_port, expected $PG_PORT"

if [[ $status == online* ]]; then
  log "cluster $PG_VERSION/$PG_CLUSTER already running"
else
  log "starting cluster $PG_VERSION/$PG_CLUSTER (status: $status)"
  pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start
fi

log "waiting for $PG_HOST:$PG_PORT (up to ${WAIT_SECONDS}s)"
for ((i = 0; i < WAIT_SECONDS; i++)); do
  if pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; then
    break
  fi
  sleep 1
done
pg_isready -h "$PG_HOST" -p "$PG_PORT" >/dev/null || die "server not accepting connections on $PG_HOST:$PG_PORT"

psql_admin() { runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" "$@"; }

if [[ $(psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$PG_ROLE'") == 1 ]]; then
  log "role $PG_ROLE exists; making sure it can log in with the test password"
  psql_admin -c "ALTER ROLE $PG_ROLE WITH LOGIN CREATEDB PASSWORD '$PG_PASSWORD'"
else
  log "creating role $PG_ROLE"
  psql_admin -c "CREATE ROLE $PG_ROLE WITH LOGIN CREATEDB PASSWORD '$PG_PASSWORD'"
fi

if [[ $(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'") == 1 ]]; then
  log "database $PG_DB exists"
else
  log "creating database $PG_DB owned by $PG_ROLE"
  psql_admin -c "CREATE DATABASE $PG_DB OWNER $PG_ROLE"
fi

# Password login over TCP is what the tests use; check it end to end.
PGPASSWORD=$PG_PASSWORD psql -X -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_ROLE" -d "$PG_DB" -tAc 'SELECT 1' >/dev/null \
  || die "cannot log in as $PG_ROLE to $PG_DB on $PG_HOST:$PG_PORT"
log "ready: jdbc:postgresql://$PG_HOST:$PG_PORT/$PG_DB?user=$PG_ROLE&password=$PG_PASSWORD"
