package io.ancdb.analytics;

import io.ancdb.AncDbException;
import io.ancdb.InvalidArgumentException;
import io.ancdb.OnConflict;
import io.ancdb.store.FileWrite;
import io.ancdb.store.GuardedStore;
import io.ancdb.store.Store;
import io.ancdb.store.StoreNames;
import io.ancdb.typed.FieldDef;
import io.ancdb.typed.Inserted;
import io.ancdb.typed.RecordDefinition;
import io.ancdb.typed.RecordTable;
import org.duckdb.DuckDBConnection;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads CSV, JSON lines or Parquet through DuckDB and writes each row as a
 * record of one store schema into the file its database field names (or one
 * given file). DuckDB sorts the rows by database (spilling to disk when
 * large), so each file gets consecutive batches, each one write transaction.
 * A batch that fails is written again row by row, each in a savepoint, and
 * the rows that still fail are rejected with their reason, the others kept.
 * A batch that wrote nothing (every row already there under
 * {@link OnConflict#IGNORE}) is rolled back, so the file's version does not
 * move: importing the same rows again with IGNORE changes nothing.
 */
public final class BulkImport {
    /** The column holding each row's position in its input file. */
    private static final String ROW = "__ancdb_row";

    /** Where rows go and how. */
    public record Target(String schema, String dbField, String db, OnConflict onConflict, int batch) {
        public Target {
            if ((dbField == null) == (db == null)) {
                throw new InvalidArgumentException("name the database field or one database, not both");
            }
            if (db != null) {
                StoreNames.requireValid(db);
            }
            if (batch < 1 || batch > 100_000) {
                throw new InvalidArgumentException("batch must be within 1 .. 100000");
            }
        }
    }

    /** What an import did; {@code rejected} maps each reason to the rows it concerns ("file:row"). */
    public record Result(long rows, long written, long ignored, int files, Map<String, List<String>> rejected) {
        public long rejectedRows() {
            return rejected.values().stream().mapToLong(List::size).sum();
        }
    }

    private final Store store;
    private final GuardedStore guarded;
    private final Target target;
    private final RecordDefinition def;
    private final Map<String, List<String>> rejected = new LinkedHashMap<>();
    private final java.util.Set<String> touched = new java.util.TreeSet<>();
    private long rows;
    private long written;
    private long ignored;

    private BulkImport(Store store, GuardedStore guarded, Target target) {
        this.store = store;
        this.guarded = guarded;
        this.target = target;
        this.def = store.schemas().stream().filter(d -> d.name().equalsIgnoreCase(target.schema())).findFirst()
                .orElseThrow(() -> new InvalidArgumentException("the store has no schema " + target.schema()
                        + " (import writes store-wide schemas; define it on the store first)"));
    }

    /** Imports {@code inputs} into {@code store} (through {@code guarded} when not null); progress on {@code err}. */
    public static Result run(Store store, GuardedStore guarded, Target target, List<Path> inputs, PrintStream err)
            throws SQLException {
        BulkImport imp = new BulkImport(store, guarded, target);
        try (DuckDBConnection conn = StoreAnalytics.openDuckDb(null)) {
            java.nio.file.Path spill = StoreAnalytics.spillDirectory(conn);
            try {
                long total = 0;
                for (Path in : inputs) {
                    total += count(conn, in);
                }
                try (Progress progress = new Progress(err, "importing", total, "rows")) {
                    for (Path in : inputs) {
                        imp.importFile(conn, in, progress);
                    }
                }
            } finally {
                StoreAnalytics.deleteTree(spill);
            }
        }
        return new Result(imp.rows, imp.written, imp.ignored, imp.touched.size(), imp.rejected);
    }

    /** The DuckDB reader of a file, by its extension. */
    static String reader(Path in) {
        if (!Files.isRegularFile(in)) {
            throw new InvalidArgumentException("no input file " + in);
        }
        String n = in.getFileName().toString().toLowerCase(Locale.ROOT);
        String path = "'" + in.toAbsolutePath().toString().replace("'", "''") + "'";
        if (n.endsWith(".csv") || n.endsWith(".csv.gz") || n.endsWith(".tsv")) {
            return "read_csv(" + path + ", header = true)";
        }
        if (n.endsWith(".json") || n.endsWith(".jsonl") || n.endsWith(".ndjson") || n.endsWith(".json.gz")) {
            return "read_json(" + path + ", format = 'newline_delimited')";
        }
        if (n.endsWith(".parquet")) {
            return "read_parquet(" + path + ")";
        }
        throw new InvalidArgumentException("cannot tell the format of " + in
                + ": name it .csv, .csv.gz, .tsv, .json, .json.gz, .jsonl, .ndjson or .parquet");
    }

    private static long count(DuckDBConnection conn, Path in) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + reader(in))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void importFile(DuckDBConnection conn, Path in, Progress progress) throws SQLException {
        String source = "(SELECT row_number() OVER () AS " + ROW + ", * FROM " + reader(in) + ")";
        String order = target.dbField() == null ? ROW : SchemaLayout.quote(target.dbField()) + ", " + ROW;
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM " + source + " ORDER BY " + order)) {
            ResultSetMetaData md = rs.getMetaData();
            int n = md.getColumnCount();
            FieldDef[] fields = new FieldDef[n + 1];
            int dbColumn = -1;
            for (int c = 1; c <= n; c++) {
                String name = md.getColumnLabel(c);
                if (name.equals(ROW)) {
                    continue;
                }
                boolean isDb = target.dbField() != null && name.equalsIgnoreCase(target.dbField());
                if (isDb) {
                    dbColumn = c;
                }
                int f = def.fieldIndex(name);
                if (f >= 0) {
                    fields[c] = def.fields().get(f);
                } else if (!isDb) {
                    throw new InvalidArgumentException(in + ": column " + name + " is not a field of " + def.describe());
                }
            }
            if (target.dbField() != null && dbColumn < 0) {
                throw new InvalidArgumentException(in + " has no column " + target.dbField());
            }
            String file = in.getFileName().toString();
            String currentDb = null;
            List<Map<String, Object>> batch = new ArrayList<>();
            List<String> where = new ArrayList<>();
            while (rs.next()) {
                rows++;
                progress.rows(1);
                String at = file + ":" + rs.getLong(ROW);
                String db = target.db() != null ? target.db() : (String) asText(rs.getObject(dbColumn));
                if (db == null || !StoreNames.isValid(db)) {
                    reject(db == null ? "no database name in column " + target.dbField()
                            : "invalid database name \"" + db + "\"", at);
                    continue;
                }
                if (!db.equals(currentDb) || batch.size() >= target.batch()) {
                    flush(currentDb, batch, where);
                    currentDb = db;
                }
                Map<String, Object> record = new HashMap<>();
                try {
                    for (int c = 1; c <= n; c++) {
                        if (fields[c] != null) {
                            record.put(fields[c].name(), ImportValues.toApi(fields[c], rs.getObject(c)));
                        }
                    }
                } catch (AncDbException | SQLException e) {
                    reject(FileLoadException.reason(e), at);
                    continue;
                }
                batch.add(record);
                where.add(at);
            }
            flush(currentDb, batch, where);
        }
    }

    private static Object asText(Object v) {
        return v == null ? null : v.toString();
    }

    /** Writes one batch into {@code db}: whole, or row by row when that fails. */
    private void flush(String db, List<Map<String, Object>> batch, List<String> where) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            try (FileWrite w = begin(db)) {
                tally(w.records(def.name()).insertBatch(w.tx(), batch, target.onConflict()), w);
            }
        } catch (AncDbException whole) {
            rowByRow(db, batch, where, whole);
        }
        batch.clear();
        where.clear();
    }

    private void rowByRow(String db, List<Map<String, Object>> batch, List<String> where, AncDbException cause) {
        FileWrite w;
        try {
            w = begin(db);
        } catch (AncDbException e) {
            where.forEach(at -> reject(FileLoadException.reason(e), at));   // unauthorized, unreadable file...
            return;
        }
        try (w) {
            RecordTable t = w.records(def.name());
            List<Inserted<Object>> done = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                w.tx().savepoint("row");
                try {
                    done.add(t.insert(w.tx(), batch.get(i), target.onConflict()));
                    w.tx().release("row");
                } catch (AncDbException e) {
                    w.tx().rollbackTo("row");
                    w.tx().release("row");
                    reject(FileLoadException.reason(e), where.get(i));
                }
            }
            tally(done, w);
        }
    }

    /** Counts what a batch did and commits it, or rolls back a batch that wrote nothing (the version stays). */
    private void tally(List<Inserted<Object>> done, FileWrite w) {
        long n = done.stream().filter(Inserted::written).count();
        if (n > 0) {
            w.commit();
            touched.add(w.name());
        }
        written += n;
        ignored += done.size() - n;
    }

    private FileWrite begin(String db) {
        return guarded != null ? guarded.beginWrite(db, Store.ANY_VERSION) : store.beginWrite(db);
    }

    private void reject(String reason, String at) {
        rejected.computeIfAbsent(reason, k -> new ArrayList<>()).add(at);
    }
}
