#!/usr/bin/env bash
# benchmarks/run.sh quick|concurrency|cipher|store|full -- run one pass of the benchmark suite and
# write its report.
#
#   quick        (make bench)              the headline figures: every figure the headline
#                                          targets or the README's table rest on (kv, default
#                                          and tuned; 31 JMH trials) + C floor + memory probes.
#                                          About 13 minutes on 2 cores (README).
#   concurrency  (make bench-concurrency)  DirectRead throughput with 1, 2, 4 threads,
#                                          AtomicWrite with 1, 4, 16 writers, mixed 90/10 with
#                                          4 threads, AgentMemory through the dispatcher
#                                          (issue 12; 36 trials, 34 until the protocol has vectors
#                                          as bin; about 10 minutes).
#   cipher       (make bench-cipher)       encrypted against plaintext ANC-DB: reads, scans,
#                                          writes, cold opens (issue 14; 19 trials, about 5 minutes).
#   store        (make bench-store)        many small files (issue 13): ANC-DB's Store of pair files
#                                          against sqlite-jdbc with a per-file connection cache:
#                                          warm appends (1 and 4 threads), warm reads of a pair's 20
#                                          newest events, cold one-shot append and read (10 trials,
#                                          about 5 minutes), then descriptors and RSS per open file
#                                          (StoreFootprint). STORE_FILES=10000 for 10,000 pair files
#                                          (default 1000); FOOTPRINT_FILES: how many it opens (<= 1000).
#   full         (make bench-full)         the benchmarks' own settings (2 forks, 3 x 2 s warm-up,
#                                          5 x 2 s measurement), every operation, store, config and
#                                          shape (a few hours).
# quick, concurrency, cipher and store run each trial in 2 forks x (3 x 0.5 s warm-up, 8 x 0.5 s
# measurement), so that each error is within 15% of its score on a quiet machine. Every
# pass records a sync calibration (4 KiB write + fdatasync, SyncProbe) at its start and end.
#
# What runs comes from the benchmark classes themselves (io.ancdb.bench.Workload:
# `Suite plan PASS` prints one JMH run per line), so a new benchmark class
# is picked up here and in the report without a change to this script.
#
# Needs benchmarks/target/benchmarks.jar and benchmarks/target/bench_floor (make
# bench builds both). Writes benchmarks/results/<stem>.{json,md}, the pass's LATEST file
# and <stem>-<shape>-<op>.png (stem: the date for quick and full, <date>-<pass> for the
# others; LATEST.md, LATEST-concurrency.md, LATEST-cipher.md); raw JMH/C-floor/memory/sync
# output stays in benchmarks/target/run-<date>-<pass>/.
#
# Overrides (for trying things out): KV_RECORDS, AGENT_RECORDS, JMH_ITER (replaces
# the fork/iteration options, e.g. "-f 1 -wi 0 -i 1 -r 100ms"), JMH_EXTRA (more JMH
# options; a -p here adds to the plan's values), STORES (replaces the plan's store
# values, e.g. "ancdb-java,sqlite-jdbc"), ONLY (a regex: only the runs whose name
# matches, e.g. "directRead"), FLOOR_ITER ("warmup_s iters iter_s"), SYNC_SECONDS (each
# calibration; default 2), SKIP_FLOOR=1, SKIP_MEMORY=1, RESULTS (where the report goes;
# default benchmarks/results).
# Profiling (to say why a target is missed): PROF="gc", "stack", "jfr" or several, space
# separated; each becomes a JMH -prof (jfr: -prof jfr:dir=<run dir>/jfr, one recording per
# fork). Their output is in the run's jmh-*.log (gc, stack) or jfr/ directory; the report
# says the run was profiled (profilers perturb the figures: profile with ONLY= a few runs,
# measure without). async-profiler is not used: it does not resolve on this machine.
set -euo pipefail

mode="${1:-quick}"

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
JAVA_HOME="$(scripts/find-jdk.sh)"
JAVA="$JAVA_HOME/bin/java"
JAR=benchmarks/target/benchmarks.jar
FLOOR=benchmarks/target/bench_floor
LIB=native/build/lib/libancdb.so
DATA="$root/benchmarks/target/data"
for f in "$JAR" "$LIB"; do
  [ -e "$f" ] || { echo "run.sh: $f is missing: run 'make bench' (it builds everything first)" >&2; exit 1; }
done

# the passes and whether each runs the C floor and the memory probes: from the suite itself
floor_and_memory=""
while IFS='|' read -r id command fm; do
  if [ "$id" = "$mode" ]; then floor_and_memory="$fm"; fi
done < <("$JAVA" -cp "$JAR" io.ancdb.bench.Suite passes)
[ -n "$floor_and_memory" ] || { echo "usage: $0 quick|concurrency|cipher|store|full" >&2; exit 2; }
if [ "$floor_and_memory" != true ]; then SKIP_FLOOR=1; SKIP_MEMORY=1; fi
if [ -z "${SKIP_FLOOR:-}" ] && [ ! -e "$FLOOR" ]; then
  echo "run.sh: $FLOOR is missing: run 'make bench' (it builds everything first)" >&2; exit 1
fi

date="$(date +%F)"
work="benchmarks/target/run-$date-$mode"
rm -rf "$work" "$DATA/trials"
results="${RESULTS:-benchmarks/results}"
mkdir -p "$work/memory" "$work/sync" "$results"

# JMH forks inherit the host JVM's flags (here only where the data sets live) and
# add the benchmarks' @Fork flags (io.ancdb.bench.JvmArgs); the helper mains get the same flags.
JMH_HOST=(-Dancdb.bench.data="$DATA")
FLAGS=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow
       --add-opens=java.base/java.nio=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED
       -Xmx4g -Djava.awt.headless=true -Dancdb.bench.data="$DATA")

KV_RECORDS="${KV_RECORDS:-1000000}"
if [ "$mode" != full ]; then
  AGENT_RECORDS="${AGENT_RECORDS:-20000}"
  # 16 measurements of each figure over 2 JVMs: JMH's 99.9% error is then 1.02 x their
  # standard deviation (t = 4.07 for 15 degrees of freedom, over sqrt 16), so a figure
  # whose iterations vary by up to ~15% (fork-to-fork differences included) still counts.
  JMH_OPTS=(-f 2 -wi 3 -w 500ms -i 8 -r 500ms)
  FLOOR_PLAN=(1 12 0.5)
else
  AGENT_RECORDS="${AGENT_RECORDS:-100000}"
  JMH_OPTS=()            # the annotations: 2 forks, 3 x 2 s warm-up, 5 x 2 s measurement
  FLOOR_PLAN=(3 10 2)
fi
MEMORY_CONFIGS=(default tuned)
mapfile -t RUNS < <("$JAVA" -Dancdb.bench.kvRecords="$KV_RECORDS" -Dancdb.bench.agentRecords="$AGENT_RECORDS" \
  -Dancdb.bench.storeFiles="${STORE_FILES:-1000}" \
  -cp "$JAR" io.ancdb.bench.Suite plan "$mode")
[ "${#RUNS[@]}" -gt 0 ] || { echo "run.sh: the suite planned no run" >&2; exit 1; }

if [ -n "${JMH_ITER:-}" ]; then read -r -a JMH_OPTS <<< "$JMH_ITER"; fi
if [ -n "${FLOOR_ITER:-}" ]; then read -r -a FLOOR_PLAN <<< "$FLOOR_ITER"; fi
PROF_OPTS=()
for p in ${PROF:-}; do
  if [ "$p" = jfr ]; then PROF_OPTS+=(-prof "jfr:dir=$work/jfr"); else PROF_OPTS+=(-prof "$p"); fi
done

# the sync calibration: what one durable commit costs at least, at the start and the end of the run
sync_probe() {
  "$JAVA" "${FLAGS[@]}" -cp "$JAR" io.ancdb.bench.SyncProbe "$DATA/sync" "${SYNC_SECONDS:-2}" "$1" > "$work/sync/$2.json"
}

load() { cut -d' ' -f1-3 /proc/loadavg; }
start_load="$(load)"
t0=$(date +%s)
echo "run.sh: sync calibration"
sync_probe "start of the run" 1-start
jmh_files=()
for run in "${RUNS[@]}"; do
  # name|include|params|options: the include regex may hold '|' (alternation), the other fields never do
  name="${run%%|*}"; rest="${run#*|}"
  options="${rest##*|}"; rest="${rest%|*}"
  params="${rest##*|}"; include="${rest%|*}"
  if [ -n "${ONLY:-}" ] && ! [[ "$name" =~ $ONLY ]]; then continue; fi
  if [ -n "${STORES:-}" ]; then params="$(sed -E "s/-p store=[^ ]+/-p store=$STORES/" <<< "$params")"; fi
  echo "run.sh: JMH $name: $include $params $options"
  # shellcheck disable=SC2086
  "$JAVA" "${JMH_HOST[@]}" -jar "$JAR" "$include" $params $options "${JMH_OPTS[@]}" ${JMH_EXTRA:-} "${PROF_OPTS[@]}" \
    -rf json -rff "$work/jmh-$name.json" 2>&1 | tee "$work/jmh-$name.log" \
    | grep --line-buffered -E '^(# Run progress|# Parameters|Result |  [0-9]|Iteration.*failure)' || true
  grep -q '^# Run complete' "$work/jmh-$name.log" || { echo "run.sh: JMH $name did not complete (see $work/jmh-$name.log)" >&2; exit 1; }
  # a benchmark whose check failed posts no score: list it in the report
  awk '/^# Benchmark:/ {b=$3} /^# Parameters:/ {p=$0; sub(/^# Parameters: /, "", p)}
       /<failure>/ && !seen[b p]++ {print b " " p}' "$work/jmh-$name.log" >> "$work/failures.txt"
  jmh_files+=(--jmh "$work/jmh-$name.json")
done

master="$DATA/ancdb-kv-$KV_RECORDS/db"
floor_args=()
if [ -z "${SKIP_FLOOR:-}" ]; then
  if [ ! -f "$master" ]; then
    # the kv runs build it; build it here if they were narrowed to other stores
    "$JAVA" "${FLAGS[@]}" -cp "$JAR" io.ancdb.bench.MemoryProbe ancdb-java tuned kv "$KV_RECORDS" >/dev/null
  fi
  echo "run.sh: C floor"
  "$FLOOR" "$master" "$KV_RECORDS" "$work" "${FLOOR_PLAN[@]}" > "$work/floor.json"
  floor_args=(--floor "$work/floor.json")
fi

if [ -z "${SKIP_MEMORY:-}" ]; then
  for store in $("$JAVA" -cp "$JAR" io.ancdb.bench.Suite stores); do
    for config in "${MEMORY_CONFIGS[@]}"; do
      echo "run.sh: memory $store $config"
      "$JAVA" "${FLAGS[@]}" -cp "$JAR" io.ancdb.bench.MemoryProbe "$store" "$config" kv "$KV_RECORDS" \
        > "$work/memory/kv-$store-$config.json"
    done
  done
fi

# descriptors and resident memory per open pair file (issue 13), one fresh JVM per side
footprint_args=()
if [ "$mode" = store ] || [ "$mode" = full ]; then
  mkdir -p "$work/footprint"
  files="${STORE_FILES:-1000}"
  k="${FOOTPRINT_FILES:-$(( files < 1000 ? files : 1000 ))}"
  for store in ancdb-java sqlite-jdbc; do
    echo "run.sh: footprint $store ($k files open)"
    "$JAVA" "${FLAGS[@]}" -cp "$JAR" io.ancdb.bench.StoreFootprint "$store" "$k" "$files" \
      > "$work/footprint/$store.json" 2> "$work/footprint/$store.log" \
      || { cat "$work/footprint/$store.log" >&2; echo "run.sh: footprint $store failed" >&2; exit 1; }
    grep '^footprint' "$work/footprint/$store.log" | sed 's/^/run.sh: /'
  done
  footprint_args=(--footprint "$work/footprint")
fi

echo "run.sh: sync calibration"
sync_probe "end of the run" 2-end
t1=$(date +%s)
touch "$work/failures.txt"
failed="$(sed 's/"/\\"/g' "$work/failures.txt" | paste -sd';' - | sed 's/;/; /g')"
cat > "$work/env.json" <<EOF
{"mode": "$mode", "duration of the runs": "$(( (t1 - t0) / 60 )) min $(( (t1 - t0) % 60 )) s",
 "load average (1/5/15 min) at start": "$start_load", "load average at end": "$(load)",
 "profilers": "${PROF:-none}${PROF:+ (the figures are perturbed by them)}",
 "failed benchmarks (no score)": "${failed:-none}"}
EOF

"$JAVA" "${FLAGS[@]}" -cp "$JAR" io.ancdb.bench.report.Report --out "$results" --mode "$mode" \
  --date "$date" "${jmh_files[@]}" "${floor_args[@]}" --memory "$work/memory" "${footprint_args[@]}" --lib "$LIB" --env "$work/env.json" \
  --sync "$work/sync/1-start.json" --sync "$work/sync/2-end.json"
if [ -s "$work/failures.txt" ]; then
  echo "run.sh: these benchmarks failed (their checks or setup threw; see $work/jmh-*.log):" >&2
  sed 's/^/  /' "$work/failures.txt" >&2
  exit 1
fi
