package io.ancdb.analytics;

import io.ancdb.typed.RecordDefinition;
import io.ancdb.typed.RecordTable;
import org.duckdb.DuckDBConnection;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Loads the record schemas of a store's files into DuckDB tables, one table
 * per schema with a {@code db} column naming the file.
 *
 * <p>Two passes over the files, both on a small pool of threads: the first
 * reads each file's definitions (to lay out one table over files whose
 * schemas may differ), the second streams each file's rows from one ANC-DB
 * snapshot through a {@link FileLoader} (its thread's DuckDB appenders) in
 * one DuckDB transaction per file. Rows are never collected: each thread
 * holds one decoded row and the appender's current chunk. A file that fails
 * in either pass fails the load or is skipped and reported, as
 * {@link LoadOptions#onError()} says; it never half-loads.
 */
public final class StoreLoader {
    private StoreLoader() {
    }

    /** Loads {@code src} into the database of {@code conn} (tables must not exist yet). */
    public static LoadReport load(DuckDBConnection conn, StoreSource src, LoadOptions options) throws SQLException {
        long start = System.nanoTime();
        List<String> names = src.names();
        Failures failures = new Failures(options.onError());

        // pass 1: the definitions of every file, merged into one layout per schema
        Map<String, List<RecordDefinition>> defs = new ConcurrentHashMap<>();
        Set<String> unchanged = ConcurrentHashMap.newKeySet();
        runAll(names, options.threads(), failures, () -> null, (name, none) -> {
            List<RecordDefinition> found = src.read(name, s -> {
                Long last = options.skipAt().get(name);
                if (last != null && last == s.version()) {
                    unchanged.add(name);
                    return null;
                }
                List<RecordDefinition> out = new ArrayList<>();
                for (String schema : s.schemaNames()) {
                    if (options.wants(schema)) {
                        RecordTable t = s.records(schema);
                        out.add(t.definition());
                    }
                }
                return out;
            });
            if (found != null) {
                defs.put(name, found);
            }
        });
        Map<String, SchemaLayout> layouts = new LinkedHashMap<>();
        for (String name : names) {
            for (RecordDefinition d : defs.getOrDefault(name, List.of())) {
                layouts.computeIfAbsent(d.name().toLowerCase(java.util.Locale.ROOT), k -> new SchemaLayout(d.name()))
                        .add(d, name);
            }
        }
        List<SchemaLayout> tables = List.copyOf(layouts.values());
        try (Statement st = conn.createStatement()) {
            for (SchemaLayout l : tables) {
                st.execute(l.createTable());
            }
        }

        // pass 2: the rows, one snapshot and one DuckDB transaction per file
        List<String> loadable = names.stream().filter(defs::containsKey).toList();
        Map<String, Long> versions = new ConcurrentHashMap<>();
        Map<String, Long> fileRows = new ConcurrentHashMap<>();
        try (Progress progress = new Progress(options.progress(), "loading", loadable.size(), "files")) {
            runAll(loadable, options.threads(), failures, () -> new FileLoader(conn, tables), (name, loader) -> {
                long version = src.read(name, s -> {
                    try {
                        fileRows.put(name, loader.load(s, progress::rows));
                    } catch (SQLException e) {
                        throw new IllegalStateException("DuckDB refused the rows: " + e.getMessage(), e);
                    }
                    return s.version();
                });
                versions.put(name, version);
                progress.unitDone();
            });
            return new LoadReport(tables.stream().map(SchemaLayout::name).toList(),
                    Collections.unmodifiableMap(new TreeMap<>(versions)),
                    Collections.unmodifiableMap(new TreeMap<>(fileRows)), progress.rowCount(),
                    failures.skipped(), unchanged.stream().sorted().toList(), System.nanoTime() - start);
        }
    }

    /** A per-thread resource (a FileLoader), made on the thread that uses it. */
    interface Resource<R extends AutoCloseable> {
        R open() throws SQLException;
    }

    interface FileTask<R> {
        void run(String name, R resource) throws Exception;
    }

    /** Runs {@code task} over {@code names} on {@code threads} threads, each with its own resource. */
    private static <R extends AutoCloseable> void runAll(List<String> names, int threads, Failures failures,
                                                          Resource<R> resource, FileTask<R> task) throws SQLException {
        AtomicInteger next = new AtomicInteger();
        int n = Math.max(1, Math.min(threads, names.size()));
        ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "ancdb-load");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < n; w++) {
                workers.add(pool.submit(() -> {
                    try (R res = resource.open()) {
                        int i;
                        while (!failures.stopped() && (i = next.getAndIncrement()) < names.size()) {
                            String name = names.get(i);
                            try {
                                task.run(name, res);
                            } catch (Exception | AssertionError e) {
                                failures.add(name, e);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while loading", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException s) {
                throw s;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        failures.rethrow();
    }

    /** The files that failed: the first one ends the load (FAIL), or all are kept to be reported (SKIP). */
    private static final class Failures {
        private final LoadOptions.OnFileError policy;
        private final Map<String, LoadReport.FileFailure> skipped = new ConcurrentHashMap<>();
        private final AtomicReference<FileLoadException> first = new AtomicReference<>();

        Failures(LoadOptions.OnFileError policy) {
            this.policy = policy;
        }

        void add(String name, Throwable e) {
            Throwable cause = e instanceof IllegalStateException && e.getCause() instanceof SQLException ? e.getCause() : e;
            FileLoadException f = new FileLoadException(name, cause);
            if (policy == LoadOptions.OnFileError.FAIL) {
                first.compareAndSet(null, f);
            } else {
                skipped.put(name, new LoadReport.FileFailure(name, FileLoadException.reason(cause)));
            }
        }

        boolean stopped() {
            return first.get() != null;
        }

        void rethrow() {
            FileLoadException f = first.get();
            if (f != null) {
                throw f;
            }
        }

        List<LoadReport.FileFailure> skipped() {
            return new TreeMap<>(skipped).values().stream().toList();
        }
    }
}
