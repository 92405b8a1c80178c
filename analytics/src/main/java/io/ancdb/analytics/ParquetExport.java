package io.ancdb.analytics;

import io.ancdb.store.StoreNames;
import org.duckdb.DuckDBConnection;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Exports one record schema of a store as Hive-partitioned Parquet,
 * {@code OUT/db=<name>/data_0.parquet}, through DuckDB, incrementally: a file
 * whose version is the one the manifest ({@link ExportManifest}) recorded is
 * not read again. Changed files are loaded a batch at a time (memory stays
 * bounded), written by DuckDB into a staging directory, and each partition is
 * then swapped in by renames; the manifest follows each batch. Partitions of
 * files no longer in the store are removed. A reader anywhere sees the
 * {@code db} column from the path ({@code read_parquet('OUT/**}{@code /*.parquet',
 * hive_partitioning = true)}, pandas {@code read_parquet(OUT)}, Spark).
 */
public final class ParquetExport {
    /** Files loaded and written per batch. */
    static final int BATCH_FILES = 256;
    private static final String PARTITION = "db=";

    /** What an export did. */
    public record Result(List<String> written, List<String> unchanged, List<String> removed, long rows,
                         List<LoadReport.FileFailure> skipped) {
    }

    private ParquetExport() {
    }

    /**
     * Exports {@code schema} of {@code src} into {@code out} (created if
     * missing). An encrypted store gets a warning on {@code warn}: the Parquet
     * files are plaintext.
     */
    public static Result export(StoreSource src, String schema, Path out, LoadOptions options, PrintStream warn)
            throws SQLException {
        if (src.encrypted() && warn != null) {
            warn.println("ancdb-analytics: warning: the store is encrypted, the Parquet files written to " + out
                    + " are not: protect that directory yourself");
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + out, e);
        }
        ExportManifest manifest = ExportManifest.read(out, schema);
        List<String> names = src.names();
        List<String> written = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        List<LoadReport.FileFailure> skipped = new ArrayList<>();
        long rows = 0;
        for (int from = 0; from < names.size(); from += BATCH_FILES) {
            List<String> batch = names.subList(from, Math.min(names.size(), from + BATCH_FILES));
            LoadReport r = exportBatch(new Subset(src, batch), out, manifest,
                    options.withSchemas(java.util.Set.of(schema)).withSkipAt(manifest.versions()));
            written.addAll(r.versions().keySet());
            unchanged.addAll(r.unchanged());
            skipped.addAll(r.skipped());
            rows += r.rows();
        }
        List<String> removed = new ArrayList<>();
        for (String db : List.copyOf(manifest.entries().keySet())) {
            if (!Files.exists(src.directory().resolve(db + StoreNames.FILE_SUFFIX))) {
                deleteTree(out.resolve(PARTITION + db));
                manifest.remove(db);
                removed.add(db);
            }
        }
        manifest.write();
        return new Result(written, unchanged, removed, rows, skipped);
    }

    private static LoadReport exportBatch(StoreSource batch, Path out, ExportManifest manifest,
                                          LoadOptions options) throws SQLException {
        DuckDBConnection conn = StoreAnalytics.openDuckDb(null);
        Path spill = StoreAnalytics.spillDirectory(conn);
        Path staging = out.resolve(".staging-" + UUID.randomUUID());
        try {
            LoadReport r = StoreLoader.load(conn, batch, options);
            if (r.versions().isEmpty()) {
                return r;
            }
            if (!r.tables().isEmpty()) {              // else no file of the batch has the schema
                try (Statement st = conn.createStatement()) {
                    st.execute("COPY " + SchemaLayout.quote(r.tables().getFirst()) + " TO '" + sqlString(staging)
                            + "' (FORMAT parquet, PARTITION_BY (" + SchemaLayout.DB_COLUMN + "), COMPRESSION zstd)");
                }
            }
            for (String db : r.versions().keySet()) {
                swapIn(out, staging.resolve(PARTITION + db), out.resolve(PARTITION + db));
                manifest.put(db, r.versions().get(db), r.fileRows().get(db));
            }
            manifest.write();
            return r;
        } finally {
            StoreAnalytics.closeQuietly(conn, spill, null);
            deleteTree(staging);
        }
    }

    /** Replaces {@code target} by {@code fresh} (absent when the file has no rows): renames, then the old one goes. */
    private static void swapIn(Path out, Path fresh, Path target) {
        try {
            Path old = null;
            if (Files.exists(target)) {
                old = out.resolve(".old-" + UUID.randomUUID());
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            if (Files.exists(fresh)) {
                Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
            }
            deleteTree(old);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the new partition into " + target, e);
        }
    }

    private static String sqlString(Path p) {
        return p.toAbsolutePath().toString().replace("'", "''");
    }

    private static void deleteTree(Path p) {
        StoreAnalytics.deleteTree(p);
    }

    /** A source narrowed to some of its names. */
    private record Subset(StoreSource src, List<String> names) implements StoreSource {
        @Override
        public Path directory() {
            return src.directory();
        }

        @Override
        public <T> T read(String name, java.util.function.Function<Snapshot, T> fn) {
            return src.read(name, fn);
        }

        @Override
        public boolean encrypted() {
            return src.encrypted();
        }

        @Override
        public void close() {
        }
    }
}
