package io.ancdb.analytics;

import io.ancdb.CorruptionException;
import io.ancdb.Row;
import io.ancdb.RowCursor;
import io.ancdb.typed.FieldDef;
import io.ancdb.typed.RecordDefinition;
import io.ancdb.typed.RecordTable;
import io.ancdb.typed.ValueCodec;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * One loading thread's end of DuckDB: its own connection and one
 * {@link DuckDBAppender} per table. Each file is loaded in one DuckDB
 * transaction of its own, from one ANC-DB snapshot, so a file is in the
 * tables whole or not at all: a file that fails half way (a corrupt page
 * met while scanning) leaves no rows behind. Not thread-safe: one per thread.
 */
final class FileLoader implements AutoCloseable {
    /** Rows between two progress reports. */
    private static final int REPORT_EVERY = 4096;

    private final DuckDBConnection conn;
    private final List<SchemaLayout> layouts;
    private final Map<String, DuckDBAppender> appenders = new HashMap<>();

    FileLoader(DuckDBConnection main, List<SchemaLayout> layouts) throws SQLException {
        this.conn = main.duplicate();
        this.layouts = layouts;
    }

    /**
     * Appends every row of every laid-out schema {@code s} holds, commits,
     * and returns the number of rows; on any failure nothing of the file
     * stays and the failure is thrown.
     */
    long load(StoreSource.Snapshot s, LongConsumer progress) throws SQLException {
        execute("BEGIN TRANSACTION");
        try {
            long rows = 0;
            for (SchemaLayout layout : layouts) {
                RecordTable table = s.records(layout.name());
                if (table != null) {
                    rows += append(s, table.definition(), layout, progress);
                }
            }
            for (DuckDBAppender a : appenders.values()) {
                a.flush();
            }
            execute("COMMIT");
            return rows;
        } catch (SQLException | RuntimeException | Error e) {
            abort(e);
            throw e;
        }
    }

    private long append(StoreSource.Snapshot s, RecordDefinition def, SchemaLayout layout, LongConsumer progress)
            throws SQLException {
        int[] pos = layout.positions(def, s.name());
        List<SchemaLayout.Column> cols = layout.columns();
        ColumnType[] types = new ColumnType[pos.length];
        FieldDef[] fields = new FieldDef[pos.length];
        for (int i = 0; i < pos.length; i++) {
            types[i] = cols.get(i).type();
            fields[i] = pos[i] < 0 ? null : def.fields().get(pos[i]);
        }
        DuckDBAppender a = appender(layout);
        Object[] values = new Object[pos.length];
        long rows = 0;
        try (RowCursor c = s.tx().scan(def.name())) {
            while (c.hasNext()) {
                Row r = c.next();
                // decoded whole before the appender sees the row: a bad value never leaves half a row
                for (int i = 0; i < pos.length; i++) {
                    Object stored = pos[i] < 0 ? null : r.values()[pos[i]];
                    values[i] = stored == null ? null : decode(fields[i], stored, r, s, def);
                }
                a.beginRow();
                a.append(s.name());
                for (int i = 0; i < values.length; i++) {
                    types[i].append(a, values[i]);
                }
                a.endRow();
                if (++rows % REPORT_EVERY == 0) {
                    progress.accept(REPORT_EVERY);
                }
            }
        }
        progress.accept(rows % REPORT_EVERY);
        return rows;
    }

    private static Object decode(FieldDef f, Object stored, Row r, StoreSource.Snapshot s, RecordDefinition def) {
        try {
            return ValueCodec.fromStored(f, stored);
        } catch (CorruptionException e) {
            throw e.locatedIn("row " + r.rowid() + " of " + def.name(), s.tx().table(def.name()).root());
        }
    }

    private DuckDBAppender appender(SchemaLayout layout) throws SQLException {
        DuckDBAppender a = appenders.get(layout.name());
        if (a == null) {
            a = conn.createAppender(DuckDBConnection.DEFAULT_SCHEMA, layout.name());
            appenders.put(layout.name(), a);
        }
        return a;
    }

    /** Drops what the failed file appended: the appenders (their buffers flushed into the transaction) and the transaction. */
    private void abort(Throwable failure) {
        for (DuckDBAppender a : appenders.values()) {
            try {
                a.close();
            } catch (SQLException | RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
        appenders.clear();
        try {
            execute("ROLLBACK");
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute(sql);
        }
    }

    @Override
    public void close() throws SQLException {
        for (DuckDBAppender a : appenders.values()) {
            a.close();
        }
        appenders.clear();
        conn.close();
    }
}
