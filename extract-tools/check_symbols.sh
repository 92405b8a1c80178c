#!/usr/bin/env bash
# check_symbols.sh LIB -- fail unless LIB exports only ancdb_* and contains
# none of SQLite's SQL compiler / VDBE entry points.
set -euo pipefail
lib="$1"
forbidden='sqlite3RunParser|sqlite3VdbeExec|sqlite3Select|sqlite3_exec|sqlite3_prepare|sqlite3Prepare|sqlite3ParserAlloc|sqlite3WhereBegin|sqlite3RegisterBuiltinFunctions|sqlite3Pragma'
found=$(nm "$lib" | awk '{print $NF}' | grep -E "^($forbidden)" || true)
if [ -n "$found" ]; then
  echo "check_symbols: SQL engine symbols present in $lib:" >&2; echo "$found" >&2; exit 1
fi
exported=$(nm -D --defined-only "$lib" | awk '{print $NF}' | grep -v '^ancdb_' || true)
if [ -n "$exported" ]; then
  echo "check_symbols: $lib exports more than ancdb_*:" >&2; echo "$exported" >&2; exit 1
fi
size=$(stat -c %s "$lib")
if [ "$size" -ge 1200000 ]; then echo "check_symbols: $lib is $size bytes (limit 1.2 MB)" >&2; exit 1; fi
echo "check_symbols: ok ($(nm -D --defined-only "$lib" | grep -c ' T ') exported ancdb_* functions, no SQL engine symbols, $size bytes)"
