package io.ancdb.bench.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders the Markdown report of one run. */
final class Markdown {
    private static final List<String> CONFIGS = List.of("default", "tuned");
    private static final List<String> FLOOR_OPS = List.of("directRead", "directReadInTx", "rangeScan100",
            "batchWrite1000", "atomicWrite");

    private final StringBuilder b = new StringBuilder();

    private Markdown() {
    }

    @SuppressWarnings("unchecked")
    static String render(Map<String, Object> merged, List<Result> results, List<Result> floor,
                         List<Map<String, Object>> memory, List<Target> targets, List<String> charts) {
        Markdown m = new Markdown();
        String date = (String) merged.get("date");
        String mode = (String) merged.get("mode");
        m.line("# ANC-DB benchmarks: " + date + " (" + mode + " pass)");
        m.line();
        m.line("Produced by `make " + (mode.equals("full") ? "bench-full" : "bench") + "` (benchmarks/run.sh). "
                + "Every store reads and writes the same data with the same durability settings; every read is "
                + "checked against the expected record, every write against the store's answer. Ratios compare "
                + "stores measured in this same run. What each benchmark measures: benchmarks/README.md."
                + (mode.equals("quick") ? " **A quick pass**: one fork, short iterations, wide error bars; use "
                + "`make bench-full` for figures to publish." : ""));
        m.line();
        m.machine((Map<String, Object>) merged.get("machine"), (Map<String, Object>) merged.get("jvm"),
                (Map<String, Object>) merged.get("run"));
        m.kv("Stores", (Map<String, Object>) merged.get("versions"));
        m.settings((Map<String, Object>) merged.get("settings"));
        m.targets(targets);
        m.results(results, charts);
        m.floor(results, floor);
        m.memory(memory, (Double) merged.get("libancdb_bytes"));
        return m.b.toString();
    }

    private void line(String s) {
        b.append(s).append('\n');
    }

    private void line() {
        b.append('\n');
    }

    private void machine(Map<String, Object> mach, Map<String, Object> jvm, Map<String, Object> run) {
        line("## Machine and JVM");
        line();
        line("| | |");
        line("|---|---|");
        line("| CPU | " + mach.get("cpu") + " |");
        line("| Cores | " + num(mach.get("cores")) + " |");
        line("| RAM | " + mach.get("ram_gib") + " GiB |");
        line("| Kernel | " + mach.get("kernel") + " (" + mach.get("arch") + ") |");
        line("| OS | " + mach.get("os") + " |");
        if (!jvm.isEmpty()) {
            line("| JDK | " + jvm.get("jdkVersion") + ", " + jvm.get("vmName") + " " + jvm.get("vmVersion") + " |");
            line("| JVM flags | `" + String.join(" ", ((List<?>) jvm.get("jvmArgs")).stream().map(String::valueOf)
                    .toList()) + "` |");
            line("| JMH | " + jvm.get("jmhVersion") + ": " + num(jvm.get("forks")) + " fork(s), "
                    + num(jvm.get("warmupIterations")) + " x " + jvm.get("warmupTime") + " warm-up, "
                    + num(jvm.get("measurementIterations")) + " x " + jvm.get("measurementTime")
                    + " measurement; error = 99.9% confidence interval |");
        }
        for (Map.Entry<String, Object> e : run.entrySet()) {
            line("| " + e.getKey() + " | " + e.getValue() + " |");
        }
        line();
    }

    private void kv(String title, Map<String, Object> m) {
        line("## " + title);
        line();
        line("| | |");
        line("|---|---|");
        m.forEach((k, v) -> line("| " + k + " | " + v + " |"));
        line();
    }

    @SuppressWarnings("unchecked")
    private void settings(Map<String, Object> s) {
        line("## Settings");
        line();
        line("| Config | Store | Settings |");
        line("|---|---|---|");
        for (String c : CONFIGS) {
            ((Map<String, Object>) s.get(c)).forEach((k, v) -> line("| " + c + " | " + k + " | " + v + " |"));
        }
        line();
        line((String) s.get("all"));
        line();
    }

    private void targets(List<Target> targets) {
        line("## Targets");
        line();
        line("Checked on the kv shape; \"sqlite-jdbc's best config\" is the configuration in which sqlite-jdbc scored"
                + " better on that operation, and ANC-DB is compared in that same configuration.");
        line();
        line("| Target | Measured | |");
        line("|---|---|---|");
        for (Target t : targets) {
            line("| " + t.goal() + " | " + t.measured() + " | "
                    + (t.met() == null ? "not measured" : t.met() ? "met" : "**missed**") + " |");
        }
        line();
        line("Where a target is missed, what the profile shows and what remains: [benchmarks/ANALYSIS.md](../ANALYSIS.md).");
        line();
    }

    private void results(List<Result> results, List<String> charts) {
        line("## Results");
        for (String shape : List.of("kv", "agent")) {
            List<Result> rs = results.stream().filter(r -> r.shape().equals(shape)).toList();
            if (rs.isEmpty()) {
                continue;
            }
            line();
            line("### " + (shape.equals("kv")
                    ? "kv: " + String.format(Locale.ROOT, "%,d", rs.getFirst().records())
                            + " records, 8-byte integer key, 100-byte value"
                    : "agent (AgentMemory): " + String.format(Locale.ROOT, "%,d", rs.getFirst().records())
                            + " records, indexed timestamp, 1 KiB content, 768-dim float32 embedding"));
            for (Map.Entry<String, String> op : Report.OPS.entrySet()) {
                List<Result> ors = rs.stream().filter(r -> r.op().equals(op.getKey())).toList();
                if (ors.isEmpty()) {
                    continue;
                }
                line();
                line("#### " + op.getValue());
                line();
                line("| Store | Config | Score ± error | Unit | vs sqlite-jdbc (same config) |");
                line("|---|---|---:|---|---:|");
                for (String store : Report.STORES) {
                    for (String c : CONFIGS) {
                        Result r = Result.find(ors, shape, op.getKey(), store, c);
                        if (r == null) {
                            boolean ranOther = ors.stream().anyMatch(q -> q.config().equals(c));
                            if (ranOther && store.equals("lmdbjava") && op.getKey().startsWith("indexScan")) {
                                line("| " + store + " | " + c + " | n/a (no secondary index) | | |");
                            }
                            continue;
                        }
                        Result sq = Result.find(ors, shape, op.getKey(), "sqlite-jdbc", c);
                        line("| " + store + " | " + c + " | " + scoreText(r) + " | " + r.unit() + " | "
                                + (sq == null ? "" : String.format(Locale.ROOT, "%.2fx", r.speedupOver(sq))) + " |");
                    }
                }
                String chart = shape + "-" + op.getKey() + ".png";
                charts.stream().filter(n -> n.endsWith(chart)).findFirst()
                        .ifPresent(n -> {
                            line();
                            line("![" + op.getValue() + "](" + n + ")");
                        });
            }
        }
        line();
        line("\"vs sqlite-jdbc\": how many times faster than sqlite-jdbc in the same configuration (above 1: faster).");
        line();
    }

    private void floor(List<Result> results, List<Result> floor) {
        line("## The C floor");
        line();
        if (floor.isEmpty()) {
            line("Not run.");
            line();
            return;
        }
        line("benchmarks/c/bench_floor.c makes the same B-tree calls through the shim with no JVM, on a copy of the"
                + " kv file ANC-DB wrote, with the same settings and the same record checks: what the Java layers"
                + " cost on top of the engine.");
        line();
        line("| Operation | Config | C floor | ancdb-java | ancdb-java / floor |");
        line("|---|---|---:|---:|---:|");
        for (String op : FLOOR_OPS) {
            for (String c : CONFIGS) {
                Result f = Result.find(floor, "kv", op, "c-floor", c);
                if (f == null) {
                    continue;
                }
                Result j = Result.find(results, "kv", op, "ancdb-java", c);
                line("| " + op + " | " + c + " | " + scoreText(f) + " " + f.unit() + " | "
                        + (j == null ? "not run" : scoreText(j) + " " + j.unit()) + " | "
                        + (j == null ? "" : String.format(Locale.ROOT, "%.2fx", j.score() / f.score())) + " |");
            }
        }
        line();
    }

    private void memory(List<Map<String, Object>> memory, Double lib) {
        line("## Memory");
        line();
        if (lib != null) {
            line("libancdb.so (the whole native side of ANC-DB: shim + SQLite B-tree core): "
                    + String.format(Locale.ROOT, "%,d bytes (%.0f KiB)", lib.longValue(), lib / 1024) + ".");
            line();
        }
        if (memory.isEmpty()) {
            line("Memory probes not run.");
            line();
            return;
        }
        line("Resident memory of a fresh JVM (same flags as the benchmarks) that opened one store on its data set"
                + " and read every record once (/proc/self/status after GC). lmdb's memory map counts as file-backed"
                + " resident pages.");
        line();
        line("| Store | Config | Shape, records | RSS before open | RSS after load | anon | file-backed | Java heap used"
                + " | data set on disk |");
        line("|---|---|---|---:|---:|---:|---:|---:|---:|");
        for (Map<String, Object> m : memory) {
            line("| " + m.get("store") + " | " + m.get("config") + " | " + m.get("shape") + ", "
                    + String.format(Locale.ROOT, "%,d", ((Number) m.get("records")).longValue()) + " | "
                    + mib(m.get("rss_before_kib")) + " | " + mib(m.get("rss_after_kib")) + " | "
                    + mib(m.get("rss_anon_after_kib")) + " | " + mib(m.get("rss_file_after_kib")) + " | "
                    + mib(m.get("heap_used_kib")) + " | "
                    + String.format(Locale.ROOT, "%.0f MiB", ((Number) m.get("data_set_bytes")).doubleValue() / 1048576)
                    + " |");
        }
        line();
    }

    private static String mib(Object kib) {
        return kib instanceof Number n ? String.format(Locale.ROOT, "%.0f MiB", n.doubleValue() / 1024) : "";
    }

    private static String num(Object o) {
        return o instanceof Number n ? String.valueOf(n.longValue()) : String.valueOf(o);
    }

    static String scoreText(Result r) {
        return Double.isNaN(r.error()) ? fmt(r.score(), r.score()) : fmt(r.score(), r.score()) + " ± "
                + fmt(r.error(), r.score());
    }

    /** v with a precision that suits the magnitude of {@code ref}. */
    private static String fmt(double v, double ref) {
        double a = Math.abs(ref);
        String f = a >= 1000 ? "%,.0f" : a >= 100 ? "%.1f" : a >= 10 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, f, v);
    }
}
