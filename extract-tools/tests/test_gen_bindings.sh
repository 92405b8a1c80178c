#!/usr/bin/env bash
# Tests for extract-tools/gen_bindings.py.  Run from the repo root:
#   bash extract-tools/tests/test_gen_bindings.sh
# Last line of output is "N passed, N failed"; exit status is non-zero on failure.
# The generated file is also compiled, with the JDK the build uses
# (scripts/find-jdk.sh, or JAVAC=...); no JDK is a failure, not a skip.
set -u

GEN=extract-tools/gen_bindings.py
HEADER=native/ancdb.h
OUT=bindings/src/main/java
REL=io/ancdb/bindings/internal/ancdb_h.java
if [ -z "${JAVAC:-}" ] && jdk=$(scripts/find-jdk.sh 2>/dev/null); then
  JAVAC="$jdk/bin/javac"
fi
JAVAC=${JAVAC:-}

pass=0
fail=0
ok()  { pass=$((pass + 1)); echo "ok   - $1"; }
bad() { fail=$((fail + 1)); echo "FAIL - $1"; [ -n "${2:-}" ] && sed 's/^/       /' <<<"$2"; }

if [ ! -f "$GEN" ] || [ ! -f "$HEADER" ]; then
  echo "run from the repository root" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Copy of the header with an extra declaration inserted before the last #endif.
with_decl() { # $1 = declaration, $2 = output header
  python3 - "$HEADER" "$2" "$1" <<'EOF'
import sys
src, dst, decl = sys.argv[1:]
lines = open(src).read().split("\n")
i = max(n for n, l in enumerate(lines) if l.startswith("#endif"))
lines.insert(i, decl)
open(dst, "w").write("\n".join(lines))
EOF
}

# (a) committed output is up to date
if msg=$(python3 "$GEN" --header "$HEADER" --out "$OUT" --check 2>&1); then
  ok "--check passes on the committed bindings"
else
  bad "--check passes on the committed bindings" "$msg"
fi

# (b) a new declaration makes the committed output stale
mkdir -p "$tmp/h"
with_decl 'ANCDB_API int32_t ancdb_fake_added(ancdb_db db);' "$tmp/h/ancdb.h"
msg=$(python3 "$GEN" --header "$tmp/h/ancdb.h" --out "$OUT" --check 2>&1)
rc=$?
if [ $rc -ne 0 ] && grep -q "stale" <<<"$msg" && grep -q "ancdb_fake_added" <<<"$msg"; then
  ok "--check fails (rc=$rc) and says stale after adding a function"
else
  bad "--check fails and says stale after adding a function (rc=$rc)" "$msg"
fi
if [ "$(wc -l <<<"$msg")" -le 45 ]; then
  ok "--check diff output is short"
else
  bad "--check diff output is short ($(wc -l <<<"$msg") lines)"
fi

# (c) generating from the modified header emits the new wrapper
if python3 "$GEN" --header "$tmp/h/ancdb.h" --out "$tmp/c" 2>/dev/null \
   && grep -q 'public static int ancdb_fake_added(long db)' "$tmp/c/$REL" \
   && grep -q 'private static final class ancdb_fake_added {' "$tmp/c/$REL" \
   && grep -q 'findOrThrow("ancdb_fake_added")' "$tmp/c/$REL"; then
  ok "new function ancdb_fake_added gets a holder and a wrapper"
else
  bad "new function ancdb_fake_added gets a holder and a wrapper"
fi

# (d) unknown types are refused, naming the declaration
for decl in 'ANCDB_API int32_t ancdb_fake_float(ancdb_db db, float x);' \
            'ANCDB_API double ancdb_fake_ret(ancdb_db db);' \
            'ANCDB_API int32_t ancdb_fake_size(size_t n);'; do
  with_decl "$decl" "$tmp/h/bad.h"
  msg=$(python3 "$GEN" --header "$tmp/h/bad.h" --out "$tmp/d" 2>&1)
  rc=$?
  name=$(sed 's/.* \(ancdb_fake_[a-z]*\)(.*/\1/' <<<"$decl")
  if [ $rc -ne 0 ] && grep -q "$name" <<<"$msg" && [ ! -e "$tmp/d/$REL" ]; then
    ok "unknown type refused: $name (rc=$rc)"
  else
    bad "unknown type refused: $name (rc=$rc)" "$msg"
  fi
done

# (e) ANCDB_LEAF functions, and only those, are critical downcalls
handle_line() { # $1 = function, $2 = file
  awk -v c="    private static final class $1 {" \
      '$0 == c {f=1} f && /static final MethodHandle HANDLE/ {print; exit}' "$2"
}
gen="$OUT/$REL"
rowid=$(handle_line ancdb_cursor_rowid "$gen")
insrow=$(handle_line ancdb_cursor_insert_row "$gen")
if grep -q 'Linker.Option.critical(true)' <<<"$rowid"; then
  ok "leaf ancdb_cursor_rowid uses critical(true)"
else
  bad "leaf ancdb_cursor_rowid uses critical(true)" "$rowid"
fi
if [ -n "$insrow" ] && ! grep -q 'critical' <<<"$insrow"; then
  ok "non-leaf ancdb_cursor_insert_row has no linker options"
else
  bad "non-leaf ancdb_cursor_insert_row has no linker options" "$insrow"
fi
nleaf=$(grep -c '^ANCDB_API ANCDB_LEAF' "$HEADER")
ncrit=$(grep -c 'critical(true)' "$gen")
if [ "$nleaf" -eq "$ncrit" ]; then
  ok "critical downcalls ($ncrit) match ANCDB_LEAF declarations ($nleaf)"
else
  bad "critical downcalls ($ncrit) match ANCDB_LEAF declarations ($nleaf)"
fi

# (f) determinism, and independence from how the header path is spelled
python3 "$GEN" --header "$HEADER" --out "$tmp/f1" 2>/dev/null
python3 "$GEN" --header "$PWD/$HEADER" --out "$tmp/f2" 2>/dev/null
if cmp -s "$tmp/f1/$REL" "$tmp/f2/$REL" && cmp -s "$tmp/f1/$REL" "$gen"; then
  ok "generation is deterministic (byte-identical)"
else
  bad "generation is deterministic (byte-identical)"
fi
if [ "$(tail -c 1 "$tmp/f1/$REL" | od -An -c | tr -d ' ')" = '\n' ]; then
  ok "output ends with a newline"
else
  bad "output ends with a newline"
fi

# Extra: the multi-line, commented ancdb_open parses to the right signature,
# and constants/marker macros are handled.
if grep -q 'public static int ancdb_open(MemorySegment zPath, int flags, int nCachePages, int busyTimeoutMs, long mmapBytes, MemorySegment zErr, int nErr, MemorySegment pDb)' "$gen"; then
  ok "multi-line ancdb_open declaration parsed"
else
  bad "multi-line ancdb_open declaration parsed"
fi
if grep -q 'public static final int ANCDB_DONE = 101;' "$gen" \
   && grep -q 'public static final int ANCDB_OPEN_KEEP_JOURNAL = 0x0080;' "$gen" \
   && ! grep -Eq 'int ANCDB_(API|LEAF|H) ' "$gen"; then
  ok "constants emitted, marker macros ignored"
else
  bad "constants emitted, marker macros ignored"
fi

# Extra: the generated file compiles with NativeLibrary, with the build's JDK
if [ -z "$JAVAC" ] || [ ! -x "$JAVAC" ]; then
  bad "generated bindings compile: no JDK found (scripts/find-jdk.sh: $(scripts/find-jdk.sh 2>&1 >/dev/null | head -1); or set JAVAC=...)"
elif msg=$("$JAVAC" --release 25 -Xlint:all -Werror -d "$tmp/classes" \
      bindings/src/main/java/io/ancdb/bindings/NativeLibrary.java \
      "$tmp/c/$REL" 2>&1); then
  ok "generated bindings (with the added function) compile cleanly ($JAVAC)"
else
  bad "generated bindings (with the added function) compile cleanly" "$msg"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
