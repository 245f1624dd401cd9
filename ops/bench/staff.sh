#!/usr/bin/env bash
# ops/bench/staff.sh — staff read throughput of aduan-server (the queue and a complaint's view with history),
# relative to its own GET /healthz, on a database of a fixed number of complaints seeded with `demo seed` (real
# histories: forwards, questions, reopens), with the SLA monitor off so that nothing writes while it measures.
#
# Adds a supervisor and a triage member of the office of a complaint with 10-20 history entries, then measures, ROUNDS
# times interleaved so that the shared machine's drift hits every endpoint alike:
#   GET /healthz                                   the hello-world baseline
#   GET /v1/staff/complaints?limit=50              the province-wide queue (supervisor)
#   GET /v1/staff/complaints?limit=50              one OPD's queue (triage)
#   GET /v1/staff/complaints/{ticket}              that complaint with its history (triage)
# Exit status: 0 = PASS, 1 = FAIL (a non-2xx or socket error in any read).
#
# Environment: ADUAN_BIN, ADUAN_ADMIN_BIN (default: release builds), COMPLAINTS=100000 MONTHS=12 (the database is kept at
# data/bench/staff-<COMPLAINTS>.sqlite and reused; delete it to seed again), CONNECTIONS=64 THREADS=2 DURATION=10s
# WARMUP=2s ROUNDS=3.
set -euo pipefail

CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
ROUNDS=${ROUNDS:-3}
COMPLAINTS=${COMPLAINTS:-100000}
MONTHS=${MONTHS:-12}
export ADUAN_DURABILITY=${ADUAN_DURABILITY:-normal}
export ADUAN_SLA_CHECK_INTERVAL=0

die() { echo "staff.sh: $*" >&2; exit 2; }

# shellcheck source=ops/bench/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
ensure_admin
DB=${BENCH_DB:-$REPO_ROOT/data/bench/staff-$COMPLAINTS.sqlite}
if [[ ! -f $DB ]]; then
    mkdir -p "$(dirname "$DB")"
    echo "==> seeding $COMPLAINTS complaints over $MONTHS months into $DB"
    "$ADUAN_ADMIN_BIN" demo seed --db "$DB.partial" --complaints "$COMPLAINTS" --months "$MONTHS" >/dev/null
    sqlite3 "$DB.partial" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
    mv "$DB.partial" "$DB"; rm -f "$DB.partial-wal" "$DB.partial-shm"
fi
SEEDED=$(sqlite3 "$DB" "SELECT count(*) FROM complaint")
# A complaint with a realistic history (10-20 entries) among the newest, and its office.
staff_setup "$DB"
start_server "$DB"

PROVINCE=(-H "Authorization: Bearer $SUPERVISOR" "$BASE/v1/staff/complaints?limit=50")
OPD=(-H "Authorization: Bearer $TRIAGE" "$BASE/v1/staff/complaints?limit=50")
SHOW=(-H "Authorization: Bearer $TRIAGE" "$BASE/v1/staff/complaints/$TICKET")
RUNS=(healthz province opd show)
measure() {
    case $1 in
    healthz) run_wrk "$2" "$3" "$BASE/healthz" ;;
    province) run_wrk "$2" "$3" "${PROVINCE[@]}" ;;
    opd) run_wrk "$2" "$3" "${OPD[@]}" ;;
    show) run_wrk "$2" "$3" "${SHOW[@]}" ;;
    esac
}
measure_rounds
stop_server

FAILURES=()
echo
echo "seeded complaints: $SEEDED (demo seed)   complaint viewed: $TICKET of $OFFICE, $EVENTS history entries"
echo "SLA monitor: off   connections=$CONNECTIONS duration=$DURATION rounds=$ROUNDS (medians; min-max in brackets)"
H_ALL=(); for round in $(seq "$ROUNDS"); do H_ALL+=("$(rps "$TMP/healthz-$round.txt")"); done
for run in "${RUNS[@]}"; do
    R=(); P50=(); P99=(); RATIOS=(); N=0; E=0
    for round in $(seq "$ROUNDS"); do
        f=$TMP/$run-$round.txt
        R+=("$(rps "$f")"); P50+=("$(pct_ms "$f" 50)"); P99+=("$(pct_ms "$f" 99)")
        RATIOS+=("$(awk -v s="$(rps "$f")" -v h="${H_ALL[$((round - 1))]}" 'BEGIN { if (h > 0) printf "%.2f", s / h; else print "?" }')")
        N=$((N + $(wrk_non2xx "$f"))); E=$((E + $(socket_errors "$f")))
    done
    printf '%-9s requests/s=%s [%s]  p50=%sms  p99=%sms [%s]  ratio-to-healthz=%s [%s]  non2xx=%s  socket_errors=%s\n' \
        "$run" "$(median "${R[@]}")" "$(spread "${R[@]}")" "$(median "${P50[@]}")" "$(median "${P99[@]}")" "$(spread "${P99[@]}")" \
        "$(median "${RATIOS[@]}")" "$(spread "${RATIOS[@]}")" "$N" "$E"
    [[ $N == 0 && $E == 0 ]] || FAILURES+=("$run: $N non-2xx, $E socket errors")
done
if ((${#FAILURES[@]} == 0)); then
    echo "RESULT: PASS"
else
    for f in "${FAILURES[@]}"; do echo "  - $f"; done
    echo "RESULT: FAIL"
    exit 1
fi
