#!/usr/bin/env bash
# Fetch the pinned SQLite3 Multiple Ciphers amalgamation (the encryption
# tests' oracle, see native/oracle.pin), verify the package's sha256 and
# unpack deps/sqlite3/sqlite3.{c,h} into $1 (default native/build/oracle).
# The package is cached in ${ANCDB_CACHE:-~/.cache/ancdb}.  Test build only.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=/dev/null
. <(grep -E '^[A-Z0-9_]+=' "$here/oracle.pin" | sed -E "s/^([A-Z0-9_]+)=(.*)$/\1='\2'/")
# shellcheck source=native/pinned-fetch.sh
. "$here/pinned-fetch.sh"
out="${1:-$here/build/oracle}"
cache="${ANCDB_CACHE:-$HOME/.cache/ancdb}"
mkdir -p "$out"

pinned_fetch fetch-oracle "$ORACLE_NPM_PACKAGE" "" "$cache/$ORACLE_TARBALL" "$ORACLE_SHA256"

tar -xzf "$cache/$ORACLE_TARBALL" -C "$out" --strip-components=3 package/deps/sqlite3/sqlite3.c package/deps/sqlite3/sqlite3.h
echo "fetch-oracle: $ORACLE_VERSION ready in $out"
