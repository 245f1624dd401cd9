#!/usr/bin/env bash
# ops/bench/submit.sh — submission throughput of aduan-server, relative to its own GET /healthz.
#
# Starts one release aduan-server on a fresh database, drives it with wrk (GET /healthz, then
# POST /v1/complaints with distinct bodies), ROUNDS times interleaved (healthz, submit, healthz, submit, ...) so
# that the machine's drift hits both alike, and prints the median of each with its spread, the filesystem the
# database is on, and a verdict that keeps correctness and speed apart. Exit status: 0 = PASS, 1 = FAIL (a non-2xx
# or socket error on submit, or fewer rows in the database than 201 answers; with STRICT=1 also a missed target).
#
# Environment:
#   ADUAN_BIN          server binary to use (default: build it with `swift build -c release`)
#   ADUAN_DURABILITY   full | normal — SQLite synchronous mode, passed to the server (default full)
#   CONNECTIONS=64  THREADS=2  DURATION=10s  WARMUP=2s (0 skips the warm-up)  ROUNDS=3
#   STRICT=1           also FAIL when a performance target is missed
#   RATE_LIMITS=on     keep every request going through the rate limiter (limits too high to refuse); off by default
#   IDENTITY=named|anonymous  reporters with a name and phone, not anonymous or anonymous (sealed): the cost of sealing
set -euo pipefail

CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
ROUNDS=${ROUNDS:-3}
STRICT=${STRICT:-0}
export ADUAN_DURABILITY=${ADUAN_DURABILITY:-full}

# Performance targets (reported; enforced only with STRICT=1).
TARGET_RATIO=0.35
TARGET_P99_MS=20

die() { echo "submit.sh: $*" >&2; exit 2; }

case "$ADUAN_DURABILITY" in full | normal) ;; *) die "ADUAN_DURABILITY must be full or normal, not '$ADUAN_DURABILITY'" ;; esac

# shellcheck source=ops/bench/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
start_server

# --- 4. load -----------------------------------------------------------------------------------
SUBMIT=(-s "$SCRIPT_DIR/submit.lua" "$BASE/v1/complaints")

if [[ $WARMUP != 0 && $WARMUP != 0s ]]; then
    echo "==> warm-up ($WARMUP each)"
    run_wrk healthz-warmup "$WARMUP" "$BASE/healthz" >/dev/null
    run_wrk submit-warmup "$WARMUP" "${SUBMIT[@]}" -- warmup ${IDENTITY:-} >/dev/null
fi
for round in $(seq "$ROUNDS"); do
    echo "==> round $round of $ROUNDS: GET /healthz, then POST /v1/complaints, $DURATION each"
    run_wrk "healthz-$round" "$DURATION" "$BASE/healthz"
    run_wrk "submit-$round" "$DURATION" "${SUBMIT[@]}" -- "bench$round" ${IDENTITY:-}
done

# A field of the "submit-lua: responses=N 2xx=N non2xx=N" line printed by submit.lua's done().
lua_field() { sed -n "s/^submit-lua: .* $2=\([0-9][0-9]*\).*/\1/p" "$1" | head -n 1; }

H_RPS_ALL=(); H_P99_ALL=(); S_RPS_ALL=(); S_P50_ALL=(); S_P99_ALL=(); RATIOS=()
H_NON2XX=0; H_ERR=0; S_NON2XX=0; S_ERR=0; ACKED=0; S_STATUSES=""
for round in $(seq "$ROUNDS"); do
    h=$TMP/healthz-$round.txt; u=$TMP/submit-$round.txt
    H_RPS_ALL+=("$(rps "$h")"); H_P99_ALL+=("$(pct_ms "$h" 99)")
    S_RPS_ALL+=("$(rps "$u")"); S_P50_ALL+=("$(pct_ms "$u" 50)"); S_P99_ALL+=("$(pct_ms "$u" 99)")
    RATIOS+=("$(awk -v s="$(rps "$u")" -v h="$(rps "$h")" 'BEGIN { if (h > 0) printf "%.2f", s / h; else print "?" }')")
    H_NON2XX=$((H_NON2XX + $(wrk_non2xx "$h"))); H_ERR=$((H_ERR + $(socket_errors "$h")))
    n=$(lua_field "$u" non2xx); S_NON2XX=$((S_NON2XX + ${n:-$(wrk_non2xx "$u")}))
    S_ERR=$((S_ERR + $(socket_errors "$u")))
    ACKED=$((ACKED + $(lua_field "$u" 2xx || true) + 0))
    S_STATUSES+="$(sed -n 's/^submit-lua: .*statuses=\(.*\)$/\1/p' "$u") "
done
H_RPS=$(median "${H_RPS_ALL[@]}"); H_P99=$(median "${H_P99_ALL[@]}")
S_RPS=$(median "${S_RPS_ALL[@]}"); S_P50=$(median "${S_P50_ALL[@]}"); S_P99=$(median "${S_P99_ALL[@]}")
RATIO=$(median "${RATIOS[@]}")
if [[ -f $TMP/submit-warmup.txt ]]; then
    ACKED=$((ACKED + $(lua_field "$TMP/submit-warmup.txt" 2xx || true) + 0))
    S_NON2XX_WARMUP=$(lua_field "$TMP/submit-warmup.txt" non2xx)
else
    S_NON2XX_WARMUP=0
fi
# fsync on tmpfs (or any memory filesystem) returns at once: a figure from there says nothing about durability.
FS_TYPE=$(stat -f -c %T "$TMP" 2>/dev/null || echo "?")
FS_NOTE=""
case "$FS_TYPE" in tmpfs | ramfs) FS_NOTE="  (memory: fsync proves nothing about durability here; set TMPDIR to a disk)" ;; esac

# --- 6. stop the server before counting, so every acknowledged write has been committed ------
stop_server
COUNT="n/a (sqlite3 not installed)"
if command -v sqlite3 >/dev/null 2>&1; then
    COUNT=$(sqlite3 "$TMP/bench.sqlite" 'SELECT count(*) FROM complaint' 2>&1) || COUNT="error: $COUNT"
fi

# --- 5. summary --------------------------------------------------------------------------------
FAILURES=()
[[ $S_NON2XX == 0 ]] || FAILURES+=("$S_NON2XX non-2xx submit responses (statuses $S_STATUSES)")
[[ ${S_NON2XX_WARMUP:-0} == 0 ]] || FAILURES+=("$S_NON2XX_WARMUP non-2xx submit responses during warm-up")
[[ $S_ERR == 0 ]] || FAILURES+=("$S_ERR socket errors on submit")
[[ -n $S_RPS && -n $H_RPS ]] || FAILURES+=("could not parse wrk output")
if [[ $COUNT =~ ^[0-9]+$ ]] && ((COUNT < ACKED)); then
    FAILURES+=("database holds $COUNT complaints but $ACKED submissions were acknowledged")
fi
[[ ${SERVER_STATUS:-0} == 0 ]] || echo "note: server exited with status $SERVER_STATUS after SIGTERM" >&2

RATIO_OK=$(awk -v r="$RATIO" -v t="$TARGET_RATIO" 'BEGIN { print (r != "?" && r + 0 >= t) ? "met" : "MISSED" }')
P99_OK=$(awk -v p="$S_P99" -v t="$TARGET_P99_MS" 'BEGIN { print (p != "?" && p != "" && p + 0 < t) ? "met" : "MISSED" }')
if [[ $STRICT == 1 ]]; then
    [[ $RATIO_OK == met ]] || FAILURES+=("ratio target missed")
    [[ $P99_OK == met ]] || FAILURES+=("p99 target missed")
fi

echo
echo "durability=$ADUAN_DURABILITY connections=$CONNECTIONS duration=$DURATION rounds=$ROUNDS (medians; min-max in brackets)"
echo "database on: $FS_TYPE ($(df -P "$TMP" | awk 'NR == 2 { print $1 }'))$FS_NOTE"
printf 'healthz   requests/s=%s [%s]  p99=%sms [%s]  non2xx=%s  socket_errors=%s\n' \
    "$H_RPS" "$(spread "${H_RPS_ALL[@]}")" "$H_P99" "$(spread "${H_P99_ALL[@]}")" "$H_NON2XX" "$H_ERR"
printf 'submit    requests/s=%s [%s]  p50=%sms  p99=%sms [%s]  non2xx=%s  socket_errors=%s\n' \
    "$S_RPS" "$(spread "${S_RPS_ALL[@]}")" "$S_P50" "$S_P99" "$(spread "${S_P99_ALL[@]}")" "$S_NON2XX" "$S_ERR"
printf 'ratio submit/healthz = %s [%s]   (target >= %s)   p99 submit target < %s ms\n' \
    "$RATIO" "$(spread "${RATIOS[@]}")" "$TARGET_RATIO" "$TARGET_P99_MS"
printf 'complaints in database: %s   (acknowledged submissions incl. warm-up: %s)\n' "$COUNT" "$ACKED"
# The verdict says what happened: correctness (nothing lost, no error) and speed (the targets) apart.
if [[ $RATIO_OK == met && $P99_OK == met ]]; then
    SPEED="targets met (ratio $RATIO >= $TARGET_RATIO, p99 $S_P99 ms < $TARGET_P99_MS ms)"
else
    SPEED="targets MISSED: ratio $RATIO ($RATIO_OK, target >= $TARGET_RATIO), p99 $S_P99 ms ($P99_OK, target < $TARGET_P99_MS ms)"
fi
echo "speed: $SPEED"
if ((${#FAILURES[@]} == 0)); then
    echo "RESULT: PASS (every acknowledged submission stored, no errors; $SPEED)"
else
    for f in "${FAILURES[@]}"; do echo "  - $f"; done
    grep -h '^submit-lua: first failure' "$TMP"/submit*.txt | head -n 1 || true
    echo "RESULT: FAIL"
    exit 1
fi
