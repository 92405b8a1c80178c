package io.ancdb.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The performance targets, checked against one run (kv shape, the
 * same settings on both sides). "sqlite-jdbc best" is whichever of its
 * configurations scored better on that operation, compared with ANC-DB in the
 * same configuration; write targets are checked at each durability level.
 *
 * @param goal     what is promised
 * @param measured what was measured
 * @param met      true, false, or null when a side is missing from the run
 */
record Target(String goal, String measured, Boolean met) {
    private static final String[] CONFIGS = {"default", "tuned"};

    static List<Target> evaluate(List<Result> all) {
        List<Target> t = new ArrayList<>();
        // DirectRead
        String c = bestConfig(all, "directRead", "sqlite-jdbc");
        t.add(faster(all, "directRead", "ancdb-java", c, "sqlite-jdbc", c, 2.0,
                "DirectRead: ancdb-java >= 2x faster than sqlite-jdbc's best config"));
        t.add(within(all, "directRead", "ancdb-java", c, "c-floor", c, 1.2,
                "DirectRead: ancdb-java within 1.2x of the C floor"));
        t.add(faster(all, "directRead", "ancdb-java", c, "lmdbjava", c, 1.0,
                "DirectRead: ancdb-java at least as fast as lmdbjava"));
        // RangeScan100
        c = bestConfig(all, "rangeScan100", "sqlite-jdbc");
        t.add(faster(all, "rangeScan100", "ancdb-java", c, "sqlite-jdbc", c, 4.0,
                "RangeScan100: ancdb-java >= 4x faster than sqlite-jdbc's best config"));
        t.add(within(all, "rangeScan100", "ancdb-java", c, "lmdbjava", c, 1.5,
                "RangeScan100: ancdb-java within 1.5x of lmdbjava"));
        for (String d : CONFIGS) {
            t.add(faster(all, "batchWrite1000", "ancdb-java", d, "sqlite-jdbc", d, 3.0,
                    "BatchWrite1000 (" + d + "): ancdb-java >= 3x faster than sqlite-jdbc"));
            t.add(faster(all, "batchWrite1000", "ancdb-java", d, "lmdbjava", d, 1.0,
                    "BatchWrite1000 (" + d + "): ancdb-java faster than lmdbjava"));
            t.add(faster(all, "atomicWrite", "ancdb-java", d, "sqlite-jdbc", d, 2.0,
                    "AtomicWrite (" + d + "): ancdb-java >= 2x faster than sqlite-jdbc"));
        }
        for (String d : CONFIGS) {
            t.add(within(all, "directRead", "ancdb-msgpack", d, "ancdb-java", d, 2.0,
                    "DirectRead (" + d + "): ancdb-msgpack within 2x of ancdb-java"));
            t.add(within(all, "batchWrite1000", "ancdb-msgpack", d, "ancdb-java", d, 1.5,
                    "BatchWrite1000 (" + d + "): ancdb-msgpack within 1.5x of ancdb-java"));
        }
        return t;
    }

    /** The configuration in which {@code store} did best on {@code op} (tuned when unknown). */
    static String bestConfig(List<Result> all, String op, String store) {
        Result d = Result.find(all, "kv", op, store, "default");
        Result u = Result.find(all, "kv", op, store, "tuned");
        if (d == null || u == null) {
            return u == null && d != null ? "default" : "tuned";
        }
        return d.speedupOver(u) > 1 ? "default" : "tuned";
    }

    /** a is at least {@code factor} times faster than b. */
    private static Target faster(List<Result> all, String op, String a, String ca, String b, String cb, double factor,
                                 String goal) {
        Result ra = Result.find(all, "kv", op, a, ca);
        Result rb = Result.find(all, "kv", op, b, cb);
        if (ra == null || rb == null) {
            return new Target(goal, "not measured in this run", null);
        }
        double s = ra.speedupOver(rb);
        return new Target(goal, String.format(Locale.ROOT, "%s %s is %.2fx %s's speed (%s)", a, ca, s, b, cb),
                s >= factor);
    }

    /** a is at most {@code factor} times slower than b. */
    private static Target within(List<Result> all, String op, String a, String ca, String b, String cb, double factor,
                                 String goal) {
        Result ra = Result.find(all, "kv", op, a, ca);
        Result rb = Result.find(all, "kv", op, b, cb);
        if (ra == null || rb == null) {
            return new Target(goal, "not measured in this run", null);
        }
        double slower = rb.speedupOver(ra);
        return new Target(goal, String.format(Locale.ROOT, "%s %s takes %.2fx the time of %s (%s)", a, ca, slower, b, cb),
                slower <= factor);
    }
}
