#!/usr/bin/env bash
# ops/bench/scale.sh — every path of issue 17's table, in one run, on a database of a million complaints seeded with
# `demo seed` (the one report.sh uses, data/bench/report-<COMPLAINTS>.sqlite, seeded once: about twenty minutes), each
# against GET /healthz of the same server in the same round:
#   submit            POST /v1/complaints, synchronous=FULL (target >= 0.35 of healthz, p99 < 20 ms)
#   queue             GET /v1/staff/complaints?limit=50, province-wide (>= 0.25, p99 < 50 ms)
#   queue-region      the same for one kabupaten/kota (region=18.71)
#   queue-at-risk     the same, at risk only
#   staff-view        GET /v1/staff/complaints/{ticket}, a complaint with 10-20 history entries (>= 0.3, p99 < 50 ms)
#   public-view       GET /v1/complaints/{ticket} without a token (>= 0.5, p99 < 20 ms)
#   reporter-view     the same with the reporter's tracking token
# The server runs on a copy of the database with the SLA monitor passing every second, as in service. Its first pass
# catches up on the deadlines passed since the seed; `submit-during-sweep` files while that pass runs. After the
# rounds the script reads /metrics: the monitor's passes (the last ones found nothing due) and the longest it held the
# write lock at once, and the server's memory (RssAnon is the heap; RssFile includes the mapped database pages).
# Prints one table; exit 0 unless a request failed (targets missed are reported, not fatal).
#
# Environment: ADUAN_BIN, ADUAN_ADMIN_BIN (default: release builds), COMPLAINTS=1000000 MONTHS=12, CONNECTIONS=64
# THREADS=2 DURATION=10s WARMUP=2s ROUNDS=2.
set -euo pipefail

CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
ROUNDS=${ROUNDS:-2}
COMPLAINTS=${COMPLAINTS:-1000000}
MONTHS=${MONTHS:-12}
export ADUAN_DURABILITY=full
export ADUAN_SLA_CHECK_INTERVAL=1

die() { echo "scale.sh: $*" >&2; exit 2; }

# shellcheck source=ops/bench/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
ensure_admin
command -v sqlite3 >/dev/null || die "sqlite3 is needed (bash ops/setup.sh installs it)"
PRISTINE=${BENCH_DB:-$REPO_ROOT/data/bench/report-$COMPLAINTS.sqlite}
# shellcheck source=ops/bench/seed.sh
source "$SCRIPT_DIR/seed.sh"
seed_once "$PRISTINE"
# The server writes (filings, the monitor's marks): it gets a copy, the seeded file stays as seeded.
DB=$REPO_ROOT/data/bench/scale-work.sqlite
echo "==> copying $PRISTINE to $DB"
rm -f "$DB" "$DB-wal" "$DB-shm"
cp "$PRISTINE" "$DB"
"$ADUAN_ADMIN_BIN" db migrate --db "$DB" >/dev/null
SEEDED=$(sqlite3 "$DB" "SELECT count(*) FROM complaint")
FS=$(stat -f -c %T "$(dirname "$DB")")

staff_setup "$DB"

start_server "$DB"
SUBMIT=(-s "$SCRIPT_DIR/submit.lua" "$BASE/v1/complaints")
echo "==> submit-during-sweep: filing while the monitor's first pass catches up ($DURATION)"
run_wrk submit-during-sweep "$DURATION" "${SUBMIT[@]}" -- sweep >/dev/null

# A public complaint of our own: its tracking token is the reporter's proof.
FILED=$(curl -sf -X POST "$BASE/v1/complaints" -H 'Content-Type: application/json' \
    -d '{"category":"sampah","description":"Sampah menumpuk di depan pasar, bench scale.","region":"18.71.01","visibility":"public"}')
read -r OWN OWN_TOKEN < <(printf '%s' "$FILED" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["ticket"], d["tracking_token"])')
[[ -n ${OWN_TOKEN:-} ]] || die "could not file the reporter's complaint: $FILED"

STAFF=(-H "Authorization: Bearer $SUPERVISOR")
RUNS=(healthz submit queue queue-region queue-at-risk staff-view public-view reporter-view)
measure() {
    case $1 in
    healthz) run_wrk "$2" "$3" "$BASE/healthz" ;;
    submit) run_wrk "$2" "$3" "${SUBMIT[@]}" -- "$2" ;;
    queue) run_wrk "$2" "$3" "${STAFF[@]}" "$BASE/v1/staff/complaints?limit=50" ;;
    queue-region) run_wrk "$2" "$3" "${STAFF[@]}" "$BASE/v1/staff/complaints?limit=50&region=18.71" ;;
    queue-at-risk) run_wrk "$2" "$3" "${STAFF[@]}" "$BASE/v1/staff/complaints?limit=50&at_risk=true" ;;
    staff-view) run_wrk "$2" "$3" -H "Authorization: Bearer $TRIAGE" "$BASE/v1/staff/complaints/$TICKET" ;;
    public-view) run_wrk "$2" "$3" "$BASE/v1/complaints/$OWN" ;;
    reporter-view) run_wrk "$2" "$3" -H "Authorization: Bearer $OWN_TOKEN" "$BASE/v1/complaints/$OWN" ;;
    esac
}
measure_rounds
sleep 3 # a few passes of the monitor with nothing due
curl -sf "$BASE/metrics" >"$TMP/metrics.txt" || die "could not read /metrics"
grep -E '^(VmHWM|VmRSS|RssAnon|RssFile)' "/proc/$SERVER_PID/status" >"$TMP/memory.txt"
stop_server
CATCH_UP=$(grep -m1 '"sla monitor pass"\|sla monitor pass' "$TMP/server.err" || true)

metric() { awk -v m="$1" '$1 == m { print $2 }' "$TMP/metrics.txt" | head -n 1; }
# The upper bound of a histogram's largest value: the smallest bucket holding every observation.
histogram_max() {
    awk -v m="$1" '
        $1 ~ "^" m "_count" { total = $2 }
        $1 ~ "^" m "_bucket" { n = split($1, a, "le=\""); le = a[2]; sub(/".*/, "", le); les[++k] = le; counts[k] = $2 }
        END { for (i = 1; i <= k; i++) if (counts[i] >= total) { print (les[i] == "+Inf" ? "+Inf" : les[i] * 1000) " ms (" total " passes)"; exit } }
    ' "$TMP/metrics.txt"
}

FAILURES=()
echo
echo "complaints: $SEEDED (demo seed, $COMPLAINTS seeded)   database on $FS   synchronous=FULL   SLA monitor every 1 s"
echo "connections=$CONNECTIONS duration=$DURATION rounds=$ROUNDS (medians; min-max in brackets); staff view: $TICKET, $EVENTS entries"
printf '%-20s %-22s %-9s %-18s %-22s %s\n' path requests/s p50_ms p99_ms ratio-to-healthz target
H_ALL=(); for round in $(seq "$ROUNDS"); do H_ALL+=("$(rps "$TMP/healthz-$round.txt")"); done
target() {
    case $1 in
    submit) echo ">=0.35 p99<20" ;; queue*) echo ">=0.25 p99<50" ;; staff-view) echo ">=0.3 p99<50" ;;
    public-view | reporter-view) echo ">=0.5 p99<20" ;; *) echo "-" ;;
    esac
}
report_run() {
    local run=$1; shift
    local R=() P50=() P99=() RATIOS=() N=0 E=0 i=0
    for f in "$@"; do
        R+=("$(rps "$f")"); P50+=("$(pct_ms "$f" 50)"); P99+=("$(pct_ms "$f" 99)")
        RATIOS+=("$(awk -v s="$(rps "$f")" -v h="${H_ALL[$i]}" 'BEGIN { if (h > 0) printf "%.3f", s / h; else print "?" }')")
        N=$((N + $(wrk_non2xx "$f"))); E=$((E + $(socket_errors "$f"))); i=$((i + 1))
    done
    printf '%-20s %-22s %-9s %-18s %-22s %s\n' "$run" "$(median "${R[@]}") [$(spread "${R[@]}")]" "$(median "${P50[@]}")" \
        "$(median "${P99[@]}") [$(spread "${P99[@]}")]" "$(median "${RATIOS[@]}") [$(spread "${RATIOS[@]}")]" "$(target "$run")"
    [[ $N == 0 && $E == 0 ]] || FAILURES+=("$run: $N non-2xx, $E socket errors")
}
for run in "${RUNS[@]}"; do
    files=(); for round in $(seq "$ROUNDS"); do files+=("$TMP/$run-$round.txt"); done
    report_run "$run" "${files[@]}"
done
report_run submit-during-sweep "$TMP/submit-during-sweep.txt"
echo
echo "SLA monitor: first pass: ${CATCH_UP:-none logged}"
echo "SLA monitor: last pass $(awk 'BEGIN { printf "%.2f", '"$(metric aduan_sla_monitor_last_pass_seconds)"' * 1000 }') ms, changed $(metric aduan_sla_monitor_last_changed) (target < 50 ms when nothing is due)"
echo "SLA monitor: every pass took <= $(histogram_max aduan_sla_monitor_pass_seconds)"
echo "SLA monitor: every hold of the writer <= $(histogram_max aduan_sla_monitor_hold_seconds) (target: never over 50 ms)"
echo "server memory at the end (target RSS < 150 MB): $(tr -s ' \n' ' ' <"$TMP/memory.txt")"
rm -f "$DB" "$DB-wal" "$DB-shm"
if ((${#FAILURES[@]} == 0)); then
    echo "RESULT: every request answered (targets above are reported, not enforced)"
else
    for f in "${FAILURES[@]}"; do echo "  - $f"; done
    echo "RESULT: FAIL"
    exit 1
fi
