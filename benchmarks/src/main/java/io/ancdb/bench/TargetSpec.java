package io.ancdb.bench;

import java.util.Map;

/**
 * A performance target: figure {@code a} compared with figure {@code b} of the
 * same run. {@link Relation#FASTER}: a is at least {@code factor} times as fast
 * as b; {@link Relation#WITHIN}: a takes at most {@code factor} times b's time.
 * The report evaluates it (io.ancdb.bench.report.Target): met, missed, or
 * unreliable when a figure it depends on has an error wider than 15%.
 *
 * @param goal      what is promised, as the report prints it
 * @param a         the figure under test
 * @param relation  how a must relate to b
 * @param factor    the ratio promised
 * @param b         the figure it is compared with
 */
public record TargetSpec(String goal, Figure a, Relation relation, double factor, Figure b) {

    /** How figure a must relate to figure b. */
    public enum Relation {
        /** a is at least {@code factor} times as fast as b. */
        FASTER,
        /** a takes at most {@code factor} times b's time. */
        WITHIN
    }

    /** A config given as "best of STORE": the configuration in which STORE did better on that benchmark. */
    public static String bestConfigOf(String store) {
        return Figure.BEST_OF + store;
    }

    /** a faster than b by {@code factor} on the kv shape, both in {@code config}. */
    public static TargetSpec faster(String goal, String benchmark, String a, String b, double factor, String config) {
        return new TargetSpec(goal, Figure.kv(benchmark, a, config), Relation.FASTER, factor, Figure.kv(benchmark, b, config));
    }

    /** a within {@code factor} of b's time on the kv shape, both in {@code config}. */
    public static TargetSpec within(String goal, String benchmark, String a, String b, double factor, String config) {
        return new TargetSpec(goal, Figure.kv(benchmark, a, config), Relation.WITHIN, factor, Figure.kv(benchmark, b, config));
    }

    /**
     * One measured figure: the result of {@code benchmark} ("Reads.directRead":
     * class simple name and method) for {@code store} in {@code config} on
     * {@code shape}, run with {@code threads} JMH threads (0: any), with any
     * other JMH parameters in {@code params}. {@code config} may be
     * {@link #bestConfigOf(String)}.
     */
    public record Figure(String benchmark, String store, String config, String shape, int threads,
                         Map<String, String> params) {
        static final String BEST_OF = "best of ";

        public static Figure kv(String benchmark, String store, String config) {
            return new Figure(benchmark, store, config, "kv", 0, Map.of());
        }

        /** The store whose best configuration this figure takes, or null for a fixed configuration. */
        public String bestOf() {
            return config.startsWith(BEST_OF) ? config.substring(BEST_OF.length()) : null;
        }

        public Figure inConfig(String c) {
            return new Figure(benchmark, store, c, shape, threads, params);
        }

        public Figure withStore(String s) {
            return new Figure(benchmark, s, config, shape, threads, params);
        }

        public Figure withThreads(int t) {
            return new Figure(benchmark, store, config, shape, t, params);
        }
    }
}
