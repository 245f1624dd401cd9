#!/usr/bin/env bash
# ops/bench/postgres.sh — SQLite against PostgreSQL, in one run (issue 18):
#   1. filings through the store alone (aduan-store-bench: no HTTP), on SQLite and on PostgreSQL with one and two
#      servers' pools: what the engines and the several-server guarantees cost;
#   2. POST /v1/complaints through the release aduan-server (wrk, submit.lua) on SQLite, on PostgreSQL with one
#      server, and with two servers on one database (a wrk for each, CONNECTIONS split between them);
#   3. with QUEUE=1 and the million-complaint database of report.sh (data/bench/report-1000000.sqlite), the province's
#      staff queue on SQLite and on PostgreSQL after `aduan-admin db copy` (long: the copy is about 10 million rows).
# It starts its own PostgreSQL (ops/postgres.sh, fsync ON: a durable commit, as SQLite's FULL is) unless
# ADUAN_BENCH_DATABASE_URL names a server on which it may create and drop databases.
#
# Environment: ADUAN_BIN, ADUAN_ADMIN_BIN, ADUAN_STORE_BENCH_BIN (default: build them, release); FILINGS=4000
# CONCURRENCY=64 (store bench); CONNECTIONS=64 THREADS=2 DURATION=10s (wrk); QUEUE=0.
set -euo pipefail
FILINGS=${FILINGS:-4000}
CONCURRENCY=${CONCURRENCY:-64}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
DURATION=${DURATION:-10s}
QUEUE=${QUEUE:-0}
export ADUAN_DURABILITY=full
die() { echo "postgres.sh: $*" >&2; exit 2; }
# shellcheck source=ops/bench/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
cd "$REPO_ROOT"
ensure_admin
BIN_DIR=$(dirname "$ADUAN_BIN")
STORE_BENCH=${ADUAN_STORE_BENCH_BIN:-$BIN_DIR/aduan-store-bench}
[[ -x $STORE_BENCH ]] || { swift build -c release --product aduan-store-bench >&2; STORE_BENCH=$BIN_DIR/aduan-store-bench; }

URL=${ADUAN_BENCH_DATABASE_URL:-}
PIDS=()
finish() {
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    [[ -n ${ADUAN_BENCH_DATABASE_URL:-} ]] || bash ops/postgres.sh stop
    cleanup
}
trap finish EXIT
if [[ -z $URL ]]; then
    # The cluster runs as the postgres account (as root), which must reach its directory.
    chmod 755 "$TMP"
    export ADUAN_PG_DIR=$TMP/postgres ADUAN_PG_PORT=${ADUAN_PG_PORT:-55433} ADUAN_PG_FSYNC=on
    # shellcheck source=ops/postgres.sh
    source ops/postgres.sh >&2
    URL=$ADUAN_TEST_DATABASE_URL
fi
# psql on the server's database, or on another database of it.
on_database() { local db=$1; shift; psql "${URL/\/aduan_test?//$db?}" -v ON_ERROR_STOP=1 -Atqc "$@"; }
on_database aduan_test "SELECT 1" >/dev/null || die "cannot reach $URL"

echo "machine: $(nproc) cores; PostgreSQL $(on_database aduan_test 'SHOW server_version'), fsync $(on_database aduan_test 'SHOW fsync'); files on $(stat -f -c %T "$TMP")"
echo
echo "== 1. the store alone ($FILINGS filings, $CONCURRENCY at once)"
"$STORE_BENCH" --filings "$FILINGS" --concurrency "$CONCURRENCY" --database-url "$URL"

# start_one NAME ARGS...: an aduan-server on port 0; its port in PORT_<NAME>.
start_one() {
    local name=$1; shift
    : >"$TMP/$name.out"
    "$ADUAN_BIN" --host 127.0.0.1 --port 0 "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" &
    PIDS+=($!)
    local port=""
    for _ in $(seq 600); do
        port=$(sed -n 's#^aduan-server listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*#\1#p' "$TMP/$name.out" | head -n 1)
        [[ -n $port ]] && break
        sleep 0.1
    done
    [[ -n $port ]] || { cat "$TMP/$name.err" >&2; die "$name did not start"; }
    printf -v "PORT_$name" '%s' "$port"
}
echo
echo "== 2. POST /v1/complaints through aduan-server (release, $CONNECTIONS connections, $DURATION)"
on_database aduan_test "CREATE DATABASE bench_one" && on_database aduan_test "CREATE DATABASE bench_two"
start_one sqlite --db "$TMP/sqlite/aduan.sqlite"
start_one one --db "$TMP/one/aduan.sqlite" --database-url "${URL/\/aduan_test?//bench_one?}"
start_one twoa --db "$TMP/two/aduan.sqlite" --database-url "${URL/\/aduan_test?//bench_two?}"
start_one twob --db "$TMP/two/aduan.sqlite" --database-url "${URL/\/aduan_test?//bench_two?}"
printf '%-30s %10s %10s %8s\n' "engine" "filings/s" "p99_ms" "non2xx"
run_one() { wrk -t"$THREADS" -c"$1" -d"$DURATION" --latency -s ops/bench/submit.lua "http://127.0.0.1:$2/v1/complaints" -- "$3" >"$TMP/$3.txt"; }
line() {
    local name=$1; shift
    local rate=0 p99=0 non2xx=0
    for f in "$@"; do
        rate=$(awk -v a="$rate" -v b="$(rps "$f")" 'BEGIN { printf "%.1f", a + b }')
        p99=$(awk -v a="$p99" -v b="$(pct_ms "$f" 99)" 'BEGIN { print (b > a ? b : a) }')
        non2xx=$((non2xx + $(sed -n 's/^submit-lua: .* non2xx=\([0-9]*\).*/\1/p' "$f" | head -n 1)))
    done
    printf '%-30s %10s %10s %8s\n' "$name" "$rate" "$p99" "$non2xx"
}
run_one "$CONNECTIONS" "$PORT_sqlite" sqlite && line "sqlite, 1 server" "$TMP/sqlite.txt"
run_one "$CONNECTIONS" "$PORT_one" one && line "postgresql, 1 server" "$TMP/one.txt"
run_one $((CONNECTIONS / 2)) "$PORT_twoa" twoa &
first=$!
run_one $((CONNECTIONS / 2)) "$PORT_twob" twob &
wait "$first" $!
line "postgresql, 2 servers" "$TMP/twoa.txt" "$TMP/twob.txt"
tickets=$(on_database bench_two "SELECT count(*) || ' complaints, tickets ' || count(DISTINCT ticket) || ' distinct, max sequence ' || max(split_part(ticket, '-', 2)::int) FROM complaint WHERE ticket NOT LIKE '0000-%'")
echo "two servers' database: $tickets"

if [[ $QUEUE == 1 ]]; then
    echo
    echo "== 3. the province's staff queue on 1,000,000 complaints"
    [[ -f data/bench/report-1000000.sqlite ]] || die "no data/bench/report-1000000.sqlite (run ops/bench/report.sh first)"
    on_database aduan_test "CREATE DATABASE bench_million"
    MILLION=${URL/\/aduan_test?//bench_million?}
    "$ADUAN_ADMIN_BIN" db migrate --database-url "$MILLION" >/dev/null
    /usr/bin/time -f "db copy: %e s, %M KB" "$ADUAN_ADMIN_BIN" db copy --from data/bench/report-1000000.sqlite --to "$MILLION"
    on_database bench_million "ANALYZE" >/dev/null
    cp data/bench/report-1000000.sqlite "$TMP/million.sqlite"
    start_one msqlite --db "$TMP/million.sqlite"
    start_one mpg --db "$TMP/mpg/aduan.sqlite" --database-url "$MILLION"
    supervisor() { "$ADUAN_ADMIN_BIN" staff add "$@" --name "Bench supervisor" --role supervisor --json | sed -n 's/.*"token":"\([^"]*\)".*/\1/p'; }
    TOKEN_msqlite=$(supervisor --db "$TMP/million.sqlite")
    TOKEN_mpg=$(supervisor --database-url "$MILLION")
    printf '%-30s %10s %10s\n' "engine" "pages/s" "p99_ms"
    for name in msqlite mpg; do
        port_var=PORT_$name
        token_var=TOKEN_$name
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Bearer ${!token_var}" "http://127.0.0.1:${!port_var}/v1/staff/complaints?limit=50" >"$TMP/q-$name.txt"
        printf '%-30s %10s %10s\n' "queue, $name" "$(rps "$TMP/q-$name.txt")" "$(pct_ms "$TMP/q-$name.txt" 99)"
    done
fi
