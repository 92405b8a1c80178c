#!/usr/bin/env bash
# size_report.sh LIB FULL_LIB REPORT -- append built sizes to extract.py's report.
set -euo pipefail
lib="$1"; full="$2"; report="$3"
sz() { stat -c %s "$1"; }
text() { size -A "$1" | awk '$1==".text"{print $2}'; }
tmp=$(mktemp)
# Drop a previous "Library size" section, keep extract.py's part.
sed '/^## Library size/,$d' "$report" > "$tmp"
{
  cat "$tmp"
  echo "## Library size"
  echo
  echo "| library | file bytes | .text bytes |"
  echo "|---|---|---|"
  echo "| libancdb.so (shim + extracted core, gc-sections, version script) | $(sz "$lib") | $(text "$lib") |"
  echo "| libsqlite3.so (whole amalgamation, same flags) | $(sz "$full") | $(text "$full") |"
  echo
  echo "Ratio: $(awk -v a="$(sz "$lib")" -v b="$(sz "$full")" 'BEGIN{printf "%.1f%%", 100*a/b}') of the full library."
  echo "SQL engine symbols (sqlite3RunParser, sqlite3VdbeExec, sqlite3Select, sqlite3_exec, sqlite3_prepare*) in libancdb.so: $(nm "$lib" | grep -cE ' (sqlite3RunParser|sqlite3VdbeExec|sqlite3Select|sqlite3_exec|sqlite3_prepare)' || true)"
} > "$report"
rm -f "$tmp"
echo "size_report: $report"
