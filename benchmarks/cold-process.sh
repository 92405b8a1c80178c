#!/usr/bin/env bash
# benchmarks/cold-process.sh (make bench-cold-process) -- whole one-shot processes (issue 13): a
# process starts, writes one ~300-byte event into one pair file of a store, and exits. Times RUNS
# such processes of each kind, each on the next of FILES pair files (round-robin: never the same file
# twice in a row), wall time from bash's EPOCHREALTIME around the whole process:
#
#   ancdb put    java -jar protocol/target/ancdb.jar put --store DIR --db NAME --schema Event
#                --record '{"ts": T, "kind": K, "body": B}'   (the CLI's documented one-shot form;
#                skipped, and said so, while this build's ancdb has no put)
#   sqlite3      the stock sqlite3 shell: sqlite3 DIR/NAME.db "PRAGMA synchronous=FULL; INSERT ..."
#
# Both on copies of the same USAGI-shaped pair files (benchmarks' PairFiles: WAL, 40 events each,
# a timestamp index), synchronous FULL on both. Prints median and p90 per kind and writes them to
# benchmarks/results/<date>-cold-process.txt and LATEST-cold-process.txt; at the end every write
# is checked to be in its file (counted through the sqlite3 shell).
#
# Overrides: RUNS (default 40), FILES (default 200), RESULTS (default benchmarks/results),
# ANCDB_JAR (the CLI jar to time; default protocol/target/ancdb.jar).
# Needs make java (benchmarks.jar, ancdb.jar): make bench-cold-process builds it first.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
JAVA_HOME="$(scripts/find-jdk.sh)"
JAVA="$JAVA_HOME/bin/java"
JAR=benchmarks/target/benchmarks.jar
CLI="${ANCDB_JAR:-protocol/target/ancdb.jar}"
RUNS="${RUNS:-40}"
FILES="${FILES:-200}"
results="${RESULTS:-benchmarks/results}"
for f in "$JAR" "$CLI"; do
  [ -e "$f" ] || { echo "cold-process.sh: $f is missing: run 'make bench-cold-process' (it builds first)" >&2; exit 1; }
done
command -v sqlite3 >/dev/null || { echo "cold-process.sh: no sqlite3 shell on PATH" >&2; exit 1; }
FLAGS=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
DATA="$root/benchmarks/target/data"

# a CLI without the subcommand may still answer `put --help` with its general usage and exit 0:
# it has put when that help succeeds and documents put's own --record option
has_put=false
if help="$("$JAVA" "${FLAGS[@]}" -jar "$CLI" put --help 2>&1)" && grep -q -- '--record' <<< "$help"; then
  has_put=true
fi

# trial copies of the pair files (built once into benchmarks/target/data, like the JMH data sets)
copy() {
  "$JAVA" "${FLAGS[@]}" -Dancdb.bench.data="$DATA" -cp "$JAR" io.ancdb.bench.PairFiles copy "$1" "$FILES"
}
names=()
mapfile -t names < <("$JAVA" -cp "$JAR" io.ancdb.bench.PairFiles names "$FILES")
body="$(printf 'x%.0s' $(seq 1 260))"

# quantile P (0..100) of the numbers on stdin (microseconds), nearest rank
quantile() { sort -n | awk -v p="$1" '{a[NR]=$1} END {i=int((p*NR+99)/100); if (i<1) i=1; print a[i]}'; }

# time_runs KIND CMD...: runs CMD with {NAME} and {TS} replaced, RUNS times, prints one time (us) per run
time_runs() {
  local kind="$1"; shift
  local i name ts t0 t1 args a
  for ((i = 0; i < RUNS; i++)); do
    name="${names[$((i % FILES))]}"
    ts=$((1000000 + i))
    args=()
    for a in "$@"; do a="${a//\{NAME\}/$name}"; args+=("${a//\{TS\}/$ts}"); done
    t0=$EPOCHREALTIME
    "${args[@]}" >/dev/null || { echo "cold-process.sh: $kind run $i failed: ${args[*]}" >&2; return 1; }
    t1=$EPOCHREALTIME
    echo $(( (${t1/./} - ${t0/./}) ))
  done
}

# count_events DIR: every file's event count, summed (through the sqlite3 shell)
count_events() {
  local n=0 name
  for name in "${names[@]}"; do
    n=$((n + $(sqlite3 "$1/$name.db" "SELECT count(*) FROM Event")))
  done
  echo "$n"
}

summary() {   # KIND FILE-OF-TIMES
  local med p90
  med="$(quantile 50 < "$2")"; p90="$(quantile 90 < "$2")"
  printf '%-8s %4d runs: median %8.1f ms, p90 %8.1f ms\n' "$1" "$RUNS" "$(bc -l <<< "$med/1000")" "$(bc -l <<< "$p90/1000")"
}

work="$(mktemp -d "${TMPDIR:-/tmp}/cold-process.XXXXXX")"
trap 'rm -rf "$work"' EXIT
out=()
sdir="$(copy sqlite)"
loaded="$(count_events "$sdir")"
time_runs sqlite3 sqlite3 "$sdir/{NAME}.db" \
  "PRAGMA synchronous=FULL; INSERT INTO Event(ts, kind, body) VALUES ({TS}, 'quote', '$body');" > "$work/sqlite3.us"
[ "$(count_events "$sdir")" -eq $((loaded + RUNS)) ] || { echo "cold-process.sh: sqlite3 writes missing" >&2; exit 1; }
out+=("$(summary sqlite3 "$work/sqlite3.us")")
rm -rf "$(dirname "$sdir")"

if $has_put; then
  adir="$(copy ancdb)"
  time_runs ancdb "$JAVA" "${FLAGS[@]}" -jar "$CLI" put --store "$adir" --db "{NAME}" --schema Event \
    --record "{\"ts\": {TS}, \"kind\": \"quote\", \"body\": \"$body\"}" > "$work/ancdb.us"
  [ "$(count_events "$adir")" -eq $((loaded + RUNS)) ] || { echo "cold-process.sh: ancdb put writes missing" >&2; exit 1; }
  out+=("$(summary ancdb "$work/ancdb.us")")
  rm -rf "$(dirname "$adir")"
else
  out+=("ancdb    skipped: this build's ancdb has no put (java -jar $CLI put --help fails or shows no put; the one-shot CLI is on branch storeproto)")
fi

mkdir -p "$results"
stem="$(date +%F)-cold-process"
{
  echo "# Whole one-shot processes: one event into one pair file ($(date -u +%FT%TZ))"
  echo "# $FILES pair files (WAL, synchronous FULL), $RUNS processes each, round-robin over the files;"
  echo "# wall time of the whole process (EPOCHREALTIME); load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# sqlite3: $(sqlite3 --version | cut -d' ' -f1); java: $("$JAVA" -version 2>&1 | head -1)"
  printf '%s\n' "${out[@]}"
} | tee "$results/$stem.txt"
cp "$results/$stem.txt" "$results/LATEST-cold-process.txt"
