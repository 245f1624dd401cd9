#!/usr/bin/env bash
# ops/bench/report.sh — the monthly SLA report over a seeded database of a million complaints: the time and peak
# memory of `aduan-admin report monthly` in each format, against the plain sqlite3 CLI computing, on the same file,
# the received and resolved-within-SLA counts per OPD and month over the six months the report covers.
# Target (issue 17): each format under 0.5x that query's time, peak memory under 100 MB: the report reads the monthly
# counters, not the complaints. Also prints how long a replay of the whole history into the counters takes (what the
# migration to schema 11 and `demo seed` do), on a copy of the file.
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
# A like-for-like baseline: plain SQL computing the report's headline figures per office for the month and the one
# before (received; responses and resolutions due, and in time; the backlog at month end by age and overdue; median
# response and resolution times), as someone would write it by hand. The GROUP BY above is a floor; this is the
# yardstick of the same work.
M_START=$(sqlite3 "$BENCH_DB" "SELECT strftime('%Y-%m-%d %H:%M:%f', '$MONTH-01', '-7 hours')")
P_START=$(sqlite3 "$BENCH_DB" "SELECT strftime('%Y-%m-%d %H:%M:%f', '$MONTH-01', '-1 month', '-7 hours')")
LIKE_SQL="WITH m(k, s, e) AS (VALUES ('now', '$M_START', '$END'), ('before', '$P_START', '$M_START')),
received AS (SELECT opd, k, count(*) AS n FROM complaint JOIN m ON created_at >= s AND created_at < e
    WHERE status <> 'duplicate' GROUP BY opd, k),
response AS (SELECT opd, k, count(*) AS due, sum(responded_at IS NOT NULL AND responded_at <= response_due_at) AS ok
    FROM complaint JOIN m ON response_due_at >= s AND response_due_at < e WHERE status <> 'duplicate' GROUP BY opd, k),
resolution AS (SELECT opd, k, count(*) AS due, sum(resolved_at IS NOT NULL AND resolved_at <= resolution_due_at) AS ok
    FROM complaint JOIN m ON resolution_due_at >= s AND resolution_due_at < e WHERE status NOT IN ('duplicate', 'rejected') GROUP BY opd, k),
backlog AS (SELECT opd, k, count(*) AS n, sum(age <= 7) AS d7, sum(age > 7 AND age <= 14) AS d14, sum(age > 14 AND age <= 30) AS d30,
    sum(age > 30) AS older, sum(overdue) AS overdue
    FROM (SELECT opd, k, julianday(e) - julianday(created_at) AS age, resolution_due_at < e AS overdue FROM complaint JOIN m
          ON created_at < e AND (settled_at IS NULL OR settled_at >= e) WHERE status NOT IN ('duplicate', 'rejected')) GROUP BY opd, k),
responded AS (SELECT opd, k, response_working_seconds AS v,
    row_number() OVER (PARTITION BY opd, k ORDER BY response_working_seconds) AS r, count(*) OVER (PARTITION BY opd, k) AS c
    FROM complaint JOIN m ON responded_at >= s AND responded_at < e WHERE response_working_seconds IS NOT NULL),
resolved AS (SELECT opd, k, resolution_working_seconds AS v,
    row_number() OVER (PARTITION BY opd, k ORDER BY resolution_working_seconds) AS r, count(*) OVER (PARTITION BY opd, k) AS c
    FROM complaint JOIN m ON settled_at >= s AND settled_at < e WHERE resolution_working_seconds IS NOT NULL),
medians AS (SELECT opd, k, avg(v) AS response_median, NULL AS resolution_median FROM responded WHERE r IN ((c + 1) / 2, (c + 2) / 2) GROUP BY opd, k
    UNION ALL SELECT opd, k, NULL, avg(v) FROM resolved WHERE r IN ((c + 1) / 2, (c + 2) / 2) GROUP BY opd, k),
keys AS (SELECT opd, k FROM received UNION SELECT opd, k FROM response UNION SELECT opd, k FROM resolution UNION SELECT opd, k FROM backlog)
SELECT keys.opd, keys.k, received.n, response.due, response.ok, resolution.due, resolution.ok, backlog.n, backlog.d7, backlog.d14,
    backlog.d30, backlog.older, backlog.overdue, (SELECT max(response_median) FROM medians WHERE medians.opd = keys.opd AND medians.k = keys.k),
    (SELECT max(resolution_median) FROM medians WHERE medians.opd = keys.opd AND medians.k = keys.k)
FROM keys LEFT JOIN received USING (opd, k) LEFT JOIN response USING (opd, k) LEFT JOIN resolution USING (opd, k)
    LEFT JOIN backlog USING (opd, k);
"
ROWS=$(sqlite3 "$BENCH_DB" "SELECT count(*) FROM complaint")
echo "==> $ROWS complaints; report month $MONTH; baseline window [$START, $END) UTC; $ROUNDS rounds"

# Warm the page cache once with both, so that every measured run reads the same cached file.
sqlite3 "$BENCH_DB" "$BASELINE_SQL" >/dev/null
"$ADUAN_ADMIN_BIN" report monthly --db "$BENCH_DB" --month "$MONTH" --format json --out "$TMP/warm.json" >/dev/null
for round in $(seq "$ROUNDS"); do
    time_run sqlite3 sqlite3 "$BENCH_DB" "$BASELINE_SQL"
    time_run like-sql sqlite3 "$BENCH_DB" "$LIKE_SQL"
    for format in html md csv json; do
        time_run "$format" "$ADUAN_ADMIN_BIN" report monthly --db "$BENCH_DB" --month "$MONTH" --format "$format" --out "$TMP/report.$format"
    done
done
# The replay of the whole history into the counters (the schema 11 migration's backfill), once.
time_run recount "$ADUAN_ADMIN_BIN" db recount --db "$BENCH_DB"
echo "==> replay of the history into the monthly counters: $(cat "$TMP/out")"
echo "==> baseline rows: $(sqlite3 "$BENCH_DB" "$BASELINE_SQL" | wc -l) (OPD x month); report sizes:" \
    "$(for f in html md csv json; do printf '%s %s KB  ' "$f" $(( $(stat -c %s "$TMP/report.$f") / 1024 )); done)"

# Medians per name; the ratios are against the medians of the two plain queries in the same run: `ratio` against the
# floor (the target), `like-for-like` against the same headline figures in plain SQL.
awk -v target_ratio=0.5 -v target_mb=100 '
    { t[$1] = t[$1] " " $2; m[$1] = ($3 > m[$1] ? $3 : m[$1]); n[$1]++ }
    function median(list,   a, k, i, j, x) {
        k = split(list, a, " ")
        for (i = 2; i <= k; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
        return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
    }
    END {
        base = median(t["sqlite3"]); like = median(t["like-sql"])
        printf "\n%-8s %10s %8s %14s %12s  %s\n", "run", "median s", "ratio", "like-for-like", "peak MB", "target (ratio <= 0.5, < 100 MB)"
        printf "%-8s %10.3f %8s %14s %12.1f\n", "sqlite3", base, "1.00", "", m["sqlite3"] / 1024
        printf "%-8s %10.3f %8.2f %14s %12.1f  %s\n", "like-sql", like, (base > 0 ? like / base : 0), "1.00", m["like-sql"] / 1024, "(headline figures per office in plain SQL)"
        if ("recount" in t) printf "%-8s %10.3f %8s %14s %12.1f  %s\n", "recount", t["recount"] + 0, "", "", m["recount"] / 1024, "(replay of the history, once; not a target)"
        split("html md csv json", order, " ")
        missed = 0
        for (i = 1; i <= 4; i++) {
            f = order[i]; s = median(t[f]); r = (base > 0 ? s / base : 0); mb = m[f] / 1024
            ok = (r <= target_ratio && mb < target_mb) ? "met" : "MISSED"
            if (ok == "MISSED") missed = 1
            printf "%-8s %10.3f %8.2f %14.2f %12.1f  %s\n", f, s, r, (like > 0 ? s / like : 0), mb, ok
        }
        exit missed
    }' "$TMP/runs" && status=0 || status=$?
if [[ $status -ne 0 && ${STRICT:-0} == 1 ]]; then exit 1; fi
exit 0
