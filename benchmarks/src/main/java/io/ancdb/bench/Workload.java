package io.ancdb.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JMH benchmark class that describes itself to the suite: the runs it takes
 * in each pass ({@link Suite} prints them for run.sh), the names of its
 * operations and its targets (the report's section for it). A new kind of
 * benchmark -- concurrent threads, a cold open -- is one new class that
 * implements this next to its {@code @Benchmark} methods; run.sh and the
 * report find it through JMH's benchmark list.
 */
public interface Workload {

    /**
     * The passes of the suite, each a make target and a report of its own. A
     * target (a ratio) belongs to the pass that measures both its figures, so
     * its ratio always comes from one run.
     */
    enum Pass {
        /**
         * The headline figures (issue 10): peers, C floor and memory, with enough iterations for a 99.9%
         * error within 15% (make bench, about 13 minutes).
         */
        QUICK("make bench", true),
        /** Threads, concurrent writers, mixed load, AgentMemory through the dispatcher (make bench-concurrency). */
        CONCURRENCY("make bench-concurrency", false),
        /** Encrypted against plaintext ANC-DB, cold opens (make bench-cipher). */
        CIPHER("make bench-cipher", false),
        /** Many small files: ANC-DB's Store of pair files against sqlite-jdbc, warm and cold (make bench-store). */
        STORE("make bench-store", false),
        /** Every operation, store, configuration and shape, with longer iterations (make bench-full). */
        FULL("make bench-full", true);

        /** The make target that runs it. */
        public final String command;
        /** Whether it also runs the C floor and the memory probes. */
        public final boolean floorAndMemory;

        Pass(String command, boolean floorAndMemory) {
            this.command = command;
            this.floorAndMemory = floorAndMemory;
        }

        /** The name run.sh takes ({@code quick}, {@code concurrency}, ...). */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Pass of(String id) {
            return valueOf(id.toUpperCase(java.util.Locale.ROOT));
        }

        /**
         * The report's file stem for a run on {@code date}: the date itself for
         * quick and full (LATEST.md, as before), date-id for the others.
         */
        public String stem(String date) {
            return floorAndMemory ? date : date + "-" + id();
        }

        /** LATEST.md for quick and full, LATEST-id.md for the others. */
        public String latest() {
            return floorAndMemory ? "LATEST.md" : "LATEST-" + id() + ".md";
        }
    }

    /** Section title in the report. */
    String title();

    /** Where the section goes in the report and the run (lower first). */
    int order();

    /** The operations (benchmark method names) in report order, with their display names. */
    Map<String, String> operations();

    /** The targets this workload's figures are checked against (in the report's target table). */
    default List<TargetSpec> targets() {
        return List.of();
    }

    /**
     * What {@code store} does in this workload in {@code config}, when that is not what its
     * {@link Store#work} says (a workload that drives the store its own way); null otherwise.
     */
    default String work(String store, Config config) {
        return null;
    }

    /** The JMH runs of this workload in {@code pass} ({@code sizes}: the data set sizes of the run). */
    List<Run> plan(Pass pass, Sizes sizes);

    /**
     * One JMH invocation: benchmarks matching {@code include} (a JMH regex),
     * with {@code params} (JMH {@code -p name=v1,v2} pairs, in order).
     *
     * @param name    a short name for the run's files (jmh-NAME.json), unique in a pass
     * @param include JMH benchmark regex
     * @param params  parameter name to its comma-separated values
     * @param options other JMH command-line options of this run ("" for none), e.g. "-t 4" for 4 threads
     */
    record Run(String name, String include, Map<String, String> params, String options) {
        public Run(String name, String include, Map<String, String> params) {
            this(name, include, params, "");
        }
    }

    /**
     * A map kept in the order given, from key, value, key, value, ...: JMH
     * parameters (name, comma-separated values) or {@link #operations()}.
     */
    static Map<String, String> ordered(String... nameValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            m.put(nameValues[i], nameValues[i + 1]);
        }
        return m;
    }

    /** A run of {@code stores} (comma-separated) on the kv shape, in every configuration. */
    static Run kvRun(String name, String include, String stores, Sizes sizes) {
        return new Run(name, include, ordered("store", stores, "config", Suite.allConfigs(), "shape", "kv",
                "records", Long.toString(sizes.kv())));
    }

    /** Data set sizes of a run (overridable from run.sh: KV_RECORDS, AGENT_RECORDS). */
    record Sizes(long kv, long agent) {
    }
}
