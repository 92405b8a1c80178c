#!/usr/bin/env bash
# Tests of extract-tools/extract.py.
#
#   bash extract-tools/tests/test_extract.sh
#
# 1. A small synthetic amalgamation (fixtures/mini_amalgamation.c) with the
#    known traps: prose in #if 0, a comment opened on a directive line,
#    macro-made definitions, function-pointer tables, a multi-line signature,
#    a signature that differs per #if branch, a #define inside a dropped body.
# 2. Inputs the tool must refuse loudly.
# 3. If the real amalgamation and shim are present (native/build/sqlite and
#    native/ancdb.c), the real run: compiles with -Wall and no new warnings,
#    and the SQL engine is gone.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tool="$root/extract-tools/extract.py"
fx="$here/fixtures"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
fails=0
ok()   { echo "ok   $*"; }
fail() { echo "FAIL $*"; fails=$((fails+1)); }
check() { local what="$1"; shift; if "$@"; then ok "$what"; else fail "$what"; fi; }

# Warnings of compiling SHIM against the core in DIR, without file:line noise.
warnings() {
  local dir="$1" shim="$2"; shift 2
  gcc -Wall -Wextra "$@" -c -I "$dir" "$shim" -o "$tmp/w.o" 2>&1 \
    | grep -E 'warning|error' | sed -E 's/^[^ ]*:[0-9]+:[0-9]+: //' | sort -u
}

# --- 1. synthetic amalgamation -------------------------------------------
for feature in "" "-DFEATURE"; do
  out="$tmp/mini$feature"
  if ! python3 "$tool" --amalgamation "$fx/mini_amalgamation.c" \
       --shim "$fx/mini_shim.c" --defines "$feature" --out "$out" >"$tmp/log" 2>&1; then
    fail "mini ($feature): extract.py failed"; cat "$tmp/log"; continue
  fi
  expected="definesInside  unused.c
multiLine  unused.c
tabC  unused.c
tabD  unused.c
unusedA  unused.c
unusedMember  unused.c
varSig  unused.c"
  check "mini ($feature): excluded_functions.txt" \
    test "$(cat "$out/excluded_functions.txt")" = "$expected"
  check "mini ($feature): ancdb_core.c is a copy of minimal_core.c" \
    cmp -s "$out/minimal_core.c" "$out/ancdb_core.c"
  check "mini ($feature): size_report.md ends with '## Library size'" \
    test "$(grep -v '^$' "$out/size_report.md" | tail -n1)" = "## Library size"
  check "mini ($feature): dependency_graph.dot is a digraph" \
    grep -q '^digraph ancdb_core {' "$out/dependency_graph.dot"
  # Same (or fewer) warnings than with the full file; it must compile.
  mkdir -p "$tmp/full"; cp "$fx/mini_amalgamation.c" "$tmp/full/ancdb_core.c"
  warnings "$tmp/full" "$fx/mini_shim.c" $feature >"$tmp/w.full"
  warnings "$out" "$fx/mini_shim.c" $feature >"$tmp/w.min"
  check "mini ($feature): compiles without new warnings" \
    test -z "$(comm -13 "$tmp/w.full" "$tmp/w.min")"
  # At -O0 gcc emits every static function and object it is given.
  gcc -O0 $feature -c -I "$out" "$fx/mini_shim.c" -o "$tmp/mini.o" 2>/dev/null
  syms="$(nm "$tmp/mini.o" 2>/dev/null | awk '{print $NF}' | sort | tr '\n' ' ')"
  for s in helperB usedA tabA tabB aLiveTable callThroughTable viaMacroTarget \
           genRef genMade genMadeTwo liveCounter usesMadeInside emptyApiFunc; do
    check "mini ($feature): $s kept" grep -qw "$s" <<<"$syms"
  done
  for s in unusedA multiLine varSig definesInside unusedMember tabC tabD \
           aDeadTable zDeadText deadObject; do
    check "mini ($feature): $s dropped" bash -c "! grep -qw '$s' <<<'$syms'"
  done
  check "mini ($feature): report says why emptyApiFunc stays" \
    grep -q 'expands to nothing.*emptyApiFunc' "$out/size_report.md"
  check "mini ($feature): #if 0 prose left alone" grep -q "^Prose in a dead block" "$out/minimal_core.c"
  check "mini ($feature): #define inside a dropped body survives" grep -q '^#define MADE_INSIDE 42' "$out/minimal_core.c"
done

# Deterministic output.
python3 "$tool" --amalgamation "$fx/mini_amalgamation.c" --shim "$fx/mini_shim.c" \
  --defines "" --out "$tmp/again" >/dev/null 2>&1
check "deterministic output" diff -r -q "$tmp/mini" "$tmp/again"

# --- 2. refusals -----------------------------------------------------------
refuses() {  # refuses WHAT PATTERN ARGS...
  local what="$1" pattern="$2"; shift 2
  if python3 "$tool" "$@" --out "$tmp/bad" >"$tmp/log" 2>&1; then
    fail "$what: exit status 0"; return
  fi
  check "$what" grep -q "$pattern" "$tmp/log"
}
refuses "refuses a K&R definition" "K&R" \
  --amalgamation "$fx/kr_amalgamation.c" --shim "$fx/kr_shim.c" --defines ""
printf 'int shim_entry(void){ return 0; }\n' >"$tmp/noinc.c"
refuses "refuses a shim that does not include the core" 'does not #include' \
  --amalgamation "$fx/mini_amalgamation.c" --shim "$tmp/noinc.c" --defines ""
refuses "refuses a missing amalgamation" 'cannot read' \
  --amalgamation "$tmp/nothere.c" --shim "$fx/mini_shim.c" --defines ""
refuses "reports a failing gcc -E" 'preprocessing the shim failed' \
  --amalgamation "$fx/mini_amalgamation.c" --shim "$fx/mini_shim.c" \
  --defines "-include $tmp/nothere.h"

# --- 3. the real thing, when present --------------------------------------
amalg="$root/native/build/sqlite/sqlite3.c"
shim="$root/native/ancdb.c"
if [ -f "$amalg" ] && [ -f "$shim" ]; then
  defines="$(make -s --no-print-directory -f - print <<EOF
include $root/native/flags.mk
print: ; @echo \$(SQLITE_DEFINES)
EOF
)"
  start=$SECONDS
  if python3 "$tool" --amalgamation "$amalg" --shim "$shim" --defines "$defines" \
       --out "$tmp/real" >"$tmp/log" 2>&1; then
    ok "real: $(cat "$tmp/log") ($((SECONDS-start)) s)"
    for f in sqlite3RunParser sqlite3VdbeExec sqlite3Select sqlite3_exec sqlite3_prepare_v2; do
      check "real: $f dropped" grep -q "^$f " "$tmp/real/excluded_functions.txt"
    done
    # shellcheck disable=SC2086
    if gcc $defines -Wall -fsyntax-only -I "$root/native" -I "$tmp/real" "$shim" >"$tmp/w" 2>&1 \
       && ! grep -q warning "$tmp/w"; then
      ok "real: shim + minimal_core.c compile cleanly with -Wall"
    else
      fail "real: shim + minimal_core.c compile"; head -20 "$tmp/w"
    fi
  else
    fail "real: extract.py failed"; cat "$tmp/log"
  fi
else
  echo "skip real amalgamation (run native/fetch-sqlite.sh; needs native/ancdb.c)"
fi

echo
if [ "$fails" -eq 0 ]; then echo "all tests passed"; else echo "$fails test(s) FAILED"; fi
[ "$fails" -eq 0 ]
