#!/usr/bin/env bash
# ops/postgres.sh — a throwaway PostgreSQL cluster on loopback, for the tests and benchmarks: `initdb` into a fresh
# directory, the server on 127.0.0.1:$ADUAN_PG_PORT (default 55432), a database `aduan_test` owned by `aduan` (trust
# authentication: loopback only, nothing kept). As root it runs the server as the `postgres` account (PostgreSQL
# refuses root). Source it to get ADUAN_TEST_DATABASE_URL exported (it leaves the caller's shell options as they
# were); `bash ops/postgres.sh stop` stops and removes it; `pause` and `resume` stop and start it, keeping its data
# (fault tests). Needs PostgreSQL's server binaries (ops/setup.sh installs postgresql-15). fsync is off unless
# ADUAN_PG_FSYNC=on: this cluster is for tests.

aduan_postgres() {
    local dir=${ADUAN_PG_DIR:-${TMPDIR:-/tmp}/aduan-postgres}
    local port=${ADUAN_PG_PORT:-55432}
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -z $bin || ! -x $bin/initdb ]]; then
        echo "postgres.sh: PostgreSQL's server is not installed (bash ops/setup.sh)" >&2
        return 1
    fi
    aduan_postgres_as_server() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

    aduan_postgres_run() {
        aduan_postgres_as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=${ADUAN_PG_FSYNC:-off} -c max_connections=200" \
            start >/dev/null || { cat "$dir/server.log" >&2; return 1; }
    }

    case ${1:-start} in
    stop)
        aduan_postgres_as_server "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
        rm -rf "$dir"
        return 0
        ;;
    # For fault tests: the server stops (its clients' connections are cut) and starts again, keeping its data.
    pause)
        aduan_postgres_as_server "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
        return $?
        ;;
    resume)
        aduan_postgres_run
        return $?
        ;;
    esac
    if ! aduan_postgres_as_server "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        rm -rf "$dir" && mkdir -p "$dir" || return 1
        if [[ $(id -u) -eq 0 ]]; then chown postgres "$dir" || return 1; fi
        aduan_postgres_as_server "$bin/initdb" -D "$dir/data" -U aduan --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
            { cat "$dir/initdb.log" >&2; return 1; }
        aduan_postgres_run || return 1
        "$bin/createdb" -h 127.0.0.1 -p "$port" -U aduan aduan_test || return 1
    fi
    export ADUAN_TEST_DATABASE_URL="postgres://aduan@127.0.0.1:$port/aduan_test?sslmode=disable"
    echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port: ADUAN_TEST_DATABASE_URL=$ADUAN_TEST_DATABASE_URL"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    aduan_postgres "$@"
    exit $?
fi
aduan_postgres "$@"
