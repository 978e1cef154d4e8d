#!/usr/bin/env bash
# Starts a throw-away PostgreSQL 15 server for Hopper's tests and prints its JDBC URL on stdout.
#
#   export HOPPER_TEST_PG_URL="$(.ci/start-postgres.sh)"
#
# Idempotent: a second run finds the cluster initialised and running and only prints the URL.
# The cluster lives in $HOPPER_PG_DIR (default /tmp/hopper-pg), listens on 127.0.0.1:$HOPPER_PG_PORT
# (default 5432) only, trusts every local TCP connection (tests only: never expose it), and has a
# database `hopper` plus the superuser roles `postgres` and `root`. PostgreSQL refuses to run as root,
# so when run as root the server runs as the `postgres` user. Stop it with
#   runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D /tmp/hopper-pg stop
set -euo pipefail

PGBIN=/usr/lib/postgresql/15/bin
PGDIR="${HOPPER_PG_DIR:-/tmp/hopper-pg}"
PORT="${HOPPER_PG_PORT:-5432}"
DB=hopper
log() { echo "start-postgres: $*" >&2; }

if ! test -x "$PGBIN/postgres"; then
  log "installing postgresql-15"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql-15 >&2
fi

if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  OWNER=postgres
  as_owner() { runuser -u postgres -- "$@"; }
else
  OWNER="$(id -un)"
  as_owner() { "$@"; }
fi

if [ ! -s "$PGDIR/PG_VERSION" ]; then
  log "initialising a cluster in $PGDIR (owner $OWNER)"
  mkdir -p "$PGDIR"
  chown "$OWNER" "$PGDIR"
  chmod 700 "$PGDIR"
  as_owner "$PGBIN/initdb" -D "$PGDIR" -U postgres --auth=trust -E UTF8 --locale=C >&2
fi

if as_owner "$PGBIN/pg_ctl" -D "$PGDIR" status >/dev/null 2>&1; then
  log "already running"
else
  if "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
    log "another server already listens on 127.0.0.1:$PORT; stop it or choose a port with HOPPER_PG_PORT=NNNN"
    exit 1
  fi
  log "starting on 127.0.0.1:$PORT"
  as_owner "$PGBIN/pg_ctl" -D "$PGDIR" -l "$PGDIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$PGDIR" start >&2
fi

psql_su() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres "$@"; }
if [ "$(psql_su -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'root'")" != 1 ]; then
  psql_su -d postgres -c "CREATE ROLE root LOGIN SUPERUSER" >&2
fi
if [ "$(psql_su -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]; then
  log "creating database $DB"
  psql_su -d postgres -c "CREATE DATABASE $DB" >&2
fi

echo "jdbc:postgresql://127.0.0.1:$PORT/$DB?user=postgres"
