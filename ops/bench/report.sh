#!/usr/bin/env bash
# ops/bench/report.sh — the monthly SLA report over a seeded database of a million complaints: the time and peak
# memory of `aduan-admin report monthly` in each format, against the plain sqlite3 CLI computing, on the same file,
# the received and resolved-within-SLA counts per OPD and month over the six months the report covers.
# Target: each format within 2x of that query, peak memory under 300 MB.
#
# The seeded database is kept (seeding a million complaints takes about a quarter of an hour) at $BENCH_DB,
# default data/bench/report-<N>.sqlite; delete it to seed again. Variables: COMPLAINTS (1000000), MONTHS (12),
# ROUNDS (3), ADUAN_ADMIN_BIN (default: build the release binary), STRICT=1 (exit 1 when a target is missed).
set -euo pipefail
die() { echo "report.sh: $*" >&2; exit 1; }
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
COMPLAINTS=${COMPLAINTS:-1000000}
MONTHS=${MONTHS:-12}
ROUNDS=${ROUNDS:-3}
BENCH_DB=${BENCH_DB:-$REPO_ROOT/data/bench/report-$COMPLAINTS.sqlite}

source "$SCRIPT_DIR/seeded.sh"
# The report's month: the last complete month of the seeded history.
MONTH=$(sqlite3 "$BENCH_DB" "SELECT strftime('%Y-%m', max(created_at), '+7 hours')  FROM complaint")
[[ $MONTH =~ ^[0-9]{4}-[0-9]{2}$ ]] || die "cannot find the seeded month in $BENCH_DB"
# The six months as UTC text bounds (WIB midnight is 17:00 UTC the day before), as the complaint table stores them.
START=$(sqlite3 "$BENCH_DB" "SELECT strftime('%Y-%m-%d %H:%M:%f', '$MONTH-01', '-5 months', '-7 hours')")
END=$(sqlite3 "$BENCH_DB" "SELECT strftime('%Y-%m-%d %H:%M:%f', '$MONTH-01', '+1 month', '-7 hours')")
BASELINE_SQL="SELECT opd, strftime('%Y-%m', created_at, '+7 hours') AS month, count(*) AS received,
    sum(resolved_at IS NOT NULL AND resolved_at <= resolution_due_at) AS resolved_within_sla
FROM complaint WHERE created_at >= '$START' AND created_at < '$END' GROUP BY opd, month;"
ROWS=$(sqlite3 "$BENCH_DB" "SELECT count(*) FROM complaint")
echo "==> $ROWS complaints; report month $MONTH; baseline window [$START, $END) UTC; $ROUNDS rounds"

# Warm the page cache once with both, so that every measured run reads the same cached file.
sqlite3 "$BENCH_DB" "$BASELINE_SQL" >/dev/null
"$ADUAN_ADMIN_BIN" report monthly --db "$BENCH_DB" --month "$MONTH" --format json --out "$TMP/warm.json" >/dev/null
for round in $(seq "$ROUNDS"); do
    time_run sqlite3 sqlite3 "$BENCH_DB" "$BASELINE_SQL"
    for format in html md csv json; do
        time_run "$format" "$ADUAN_ADMIN_BIN" report monthly --db "$BENCH_DB" --month "$MONTH" --format "$format" --out "$TMP/report.$format"
    done
done
echo "==> baseline rows: $(sqlite3 "$BENCH_DB" "$BASELINE_SQL" | wc -l) (OPD x month); report sizes:" \
    "$(for f in html md csv json; do printf '%s %s KB  ' "$f" $(( $(stat -c %s "$TMP/report.$f") / 1024 )); done)"

# Medians per name; the ratio is against the median of the plain query in the same run.
awk -v target_ratio=2 -v target_mb=300 '
    { t[$1] = t[$1] " " $2; m[$1] = ($3 > m[$1] ? $3 : m[$1]); n[$1]++ }
    function median(list,   a, k, i, j, x) {
        k = split(list, a, " ")
        for (i = 2; i <= k; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
        return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
    }
    END {
        base = median(t["sqlite3"])
        printf "\n%-8s %10s %8s %12s  %s\n", "run", "median s", "ratio", "peak MB", "target (ratio <= 2, < 300 MB)"
        printf "%-8s %10.3f %8s %12.1f\n", "sqlite3", base, "1.00", m["sqlite3"] / 1024
        split("html md csv json", order, " ")
        missed = 0
        for (i = 1; i <= 4; i++) {
            f = order[i]; s = median(t[f]); r = (base > 0 ? s / base : 0); mb = m[f] / 1024
            ok = (r <= target_ratio && mb < target_mb) ? "met" : "MISSED"
            if (ok == "MISSED") missed = 1
            printf "%-8s %10.3f %8.2f %12.1f  %s\n", f, s, r, mb, ok
        }
        exit missed
    }' "$TMP/runs" && status=0 || status=$?
if [[ $status -ne 0 && ${STRICT:-0} == 1 ]]; then exit 1; fi
exit 0
