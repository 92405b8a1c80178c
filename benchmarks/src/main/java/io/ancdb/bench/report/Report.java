package io.ancdb.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Merges one benchmark run -- JMH JSON result files, the C floor's JSON, the
 * memory probes -- into {@code <out>/<date>.json}, a Markdown report
 * {@code <out>/<date>.md} (also copied to {@code LATEST.md}) and one PNG bar
 * chart per operation {@code <out>/<date>-<shape>-<op>.png}.
 *
 * <p>Usage: {@code Report --out DIR --mode quick|full [--date yyyy-mm-dd] --jmh FILE... [--floor FILE]
 * [--memory DIR] [--lib libancdb.so] [--env FILE]}
 */
public final class Report {
    static final List<String> STORES = List.of("ancdb-java", "ancdb-msgpack", "sqlite-jdbc", "lmdbjava");
    /** Operations in report order, with their display names. */
    static final Map<String, String> OPS = new LinkedHashMap<>();

    static {
        OPS.put("directRead", "DirectRead (a read transaction per read)");
        OPS.put("directReadInTx", "DirectRead inside one open read transaction");
        OPS.put("concurrentRead", "DirectRead from 2 threads (combined throughput)");
        OPS.put("rangeScan100", "RangeScan100 (primary key)");
        OPS.put("rangeScan10000", "RangeScan10000 (primary key)");
        OPS.put("indexScan100", "IndexScan100 (secondary index: timestamp)");
        OPS.put("indexScan10000", "IndexScan10000 (secondary index: timestamp)");
        OPS.put("batchWrite1000", "BatchWrite1000 (1000 new records, one transaction)");
        OPS.put("atomicWrite", "AtomicWrite (one new record per transaction)");
        OPS.put("atomicUpdate", "AtomicUpdate (one record rewritten per transaction)");
        OPS.put("delete", "Delete (one record per transaction)");
    }

    private Report() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Args a = Args.parse(args);
        Files.createDirectories(a.out);

        List<Map<String, Object>> jmh = new ArrayList<>();
        for (Path f : a.jmh) {
            if (!Files.exists(f) || Files.size(f) == 0) {
                System.err.println("report: " + f + " is missing or empty (that JMH run produced no results)");
                continue;
            }
            for (Object o : (List<?>) Json.parse(Files.readString(f))) {
                jmh.add(cast(o));
            }
        }
        List<Result> results = new ArrayList<>();
        jmh.forEach(e -> results.add(Result.fromJmh(e)));
        Map<String, Object> floor = a.floor != null && Files.exists(a.floor) ? cast(Json.parse(Files.readString(a.floor)))
                : null;
        List<Result> floorResults = new ArrayList<>();
        if (floor != null) {
            long n = ((Number) floor.get("records")).longValue();
            for (Object o : (List<?>) floor.get("results")) {
                floorResults.add(Result.fromFloor(cast(o), n));
            }
        }
        List<Map<String, Object>> memory = new ArrayList<>();
        if (a.memory != null && Files.isDirectory(a.memory)) {
            try (Stream<Path> s = Files.list(a.memory)) {
                for (Path f : s.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                    memory.add(cast(Json.parse(Files.readString(f))));
                }
            }
        }
        Map<String, Object> env = a.env != null && Files.exists(a.env) ? cast(Json.parse(Files.readString(a.env)))
                : Map.of();

        List<Result> all = new ArrayList<>(results);
        all.addAll(floorResults);
        Map<String, Object> merged = new LinkedHashMap<>();
        merged.put("date", a.date);
        merged.put("mode", a.mode);
        merged.put("machine", Machine.describe());
        merged.put("run", env);
        merged.put("jvm", jvm(jmh));
        merged.put("versions", Versions.describe());
        merged.put("settings", Settings.describe());
        merged.put("results", results.stream().map(Report::toMap).toList());
        merged.put("c_floor", floorResults.stream().map(Report::toMap).toList());
        merged.put("memory", memory);
        merged.put("libancdb_bytes", a.lib != null && Files.exists(a.lib) ? (double) Files.size(a.lib) : null);
        List<Target> targets = Target.evaluate(all);
        merged.put("targets", targets.stream().map(t -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("goal", t.goal());
            m.put("measured", t.measured());
            m.put("met", t.met());
            return (Object) m;
        }).toList());
        merged.put("jmh_raw", jmh);

        Path json = a.out.resolve(a.date + ".json");
        Files.writeString(json, Json.write(merged));
        List<String> charts = writeCharts(a, results);
        String md = Markdown.render(merged, results, floorResults, memory, targets, charts);
        Path mdFile = a.out.resolve(a.date + ".md");
        Files.writeString(mdFile, md);
        Files.copy(mdFile, a.out.resolve("LATEST.md"), StandardCopyOption.REPLACE_EXISTING);
        System.out.println("report: wrote " + mdFile + ", " + json + ", LATEST.md and " + charts.size() + " charts");
    }

    /** One chart per (shape, op) measured; returns the file names. */
    private static List<String> writeCharts(Args a, List<Result> results) throws IOException {
        List<String> names = new ArrayList<>();
        for (String shape : List.of("kv", "agent")) {
            for (String op : OPS.keySet()) {
                List<Result> rs = results.stream().filter(r -> r.shape().equals(shape) && r.op().equals(op)).toList();
                if (rs.isEmpty()) {
                    continue;
                }
                String name = a.date + "-" + shape + "-" + op;
                Charts.write(a.out.resolve(name), OPS.get(op) + " -- " + shape + ", " + rs.getFirst().records()
                        + " records", rs, STORES);
                names.add(name + ".png");
            }
        }
        return names;
    }

    private static Map<String, Object> jvm(List<Map<String, Object>> jmh) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (jmh.isEmpty()) {
            return m;
        }
        Map<String, Object> e = jmh.getFirst();
        for (String k : List.of("jdkVersion", "vmName", "vmVersion", "jmhVersion", "jvmArgs", "forks",
                "warmupIterations", "warmupTime", "measurementIterations", "measurementTime")) {
            m.put(k, e.get(k));
        }
        return m;
    }

    static Map<String, Object> toMap(Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("shape", r.shape());
        m.put("op", r.op());
        m.put("store", r.store());
        m.put("config", r.config());
        m.put("records", (double) r.records());
        m.put("threads", (double) r.threads());
        m.put("score", r.score());
        m.put("error", r.error());
        m.put("unit", r.unit());
        return m;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }

    /** Command-line arguments. */
    record Args(Path out, String mode, String date, List<Path> jmh, Path floor, Path memory, Path lib, Path env) {
        static Args parse(String[] args) {
            Path out = null;
            Path floor = null;
            Path memory = null;
            Path lib = null;
            Path env = null;
            String mode = "quick";
            String date = LocalDate.now().toString();
            List<Path> jmh = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String v = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--out" -> out = Path.of(v);
                    case "--mode" -> mode = v;
                    case "--date" -> date = v;
                    case "--jmh" -> jmh.add(Path.of(v));
                    case "--floor" -> floor = Path.of(v);
                    case "--memory" -> memory = Path.of(v);
                    case "--lib" -> lib = Path.of(v);
                    case "--env" -> env = Path.of(v);
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
                i++;
            }
            if (out == null || jmh.isEmpty()) {
                throw new IllegalArgumentException("usage: Report --out DIR --jmh FILE [--jmh FILE...] [--mode quick|full]"
                        + " [--date yyyy-mm-dd] [--floor FILE] [--memory DIR] [--lib FILE] [--env FILE]");
            }
            return new Args(out, mode.toLowerCase(Locale.ROOT), date, jmh, floor, memory, lib, env);
        }
    }
}
