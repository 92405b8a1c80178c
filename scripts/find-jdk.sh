#!/usr/bin/env bash
# Print the home of a JDK >= 25 (the pom compiles with release 25 and the
# enforcer requires it): $JAVA_HOME first, then the newest under /usr/lib/jvm.
# Exit 1 with a clear message if none.
set -u
min=25
version_of() {  # major version of the JDK at $1, or 0
  local rel="$1/release" v
  [ -x "$1/bin/javac" ] || { echo 0; return; }
  if [ -f "$rel" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$rel")
  else
    v=$("$1/bin/javac" -version 2>&1 | sed -n 's/^javac \([0-9]*\).*/\1/p')
  fi
  echo "${v:-0}"
}
if [ -n "${JAVA_HOME:-}" ] && [ "$(version_of "$JAVA_HOME")" -ge $min ]; then
  echo "$JAVA_HOME"; exit 0
fi
best=""; bestv=0
for d in /usr/lib/jvm/*; do
  [ -d "$d" ] && [ ! -L "$d" ] || continue
  v=$(version_of "$d")
  if [ "$v" -ge $min ] && [ "$v" -gt "$bestv" ]; then best="$d"; bestv=$v; fi
done
if [ -n "$best" ]; then echo "$best"; exit 0; fi
echo "find-jdk: no JDK >= $min found (checked JAVA_HOME=${JAVA_HOME:-unset} and /usr/lib/jvm)." >&2
echo "find-jdk: ANC-DB builds with release 25: install JDK 25 or newer (e.g. Temurin 25) and set JAVA_HOME." >&2
exit 1
