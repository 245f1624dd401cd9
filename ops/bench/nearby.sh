#!/usr/bin/env bash
# ops/bench/nearby.sh — the citizen's map reads of aduan-server, relative to its own GET /healthz, over a seeded
# database of a million complaints (issue 13's target: each read at least 0.3 of healthz, p99 under 50 ms).
#
# Seeds (once, kept at $BENCH_DB) a demo history with `aduan-admin demo seed`, whose complaints mostly have a place
# in their kecamatan (half of them around a few recurring spots) and a third are public. Picks POINTS centres among
# the public complaints of Bandar Lampung (kota 18.71) — picked by complaint, so dense places come up most — and
# starts one release server on the file with the SLA monitor off, so that nothing writes. With the same
# connections, threads and duration it measures:
#   GET /healthz                                                      the hello-world baseline
#   GET /v1/complaints?near=LAT,LNG&radius_m=RADIUS                   the map feed (open complaints)
#   GET /v1/complaints?near=LAT,LNG&radius_m=RADIUS&status=all        the map feed, every public complaint (info)
#   GET /v1/complaints/similar?category=CATEGORY&lat=LAT&lng=LNG      similar complaints before filing
# each request at the next centre of the list (nearby.lua). Before the load, one request per centre and read
# shows how much the reads return (items per page), so that a fast read is not an empty one.
# Exit status: 0 = PASS, 1 = FAIL (a non-2xx or socket error; with STRICT=1 also a missed target), 2 = setup error.
#
# Environment: COMPLAINTS=1000000 MONTHS=12 BENCH_DB (default data/bench/nearby-<COMPLAINTS>.sqlite; delete it to
# seed again), ADUAN_BIN, ADUAN_ADMIN_BIN (default: release builds), CONNECTIONS=64 THREADS=2 DURATION=10s
# WARMUP=2s, POINTS=50 RADIUS=1000 CATEGORY=jalan_rusak KOTA=18.71, STRICT=1.
set -euo pipefail

COMPLAINTS=${COMPLAINTS:-1000000}
MONTHS=${MONTHS:-12}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
POINTS=${POINTS:-50}
RADIUS=${RADIUS:-1000}
CATEGORY=${CATEGORY:-jalan_rusak}
KOTA=${KOTA:-18.71}
STRICT=${STRICT:-0}
export ADUAN_DURABILITY=${ADUAN_DURABILITY:-normal}
# The SLA monitor off: only the measured reads touch the database.
export ADUAN_SLA_CHECK_INTERVAL=0

# Performance targets (issue 13; reported, enforced only with STRICT=1) for the feed and similar.
TARGET_RATIO=0.3
TARGET_P99_MS=50

die() { echo "nearby.sh: $*" >&2; exit 2; }

[[ $COMPLAINTS =~ ^[0-9]+$ && $POINTS =~ ^[0-9]+$ && $RADIUS =~ ^[0-9]+$ ]] || die "COMPLAINTS, POINTS and RADIUS must be numbers"
[[ $KOTA =~ ^18(\.[0-9]+)*$ && $CATEGORY =~ ^[a-z_]+$ ]] || die "KOTA must be a region code (18.71) and CATEGORY a category code"
command -v sqlite3 >/dev/null 2>&1 || die "sqlite3 is needed to pick the centres (apt-get install sqlite3)"
command -v curl >/dev/null 2>&1 || die "curl is needed (apt-get install curl)"

# shellcheck source=ops/bench/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
BENCH_DB=${BENCH_DB:-$REPO_ROOT/data/bench/nearby-$COMPLAINTS.sqlite}
# Nothing of the server's lands beside a kept database.
export ADUAN_SECRET_KEY_FILE=$TMP/aduan.key ADUAN_PHOTO_DIR=$TMP/photos

# --- the seeded database, up to now (similar complaints are those of the last 30 days) ---------------------
if [[ ! -f $BENCH_DB ]]; then
    if [[ -z ${ADUAN_ADMIN_BIN:-} ]]; then
        echo "==> building aduan-admin (release)"
        (cd "$REPO_ROOT" && swift build -c release --product aduan-admin)
        ADUAN_ADMIN_BIN="$(cd "$REPO_ROOT" && swift build -c release --show-bin-path)/aduan-admin"
    fi
    [[ -x $ADUAN_ADMIN_BIN ]] || die "aduan-admin not found: $ADUAN_ADMIN_BIN"
    mkdir -p "$(dirname "$BENCH_DB")"
    rm -f "$BENCH_DB.partial" "$BENCH_DB.partial-wal" "$BENCH_DB.partial-shm"
    echo "==> seeding $COMPLAINTS complaints over $MONTHS months up to now into $BENCH_DB"
    SEED_START=$(date +%s)
    "$ADUAN_ADMIN_BIN" demo seed --db "$BENCH_DB.partial" --complaints "$COMPLAINTS" --months "$MONTHS"
    echo "==> seeded in $(($(date +%s) - SEED_START)) s"
    sqlite3 "$BENCH_DB.partial" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
    mv "$BENCH_DB.partial" "$BENCH_DB"
    rm -f "$BENCH_DB.partial-wal" "$BENCH_DB.partial-shm"
fi

# --- the centres: located public complaints of the kota, the same ones every run ----------------------------
IN_KOTA="region LIKE '$KOTA.%' AND lat IS NOT NULL AND visibility = 'public'"
read -r ROWS LOCATED OPEN_PUBLIC AGE_DAYS < <(sqlite3 -separator ' ' "$BENCH_DB" \
    "SELECT (SELECT count(*) FROM complaint), count(*),
        coalesce(sum(status IN ('submitted', 'in_progress', 'waiting_info', 'reopened')), 0),
        (SELECT coalesce(CAST(julianday('now') - julianday(max(created_at)) AS INTEGER), 0) FROM complaint)
     FROM complaint WHERE $IN_KOTA") || die "cannot read $BENCH_DB"
((LOCATED >= POINTS && POINTS > 0)) ||
    die "$BENCH_DB has $LOCATED located public complaints in $KOTA (need $POINTS): seeded by an older aduan-admin? Delete it to seed again"
# Picked by a hash of the id rather than random(), so that every run asks about the same places.
sqlite3 -separator , "$BENCH_DB" \
    "SELECT lat, lng FROM complaint WHERE $IN_KOTA ORDER BY (id * 2654435761) % 4294967296 LIMIT $POINTS" >"$TMP/points.txt"
echo "==> $ROWS complaints; in $KOTA $LOCATED public with a location ($OPEN_PUBLIC open); $POINTS centres"
if ((${AGE_DAYS:-0} > 7)); then
    echo "note: the newest complaint is $AGE_DAYS days old, and similar counts only the last 30 days' (ADUAN_SIMILAR_DAYS):" \
        "delete $BENCH_DB to seed again" >&2
fi

start_server "$BENCH_DB"

# --- what the reads return: one request per centre ---------------------------------------------------------
url() { # url MODE LAT LNG
    case $1 in
    feed) echo "$BASE/v1/complaints?near=$2,$3&radius_m=$RADIUS" ;;
    all) echo "$BASE/v1/complaints?near=$2,$3&radius_m=$RADIUS&status=all" ;;
    similar) echo "$BASE/v1/complaints/similar?category=$CATEGORY&lat=$2&lng=$3" ;;
    esac
}
# survey MODE: one line per centre, "items has_next_page private_count", in $TMP/survey-MODE.txt.
survey() {
    local lat lng body
    while IFS=, read -r lat lng; do
        body=$(curl -fsS "$(url "$1" "$lat" "$lng")") || die "GET $(url "$1" "$lat" "$lng") failed"
        awk '{
            items += gsub(/"ticket" *:/, "")
            if ($0 ~ /"next_cursor" *: *"/) more = 1
            if (match($0, /"private_count" *: *[0-9]+/)) { s = substr($0, RSTART, RLENGTH); sub(/.*: */, "", s); private = s }
        } END { print items + 0, more + 0, private + 0 }' <<<"$body"
    done <"$TMP/points.txt" >"$TMP/survey-$1.txt"
}
# Averages over the centres: items per answer, answers with none, answers with a next page, private ones nearby.
survey_line() {
    awk -v what="$2" '{ n++; items += $1; empty += ($1 == 0); more += $2; private += $3 }
        END {
            printf "%s: %d centres, items per answer avg %.1f, empty %d", what, n, items / n, empty
            if (what ~ /^similar/) printf ", private ones nearby avg %.1f\n", private / n
            else printf ", with a next page %d\n", more
        }' "$TMP/survey-$1.txt"
}
echo "==> one request per centre"
for mode in feed all similar; do survey "$mode"; done

# --- load ----------------------------------------------------------------------------------------------------
load() { # load NAME DURATION MODE
    run_wrk "$1" "$2" -s "$SCRIPT_DIR/nearby.lua" "$BASE" -- "$3" "$TMP/points.txt" "$RADIUS" "$CATEGORY"
}
if [[ $WARMUP != 0 && $WARMUP != 0s ]]; then
    echo "==> warm-up ($WARMUP each)"
    run_wrk healthz-warmup "$WARMUP" "$BASE/healthz" >/dev/null
    load feed-warmup "$WARMUP" feed >/dev/null
    load feed_all-warmup "$WARMUP" all >/dev/null
    load similar-warmup "$WARMUP" similar >/dev/null
fi
echo "==> GET /healthz for $DURATION"
run_wrk healthz "$DURATION" "$BASE/healthz"
echo "==> GET the map feed (open, radius $RADIUS m) for $DURATION"
load feed "$DURATION" feed
echo "==> GET the map feed (status=all, radius $RADIUS m) for $DURATION"
load feed_all "$DURATION" all
echo "==> GET similar ($CATEGORY) for $DURATION"
load similar "$DURATION" similar

stop_server
[[ ${SERVER_STATUS:-0} == 0 ]] || echo "note: server exited with status $SERVER_STATUS after SIGTERM" >&2

# --- summary -------------------------------------------------------------------------------------------------
FAILURES=()
H_RPS=$(rps "$TMP/healthz.txt")
[[ -n $H_RPS ]] || FAILURES+=("could not parse wrk output for healthz")
echo
echo "complaints=$ROWS  centres=$POINTS in $KOTA  radius=${RADIUS}m  connections=$CONNECTIONS  duration=$DURATION"
survey_line feed "feed      (open, 1 page)"
survey_line all "feed_all  (status=all, 1 page)"
survey_line similar "similar   ($CATEGORY)"
for run in healthz feed feed_all similar; do
    R=$(rps "$TMP/$run.txt")
    P99=$(pct_ms "$TMP/$run.txt" 99)
    N=$(wrk_non2xx "$TMP/$run.txt")
    E=$(socket_errors "$TMP/$run.txt")
    RATIO=$(awk -v s="$R" -v h="$H_RPS" 'BEGIN { if (h > 0) printf "%.2f", s / h; else print "?" }')
    VERDICT=""
    if [[ $run != healthz ]]; then
        VERDICT=$(awk -v r="$RATIO" -v p="$P99" -v tr="$TARGET_RATIO" -v tp="$TARGET_P99_MS" 'BEGIN {
            ok = (r != "?" && r + 0 >= tr) ? "ratio met" : "ratio MISSED"
            ok = ok ", " ((p != "?" && p != "" && p + 0 < tp) ? "p99 met" : "p99 MISSED")
            print ok }')
        if [[ $run == feed_all ]]; then VERDICT="$VERDICT (information only)"; fi
        if [[ $STRICT == 1 && $run != feed_all && $VERDICT == *MISSED* ]]; then FAILURES+=("$run: target $VERDICT"); fi
    fi
    printf '%-9s requests/s=%-10s p50=%sms  p99=%sms  ratio-to-healthz=%s  non2xx=%s  socket_errors=%s  %s\n' \
        "$run" "$R" "$(pct_ms "$TMP/$run.txt" 50)" "$P99" "$RATIO" "$N" "$E" "$VERDICT"
    [[ $N == 0 && $E == 0 ]] || FAILURES+=("$run: $N non-2xx, $E socket errors")
done
echo "targets (feed and similar): ratio-to-healthz >= $TARGET_RATIO, p99 < $TARGET_P99_MS ms"
if ((${#FAILURES[@]} == 0)); then
    echo "RESULT: PASS"
else
    for f in "${FAILURES[@]}"; do echo "  - $f"; done
    echo "RESULT: FAIL"
    exit 1
fi
