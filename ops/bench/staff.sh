#!/usr/bin/env bash
# ops/bench/staff.sh — staff read throughput of aduan-server (the queue and a complaint's view with history),
# relative to its own GET /healthz, on a database seeded through the real submission endpoint.
#
# Seeds the database for SEED (wrk + submit.lua), adds a supervisor and a triage member of DLH-1871 with
# aduan-admin, then measures with the same connections, threads and duration:
#   GET /healthz                                   the hello-world baseline
#   GET /v1/staff/complaints?limit=50              the province-wide queue (supervisor)
#   GET /v1/staff/complaints?limit=50              one OPD's queue (triage, DLH-1871)
#   GET /v1/staff/complaints/{ticket}              a complaint with its history (triage)
# Exit status: 0 = PASS, 1 = FAIL (a non-2xx or socket error in any read).
#
# Environment: ADUAN_BIN, ADUAN_ADMIN_BIN (default: release builds), SEED=5s, CONNECTIONS=64 THREADS=2
# DURATION=10s WARMUP=2s.
set -euo pipefail

CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
SEED=${SEED:-5s}
export ADUAN_DURABILITY=${ADUAN_DURABILITY:-normal}

die() { echo "staff.sh: $*" >&2; exit 2; }

# shellcheck source=ops/bench/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
ensure_admin
start_server

echo "==> seeding for $SEED"
run_wrk seed "$SEED" -s "$SCRIPT_DIR/submit.lua" "$BASE/v1/complaints" -- seed >/dev/null
SEEDED=$(sed -n 's/^submit-lua: .* 2xx=\([0-9][0-9]*\).*/\1/p' "$TMP/seed.txt" | head -n 1)

token() {
    "$ADUAN_ADMIN_BIN" staff add --db "$TMP/bench.sqlite" --json "$@" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p'
}
SUPERVISOR=$(token --name "Bench supervisor" --role supervisor)
TRIAGE=$(token --name "Bench triage DLH" --role triage --opd DLH-1871)
[[ -n $SUPERVISOR && -n $TRIAGE ]] || die "could not add staff members"
TICKET=$(curl -fsS -H "Authorization: Bearer $TRIAGE" "$BASE/v1/staff/complaints?limit=1" | sed -n 's/.*"ticket":"\([0-9-]*\)".*/\1/p')
[[ -n $TICKET ]] || die "the triage queue is empty after seeding"

PROVINCE=(-H "Authorization: Bearer $SUPERVISOR" "$BASE/v1/staff/complaints?limit=50")
OPD=(-H "Authorization: Bearer $TRIAGE" "$BASE/v1/staff/complaints?limit=50")
SHOW=(-H "Authorization: Bearer $TRIAGE" "$BASE/v1/staff/complaints/$TICKET")

if [[ $WARMUP != 0 && $WARMUP != 0s ]]; then
    echo "==> warm-up ($WARMUP each)"
    for run in healthz province opd show; do
        case $run in
        healthz) run_wrk "$run-warmup" "$WARMUP" "$BASE/healthz" >/dev/null ;;
        province) run_wrk "$run-warmup" "$WARMUP" "${PROVINCE[@]}" >/dev/null ;;
        opd) run_wrk "$run-warmup" "$WARMUP" "${OPD[@]}" >/dev/null ;;
        show) run_wrk "$run-warmup" "$WARMUP" "${SHOW[@]}" >/dev/null ;;
        esac
    done
fi
echo "==> GET /healthz for $DURATION"
run_wrk healthz "$DURATION" "$BASE/healthz"
echo "==> GET province queue for $DURATION"
run_wrk province "$DURATION" "${PROVINCE[@]}"
echo "==> GET OPD queue for $DURATION"
run_wrk opd "$DURATION" "${OPD[@]}"
echo "==> GET complaint $TICKET for $DURATION"
run_wrk show "$DURATION" "${SHOW[@]}"

stop_server

FAILURES=()
H_RPS=$(rps "$TMP/healthz.txt")
echo
echo "seeded complaints: $SEEDED   connections=$CONNECTIONS duration=$DURATION"
for run in healthz province opd show; do
    R=$(rps "$TMP/$run.txt")
    N=$(wrk_non2xx "$TMP/$run.txt")
    E=$(socket_errors "$TMP/$run.txt")
    RATIO=$(awk -v s="$R" -v h="$H_RPS" 'BEGIN { if (h > 0) printf "%.2f", s / h; else print "?" }')
    printf '%-9s requests/s=%-10s p50=%sms  p99=%sms  ratio-to-healthz=%s  non2xx=%s  socket_errors=%s\n' \
        "$run" "$R" "$(pct_ms "$TMP/$run.txt" 50)" "$(pct_ms "$TMP/$run.txt" 99)" "$RATIO" "$N" "$E"
    [[ $N == 0 && $E == 0 ]] || FAILURES+=("$run: $N non-2xx, $E socket errors")
done
if ((${#FAILURES[@]} == 0)); then
    echo "RESULT: PASS"
else
    for f in "${FAILURES[@]}"; do echo "  - $f"; done
    echo "RESULT: FAIL"
    exit 1
fi
