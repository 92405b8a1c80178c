package io.ancdb.bench.report;

import io.ancdb.bench.Suite;
import io.ancdb.bench.TargetSpec;
import io.ancdb.bench.Workload;

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
 * Merges one benchmark run (one pass, see {@link Workload.Pass}) -- JMH JSON
 * result files, the C floor's JSON, the memory probes, the sync calibrations --
 * into {@code <out>/<stem>.json}, a Markdown report {@code <out>/<stem>.md}
 * (also copied to the pass's LATEST file) and one PNG bar chart per operation
 * {@code <out>/<stem>-<shape>-<op>.png}; the stem is the date, plus the pass's
 * name for the passes other than quick and full. Sections, names and targets
 * come from the {@link Workload}s in the jar, so a new benchmark class appears
 * without a change here; the report lists the targets its pass measures.
 *
 * <p>Usage: {@code Report --out DIR --mode quick|concurrency|cipher|full [--date yyyy-mm-dd] --jmh FILE...
 * [--floor FILE] [--memory DIR] [--footprint DIR] [--sync FILE]... [--lib libancdb.so] [--env FILE]}
 */
public final class Report {
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
            for (Object o : (List<?>) JsonIo.parse(Files.readString(f))) {
                jmh.add(cast(o));
            }
        }
        Run run = new Run();
        jmh.forEach(e -> run.results.add(Result.fromJmh(e)));
        if (a.floor != null && Files.exists(a.floor)) {
            Map<String, Object> floor = cast(JsonIo.parse(Files.readString(a.floor)));
            long n = ((Number) floor.get("records")).longValue();
            for (Object o : (List<?>) floor.get("results")) {
                run.floor.add(Result.fromFloor(cast(o), n));
            }
            cast(floor.getOrDefault("work", Map.of())).forEach((k, v) -> run.floorWork.put(k, (String) v));
        }
        run.memory.addAll(objects(a.memory));
        run.footprint.addAll(objects(a.footprint));
        for (Path f : a.sync) {
            if (Files.exists(f) && Files.size(f) > 0) {
                run.sync.add(cast(JsonIo.parse(Files.readString(f))));
            }
        }
        Map<String, Object> env = a.env != null && Files.exists(a.env) ? cast(JsonIo.parse(Files.readString(a.env)))
                : Map.of();
        Workload.Pass pass = Workload.Pass.of(a.mode);
        run.workloads.addAll(Suite.workloads());
        run.targets.addAll(Target.evaluate(specs(run.workloads, pass), run.all()));

        Map<String, Object> merged = new LinkedHashMap<>();
        merged.put("date", a.date);
        merged.put("mode", a.mode);
        merged.put("machine", Machine.describe());
        merged.put("run", env);
        merged.put("jvm", jvm(jmh));
        merged.put("versions", Versions.describe());
        merged.put("max_relative_error", Result.MAX_RELATIVE_ERROR);
        merged.put("results", run.results.stream().map(Report::toMap).toList());
        merged.put("c_floor", run.floor.stream().map(Report::toMap).toList());
        merged.put("c_floor_work", run.floorWork);
        merged.put("memory", run.memory);
        merged.put("store_footprint", run.footprint);
        merged.put("sync_calibration", run.sync);
        merged.put("libancdb_bytes", a.lib != null && Files.exists(a.lib) ? (double) Files.size(a.lib) : null);
        merged.put("targets", run.targets.stream().map(Target::toMap).toList());
        merged.put("jmh_raw", jmh);

        String stem = pass.stem(a.date);
        Path json = a.out.resolve(stem + ".json");
        Files.writeString(json, JsonIo.write(merged));
        run.charts.addAll(writeCharts(a.out, stem, run));
        String md = Markdown.render(merged, run);
        Path mdFile = a.out.resolve(stem + ".md");
        Files.writeString(mdFile, md);
        Files.copy(mdFile, a.out.resolve(pass.latest()), StandardCopyOption.REPLACE_EXISTING);
        System.out.println("report: wrote " + mdFile + ", " + json + ", " + pass.latest() + " and " + run.charts.size()
                + " charts");
    }

    /** Everything one report is made of. */
    static final class Run {
        final List<Result> results = new ArrayList<>();
        final List<Result> floor = new ArrayList<>();
        /** The C floor's settings and read policy, by configuration. */
        final Map<String, String> floorWork = new LinkedHashMap<>();
        final List<Map<String, Object>> memory = new ArrayList<>();
        /** Descriptors and resident memory per open pair file (StoreFootprint), one object per store. */
        final List<Map<String, Object>> footprint = new ArrayList<>();
        /** The sync calibrations of the run (SyncProbe), at its start and end. */
        final List<Map<String, Object>> sync = new ArrayList<>();
        final List<Workload> workloads = new ArrayList<>();
        final List<Target> targets = new ArrayList<>();
        final List<String> charts = new ArrayList<>();

        /** JMH and C floor results together (targets compare across them). */
        List<Result> all() {
            List<Result> all = new ArrayList<>(results);
            all.addAll(floor);
            return all;
        }
    }

    /** The JSON objects of the {@code .json} files in {@code dir}, in name order (none when dir is null or missing). */
    private static List<Map<String, Object>> objects(Path dir) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        if (dir != null && Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                for (Path f : s.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                    out.add(cast(JsonIo.parse(Files.readString(f))));
                }
            }
        }
        return out;
    }

    /** The targets of the workloads that {@code pass} measures (each target's ratio comes from one pass). */
    static List<TargetSpec> specs(List<Workload> workloads, Workload.Pass pass) {
        List<TargetSpec> specs = new ArrayList<>();
        workloads.forEach(w -> w.targets().stream().filter(t -> Suite.measures(pass, t)).forEach(specs::add));
        return specs;
    }

    /** One chart per (shape, benchmark, threads) measured without extra parameters; returns the file names. */
    private static List<String> writeCharts(Path out, String stem, Run run) throws IOException {
        List<String> names = new ArrayList<>();
        for (Result first : run.results) {
            String name = chartName(stem, first);
            if (!first.params().isEmpty() || names.contains(name + ".png")) {
                continue;
            }
            List<Result> rs = run.results.stream().filter(r -> r.params().isEmpty() && chartName(stem, r).equals(name))
                    .toList();
            Charts.write(out.resolve(name), Markdown.opTitle(run.workloads, first) + " -- " + first.shape() + ", "
                    + first.records() + " records" + (first.threads() > 1 ? ", " + first.threads() + " threads" : ""), rs);
            names.add(name + ".png");
        }
        return names;
    }

    /** stem-shape-op (plus -Nt for N threads when N > 1), without ".png". */
    static String chartName(String stem, Result r) {
        return stem + "-" + r.shape() + "-" + r.op() + (r.threads() > 1 ? "-" + r.threads() + "t" : "");
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
        m.put("benchmark", r.benchmark());
        m.put("shape", r.shape());
        m.put("op", r.op());
        m.put("store", r.store());
        m.put("config", r.config());
        m.put("params", r.params());
        m.put("records", (double) r.records());
        m.put("threads", (double) r.threads());
        m.put("score", r.score());
        m.put("error", r.error());
        m.put("unit", r.unit());
        m.put("error_pct", r.relativeError() * 100);
        m.put("reliable", r.reliable());
        if (r.work() != null) {
            m.put("work", r.work());
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }

    /** Command-line arguments. */
    record Args(Path out, String mode, String date, List<Path> jmh, Path floor, Path memory, Path footprint,
                List<Path> sync, Path lib, Path env) {
        static Args parse(String[] args) {
            Path out = null;
            Path floor = null;
            Path memory = null;
            Path footprint = null;
            Path lib = null;
            Path env = null;
            String mode = "quick";
            String date = LocalDate.now().toString();
            List<Path> jmh = new ArrayList<>();
            List<Path> sync = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String v = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--out" -> out = Path.of(v);
                    case "--mode" -> mode = v;
                    case "--date" -> date = v;
                    case "--jmh" -> jmh.add(Path.of(v));
                    case "--floor" -> floor = Path.of(v);
                    case "--memory" -> memory = Path.of(v);
                    case "--footprint" -> footprint = Path.of(v);
                    case "--sync" -> sync.add(Path.of(v));
                    case "--lib" -> lib = Path.of(v);
                    case "--env" -> env = Path.of(v);
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
                i++;
            }
            if (out == null || jmh.isEmpty()) {
                throw new IllegalArgumentException("usage: Report --out DIR --jmh FILE [--jmh FILE...]"
                        + " [--mode quick|concurrency|cipher|full] [--date yyyy-mm-dd] [--floor FILE] [--memory DIR]"
                        + " [--footprint DIR] [--sync FILE]... [--lib FILE] [--env FILE]");
            }
            return new Args(out, mode.toLowerCase(Locale.ROOT), date, jmh, floor, memory, footprint, sync, lib, env);
        }
    }
}
