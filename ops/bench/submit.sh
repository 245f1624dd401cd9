#!/usr/bin/env bash
# ops/bench/submit.sh — submission throughput of aduan-server, relative to its own GET /healthz.
#
# Starts one release aduan-server on a fresh database, drives it with wrk (GET /healthz, then
# POST /v1/complaints with distinct bodies) and prints a summary. Exit status: 0 = PASS, 1 = FAIL
# (a non-2xx or socket error on submit, or fewer rows in the database than 201 answers).
#
# Environment:
#   ADUAN_BIN          server binary to use (default: build it with `swift build -c release`)
#   ADUAN_DURABILITY   full | normal — SQLite synchronous mode, passed to the server (default full)
#   CONNECTIONS=64  THREADS=2  DURATION=10s  WARMUP=2s (0 skips the warm-up)
#   STRICT=1           also FAIL when a performance target is missed
#   RATE_LIMITS=on     keep every request going through the rate limiter (limits too high to refuse); off by default
#   IDENTITY=named|anonymous  reporters with a name and phone, not anonymous or anonymous (sealed): the cost of sealing
set -euo pipefail

CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
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
echo "==> GET /healthz for $DURATION"
run_wrk healthz "$DURATION" "$BASE/healthz"
echo "==> POST /v1/complaints for $DURATION"
run_wrk submit "$DURATION" "${SUBMIT[@]}" -- bench ${IDENTITY:-}

# A field of the "submit-lua: responses=N 2xx=N non2xx=N" line printed by submit.lua's done().
lua_field() { sed -n "s/^submit-lua: .* $2=\([0-9][0-9]*\).*/\1/p" "$1" | head -n 1; }

H_RPS=$(rps "$TMP/healthz.txt")
H_P50=$(pct_ms "$TMP/healthz.txt" 50)
H_P99=$(pct_ms "$TMP/healthz.txt" 99)
H_NON2XX=$(wrk_non2xx "$TMP/healthz.txt")
H_ERR=$(socket_errors "$TMP/healthz.txt")
S_RPS=$(rps "$TMP/submit.txt")
S_P50=$(pct_ms "$TMP/submit.txt" 50)
S_P99=$(pct_ms "$TMP/submit.txt" 99)
S_NON2XX=$(lua_field "$TMP/submit.txt" non2xx)
S_NON2XX=${S_NON2XX:-$(wrk_non2xx "$TMP/submit.txt")}
S_ERR=$(socket_errors "$TMP/submit.txt")
S_STATUSES=$(sed -n 's/^submit-lua: .*statuses=\(.*\)$/\1/p' "$TMP/submit.txt")
# 2xx answers to submissions over warm-up and measurement: each one must be a row in the database.
ACKED=$(($(lua_field "$TMP/submit.txt" 2xx || true) + 0))
if [[ -f $TMP/submit-warmup.txt ]]; then
    ACKED=$((ACKED + $(lua_field "$TMP/submit-warmup.txt" 2xx || true) + 0))
    S_NON2XX_WARMUP=$(lua_field "$TMP/submit-warmup.txt" non2xx)
else
    S_NON2XX_WARMUP=0
fi
RATIO=$(awk -v s="$S_RPS" -v h="$H_RPS" 'BEGIN { if (h > 0) printf "%.2f", s / h; else print "?" }')

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
echo "durability=$ADUAN_DURABILITY connections=$CONNECTIONS duration=$DURATION"
printf 'healthz   requests/s=%s  p50=%sms  p99=%sms  non2xx=%s  socket_errors=%s\n' "$H_RPS" "$H_P50" "$H_P99" "$H_NON2XX" "$H_ERR"
printf 'submit    requests/s=%s  p50=%sms  p99=%sms  non2xx=%s  socket_errors=%s\n' "$S_RPS" "$S_P50" "$S_P99" "$S_NON2XX" "$S_ERR"
printf 'ratio submit/healthz = %s   (target >= %s)   p99 submit target < %s ms\n' "$RATIO" "$TARGET_RATIO" "$TARGET_P99_MS"
printf 'targets: ratio %s, p99 %s\n' "$RATIO_OK" "$P99_OK"
printf 'complaints in database: %s   (acknowledged submissions incl. warm-up: %s)\n' "$COUNT" "$ACKED"
if ((${#FAILURES[@]} == 0)); then
    echo "RESULT: PASS"
else
    for f in "${FAILURES[@]}"; do echo "  - $f"; done
    grep -h '^submit-lua: first failure' "$TMP"/submit*.txt | head -n 1 || true
    echo "RESULT: FAIL"
    exit 1
fi
