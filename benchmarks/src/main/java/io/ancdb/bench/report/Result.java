package io.ancdb.bench.report;

import io.ancdb.bench.TargetSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One measured score: a JMH benchmark result for one parameter combination,
 * or one operation of the C floor.
 *
 * @param benchmark "Class.method" of the benchmark ("Reads.directRead"; the C floor names the one it mirrors)
 * @param store     ancdb-java, ancdb-msgpack, sqlite-jdbc, lmdbjava, c-floor, ...
 * @param config    default or tuned
 * @param shape     kv or agent
 * @param records   the data set size
 * @param threads   benchmark threads
 * @param params    the other JMH parameters of the benchmark (none today)
 * @param score     mean score
 * @param error     half-width of the 99.9% confidence interval (NaN when unknown)
 * @param unit      us/op or ops/s
 * @param work      what the measured code did, when the result says (the C floor's calls); else null
 */
public record Result(String benchmark, String store, String config, String shape, long records, int threads,
                     Map<String, String> params, double score, double error, String unit, String work) {

    /**
     * The widest error (99.9% confidence half-width over the score) a figure
     * may have to count: a target that depends on a wider one is neither met
     * nor missed but UNRELIABLE.
     */
    public static final double MAX_RELATIVE_ERROR = 0.15;

    /** Parameters every result has a field for (the rest go to {@link #params}). */
    private static final Set<String> FIELDS = Set.of("store", "config", "shape", "records");

    /** The benchmark class's simple name. */
    public String workload() {
        return benchmark.substring(0, benchmark.indexOf('.'));
    }

    /** The benchmark method. */
    public String op() {
        return benchmark.substring(benchmark.indexOf('.') + 1);
    }

    /** True when a larger score is better (throughput). */
    public boolean higherIsBetter() {
        return unit.startsWith("ops/");
    }

    /** How many times faster this is than {@code other} (same op): above 1 means faster. */
    public double speedupOver(Result other) {
        return higherIsBetter() ? score / other.score : other.score / score;
    }

    /** The error as a fraction of the score; NaN when unknown (one iteration) or the score is not positive. */
    public double relativeError() {
        return score > 0 && !Double.isNaN(error) ? error / score : Double.NaN;
    }

    /** True when the error is known and within {@link #MAX_RELATIVE_ERROR} of the score. */
    public boolean reliable() {
        double e = relativeError();
        return !Double.isNaN(e) && e <= MAX_RELATIVE_ERROR;
    }

    /** "store config" (plus any other parameters, and the threads when more than one): how the report names this figure. */
    public String label() {
        StringBuilder b = new StringBuilder(store).append(' ').append(config);
        params.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
        if (threads > 1) {
            b.append(", ").append(threads).append(" threads");
        }
        return b.toString();
    }

    /** True when this is {@code f}'s figure, taking {@code config} for f's configuration. */
    boolean matches(TargetSpec.Figure f, String config) {
        if (!benchmark.equals(f.benchmark()) || !store.equals(f.store()) || !this.config.equals(config)
                || !shape.equals(f.shape()) || (f.threads() != 0 && f.threads() != threads)) {
            return false;
        }
        for (Map.Entry<String, String> p : f.params().entrySet()) {
            if (!p.getValue().equals(params.get(p.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Reads one entry of a JMH JSON result file. */
    @SuppressWarnings("unchecked")
    static Result fromJmh(Map<String, Object> e) {
        String fqn = (String) e.get("benchmark");
        int method = fqn.lastIndexOf('.');
        String benchmark = fqn.substring(fqn.lastIndexOf('.', method - 1) + 1);
        Map<String, Object> p = (Map<String, Object>) e.getOrDefault("params", Map.of());
        Map<String, String> other = new LinkedHashMap<>();
        p.forEach((k, v) -> {
            if (!FIELDS.contains(k)) {
                other.put(k, String.valueOf(v));
            }
        });
        Map<String, Object> m = (Map<String, Object>) e.get("primaryMetric");
        return new Result(benchmark, (String) p.get("store"), (String) p.get("config"),
                (String) p.getOrDefault("shape", "kv"), Long.parseLong((String) p.getOrDefault("records", "0")),
                ((Number) e.get("threads")).intValue(), other, number(m.get("score")), number(m.get("scoreError")),
                (String) m.get("scoreUnit"), null);
    }

    /** Reads one entry of the C floor's output ({@code mirrors}: the JMH benchmark it mirrors). */
    static Result fromFloor(Map<String, Object> e, long records) {
        String fqn = (String) e.get("mirrors");
        String benchmark = fqn.substring(fqn.lastIndexOf('.', fqn.lastIndexOf('.') - 1) + 1);
        return new Result(benchmark, "c-floor", (String) e.get("config"), "kv", records, 1, Map.of(),
                number(e.get("score")), number(e.get("error")), (String) e.get("unit"), (String) e.get("work"));
    }

    static double number(Object o) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        return o == null ? Double.NaN : Double.parseDouble(o.toString());   // JMH writes "NaN" as a string
    }

    /** The result of {@code f} in {@code config}, or null. */
    static Result find(List<Result> all, TargetSpec.Figure f, String config) {
        for (Result r : all) {
            if (r.matches(f, config)) {
                return r;
            }
        }
        return null;
    }
}
