#!/usr/bin/env bash
# Sum the JUnit results of every module (surefire XML reports) into one line.
set -euo pipefail
tests=0; failed=0; skipped=0
for f in */target/surefire-reports/TEST-*.xml; do
  [ -f "$f" ] || continue
  line=$(grep -m1 '<testsuite ' "$f")
  get() { echo "$line" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  tests=$((tests + $(get tests))); skipped=$((skipped + $(get skipped)))
  failed=$((failed + $(get failures) + $(get errors)))
done
echo "java: $((tests - failed - skipped)) passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$tests" -gt 0 ]
