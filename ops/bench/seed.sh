#!/usr/bin/env bash
# ops/bench/seed.sh — sourced by seeded.sh and scale.sh: seed_once DB seeds COMPLAINTS complaints over MONTHS months up
# to the start of this month (WIB) into DB with $ADUAN_ADMIN_BIN demo seed, unless DB exists (about twenty minutes for
# a million; delete the file to seed again). Written as DB.partial first, so an interrupted seed leaves no DB.
seed_once() {
    local db=$1
    [[ -f $db ]] && return 0
    mkdir -p "$(dirname "$db")"
    local now
    now="$(TZ=Asia/Jakarta date +%Y-%m-01)T00:00:00+07:00"
    echo "==> seeding $COMPLAINTS complaints over $MONTHS months up to $now into $db"
    "$ADUAN_ADMIN_BIN" demo seed --db "$db.partial" --complaints "$COMPLAINTS" --months "$MONTHS" --now "$now"
    sqlite3 "$db.partial" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
    mv "$db.partial" "$db"
    rm -f "$db.partial-wal" "$db.partial-shm"
}
