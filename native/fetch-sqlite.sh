#!/usr/bin/env bash
# Fetch the pinned SQLite amalgamation, verify its sha256, unpack sqlite3.c and
# sqlite3.h into $1 (default native/build/sqlite) and apply our one source patch.
# The tarball is cached in ${ANCDB_CACHE:-~/.cache/ancdb}, so a second build is offline.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=/dev/null
. <(grep -E '^[A-Z0-9_]+=' "$here/sqlite.pin")
# shellcheck source=native/pinned-fetch.sh
. "$here/pinned-fetch.sh"
out="${1:-$here/build/sqlite}"
cache="${ANCDB_CACHE:-$HOME/.cache/ancdb}"
tarball="$cache/$SQLITE_TARBALL"
mkdir -p "$out"

pinned_fetch fetch-sqlite "$SQLITE_NPM_PACKAGE" "deps/$SQLITE_TARBALL" "$tarball" "$SQLITE_SHA256"

dir="${SQLITE_TARBALL%.tar.gz}"
tar -xzf "$tarball" -C "$out" --strip-components=1 "$dir/sqlite3.c" "$dir/sqlite3.h"
python3 "$here/patch-sqlite.py" "$out/sqlite3.c"
echo "fetch-sqlite: SQLite $SQLITE_VERSION ready in $out"
