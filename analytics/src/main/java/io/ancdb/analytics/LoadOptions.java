package io.ancdb.analytics;

import io.ancdb.InvalidArgumentException;

import java.io.PrintStream;
import java.util.Map;
import java.util.Set;

/**
 * How a store is loaded into DuckDB.
 *
 * @param schemas  the record schemas to load (case-insensitive); null: every schema
 * @param threads  files read in parallel (a small pool: each thread has its own DuckDB connection)
 * @param onError  what a file that fails to open or read does to the load
 * @param progress where the progress line goes (null: nowhere)
 * @param skipAt   files to leave out while they are at these versions (an incremental export's
 *                 last versions; empty: none), reported in {@link LoadReport#unchanged()}
 */
public record LoadOptions(Set<String> schemas, int threads, OnFileError onError, PrintStream progress,
                          Map<String, Long> skipAt) {
    /** What happens when one file fails (corrupt, wrong key, unreadable). */
    public enum OnFileError {
        /** The load fails, naming the file. */
        FAIL,
        /** The file is left out, reported by name in {@link LoadReport#skipped()} (and on the progress stream). */
        SKIP
    }

    public LoadOptions {
        if (threads < 1 || threads > 64) {
            throw new InvalidArgumentException("threads must be within 1 .. 64, got " + threads);
        }
        if (onError == null) {
            throw new InvalidArgumentException("onError is required");
        }
        skipAt = skipAt == null ? Map.of() : Map.copyOf(skipAt);
        schemas = schemas == null ? null : Set.copyOf(schemas.stream().map(s -> s.toLowerCase(java.util.Locale.ROOT)).toList());
    }

    /** Every schema, two threads, failing on the first bad file, no progress line. */
    public static LoadOptions defaults() {
        return new LoadOptions(null, 2, OnFileError.FAIL, null, Map.of());
    }

    public LoadOptions withSchemas(Set<String> s) {
        return new LoadOptions(s, threads, onError, progress, skipAt);
    }

    public LoadOptions withThreads(int n) {
        return new LoadOptions(schemas, n, onError, progress, skipAt);
    }

    public LoadOptions withOnError(OnFileError e) {
        return new LoadOptions(schemas, threads, e, progress, skipAt);
    }

    public LoadOptions withProgress(PrintStream out) {
        return new LoadOptions(schemas, threads, onError, out, skipAt);
    }

    public LoadOptions withSkipAt(Map<String, Long> versions) {
        return new LoadOptions(schemas, threads, onError, progress, versions);
    }

    boolean wants(String schema) {
        return schemas == null || schemas.contains(schema.toLowerCase(java.util.Locale.ROOT));
    }
}
