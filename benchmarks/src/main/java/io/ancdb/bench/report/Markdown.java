package io.ancdb.bench.report;

import io.ancdb.bench.Config;
import io.ancdb.bench.Store;
import io.ancdb.bench.Workload;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders the Markdown report of one run. */
final class Markdown {
    private final StringBuilder b = new StringBuilder();

    private Markdown() {
    }

    @SuppressWarnings("unchecked")
    static String render(Map<String, Object> merged, Report.Run run) {
        Markdown m = new Markdown();
        String date = (String) merged.get("date");
        Workload.Pass pass = Workload.Pass.of((String) merged.get("mode"));
        m.line("# ANC-DB benchmarks: " + date + " (" + pass.id() + " pass)");
        m.line();
        m.line("Produced by `" + pass.command + "` (benchmarks/run.sh " + pass.id() + "). "
                + "Every store reads and writes the same data with the same durability settings; every read is "
                + "checked against the whole expected record, every write against the store's answer. Ratios compare "
                + "stores measured in this same run. Errors are JMH's 99.9% confidence intervals: a figure whose error"
                + " is wider than ±" + pct(Result.MAX_RELATIVE_ERROR) + " of its score is marked **UNRELIABLE**, and a"
                + " target that depends on one is neither met nor missed. What each benchmark measures:"
                + " benchmarks/README.md.");
        m.line();
        m.machine((Map<String, Object>) merged.get("machine"), (Map<String, Object>) merged.get("jvm"),
                (Map<String, Object>) merged.get("run"));
        m.sync(run.sync);
        m.kv("Stores", (Map<String, Object>) merged.get("versions"));
        m.work(run);
        m.targets(run.targets);
        m.results(run);
        if (pass.floorAndMemory) {
            m.floor(run);
            m.memory(run.memory, (Double) merged.get("libancdb_bytes"));
        }
        if (!run.footprint.isEmpty()) {
            m.footprint(run.footprint);
        }
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

    /** The sync calibrations: what one durable commit costs at least on this disk, at the start and end of the run. */
    private void sync(List<Map<String, Object>> sync) {
        line("## Sync calibration");
        line();
        if (sync.isEmpty()) {
            line("Not run.");
            line();
            return;
        }
        line("A synchronous=FULL commit (lmdb: a synced commit) pays at least one write + fdatasync: one writer"
                + " commits at most \"syncs/s\" times a second, and only group commit (many writes per sync) gets"
                + " past that. Measured by benchmarks/SyncProbe on the data sets' file system: " + sync.getFirst().get("what")
                + ".");
        line();
        line("| When | Syncs | Mean | Median | p90 | p99 | Max | Syncs/s (1 / mean) |");
        line("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (Map<String, Object> c : sync) {
            line("| " + c.get("when") + " | " + num(c.get("syncs")) + " | " + us(c.get("mean_us")) + " | "
                    + us(c.get("median_us")) + " | " + us(c.get("p90_us")) + " | " + us(c.get("p99_us")) + " | "
                    + us(c.get("max_us")) + " | " + String.format(Locale.ROOT, "%,.0f",
                    ((Number) c.get("syncs_per_s")).doubleValue()) + " |");
        }
        line();
    }

    private static String us(Object v) {
        return String.format(Locale.ROOT, "%.0f us", ((Number) v).doubleValue());
    }

    private void kv(String title, Map<String, Object> m) {
        line("## " + title);
        line();
        line("| | |");
        line("|---|---|");
        m.forEach((k, v) -> line("| " + k + " | " + v + " |"));
        line();
    }

    /** The settings of each configuration, then one line per store and configuration: what it does. */
    private void work(Report.Run run) {
        line("## Settings, and what each store does");
        line();
        for (Config c : Config.values()) {
            if (run.all().stream().anyMatch(r -> r.config().equals(c.id()))) {
                line("- **" + c.id() + "**: " + c.describe());
            }
        }
        line();
        line("| Store | Config | What it does |");
        line("|---|---|---|");
        for (String store : stores(run.results)) {
            for (Config c : Config.values()) {
                // one line per distinct description: a workload may use a store its own way (StoreFiles)
                run.results.stream().filter(r -> r.store().equals(store) && r.config().equals(c.id()))
                        .map(Result::workload).distinct().map(w -> work(run.workloads, w, store, c)).distinct()
                        .forEach(w -> line("| " + store + " | " + c.id() + " | " + w + " |"));
            }
        }
        run.floorWork.forEach((c, w) -> line("| " + Store.C_FLOOR + " | " + c + " | " + w
                + "; per operation: see \"The C floor\" |"));
        line();
    }

    private void targets(List<Target> targets) {
        line("## Targets");
        line();
        line("\"sqlite-jdbc's best config\" is the configuration in which sqlite-jdbc scored better on that operation,"
                + " and ANC-DB is compared in that same configuration. A target is **UNRELIABLE** when a figure it"
                + " rests on (either side, or a figure that chose the configuration) has an error wider than ±"
                + pct(Result.MAX_RELATIVE_ERROR) + ".");
        line();
        line("| Target | Measured | Verdict |");
        line("|---|---|---|");
        for (Target t : targets) {
            String v = switch (t.verdict()) {
                case MET -> "met";
                case MISSED -> "**missed**";
                case UNRELIABLE -> "**UNRELIABLE**: " + t.reason();
                case NOT_MEASURED -> "not measured";
            };
            line("| " + t.spec().goal() + " | " + t.measured() + figures(t) + " | " + v + " |");
        }
        line();
        line("Where a target is missed, what the profile shows and what remains: [benchmarks/ANALYSIS.md](../ANALYSIS.md).");
        line();
    }

    /** " (1.690 us/op ±3%; 5.940 us/op ±22%)" for a target's two figures. */
    private static String figures(Target t) {
        if (t.dependsOn().size() < 2) {
            return "";
        }
        return " (" + figure(t.dependsOn().get(0)) + "; " + figure(t.dependsOn().get(1)) + ")";
    }

    private static String figure(Result r) {
        return fmt(r.score(), r.score()) + " " + r.unit() + " " + errorText(r);
    }

    private void results(Report.Run run) {
        line("## Results");
        List<String> seen = new ArrayList<>();
        for (Workload w : run.workloads) {
            section(run, w.getClass().getSimpleName(), w.title(), w.operations());
            seen.add(w.getClass().getSimpleName());
        }
        // results of a benchmark class that does not describe itself still show, under its name
        run.results.stream().map(Result::workload).distinct().filter(c -> !seen.contains(c))
                .forEach(c -> section(run, c, c, Map.of()));
        line();
        line("\"vs sqlite-jdbc\": how many times faster than sqlite-jdbc in the same configuration (above 1: faster).");
        line();
    }

    private void section(Report.Run run, String workload, String title, Map<String, String> operations) {
        List<Result> ws = run.results.stream().filter(r -> r.workload().equals(workload)).toList();
        if (ws.isEmpty()) {
            return;
        }
        line();
        line("### " + title);
        for (String shape : ws.stream().map(Result::shape).distinct().toList()) {
            List<Result> rs = ws.stream().filter(r -> r.shape().equals(shape)).toList();
            line();
            line("#### " + (shape.equals("kv")
                    ? "kv: " + String.format(Locale.ROOT, "%,d", rs.getFirst().records())
                            + " records, 8-byte integer key, 100-byte value"
                    : shape.equals("agent") ? "agent (AgentMemory): " + String.format(Locale.ROOT, "%,d",
                            rs.getFirst().records()) + " records, indexed timestamp, 1 KiB content, 768-dim float32 embedding"
                    : shape));
            List<String> ops = new ArrayList<>(operations.keySet());
            rs.stream().map(Result::op).distinct().filter(o -> !ops.contains(o)).forEach(ops::add);
            for (String op : ops) {
                List<Result> ors = sorted(rs.stream().filter(r -> r.op().equals(op)).toList());
                if (ors.isEmpty()) {
                    continue;
                }
                line();
                line("##### " + operations.getOrDefault(op, op));
                line();
                line("| Store | Config | Score ± error | Unit | vs sqlite-jdbc (same config) |");
                line("|---|---|---:|---|---:|");
                for (Result r : ors) {
                    Result sq = ors.stream().filter(q -> q.store().equals(Store.SQLITE_JDBC) && q.config().equals(r.config())
                            && q.params().equals(r.params()) && q.threads() == r.threads()).findFirst().orElse(null);
                    String vs = sq == null ? "" : String.format(Locale.ROOT, "%.2fx", r.speedupOver(sq))
                            + (r.reliable() && sq.reliable() ? "" : " (unreliable)");
                    line("| " + r.store() + " | " + r.label().substring(r.store().length() + 1) + " | " + scoreText(r)
                            + " | " + r.unit() + " | " + vs + " |");
                }
                for (String chart : ors.stream().map(r -> Report.chartName("", r) + ".png").distinct().toList()) {
                    run.charts.stream().filter(n -> n.endsWith(chart)).findFirst().ifPresent(n -> {
                        line();
                        line("![" + operations.getOrDefault(op, op) + "](" + n + ")");
                    });
                }
            }
        }
    }

    private void floor(Report.Run run) {
        line("## The C floor");
        line();
        if (run.floor.isEmpty()) {
            line("Not run.");
            line();
            return;
        }
        line("benchmarks/c/bench_floor.c makes the engine calls ancdb-java makes for each operation, in each"
                + " configuration, through the shim with no JVM, on a copy of the kv file ANC-DB wrote, with the same"
                + " settings and the same whole-record checks: ancdb-java's figure minus the floor's is what the Java"
                + " layers cost. Each row says what the floor did.");
        line();
        line("| Operation | Config | What the C floor does | C floor | ancdb-java | ancdb-java / floor |");
        line("|---|---|---|---:|---:|---:|");
        for (Result f : run.floor) {
            Result j = run.results.stream().filter(r -> r.benchmark().equals(f.benchmark())
                    && r.store().equals(Store.ANCDB_JAVA) && r.config().equals(f.config()) && r.shape().equals(f.shape())
                    && r.params().isEmpty()).findFirst().orElse(null);
            line("| " + f.op() + " | " + f.config() + " | " + f.work() + " | " + scoreText(f) + " " + f.unit() + " | "
                    + (j == null ? "not run" : scoreText(j) + " " + j.unit()) + " | "
                    + (j == null ? "" : String.format(Locale.ROOT, "%.2fx", j.score() / f.score())
                    + (j.reliable() && f.reliable() ? "" : " (unreliable)")) + " |");
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
        line("Resident memory of a fresh JVM (the benchmarks' flags, without the pre-touched heap) that opened one store"
                + " on its data set and read every record once (/proc/self/status after GC). lmdb's memory map counts as"
                + " file-backed resident pages.");
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

    /** What {@code store} does in {@code config} in workload {@code workload}: its own words, or the store's. */
    private static String work(List<Workload> workloads, String workload, String store, Config config) {
        for (Workload w : workloads) {
            String own = w.getClass().getSimpleName().equals(workload) ? w.work(store, config) : null;
            if (own != null) {
                return workload + ": " + own;
            }
        }
        return Store.create(store).work(config);
    }

    /** Descriptors and resident memory per open pair file (StoreFootprint; not JMH). */
    private void footprint(List<Map<String, Object>> footprint) {
        line("## Descriptors and memory per open file");
        line();
        line("A fresh JVM opens a copy of the pair files with one side keeping every file open, and reads each once"
                + " (/proc/self/fd and VmRSS after GC, before the files are opened and after): the difference per file."
                + " A single measurement, not a JMH figure: no error bar.");
        line();
        line("| Store | Files opened | Descriptors before -> after | Descriptors per file | RSS before -> after |"
                + " RSS per file | Open-file limit |");
        line("|---|---:|---:|---:|---:|---:|---:|");
        for (Map<String, Object> m : footprint) {
            line(String.format(Locale.ROOT, "| %s | %,d | %,d -> %,d | %.2f | %s -> %s | %.1f KiB | %,d |", m.get("store"),
                    num(m, "files_opened"), num(m, "fd_before"), num(m, "fd_after"),
                    ((Number) m.get("fd_per_file")).doubleValue(), mib(m.get("rss_before_kib")),
                    mib(m.get("rss_after_kib")), ((Number) m.get("rss_per_file_kib")).doubleValue(), num(m, "fd_limit")));
        }
        line();
    }

    private static long num(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).longValue();
    }

    /** Stores of the results: the registered ones in their order, then any other. */
    static List<String> stores(List<Result> results) {
        List<String> out = new ArrayList<>(Store.names().stream()
                .filter(s -> results.stream().anyMatch(r -> r.store().equals(s))).toList());
        results.stream().map(Result::store).distinct().filter(s -> !out.contains(s)).forEach(out::add);
        return out;
    }

    /** Store order, then configuration order, then the other parameters. */
    private static List<Result> sorted(List<Result> rs) {
        List<String> stores = stores(rs);
        List<String> configs = Arrays.stream(Config.values()).map(Config::id).toList();
        return rs.stream().sorted(Comparator.comparingInt((Result r) -> stores.indexOf(r.store()))
                .thenComparingInt(r -> configs.indexOf(r.config())).thenComparing(Result::label)).toList();
    }

    /** The display name of a result's operation, from its workload. */
    static String opTitle(List<Workload> workloads, Result r) {
        for (Workload w : workloads) {
            if (w.getClass().getSimpleName().equals(r.workload())) {
                return w.operations().getOrDefault(r.op(), r.op());
            }
        }
        return r.op();
    }

    private static String mib(Object kib) {
        return kib instanceof Number n ? String.format(Locale.ROOT, "%.0f MiB", n.doubleValue() / 1024) : "";
    }

    private static String num(Object o) {
        return o instanceof Number n ? String.valueOf(n.longValue()) : String.valueOf(o);
    }

    private static String pct(double fraction) {
        return Math.round(fraction * 100) + "%";
    }

    /** "±4.2%" (one decimal, so 15.4% never reads as the 15% limit), or "error unknown" (one iteration). */
    static String errorText(Result r) {
        double e = r.relativeError();
        return Double.isNaN(e) ? "error unknown" : String.format(Locale.ROOT, e < 1 ? "±%.1f%%" : "±%.0f%%", e * 100);
    }

    /** "1.690 ± 0.051 (±3.0%)", with " **UNRELIABLE**" when the error is too wide or unknown. */
    static String scoreText(Result r) {
        String s = fmt(r.score(), r.score());
        s += Double.isNaN(r.error()) ? " (error unknown)" : " ± " + fmt(r.error(), r.score()) + " (" + errorText(r) + ")";
        return r.reliable() ? s : s + " **UNRELIABLE**";
    }

    /** v with a precision that suits the magnitude of {@code ref}. */
    private static String fmt(double v, double ref) {
        double a = Math.abs(ref);
        String f = a >= 1000 ? "%,.0f" : a >= 100 ? "%.1f" : a >= 10 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, f, v);
    }
}
