#!/usr/bin/env bash
# ops/bench/seeded.sh — shared by the report benchmarks (report.sh, rakor.sh): installs sqlite3 and GNU time, builds
# or takes the release aduan-admin, and seeds the database of COMPLAINTS complaints over MONTHS months up to the start
# of this month (WIB) at BENCH_DB once (about a quarter of an hour for a million; delete it to seed again). Source it
# after setting COMPLAINTS, MONTHS, BENCH_DB and a die() function; it sets ADUAN_ADMIN_BIN and defines time_run.
for tool in sqlite3 /usr/bin/time; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "==> installing sqlite3 and time"
        SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
        $SUDO apt-get install -y sqlite3 time || { $SUDO apt-get update && $SUDO apt-get install -y sqlite3 time; }
    fi
done
if [[ -z ${ADUAN_ADMIN_BIN:-} ]]; then
    echo "==> building aduan-admin (release)"
    (cd "$REPO_ROOT" && swift build -c release --product aduan-admin)
    ADUAN_ADMIN_BIN="$(cd "$REPO_ROOT" && swift build -c release --show-bin-path)/aduan-admin"
fi
[[ -x $ADUAN_ADMIN_BIN ]] || die "aduan-admin not found: $ADUAN_ADMIN_BIN"

# shellcheck source=ops/bench/seed.sh
source "$(dirname "${BASH_SOURCE[0]}")/seed.sh"
seed_once "$BENCH_DB"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/aduan-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
# time_run NAME CMD...: appends "NAME seconds max_rss_kb" to $TMP/runs.
time_run() {
    local name=$1; shift
    /usr/bin/time -f "$name %e %M" -a -o "$TMP/runs" "$@" >"$TMP/out" 2>"$TMP/err" || { cat "$TMP/err" >&2; die "$name failed"; }
}
