#!/usr/bin/env bash
# ops/bench/rakor.sh — the rakor pack of one quarter over a seeded database of a million complaints: the time and
# peak memory of `aduan-admin report rakor` (json and html), against the plain sqlite3 CLI computing, on the same file,
# a like-sized aggregate: complaints of the quarter and the one before, per category, kabupaten/kota and ~100 m grid
# cell, with their open and overdue counts (what hotspots start from, without clustering, backlogs or cross-level).
# Target: within 3x of that query, peak memory under 300 MB.
#
# Shares the seeded database of report.sh (data/bench/report-<N>.sqlite, seeded once: about a quarter of an hour).
# Variables: COMPLAINTS (1000000), MONTHS (12), ROUNDS (3), ADUAN_ADMIN_BIN (default: build the release binary),
# STRICT=1 (exit 1 when a target is missed).
set -euo pipefail
die() { echo "rakor.sh: $*" >&2; exit 1; }
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
COMPLAINTS=${COMPLAINTS:-1000000}
MONTHS=${MONTHS:-12}
ROUNDS=${ROUNDS:-3}
BENCH_DB=${BENCH_DB:-$REPO_ROOT/data/bench/report-$COMPLAINTS.sqlite}

source "$SCRIPT_DIR/seeded.sh"
# The quarter: the last full calendar quarter of the seeded history.
LAST=$(sqlite3 "$BENCH_DB" "SELECT strftime('%Y-%m', max(created_at), '+7 hours') FROM complaint")
YEAR=${LAST%-*}; MONTH=$((10#${LAST#*-}))
QUARTER=$(( (MONTH - 1) / 3 )); [[ $QUARTER -eq 0 ]] && { YEAR=$((YEAR - 1)); QUARTER=4; }
FIRST=$(printf '%s-%02d' "$YEAR" $(( QUARTER * 3 - 2 )))
# UTC text bounds as the table stores them: the quarter before starts 3 months earlier; WIB midnight is 17:00 UTC.
START=$(sqlite3 "$BENCH_DB" "SELECT strftime('%Y-%m-%d %H:%M:%f', '$FIRST-01', '-3 months', '-7 hours')")
MIDDLE=$(sqlite3 "$BENCH_DB" "SELECT strftime('%Y-%m-%d %H:%M:%f', '$FIRST-01', '-7 hours')")
END=$(sqlite3 "$BENCH_DB" "SELECT strftime('%Y-%m-%d %H:%M:%f', '$FIRST-01', '+3 months', '-7 hours')")
BASELINE_SQL="SELECT category, substr(region, 1, 5) AS area, round(lat, 3) AS y, round(lng, 3) AS x,
    sum(created_at >= '$MIDDLE') AS now, sum(created_at < '$MIDDLE') AS before,
    sum(settled_at IS NULL OR settled_at >= '$END') AS open,
    sum(resolution_due_at < min(coalesce(settled_at, '$END'), '$END')) AS overdue, sum(support_count) AS support
FROM complaint WHERE created_at >= '$START' AND created_at < '$END' AND status NOT IN ('duplicate', 'rejected')
GROUP BY category, area, y, x;"
ROWS=$(sqlite3 "$BENCH_DB" "SELECT count(*) FROM complaint")
IN_QUARTER=$(sqlite3 "$BENCH_DB" "SELECT count(*) FROM complaint WHERE created_at >= '$MIDDLE' AND created_at < '$END'")
echo "==> $ROWS complaints; quarter ${YEAR}Q$QUARTER ($IN_QUARTER filed in it); $ROUNDS rounds"

sqlite3 "$BENCH_DB" "$BASELINE_SQL" >/dev/null
"$ADUAN_ADMIN_BIN" report rakor --db "$BENCH_DB" --quarter "${YEAR}Q$QUARTER" --format json --out "$TMP/warm.json" >/dev/null
for round in $(seq "$ROUNDS"); do
    time_run sqlite3 sqlite3 "$BENCH_DB" "$BASELINE_SQL"
    for format in json html; do
        time_run "$format" "$ADUAN_ADMIN_BIN" report rakor --db "$BENCH_DB" --quarter "${YEAR}Q$QUARTER" --format "$format" --out "$TMP/pack.$format"
    done
done
echo "==> baseline rows: $(sqlite3 "$BENCH_DB" "$BASELINE_SQL" | wc -l); pack: $(python3 -c "
import json; d = json.load(open('$TMP/pack.json')); issues = [i for s in d['desks'] for i in s['issues']]
kinds = {k: sum(1 for i in issues if i['kind'] == k) for k in ('hotspot', 'backlog', 'cross_level')}
print(len(issues), 'issues listed', kinds)"); html $(( $(stat -c %s "$TMP/pack.html") / 1024 )) KB"

awk -v target_ratio=3 -v target_mb=300 '
    { t[$1] = t[$1] " " $2; m[$1] = ($3 > m[$1] ? $3 : m[$1]) }
    function median(list,   a, k, i, j, x) {
        k = split(list, a, " ")
        for (i = 2; i <= k; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
        return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
    }
    END {
        base = median(t["sqlite3"])
        printf "\n%-8s %10s %8s %12s  %s\n", "run", "median s", "ratio", "peak MB", "target (ratio <= 3, < 300 MB)"
        printf "%-8s %10.3f %8s %12.1f\n", "sqlite3", base, "1.00", m["sqlite3"] / 1024
        missed = 0
        split("json html", order, " ")
        for (i = 1; i <= 2; i++) {
            f = order[i]; s = median(t[f]); r = (base > 0 ? s / base : 0); mb = m[f] / 1024
            ok = (r <= target_ratio && mb < target_mb) ? "met" : "MISSED"
            if (ok == "MISSED") missed = 1
            printf "%-8s %10.3f %8.2f %12.1f  %s\n", f, s, r, mb, ok
        }
        exit missed
    }' "$TMP/runs" && status=0 || status=$?
if [[ $status -ne 0 && ${STRICT:-0} == 1 ]]; then exit 1; fi
exit 0
