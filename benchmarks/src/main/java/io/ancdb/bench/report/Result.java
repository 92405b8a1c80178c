package io.ancdb.bench.report;

import java.util.List;
import java.util.Map;

/**
 * One measured score: a JMH benchmark result for one parameter combination,
 * or one operation of the C floor.
 *
 * @param shape  kv or agent
 * @param op     the operation (the benchmark method's name: directRead, ...)
 * @param store  ancdb-java, ancdb-msgpack, sqlite-jdbc, lmdbjava or c-floor
 * @param config default or tuned
 * @param records the data set size
 * @param threads benchmark threads
 * @param score  mean score
 * @param error  half-width of the 99.9% confidence interval (NaN when unknown)
 * @param unit   us/op or ops/s
 */
public record Result(String shape, String op, String store, String config, long records, int threads,
                     double score, double error, String unit) {

    /** True when a larger score is better (throughput). */
    public boolean higherIsBetter() {
        return unit.startsWith("ops/");
    }

    /** How many times faster this is than {@code other} (same op): above 1 means faster. */
    public double speedupOver(Result other) {
        return higherIsBetter() ? score / other.score : other.score / score;
    }

    /** Reads one entry of a JMH JSON result file. */
    @SuppressWarnings("unchecked")
    static Result fromJmh(Map<String, Object> e) {
        String benchmark = (String) e.get("benchmark");
        String op = benchmark.substring(benchmark.lastIndexOf('.') + 1);
        Map<String, Object> params = (Map<String, Object>) e.getOrDefault("params", Map.of());
        Map<String, Object> m = (Map<String, Object>) e.get("primaryMetric");
        String shape = (String) params.getOrDefault("shape", benchmark.contains(".IndexScans.") ? "agent" : "kv");
        return new Result(shape, op, (String) params.get("store"), (String) params.get("config"),
                Long.parseLong((String) params.getOrDefault("records", "0")), ((Number) e.get("threads")).intValue(),
                number(m.get("score")), number(m.get("scoreError")), (String) m.get("scoreUnit"));
    }

    /** Reads one entry of the C floor's output. */
    static Result fromFloor(Map<String, Object> e, long records) {
        return new Result("kv", (String) e.get("benchmark"), "c-floor", (String) e.get("config"), records, 1,
                number(e.get("score")), number(e.get("error")), (String) e.get("unit"));
    }

    static double number(Object o) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        return o == null ? Double.NaN : Double.parseDouble(o.toString());   // JMH writes "NaN" as a string
    }

    /** Finds the result for (shape, op, store, config), or null. */
    static Result find(List<Result> all, String shape, String op, String store, String config) {
        for (Result r : all) {
            if (r.shape.equals(shape) && r.op.equals(op) && r.store.equals(store) && r.config.equals(config)) {
                return r;
            }
        }
        return null;
    }
}
