#!/usr/bin/env bash
# ops/bench/deliveries.sh — webhook delivery throughput of aduan-server to a local receiver.
#
# Subscribes ops/bench/webhook_receiver.py (which verifies every Standard Webhooks signature) to the whole province,
# switches the subscription off, files complaints with wrk for DURATION (their events wait in the outbox), then
# switches it on and times how long the server takes to deliver every one. Prints deliveries per second. Exit
# status: 0 = PASS, 1 = FAIL (an event not delivered within TIMEOUT seconds, or a signature that did not verify).
#
# Environment:
#   ADUAN_BIN, ADUAN_ADMIN_BIN   binaries to use (default: build them with `swift build -c release`)
#   CONNECTIONS=16  THREADS=2  DURATION=5s   the filing load
#   RECEIVER_PORT=9009  TIMEOUT=300
set -euo pipefail

CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
DURATION=${DURATION:-5s}
RECEIVER_PORT=${RECEIVER_PORT:-9009}
TIMEOUT=${TIMEOUT:-300}
export ADUAN_WEBHOOK_ALLOW_PRIVATE=true

die() { echo "deliveries.sh: $*" >&2; exit 2; }
command -v python3 >/dev/null || die "python3 is needed for the receiver"

# shellcheck source=ops/bench/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
ensure_admin
command -v sqlite3 >/dev/null || die "sqlite3 is needed to count the outbox (apt-get install sqlite3)"

DB="$TMP/bench.sqlite"
"$ADUAN_ADMIN_BIN" db migrate --db "$DB" >/dev/null
SECRET=$("$ADUAN_ADMIN_BIN" webhooks add --db "$DB" --url "http://127.0.0.1:$RECEIVER_PORT/hook" --province --json |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')
"$ADUAN_ADMIN_BIN" webhooks disable 1 --db "$DB" --reason "bench: filing first" >/dev/null

python3 "$SCRIPT_DIR/webhook_receiver.py" --port "$RECEIVER_PORT" --secret "$SECRET" --out "$TMP/received.jsonl" &
RECEIVER_PID=$!
trap 'kill $RECEIVER_PID 2>/dev/null || true; cleanup' EXIT

start_server
echo "==> filing for $DURATION with the subscription off"
run_wrk submit "$DURATION" -s "$SCRIPT_DIR/submit.lua" "$BASE/v1/complaints" -- deliveries >/dev/null
sleep 1  # requests wrk cut off at the end may still commit
EVENTS=$(sqlite3 "$DB" 'SELECT count(*) FROM outbox_event')
echo "==> $EVENTS events in the outbox; switching the subscription on"
: >"$TMP/received.jsonl"
START=$(date +%s.%N)
"$ADUAN_ADMIN_BIN" webhooks enable 1 --db "$DB" >/dev/null
RECEIVED=0
for _ in $(seq $((TIMEOUT * 10))); do
    RECEIVED=$(wc -l <"$TMP/received.jsonl")
    [[ $RECEIVED -ge $EVENTS ]] && break
    sleep 0.1
done
END=$(date +%s.%N)
stop_server
INVALID=$(grep -c '"valid": false' "$TMP/received.jsonl" || true)
DISTINCT=$(python3 -c 'import json,sys; print(len({json.loads(l)["id"] for l in open(sys.argv[1])}))' "$TMP/received.jsonl")
SECONDS_TAKEN=$(awk -v s="$START" -v e="$END" 'BEGIN { printf "%.2f", e - s }')
RATE=$(awk -v n="$RECEIVED" -v t="$SECONDS_TAKEN" 'BEGIN { if (t > 0) printf "%.0f", n / t; else print "?" }')

echo
echo "deliveries: $RECEIVED received ($DISTINCT distinct webhook-ids) of $EVENTS events in ${SECONDS_TAKEN} s = $RATE/s"
echo "signatures that did not verify: $INVALID"
if [[ $RECEIVED -lt $EVENTS || $INVALID -ne 0 ]]; then
    echo "FAIL"
    exit 1
fi
echo "PASS"
