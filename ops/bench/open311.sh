#!/usr/bin/env bash
# ops/bench/open311.sh — Open311 GeoReport v2 reads of aduan-server, relative to its own GET /healthz, over the
# seeded database of ops/bench/nearby.sh (a million complaints by default; seeded there if missing).
#
# One release server on the file with the SLA monitor off. With the same connections, threads and duration:
#   GET /healthz                                                   the hello-world baseline
#   GET /open311/v2/requests.json?page_size=50&page=P              public requests of the last 90 days, newest first
#                                                                  (pages 1 to PAGES in turn)
#   GET /open311/v2/requests.xml?status=open&service_code=C        the same in XML, filtered
#   GET /open311/v2/requests/TICKET.json                           one public request (TICKETS of them in turn)
#   GET /open311/v2/servicerequestupdates.json?start_date=D        the last day's status updates, first page
# There is no target in the issue; the figures go in the note. Exit: 0 = PASS, 1 = a non-2xx or socket error,
# 2 = setup error.
#
# Environment: COMPLAINTS=1000000 BENCH_DB (default data/bench/nearby-<COMPLAINTS>.sqlite), ADUAN_BIN,
# CONNECTIONS=64 THREADS=2 DURATION=10s WARMUP=2s PAGES=20 TICKETS=200 CATEGORY=jalan_rusak.
set -euo pipefail

COMPLAINTS=${COMPLAINTS:-1000000}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
PAGES=${PAGES:-20}
TICKETS=${TICKETS:-200}
CATEGORY=${CATEGORY:-jalan_rusak}
export ADUAN_DURABILITY=${ADUAN_DURABILITY:-normal}
export ADUAN_SLA_CHECK_INTERVAL=0

die() { echo "open311.sh: $*" >&2; exit 2; }
[[ $PAGES =~ ^[0-9]+$ && $TICKETS =~ ^[0-9]+$ && $CATEGORY =~ ^[a-z_]+$ ]] || die "PAGES and TICKETS are numbers, CATEGORY a category code"
command -v sqlite3 >/dev/null 2>&1 || die "sqlite3 is needed (apt-get install sqlite3)"

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_DB=${BENCH_DB:-$SCRIPT_DIR/../../data/bench/nearby-$COMPLAINTS.sqlite}
if [[ ! -f $BENCH_DB ]]; then
    echo "==> no $BENCH_DB: seeding it with nearby.sh's seed (this takes a while)"
    COMPLAINTS=$COMPLAINTS DURATION=1s WARMUP=0 BENCH_DB=$BENCH_DB "$SCRIPT_DIR/nearby.sh" >/dev/null || true
    [[ -f $BENCH_DB ]] || die "could not seed $BENCH_DB"
fi
# shellcheck source=ops/bench/lib.sh
source "$SCRIPT_DIR/lib.sh"
export ADUAN_SECRET_KEY_FILE=$TMP/aduan.key ADUAN_PHOTO_DIR=$TMP/photos

# The server migrates the file to the current schema when it starts; the paths are picked after that.
start_server "$BENCH_DB"
sqlite3 "$BENCH_DB" "SELECT '/open311/v2/requests/' || ticket || '.json' FROM complaint WHERE visibility = 'public'
    ORDER BY (id * 2654435761) % 4294967296 LIMIT $TICKETS" >"$TMP/paths-one.txt"
for page in $(seq "$PAGES"); do echo "/open311/v2/requests.json?page_size=50&page=$page"; done >"$TMP/paths-list.txt"
echo "/open311/v2/requests.xml?status=open&service_code=$CATEGORY&page_size=50" >"$TMP/paths-filtered.txt"
DAY_AGO=$(date -u -d '1 day ago' +%Y-%m-%dT%H:%M:%SZ)
echo "/open311/v2/servicerequestupdates.json?start_date=$DAY_AGO&page_size=50" >"$TMP/paths-updates.txt"
read -r ROWS PUBLIC < <(sqlite3 -separator ' ' "$BENCH_DB" "SELECT count(*), coalesce(sum(visibility = 'public'), 0) FROM complaint")

# What the reads return, once each, so that a fast read is not an empty one.
count() { curl -fsS "$BASE$1" | grep -o "$2" | wc -l; }
echo "==> $ROWS complaints, $PUBLIC public"
echo "list page 1: $(count "$(head -1 "$TMP/paths-list.txt")" '"service_request_id"') requests;" \
    "filtered: $(count "$(cat "$TMP/paths-filtered.txt")" '<request>') requests;" \
    "one: $(count "$(head -1 "$TMP/paths-one.txt")" '"service_request_id"');" \
    "updates of the last day, page 1: $(count "$(cat "$TMP/paths-updates.txt")" '"update_id"')"

load() { run_wrk "$1" "$2" -s "$SCRIPT_DIR/paths.lua" "$BASE" -- "$TMP/paths-$3.txt"; }
if [[ $WARMUP != 0 && $WARMUP != 0s ]]; then
    echo "==> warm-up ($WARMUP each)"
    run_wrk healthz-warmup "$WARMUP" "$BASE/healthz" >/dev/null
    for mode in list filtered one updates; do load "$mode-warmup" "$WARMUP" "$mode" >/dev/null; done
fi
echo "==> GET /healthz for $DURATION"
run_wrk healthz "$DURATION" "$BASE/healthz"
for mode in list filtered one updates; do
    echo "==> $mode for $DURATION"
    load "$mode" "$DURATION" "$mode"
done
stop_server

FAILURES=()
H_RPS=$(rps "$TMP/healthz.txt")
echo
echo "complaints=$ROWS public=$PUBLIC connections=$CONNECTIONS duration=$DURATION"
for run in healthz list filtered one updates; do
    R=$(rps "$TMP/$run.txt")
    N=$(wrk_non2xx "$TMP/$run.txt")
    E=$(socket_errors "$TMP/$run.txt")
    RATIO=$(awk -v s="$R" -v h="$H_RPS" 'BEGIN { if (h > 0) printf "%.2f", s / h; else print "?" }')
    printf '%-9s requests/s=%-10s p50=%sms  p99=%sms  ratio-to-healthz=%s  non2xx=%s  socket_errors=%s\n' \
        "$run" "$R" "$(pct_ms "$TMP/$run.txt" 50)" "$(pct_ms "$TMP/$run.txt" 99)" "$RATIO" "$N" "$E"
    [[ $N == 0 && $E == 0 ]] || FAILURES+=("$run: $N non-2xx, $E socket errors")
done
if ((${#FAILURES[@]} == 0)); then echo "RESULT: PASS"; else printf '  - %s\n' "${FAILURES[@]}"; echo "RESULT: FAIL"; exit 1; fi
