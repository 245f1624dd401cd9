#!/usr/bin/env bash
# ops/bench/postgres.sh — filings through the store on SQLite and on PostgreSQL with one and two servers' pools, in
# one run (aduan-store-bench: no HTTP in front, so the figures are the engines' and the several-server guarantees'
# cost). Starts its own throwaway cluster with fsync ON (ops/postgres.sh; a durable commit, as SQLite's FULL is)
# unless ADUAN_BENCH_DATABASE_URL names a server on which it may create and drop databases.
#
# Not yet here (issue 18): submit through aduan-server with one and two servers, and the staff queue on 1,000,000
# complaints on both engines; the server does not run on PostgreSQL yet.
#
# Environment:
#   ADUAN_STORE_BENCH_BIN   the bench binary (default: build it with `swift build -c release`)
#   FILINGS=4000  CONCURRENCY=64
#   ADUAN_BENCH_DATABASE_URL   a PostgreSQL server to use instead of a throwaway cluster
set -euo pipefail
cd "$(dirname "$0")/../.."

FILINGS=${FILINGS:-4000}
CONCURRENCY=${CONCURRENCY:-64}

BIN=${ADUAN_STORE_BENCH_BIN:-}
if [[ -z $BIN ]]; then
    swift build -c release --product aduan-store-bench >&2
    BIN=.build/release/aduan-store-bench
fi

URL=${ADUAN_BENCH_DATABASE_URL:-}
if [[ -z $URL ]]; then
    export ADUAN_PG_DIR=${TMPDIR:-/tmp}/aduan-postgres-bench ADUAN_PG_PORT=${ADUAN_PG_PORT:-55433} ADUAN_PG_FSYNC=on
    trap 'bash ops/postgres.sh stop' EXIT
    # shellcheck source=../postgres.sh
    source ops/postgres.sh >&2
    URL=$ADUAN_TEST_DATABASE_URL
fi

echo "machine: $(nproc) cores; database files on $(df -T "${TMPDIR:-/tmp}" | awk 'NR==2 {print $2}')"
"$BIN" --filings "$FILINGS" --concurrency "$CONCURRENCY" --database-url "$URL"
