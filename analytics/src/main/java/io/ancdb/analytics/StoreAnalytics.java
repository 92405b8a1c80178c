package io.ancdb.analytics;

import io.ancdb.InvalidArgumentException;
import org.duckdb.DuckDBConnection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * SQL over a store: an in-memory DuckDB holding one table per record schema
 * of the store's files (those the source lets the caller read), each row with
 * a {@code db} column naming its file.
 *
 * <pre>{@code
 * try (StoreSource src = PlainStoreSource.open(dir, null);
 *      StoreAnalytics a = StoreAnalytics.load(src, LoadOptions.defaults());
 *      Statement st = a.connection().createStatement();
 *      ResultSet rs = st.executeQuery("SELECT db, count(*) FROM Event GROUP BY db")) { ... }
 * }</pre>
 *
 * DuckDB keeps the tables in memory up to its memory limit and spills the
 * rest to a temporary directory of its own, removed at close.
 */
public final class StoreAnalytics implements AutoCloseable {
    private static final Pattern IDENTIFIER = Pattern.compile("\"((?:[^\"]|\"\")+)\"|([A-Za-z_][A-Za-z0-9_]*)");

    private final DuckDBConnection conn;
    private final Path spill;
    private final LoadReport report;

    private StoreAnalytics(DuckDBConnection conn, Path spill, LoadReport report) {
        this.conn = conn;
        this.spill = spill;
        this.report = report;
    }

    /** A fresh DuckDB with {@code src} loaded into it. */
    public static StoreAnalytics load(StoreSource src, LoadOptions options) throws SQLException {
        return load(src, options, null);
    }

    /**
     * As {@link #load(StoreSource, LoadOptions)}, with DuckDB's memory limit
     * (e.g. "2GB"; null: DuckDB's default, 80% of RAM).
     */
    public static StoreAnalytics load(StoreSource src, LoadOptions options, String memoryLimit) throws SQLException {
        DuckDBConnection conn = openDuckDb(memoryLimit);
        Path spill = spillDirectory(conn);
        try {
            return new StoreAnalytics(conn, spill, StoreLoader.load(conn, src, options));
        } catch (SQLException | RuntimeException | Error e) {
            closeQuietly(conn, spill, e);
            throw e;
        }
    }

    /** An in-memory DuckDB; its spill directory is set by {@link #spillDirectory}. */
    static DuckDBConnection openDuckDb(String memoryLimit) throws SQLException {
        Properties p = new Properties();
        if (memoryLimit != null) {
            if (!memoryLimit.matches("[0-9]+(\\.[0-9]+)?\\s*[KMGT]i?B")) {
                throw new InvalidArgumentException("memory limit must look like 512MB or 4GB, got " + memoryLimit);
            }
            p.setProperty("memory_limit", memoryLimit);
        }
        return (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:", p);
    }

    /** A temporary directory of this process for DuckDB to spill to (else it would use ./.tmp). */
    static Path spillDirectory(DuckDBConnection conn) throws SQLException {
        try {
            Path dir = Files.createTempDirectory("ancdb-duckdb-");
            try (Statement st = conn.createStatement()) {
                st.execute("SET temp_directory = '" + dir.toString().replace("'", "''") + "'");
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for DuckDB", e);
        }
    }

    /**
     * The names a SQL text may refer to tables by: every identifier, quoted or
     * not, lower-cased. Loading only the schemas among them skips files'
     * schemas the query cannot touch (a table named only through a string,
     * e.g. {@code query_table('Event')}, is not seen: then load all).
     */
    public static Set<String> identifiers(String sql) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(sql);
        while (m.find()) {
            String id = m.group(1) != null ? m.group(1).replace("\"\"", "\"") : m.group(2);
            out.add(id.toLowerCase(Locale.ROOT));
        }
        return out;
    }

    /** The DuckDB connection holding the tables (one thread at a time, as JDBC connections are). */
    public DuckDBConnection connection() {
        return conn;
    }

    public LoadReport report() {
        return report;
    }

    @Override
    public void close() {
        closeQuietly(conn, spill, null);
    }

    static void closeQuietly(DuckDBConnection conn, Path spill, Throwable failure) {
        try {
            conn.close();
        } catch (SQLException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
        }
        deleteTree(spill);
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary directory left behind is harmless
        }
    }
}
