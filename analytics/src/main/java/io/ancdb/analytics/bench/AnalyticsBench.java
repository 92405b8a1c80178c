package io.ancdb.analytics.bench;

import io.ancdb.analytics.LoadOptions;
import io.ancdb.analytics.ParquetExport;
import io.ancdb.analytics.PlainStoreSource;
import io.ancdb.analytics.RallyGenerator;
import io.ancdb.analytics.StoreAnalytics;
import io.ancdb.analytics.StoreSource;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The analytics benchmarks ({@code make bench-analytics}), on a generated
 * rally store (built once, kept in the work directory):
 * <ol>
 *   <li>load rate into DuckDB, rows/s, with 1 and 2 loading threads;</li>
 *   <li>the two questions end to end: ANC-DB + DuckDB (the CLI, one JVM
 *   process loading the store and running both SQL files), against the
 *   {@code sqlite3} shell running the same aggregates file by file (one
 *   process per file, both scripts), target at least 5x faster; and against
 *   DuckDB over the exported Parquet (the floor);</li>
 *   <li>the export rate to Parquet, rows/s, target at least 1 M rows/s.</li>
 * </ol>
 * Every figure is the mean of its trials with the 99.9% error; a figure
 * whose error exceeds 15% is UNRELIABLE and a target resting on one is
 * neither met nor missed. Arguments: work directory, pairs, rallies per
 * week, trials, report file, the analytics jar, the SQL directory.
 */
public final class AnalyticsBench {
    private final Path work;
    private final int trials;
    private final Path jar;
    private final Path sql;
    private final List<String> report = new ArrayList<>();

    private AnalyticsBench(Path work, int trials, Path jar, Path sql) {
        this.work = work;
        this.trials = trials;
        this.jar = jar;
        this.sql = sql;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 7) {
            System.err.println("usage: AnalyticsBench WORK PAIRS RALLIES_PER_WEEK TRIALS REPORT.md JAR SQL_DIR");
            System.exit(2);
        }
        Path work = Path.of(args[0]);
        int pairs = Integer.parseInt(args[1]);
        int rallies = Integer.parseInt(args[2]);
        AnalyticsBench b = new AnalyticsBench(work, Integer.parseInt(args[3]), Path.of(args[5]), Path.of(args[6]));
        b.run(pairs, rallies, Path.of(args[4]));
    }

    private void run(int pairs, int rallies, Path out) throws Exception {
        long started = System.nanoTime();
        Path store = work.resolve("store-" + pairs + "-" + rallies);
        long events = prepare(store, pairs, rallies);
        long now;
        try (StoreSource src = PlainStoreSource.open(store, null);
             StoreAnalytics a = StoreAnalytics.load(src, LoadOptions.defaults())) {
            now = single(a.connection(), "SELECT max(ts) FROM Event");
        }
        report.add("# Analytics benchmarks, " + LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME));
        report.add("");
        report.add(String.format(Locale.ROOT, "Store: %d pair files, %,d events (`generate --pairs %d --months 6 "
                + "--rallies-per-week %d --seed 1`), %d trials per figure, %d cores, load average at start %.1f.",
                pairs, events, pairs, rallies, trials, Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        report.add("");
        report.add("| figure | mean | 99.9% error | trials | |");
        report.add("|---|---:|---:|---:|---|");

        Figure load1 = loadRate(store, 1);
        Figure load2 = loadRate(store, 2);
        Figure cli = timed("questions: ANC-DB + DuckDB, CLI end to end (one JVM: load + both queries)", () -> cli(store));
        Figure shell = timed("questions: sqlite3 shell, file by file (a process per file, both scripts)",
                () -> shell(store, now));
        Path parquet = work.resolve("parquet-" + pairs + "-" + rallies);
        Figure export = exportRate(store, parquet, events);
        Figure floor = timed("questions: DuckDB over the exported Parquet (the floor)", () -> parquetFloor(parquet));
        for (Figure f : List.of(load1, load2, cli, shell, floor, export)) {
            report.add(f.row());
        }
        report.add("");
        report.add("| target | figures | verdict |");
        report.add("|---|---|---|");
        target("ANC-DB + DuckDB end to end >= 5x faster than the sqlite3 shell file by file",
                shell.mean() / cli.mean(), 5, cli, shell);
        target("export to Parquet >= 1 M rows/s", export.mean(), 1_000_000, export);
        report.add("");
        report.add(String.format(Locale.ROOT, "For reference: ANC-DB + DuckDB end to end is %.2fx the Parquet floor's "
                + "time; 2 loading threads give %.2fx the rate of 1. Whole run: %.0f s.",
                cli.mean() / floor.mean(), load2.mean() / load1.mean(), (System.nanoTime() - started) / 1e9));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.write(out, report, StandardCharsets.UTF_8);
        report.forEach(System.out::println);
    }

    private void target(String what, double value, double goal, Figure... on) {
        boolean reliable = Stream.of(on).allMatch(Figure::reliable);
        String verdict = !reliable ? "UNRELIABLE (" + String.join(", ", Stream.of(on).filter(f -> !f.reliable())
                .map(Figure::name).toList()) + ")" : value >= goal ? "met" : "missed";
        report.add(String.format(Locale.ROOT, "| %s | %s | %s |", what, Figure.fmt(value), verdict));
    }

    private long prepare(Path store, int pairs, int rallies) throws Exception {
        Path done = store.resolve(".generated");
        if (Files.exists(done)) {
            return Long.parseLong(Files.readString(done).strip());
        }
        deleteTree(store);
        long events = RallyGenerator.generate(store, RallyGenerator.Plan.of(pairs, 6, 1, rallies), 2, System.err).events();
        Files.writeString(done, Long.toString(events));
        return events;
    }

    private Figure loadRate(Path store, int threads) throws Exception {
        List<Double> rates = new ArrayList<>();
        try (StoreSource src = PlainStoreSource.open(store, null)) {
            for (int i = -1; i < trials; i++) {                    // the first load warms the JIT up
                long t0 = System.nanoTime();
                try (StoreAnalytics a = StoreAnalytics.load(src, LoadOptions.defaults().withThreads(threads)
                        .withSchemas(Set.of("Event")))) {
                    double secs = (System.nanoTime() - t0) / 1e9;
                    if (i >= 0) {
                        rates.add(a.report().rows() / secs);
                    }
                }
            }
        }
        return new Figure("load into DuckDB, " + threads + " thread" + (threads == 1 ? "" : "s"), "rows/s", rates);
    }

    private Figure exportRate(Path store, Path out, long events) throws Exception {
        List<Double> rates = new ArrayList<>();
        try (StoreSource src = PlainStoreSource.open(store, null)) {
            for (int i = 0; i < trials; i++) {
                deleteTree(out);
                long t0 = System.nanoTime();
                ParquetExport.Result r = ParquetExport.export(src, "Event", out, LoadOptions.defaults(), null);
                rates.add(r.rows() / ((System.nanoTime() - t0) / 1e9));
                if (r.rows() != events) {
                    throw new IllegalStateException("the export wrote " + r.rows() + " of " + events + " rows");
                }
            }
        }
        return new Figure("export to Parquet (whole store, 2 threads)", "rows/s", rates);
    }

    interface Work {
        void run() throws Exception;
    }

    private Figure timed(String name, Work w) throws Exception {
        List<Double> secs = new ArrayList<>();
        for (int i = 0; i < trials; i++) {
            long t0 = System.nanoTime();
            w.run();
            secs.add((System.nanoTime() - t0) / 1e9);
        }
        return new Figure(name, "s", secs);
    }

    private void cli(Path store) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String out = exec(List.of(java, "-jar", jar.toString(), "sql", "--store", store.toString(), "--quiet",
                "--format", "csv", "--file", sql.resolve("lead_time.sql").toString(),
                "--file", sql.resolve("conversion.sql").toString()), null);
        if (!out.startsWith("pair,")) {
            throw new IllegalStateException("unexpected output: " + out);
        }
    }

    private void shell(Path store, long now) throws Exception {
        String script = ".param set :now " + now + "\n" + Files.readString(sql.resolve("sqlite/lead_time.sql"))
                + "\n" + Files.readString(sql.resolve("sqlite/conversion.sql"));
        try (Stream<Path> files = Files.list(store)) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("[a-z0-9].*\\.db")).sorted().toList()) {
                exec(List.of("sqlite3", "-batch", "-bail", f.toString()), script);
            }
        }
    }

    private void parquetFloor(Path parquet) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("CREATE VIEW Event AS SELECT * FROM read_parquet('" + parquet.toAbsolutePath()
                    + "/**/*.parquet', hive_partitioning = true)");
            for (String q : List.of("lead_time.sql", "conversion.sql")) {
                try (ResultSet rs = st.executeQuery(Files.readString(sql.resolve(q)))) {
                    while (rs.next()) {
                        rs.getString(1);
                    }
                }
            }
        }
    }

    private static long single(Connection c, String q) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(q)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String exec(List<String> cmd, String stdin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0 || out.contains("Error:")) {
            throw new IllegalStateException(cmd + " failed: " + out);
        }
        return out;
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
