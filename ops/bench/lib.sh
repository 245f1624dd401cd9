#!/usr/bin/env bash
# ops/bench/lib.sh — shared by the benchmarks: installs wrk, builds or takes the release server, starts one
# server on a fresh database in $TMP or on a given one (stopped on exit), runs wrk and parses its output. Source it after setting
# CONNECTIONS, THREADS and a die() function; it defines SCRIPT_DIR, REPO_ROOT, TMP, BASE, PORT and SERVER_PID.
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)

# --- 1. wrk ------------------------------------------------------------------------------------
if ! command -v wrk >/dev/null 2>&1; then
    echo "==> installing wrk"
    SUDO=""
    if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; fi
    $SUDO apt-get install -y wrk || { $SUDO apt-get update && $SUDO apt-get install -y wrk; }
fi

# --- 2. server binary --------------------------------------------------------------------------
if [[ -z ${ADUAN_BIN:-} ]]; then
    echo "==> building aduan-server (release)"
    (cd "$REPO_ROOT" && swift build -c release --product aduan-server)
    ADUAN_BIN="$(cd "$REPO_ROOT" && swift build -c release --show-bin-path)/aduan-server"
fi
[[ -x $ADUAN_BIN ]] || die "server binary not found or not executable: $ADUAN_BIN"

# ensure_admin: the aduan-admin binary beside the server unless ADUAN_ADMIN_BIN is set.
ensure_admin() {
    if [[ -z ${ADUAN_ADMIN_BIN:-} ]]; then
        ADUAN_ADMIN_BIN="$(dirname "$ADUAN_BIN")/aduan-admin"
        if [[ ! -x $ADUAN_ADMIN_BIN ]]; then
            echo "==> building aduan-admin (release)"
            (cd "$REPO_ROOT" && swift build -c release --product aduan-admin)
        fi
    fi
    [[ -x $ADUAN_ADMIN_BIN ]] || die "admin binary not found: $ADUAN_ADMIN_BIN"
}

# --- 3. one server, fresh database, stopped on exit -------------------------------------------
TMP=$(mktemp -d "${TMPDIR:-/tmp}/aduan-bench.XXXXXX")
SERVER_PID=""
SERVER_STATUS=""

stop_server() {
    [[ -n $SERVER_PID ]] || return 0
    if kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        # Give it 15 s to shut down gracefully, then kill it.
        for _ in $(seq 150); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$SERVER_PID" 2>/dev/null && { echo "server ignored SIGTERM; killing it" >&2; kill -KILL "$SERVER_PID" 2>/dev/null || true; }
    fi
    SERVER_STATUS=0
    wait "$SERVER_PID" 2>/dev/null || SERVER_STATUS=$?
    SERVER_PID=""
}
cleanup() { stop_server; rm -rf "$TMP"; }
trap cleanup EXIT
trap 'exit 130' INT TERM # make Ctrl-C run the EXIT trap too

# Rate limits: wrk's connections all come from loopback, one client. RATE_LIMITS=on keeps every request going through
# the limiter with limits too high to refuse (its cost); off (the default) switches them off.
for limit in FILING WRITE SIGN_IN OPEN311 TOKEN; do
    if [[ ${RATE_LIMITS:-off} == on ]]; then export "ADUAN_RATE_LIMIT_${limit}_PER_MINUTE=1000000"; else export "ADUAN_RATE_LIMIT_${limit}_PER_MINUTE=0"; fi
done

# start_server [DB]: one server on DB (default $TMP/bench.sqlite); sets PORT and BASE.
start_server() {
local db=${1:-$TMP/bench.sqlite}
echo "==> starting $ADUAN_BIN on $db (durability=${ADUAN_DURABILITY:-full})"
# Create the output files first: the background child opens them itself, maybe after the first look below.
: >"$TMP/server.out"
: >"$TMP/server.err"
"$ADUAN_BIN" --host 127.0.0.1 --port 0 --db "$db" >"$TMP/server.out" 2>"$TMP/server.err" &
SERVER_PID=$!

# Wait (up to 60 s) for "aduan-server listening on http://127.0.0.1:PORT".
PORT=""
for _ in $(seq 600); do
    PORT=$(sed -n 's#^aduan-server listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*#\1#p' "$TMP/server.out" | head -n 1)
    [[ -n $PORT ]] && break
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "server exited before it was ready; its stderr:" >&2
        cat "$TMP/server.err" >&2
        exit 2
    fi
    sleep 0.1
done
[[ -n $PORT ]] || { cat "$TMP/server.err" >&2; die "server did not report a port within 60 s"; }
BASE="http://127.0.0.1:$PORT"
echo "==> server ready at $BASE"
}

# run_wrk NAME DURATION [wrk args...] URL [-- script args]: output kept in $TMP/NAME.txt and echoed.
run_wrk() {
    local name=$1 duration=$2
    shift 2
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --latency "$@" >"$TMP/$name.txt"
    sed 's/^/    /' "$TMP/$name.txt"
}

# staff_setup DB: picks a complaint with 10-20 history entries among the newest 20000 of DB (TICKET, its OFFICE, its
# EVENTS) and adds a supervisor (SUPERVISOR) and a triage member of that office (TRIAGE), setting their tokens.
staff_setup() {
    local db=$1
    read -r TICKET OFFICE EVENTS < <(sqlite3 -separator ' ' "$db" "SELECT c.ticket, c.opd, e.n FROM complaint c JOIN (
        SELECT complaint_id, count(*) AS n FROM complaint_event WHERE complaint_id > (SELECT max(id) - 20000 FROM complaint)
        GROUP BY complaint_id HAVING n BETWEEN 10 AND 20 ORDER BY n DESC, complaint_id DESC LIMIT 1) e ON e.complaint_id = c.id") || true
    [[ -n ${TICKET:-} ]] || die "no complaint with 10-20 history entries among the newest 20000"
    token() { "$ADUAN_ADMIN_BIN" staff add --db "$db" --json "$@" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p'; }
    SUPERVISOR=$(token --name "Bench supervisor $$" --role supervisor)
    TRIAGE=$(token --name "Bench triage $$" --role triage --opd "$OFFICE")
    [[ -n $SUPERVISOR && -n $TRIAGE ]] || die "could not add staff members"
}

# measure_rounds: the caller's measure() for each of RUNS, a warm-up of WARMUP first, then ROUNDS rounds interleaved
# (NAME-ROUND files in $TMP), so that the shared machine's drift hits every run alike.
measure_rounds() {
    if [[ $WARMUP != 0 && $WARMUP != 0s ]]; then
        echo "==> warm-up ($WARMUP each)"
        for run in "${RUNS[@]}"; do measure "$run" "$run-warmup" "$WARMUP" >/dev/null; done
    fi
    for round in $(seq "$ROUNDS"); do
        echo "==> round $round of $ROUNDS: ${RUNS[*]}, $DURATION each"
        for run in "${RUNS[@]}"; do measure "$run" "$run-$round" "$DURATION" >/dev/null; done
    done
}

# --- parsing wrk's output ----------------------------------------------------------------------
rps() { awk '$1 == "Requests/sec:" { print $2 }' "$1"; }
# Latency percentile ("50%", "99%" lines of --latency), converted to ms; wrk prints us, ms, s or m.
pct_ms() {
    awk -v p="$2%" '$1 == p {
        v = $2 + 0; u = $2; sub(/^[0-9.]+/, "", u)
        f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : -1
        if (f < 0) { print "?"; exit }
        printf "%.2f\n", v * f; exit
    }' "$1"
}
# wrk's own count of responses with status >= 400 ("Non-2xx or 3xx responses: N").
wrk_non2xx() { awk '/Non-2xx or 3xx responses:/ { n = $NF } END { print n + 0 }' "$1"; }
# "Socket errors: connect 0, read 0, write 0, timeout 0" -> sum.
socket_errors() { awk '/Socket errors:/ { gsub(",", ""); n = $4 + $6 + $8 + $10 } END { print n + 0 }' "$1"; }
# median VALUES...: the middle value (the mean of the two middle ones for an even count); spread VALUES...: "min-max".
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "?"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
spread() { printf '%s\n' "$@" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "-" hi }'; }
