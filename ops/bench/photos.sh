#!/usr/bin/env bash
# ops/bench/photos.sh — complaints with a 12-megapixel photo: throughput relative to the same server's GET /healthz,
# the processing time per photo, and the server's peak memory with 16 uploads at once.
#
# Generates a 4000x3000 JPEG of about 3 MB with the vips CLI, starts one aduan-server on a fresh database (photos go
# to photos/ beside it), and measures, in this order:
#   1. peak memory: the server's peak resident set (VmHWM, reset first) over RSS_DURATION of RSS_CONNECTIONS (16)
#      concurrent uploads, on the fresh server;
#   2. GET /healthz, then POST /v1/complaints with one photo (wrk + photos.lua), CONNECTIONS each for DURATION;
#   3. processing per photo: SAMPLES uploads with curl, one at a time, alternated with SAMPLES JSON-only
#      submissions, on the idle server: the median and p90 of curl's time_total, and the difference of the medians.
# After each photo load the script waits for the server to finish the uploads wrk left queued.
# Exit status: 0 = PASS, 1 = FAIL (an answer other than 2xx or 503, a socket error, no photo submission completed in
# the measurement, fewer complaints or photo rows in the database than acknowledged, or with STRICT=1 a peak RSS of
# 300 MB or more), 2 = setup error. 503s (photo processing busy, with Retry-After) are allowed, counted and reported.
#
# Environment:
#   ADUAN_BIN          server binary to use (default: build it with `swift build -c release`)
#   ADUAN_DURABILITY   full | normal — SQLite synchronous mode, passed to the server (default full)
#   ADUAN_PHOTO_WORKERS, ADUAN_PHOTO_QUEUE, ADUAN_PHOTO_MEMORY_BUDGET  passed to the server (its defaults: one
#                      worker per CPU, 32 waiting, 256 MiB of forms at once; beyond either, 503)
#   CONNECTIONS=16  THREADS=2  DURATION=10s  WARMUP=2s (0 skips the warm-up)  TIMEOUT=60s (wrk, per request)
#   RSS_CONNECTIONS=16  RSS_DURATION=5s  SAMPLES=20
#   STRICT=1           also FAIL when the peak RSS target is missed
set -euo pipefail

CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
TIMEOUT=${TIMEOUT:-60s}
RSS_CONNECTIONS=${RSS_CONNECTIONS:-16}
RSS_DURATION=${RSS_DURATION:-5s}
SAMPLES=${SAMPLES:-20}
STRICT=${STRICT:-0}
export ADUAN_DURABILITY=${ADUAN_DURABILITY:-full}

# Performance target (reported; enforced only with STRICT=1).
TARGET_RSS_MB=300

die() { echo "photos.sh: $*" >&2; exit 2; }

case "$ADUAN_DURABILITY" in full | normal) ;; *) die "ADUAN_DURABILITY must be full or normal, not '$ADUAN_DURABILITY'" ;; esac
[[ $SAMPLES =~ ^[1-9][0-9]*$ ]] || die "SAMPLES must be a positive number, not '$SAMPLES'"
((RSS_CONNECTIONS % THREADS == 0)) || die "RSS_CONNECTIONS ($RSS_CONNECTIONS) must be a multiple of THREADS ($THREADS)"
command -v curl >/dev/null 2>&1 || die "curl is needed"
if ! command -v vips >/dev/null 2>&1; then
    echo "==> installing libvips-tools"
    SUDO=""
    if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; fi
    $SUDO apt-get install -y libvips-tools || { $SUDO apt-get update && $SUDO apt-get install -y libvips-tools; }
fi

# shellcheck source=ops/bench/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

# --- the test photo: 4000x3000, about 3 MB ------------------------------------------------------
# Three sine gratings (one per band) under grain: coarse noise enlarged 8x plus fine noise. Fixed seeds, so every
# run sends the same image. The fine noise sets the file size: sigma 4 gives about 3.1 MB at quality 90 with 4:2:0
# chroma (like a phone's JPEG).
make_photo() {
    local out=$1 w=4000 h=3000
    mkdir "$TMP/img"
    (
        cd "$TMP/img"
        vips sines r.v $w $h --hfreq 6 --vfreq 2
        vips sines g.v $w $h --hfreq 3 --vfreq 5
        vips sines b.v $w $h --hfreq 9 --vfreq 7
        vips bandjoin "r.v g.v b.v" rgb.v && rm r.v g.v b.v
        vips linear rgb.v pattern.v 50 0 && rm rgb.v
        vips gaussnoise coarse.v $((w / 8)) $((h / 8)) --mean 0 --sigma 25 --seed 1
        vips resize coarse.v texture.v 8 --kernel linear && rm coarse.v
        vips gaussnoise fine.v $w $h --mean 128 --sigma 4 --seed 2
        vips add texture.v fine.v grain.v && rm texture.v fine.v
        vips add pattern.v grain.v sum.v && rm pattern.v grain.v
        vips cast sum.v photo.v uchar && rm sum.v
        vips jpegsave photo.v "$out" --Q 90 --subsample-mode on
    )
    rm -rf "$TMP/img"
}

# luma_qtable JPEG: "OFFSET Q1 ... Q30", the byte offset of entry 1 (zigzag order) of the 8-bit quantisation table 0
# and the 30 entries from there. Raising some of them by one gives a distinct valid JPEG (see photos.lua).
luma_qtable() {
    od -An -v -tu1 -N 131072 "$1" | awk '
        { for (i = 1; i <= NF; i++) b[n++] = $i }
        END {
            if (b[0] != 255 || b[1] != 216) exit 1
            for (p = 2; p + 3 < n && b[p] == 255; p += 2 + b[p + 2] * 256 + b[p + 3]) {
                if (b[p + 1] == 218) break                          # start of scan
                if (b[p + 1] != 219) continue                       # not a DQT segment
                for (q = p + 4; q < p + 2 + b[p + 2] * 256 + b[p + 3]; q += 1 + (b[q] >= 16 ? 128 : 64)) {
                    if (b[q] != 0) continue                         # want 8-bit precision, table 0
                    out = q + 2
                    for (k = 0; k < 30; k++) { if (b[q + 2 + k] >= 255) exit 1; out = out " " b[q + 2 + k] }
                    print out; exit 0
                }
            }
            exit 1
        }'
}

# photo_variant N OUT: the test photo with table entries raised by the bits of N (as photos.lua does).
photo_variant() {
    local n=$1 out=$2 k bytes=""
    for ((k = 0; k < 30; k++)); do printf -v bytes '%s\\x%02x' "$bytes" $((QTABLE[k] + (n >> k & 1))); done
    cp "$PHOTO" "$out"
    # shellcheck disable=SC2059 # the format is the escaped bytes
    printf "$bytes" | dd of="$out" bs=1 seek="$QOFFSET" conv=notrunc status=none
}

PHOTO=$TMP/photo.jpg
echo "==> generating a 4000x3000 JPEG with vips"
make_photo "$PHOTO"
PHOTO_BYTES=$(stat -c %s "$PHOTO")
read -r QOFFSET QREST <<<"$(luma_qtable "$PHOTO")" || die "cannot find an 8-bit luminance quantisation table in $PHOTO"
read -r -a QTABLE <<<"$QREST"
printf '    %s: %s, %d bytes (%.2f MB)\n' "$(basename "$PHOTO")" "$(vipsheader "$PHOTO" | sed 's/^[^:]*: //')" \
    "$PHOTO_BYTES" "$(awk -v b="$PHOTO_BYTES" 'BEGIN { print b / 1048576 }')"

start_server
# lib.sh starts the binary itself in the background, so $SERVER_PID is the server's own process: check.
[[ $(readlink -f "/proc/$SERVER_PID/exe") == $(readlink -f "$ADUAN_BIN") ]] ||
    die "SERVER_PID $SERVER_PID is not $ADUAN_BIN but $(readlink -f "/proc/$SERVER_PID/exe")"

# status_kb FIELD: a field of /proc/PID/status (VmRSS, VmHWM), in kB.
status_kb() { awk -v f="$1:" '$1 == f { print $2 }' "/proc/$SERVER_PID/status"; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# wait_idle: wrk stops with uploads still queued or being processed, and the server finishes them; wait (at most
# 10 minutes) until it has used less than 5% of a CPU over half a second, so the next measurement starts clean.
TICKS_IDLE=$(($(getconf CLK_TCK) / 40))
server_cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$SERVER_PID/stat"; }
wait_idle() {
    local start=$SECONDS before after
    while ((SECONDS - start < 600)); do
        before=$(server_cpu_ticks)
        sleep 0.5
        after=$(server_cpu_ticks)
        if ((after - before <= TICKS_IDLE)); then
            if ((SECONDS - start >= 2)); then echo "    (server idle again after $((SECONDS - start)) s)"; fi
            return 0
        fi
    done
    echo "photos.sh: warning: the server is still busy after 10 minutes" >&2
}

# photos.lua's arguments after "--": the photo, its table offset, then a run tag and a phase (see photos.lua).
PHOTO_WRK=(-s "$SCRIPT_DIR/photos.lua" --timeout "$TIMEOUT" "$BASE/v1/complaints" -- "$PHOTO" "$QOFFSET")

# --- 1. peak memory with RSS_CONNECTIONS uploads at once -----------------------------------------
# First, on the fresh server, so that no earlier load (CONNECTIONS may be larger) has grown the heap. VmHWM is the
# peak resident set since the process started, unless reset: writing 5 to clear_refs sets it to the current resident
# set (Linux >= 4.0), so the peak read after the load is that of this load, startup excluded.
IDLE_RSS_KB=$(status_kb VmRSS)
if echo 5 >"/proc/$SERVER_PID/clear_refs" 2>/dev/null; then HWM_SINCE="reset before this load"; else HWM_SINCE="since the server started"; fi
echo "==> peak memory: $RSS_CONNECTIONS uploads at once for $RSS_DURATION"
CONNECTIONS=$RSS_CONNECTIONS run_wrk rss "$RSS_DURATION" "${PHOTO_WRK[@]}" rss 2
wait_idle
HWM_KB=$(status_kb VmHWM)
RSS_KB=$(status_kb VmRSS)

# --- 2. throughput -----------------------------------------------------------------------------
if [[ $WARMUP != 0 && $WARMUP != 0s ]]; then
    echo "==> warm-up ($WARMUP each)"
    run_wrk healthz-warmup "$WARMUP" "$BASE/healthz" >/dev/null
    run_wrk photos-warmup "$WARMUP" "${PHOTO_WRK[@]}" warmup 0 >/dev/null
    wait_idle
fi
echo "==> GET /healthz for $DURATION ($CONNECTIONS connections)"
run_wrk healthz "$DURATION" "$BASE/healthz"
echo "==> POST /v1/complaints with one photo for $DURATION ($CONNECTIONS connections)"
run_wrk photos "$DURATION" "${PHOTO_WRK[@]}" bench 1
wait_idle

# --- 3. processing time per photo ----------------------------------------------------------------
# One request at a time on the idle server, photo and JSON-only alternated so that drift hits both alike. The
# difference of the medians is the cost of one photo: reading the multipart form, libvips (decode, auto-rotate,
# public copy, thumbnail, perceptual hash, EXIF) and writing its three files durably. It also includes the 3 MB
# upload over loopback, which is not processing but is part of what a client waits for.
echo "==> $SAMPLES sequential uploads with curl, alternated with $SAMPLES JSON-only submissions"
complaint_json() {
    printf '{"category":"sampah","description":"Sampah menumpuk di pinggir jalan, foto terlampir. #%s","region":"18.71.01"}' "$1"
}
# seq_post KIND CURL-ARGS...: one POST /v1/complaints; appends "status seconds" to $TMP/seq-KIND.txt.
seq_post() {
    local kind=$1
    shift
    # -H 'Expect:': curl would otherwise ask for "100 Continue" before a large body and wait for it (a round trip;
    # a full second against a server that did not answer it, as aduan-server did not before December 2026).
    curl -sS -o "$TMP/seq.out" -w '%{http_code} %{time_total}\n' --max-time 600 -H 'Expect:' "$@" "$BASE/v1/complaints" \
        >>"$TMP/seq-$kind.txt" || true
    if [[ $(tail -n 1 "$TMP/seq-$kind.txt") != 201\ * && ! -f $TMP/seq-failure.txt ]]; then
        { printf '%s: ' "$kind"; head -c 300 "$TMP/seq.out"; echo; } >"$TMP/seq-failure.txt"
    fi
}
: >"$TMP/seq-json.txt"
: >"$TMP/seq-photo.txt"
for ((i = 1; i <= SAMPLES; i++)); do
    complaint_json "seq-json-$i" >"$TMP/seq.json"
    seq_post json -H 'Content-Type: application/json' --data-binary "@$TMP/seq.json"
    complaint_json "seq-photo-$i" >"$TMP/seq.json"
    photo_variant $((3 * 2 ** 24 + i)) "$TMP/seq.jpg"
    seq_post photo -F "complaint=<$TMP/seq.json;type=application/json" -F "photo=@$TMP/seq.jpg;type=image/jpeg"
done
# ms_stats FILE: "MEDIAN P90" in ms over the 201 answers of FILE (p90 by nearest rank).
ms_stats() {
    awk '$1 == 201 { print $2 * 1000 }' "$1" | sort -g | awk '{ v[NR] = $1 }
        END {
            if (NR == 0) { print "? ?"; exit }
            m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            r = int(0.9 * NR); if (r < 0.9 * NR) r++
            printf "%.1f %.1f\n", m, v[r]
        }'
}
read -r J_MED J_P90 <<<"$(ms_stats "$TMP/seq-json.txt")"
read -r P_MED P_P90 <<<"$(ms_stats "$TMP/seq-photo.txt")"
PER_PHOTO=$(awk -v p="$P_MED" -v j="$J_MED" 'BEGIN { if (p == "?" || j == "?") print "?"; else printf "%.0f", p - j }')
seq_count() { awk -v s="$2" '$1 == s { n++ } END { print n + 0 }' "$TMP/seq-$1.txt"; }
seq_other() { awk '$1 != 201 && $1 != 503 { n++ } END { print n + 0 }' "$TMP/seq-$1.txt"; }

RUN_HWM_KB=$(status_kb VmHWM) # the peak over the whole run (since the reset)

# --- 4. stop the server before counting, so every acknowledged write has been committed -------
stop_server

# A field of the "photos-lua: responses=N 2xx=N 503=N other=N ..." line printed by photos.lua's done().
lua_field() { { sed -n "s/^photos-lua:.* $2=\([0-9][0-9]*\).*/\1/p" "$TMP/$1.txt" 2>/dev/null || true; } | head -n 1; }
statuses() { sed -n 's/^photos-lua: .*statuses=\(.*\)$/\1/p' "$TMP/$1.txt"; }
RUNS=(rss photos)
[[ -f $TMP/photos-warmup.txt ]] && RUNS=(rss photos-warmup photos)

H_RPS=$(rps "$TMP/healthz.txt")
P_RPS=$(rps "$TMP/photos.txt")
# wrk's requests/s counts every answer, 503s included; the 2xx rate is its share of them.
P_OK_RPS=$(awk -v r="$P_RPS" -v ok="$(lua_field photos 2xx)" -v n="$(lua_field photos responses)" \
    'BEGIN { if (n > 0) printf "%.2f", r * ok / n; else print "0.00" }')
RATIO=$(awk -v s="$P_OK_RPS" -v h="$H_RPS" 'BEGIN { if (h > 0) printf "%.4f", s / h; else print "?" }')
# Over the wrk runs: 2xx and 503 answers, other answers, socket errors; a run without photos.lua's line is a failure.
PHOTOS_ACKED=0 BUSY=0 OTHER=0 SOCKET=0 MISSING=()
BUSY_BY_RUN=()
for run in "${RUNS[@]}"; do
    ok=$(lua_field "$run" 2xx) busy=$(lua_field "$run" 503) other=$(lua_field "$run" other)
    [[ -n $ok && -n $busy && -n $other ]] || { MISSING+=("$run"); ok=0 busy=0 other=0; }
    PHOTOS_ACKED=$((PHOTOS_ACKED + ok))
    BUSY=$((BUSY + busy))
    OTHER=$((OTHER + other))
    BUSY_BY_RUN+=("$run $busy")
    SOCKET=$((SOCKET + $(socket_errors "$TMP/$run.txt")))
done
PHOTOS_ACKED=$((PHOTOS_ACKED + $(seq_count photo 201)))
ACKED=$((PHOTOS_ACKED + $(seq_count json 201)))
BUSY=$((BUSY + $(seq_count photo 503) + $(seq_count json 503)))
BUSY_BY_RUN+=("sequential $(($(seq_count photo 503) + $(seq_count json 503)))")
SEQ_OTHER=$(($(seq_other photo) + $(seq_other json)))

COUNT="n/a (sqlite3 not installed)"
PHOTO_ROWS="n/a"
if command -v sqlite3 >/dev/null 2>&1; then
    COUNT=$(sqlite3 "$TMP/bench.sqlite" 'SELECT count(*) FROM complaint' 2>&1) || COUNT="error: $COUNT"
    PHOTO_ROWS=$(sqlite3 "$TMP/bench.sqlite" 'SELECT count(*) FROM photo' 2>&1) || PHOTO_ROWS="error: $PHOTO_ROWS"
fi
PHOTO_FILES=$(find "$TMP/photos" -type f ! -name '.*' 2>/dev/null | wc -l)

# --- 5. summary --------------------------------------------------------------------------------
FAILURES=()
[[ -n $H_RPS && -n $P_RPS ]] || FAILURES+=("could not parse wrk output")
((${#MISSING[@]} == 0)) || FAILURES+=("no photos-lua summary in: ${MISSING[*]}")
H_NON2XX=$(wrk_non2xx "$TMP/healthz.txt")
H_ERR=$(socket_errors "$TMP/healthz.txt")
[[ $H_NON2XX == 0 && $H_ERR == 0 ]] || FAILURES+=("healthz: $H_NON2XX non-2xx, $H_ERR socket errors")
[[ $OTHER == 0 ]] || FAILURES+=("$OTHER photo submissions answered neither 2xx nor 503 (statuses: $(for r in "${RUNS[@]}"; do printf '%s %s; ' "$r" "$(statuses "$r")"; done))")
[[ $SOCKET == 0 ]] || FAILURES+=("$SOCKET socket errors on photo submissions (TIMEOUT=$TIMEOUT)")
[[ $SEQ_OTHER == 0 ]] || FAILURES+=("$SEQ_OTHER sequential submissions answered neither 201 nor 503")
if [[ $COUNT =~ ^[0-9]+$ ]] && ((COUNT < ACKED)); then
    FAILURES+=("database holds $COUNT complaints but $ACKED submissions were acknowledged")
fi
if [[ $PHOTO_ROWS =~ ^[0-9]+$ ]] && ((PHOTO_ROWS < PHOTOS_ACKED)); then
    FAILURES+=("database holds $PHOTO_ROWS photos but $PHOTOS_ACKED photo submissions were acknowledged")
fi
[[ -n $HWM_KB ]] || FAILURES+=("could not read VmHWM of the server")
[[ $(lua_field photos responses) != 0 ]] ||
    FAILURES+=("no photo submission completed within DURATION=$DURATION: nothing measured (try a longer DURATION)")
[[ ${SERVER_STATUS:-0} == 0 ]] || echo "note: server exited with status $SERVER_STATUS after SIGTERM" >&2

RSS_OK=$(awk -v k="${HWM_KB:-}" -v t="$TARGET_RSS_MB" 'BEGIN { print (k != "" && k / 1024 < t) ? "met" : "MISSED" }')
if [[ $STRICT == 1 && $RSS_OK != met ]]; then FAILURES+=("peak RSS target missed"); fi

echo
echo "durability=$ADUAN_DURABILITY connections=$CONNECTIONS duration=$DURATION photo=4000x3000 JPEG $PHOTO_BYTES bytes"
printf 'healthz       requests/s=%s  p50=%sms  p99=%sms  non2xx=%s  socket_errors=%s\n' \
    "$H_RPS" "$(pct_ms "$TMP/healthz.txt" 50)" "$(pct_ms "$TMP/healthz.txt" 99)" "$H_NON2XX" "$H_ERR"
printf 'photo submit  requests/s=%s (2xx %s/s)  p50=%sms  p99=%sms  2xx=%s  503=%s  other=%s  socket_errors=%s\n' \
    "$P_RPS" "$P_OK_RPS" "$(pct_ms "$TMP/photos.txt" 50)" "$(pct_ms "$TMP/photos.txt" 99)" "$(lua_field photos 2xx)" \
    "$(lua_field photos 503)" "$(lua_field photos other)" "$(socket_errors "$TMP/photos.txt")"
printf 'ratio photo submit (2xx/s) / healthz = %s   (no target)\n' "$RATIO"
printf 'sequential (%s each)  json: median %s ms  p90 %s ms   photo: median %s ms  p90 %s ms\n' \
    "$SAMPLES" "$J_MED" "$J_P90" "$P_MED" "$P_P90"
printf 'processing per photo ≈ %s ms   (photo median - json median; includes the upload over loopback)\n' "$PER_PHOTO"
printf 'peak RSS %s MB (target < %s MB) with %s uploads at once: %s   [VmHWM %s]\n' \
    "$(mb "${HWM_KB:-0}")" "$TARGET_RSS_MB" "$RSS_CONNECTIONS" "$RSS_OK" "$HWM_SINCE"
printf 'RSS: idle at start %s MB, VmRSS after those uploads %s MB, peak over the whole run %s MB\n' \
    "$(mb "$IDLE_RSS_KB")" "$(mb "${RSS_KB:-0}")" "$(mb "${RUN_HWM_KB:-0}")"
printf '503 answers (busy): %s   [%s]\n' "$BUSY" "$(IFS=,; echo "${BUSY_BY_RUN[*]}" | sed 's/,/, /g')"
printf 'complaints in database: %s   (acknowledged incl. warm-up and sequential: %s)\n' "$COUNT" "$ACKED"
printf 'photos in database: %s   (acknowledged photo submissions: %s); photo files: %s (3 per photo)\n' \
    "$PHOTO_ROWS" "$PHOTOS_ACKED" "$PHOTO_FILES"
if ((${#FAILURES[@]} == 0)); then
    echo "RESULT: PASS"
else
    for f in "${FAILURES[@]}"; do echo "  - $f"; done
    grep -h '^photos-lua: first failure' "$TMP"/photos*.txt "$TMP/rss.txt" | head -n 1 || true
    [[ -f $TMP/seq-failure.txt ]] && echo "sequential first failure: $(cat "$TMP/seq-failure.txt")"
    echo "RESULT: FAIL"
    exit 1
fi
