#!/usr/bin/env bash
# ops/postgres.sh — a throwaway PostgreSQL cluster on loopback, for the tests and benchmarks: `initdb` into a fresh
# directory, the server on 127.0.0.1:$ADUAN_PG_PORT (default 55432), a database `aduan_test` owned by `aduan` (trust
# authentication: loopback only, nothing kept). As root it runs the server as the `postgres` account (PostgreSQL
# refuses root). Source it to get ADUAN_TEST_DATABASE_URL exported; `bash ops/postgres.sh stop` stops it.
# Needs PostgreSQL's server binaries (ops/setup.sh installs postgresql-15). fsync is off unless ADUAN_PG_FSYNC=on:
# this cluster is for tests; ops/bench/postgres.sh turns it on.
set -euo pipefail

ADUAN_PG_DIR=${ADUAN_PG_DIR:-${TMPDIR:-/tmp}/aduan-postgres}
ADUAN_PG_PORT=${ADUAN_PG_PORT:-55432}
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[[ -n $PG_BIN && -x $PG_BIN/initdb ]] || { echo "postgres.sh: PostgreSQL's server is not installed (bash ops/setup.sh)" >&2; return 1 2>/dev/null || exit 1; }

as_server() {
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [[ ${1:-start} == stop ]]; then
    as_server "$PG_BIN/pg_ctl" -D "$ADUAN_PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$ADUAN_PG_DIR"
    return 0 2>/dev/null || exit 0
fi

if ! as_server "$PG_BIN/pg_ctl" -D "$ADUAN_PG_DIR/data" status >/dev/null 2>&1; then
    rm -rf "$ADUAN_PG_DIR"
    mkdir -p "$ADUAN_PG_DIR"
    [[ $(id -u) -eq 0 ]] && chown postgres "$ADUAN_PG_DIR"
    as_server "$PG_BIN/initdb" -D "$ADUAN_PG_DIR/data" -U aduan --auth=trust -E UTF8 --locale=C.UTF-8 >"$ADUAN_PG_DIR/initdb.log"
    as_server "$PG_BIN/pg_ctl" -D "$ADUAN_PG_DIR/data" -l "$ADUAN_PG_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $ADUAN_PG_PORT -k $ADUAN_PG_DIR -c fsync=${ADUAN_PG_FSYNC:-off} -c max_connections=200" \
        start >/dev/null
    "$PG_BIN/createdb" -h 127.0.0.1 -p "$ADUAN_PG_PORT" -U aduan aduan_test
fi
export ADUAN_TEST_DATABASE_URL="postgres://aduan@127.0.0.1:$ADUAN_PG_PORT/aduan_test?sslmode=disable"
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$ADUAN_PG_PORT: ADUAN_TEST_DATABASE_URL=$ADUAN_TEST_DATABASE_URL"
