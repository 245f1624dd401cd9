#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks to build and test Aduan: the C libraries SQLite, libcrypto and libvips
# (photos: JPEG, PNG, WebP and HEIF through libheif), the sqlite3 shell (the backup tests compare tables with it), and
# PostgreSQL 15's server (the PostgreSQL tests start a throwaway cluster with ops/postgres.sh; nothing runs until then).
# Safe to run again: it installs nothing that is already there.
set -euo pipefail

packages=(libsqlite3-dev libssl-dev libvips-dev pkg-config sqlite3 postgresql-15)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
fi
command -v swift >/dev/null || { echo "swift is not on PATH (Swift 6.3 is needed)" >&2; exit 1; }
