package io.ancdb;

import io.ancdb.internal.NativeCursor;
import io.ancdb.internal.NativeDb;
import io.ancdb.record.RecordCodec;
import io.ancdb.schema.Affinity;
import io.ancdb.schema.Catalog;
import io.ancdb.schema.DefinedRecord;
import io.ancdb.schema.IndexInfo;
import io.ancdb.schema.IndexSpec;
import io.ancdb.schema.TableInfo;
import io.ancdb.schema.TableSpec;
import io.ancdb.schema.TagIndex;
import io.ancdb.schema.SchemaDeclarations;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The write transaction: changes become visible to others, and durable, at
 * {@link #commit()}. Closing without commit rolls back. Every row write keeps
 * the table's indexes in step, in SQLite's own key layout, so the stock
 * {@code sqlite3} shell sees a consistent file.
 *
 * <p>Under group commit ({@link GroupCommit}) a {@code writeTx} call's
 * transaction is its turn in a shared one: {@link #commit()} keeps its writes
 * for the shared commit and {@link #rollback()} takes them back (its
 * savepoint), and the caller's {@code writeTx} returns once the shared commit
 * is durable.
 *
 * <p>This class checks state and thread and orders the steps of each call;
 * values take the column affinity in {@link Affinity}, index entries and
 * unique lookups are {@link IndexUpkeep}'s, DDL is {@link SchemaWriter}'s.
 */
public final class WriteTx extends ReadTx {
    private final IndexUpkeep indexes;
    private final SchemaWriter schema;
    private final Deque<Savepoint> savepoints = new ArrayDeque<>();
    private final GroupCommit.Turn turn;      // null: a transaction of its own

    private record Savepoint(String name, int level, Catalog catalog) {
    }

    WriteTx(Database db, NativeDb conn, Catalog catalog) {
        this(db, conn, catalog, null);
    }

    /** A turn of a group's shared transaction ({@code turn} non-null), or a transaction of its own. */
    WriteTx(Database db, NativeDb conn, Catalog catalog, GroupCommit.Turn turn) {
        super(db, conn, null, catalog, null);
        this.indexes = new IndexUpkeep(conn);
        this.schema = new SchemaWriter(this, conn, indexes);
        this.turn = turn;
    }

    @Override
    boolean batchedScans() {
        return false;
    }

    // --- schema ---------------------------------------------------------------------

    /** Creates a table: a new b-tree plus its CREATE TABLE row in sqlite_schema. */
    public TableInfo createTable(TableSpec spec) {
        check();
        return schema.createTable(spec);
    }

    /** Creates an index over existing rows; fails on duplicates for a UNIQUE index. */
    public IndexInfo createIndex(IndexSpec spec) {
        check();
        return schema.createIndex(spec);
    }

    /**
     * Creates a tag index: one (element, rowid) entry per distinct element of
     * the JSON string array in {@code spec.column()}, kept as the WITHOUT ROWID
     * table {@code spec.name()}. It is an index of the table from then on only
     * while a record definition declares it (see {@link SchemaDeclarations}):
     * create it together with {@link #addDefinition}.
     */
    public IndexInfo createTagIndex(TagIndex spec) {
        check();
        return schema.createTagIndex(spec);
    }

    /**
     * Adds the text of record definition {@code name} to {@code ancdb_schemas}
     * (creating that table on first use) and to this transaction's catalog.
     * The typed layer ({@code io.ancdb.typed.Definitions}) writes and reads the
     * text; the core keeps the rows.
     *
     * @return the row, whose rowid is the definition's numeric id
     */
    public DefinedRecord addDefinition(String name, String text) {
        check();
        return schema.addDefinition(name, text);
    }

    // --- rows -----------------------------------------------------------------------

    /**
     * Inserts a row under a new rowid (one past the largest, or the value given
     * for the INTEGER PRIMARY KEY column). Returns the rowid.
     */
    public long insert(String table, Object... values) {
        check();
        TableInfo t = writableTable(table);
        int ipk = t.spec().rowidColumn();
        long rowid;
        if (ipk >= 0 && values != null && values.length > ipk && values[ipk] != null) {
            rowid = Affinity.rowid(values[ipk]);
        } else {
            rowid = nextRowid(table);
        }
        insert(table, rowid, values, OnConflict.FAIL);
        return rowid;
    }

    /** One past the largest rowid of {@code table} (1 for an empty table). */
    public long nextRowid(String table) {
        check();
        NativeCursor c = indexes.cursor(catalog.table(table).root(), 0);
        if (!c.last()) {
            return 1;
        }
        if (c.rowid() == Long.MAX_VALUE) {
            throw new AncDbException(ErrorCode.LIMIT_EXCEEDED, "rowid space of " + table + " exhausted");
        }
        return c.rowid() + 1;
    }

    /**
     * Inserts {@code values} (one per column, in table order) under {@code rowid}.
     *
     * @return true if written, false if {@link OnConflict#IGNORE} skipped it
     */
    public boolean insert(String table, long rowid, Object[] values, OnConflict onConflict) {
        check();
        TableInfo t = writableTable(table);
        Object[] v = Affinity.row(t, rowid, values);
        NativeCursor tcur = indexes.cursor(t.root(), 0);
        boolean rowidTaken = tcur.seekRowid(rowid) == 0;
        List<IndexUpkeep.UniqueConflict> unique = indexes.uniqueConflicts(t, rowid, v);
        if (rowidTaken || !unique.isEmpty()) {
            switch (onConflict) {
                case FAIL -> throw new ConstraintViolationException(rowidTaken
                        ? "rowid " + rowid + " already exists in " + t.name()
                        : "unique index of " + t.name() + " already holds these values (rowid " + unique.getFirst().rowid() + ")");
                case IGNORE -> {
                    return false;
                }
                case REPLACE -> {
                    if (rowidTaken) {
                        delete(t.name(), rowid);
                    }
                    for (IndexUpkeep.UniqueConflict c : unique) {
                        delete(t.name(), c.rowid());     // false when an earlier index named the same row
                    }
                }
            }
        }
        tcur.insertRow(rowid, RecordCodec.encode(storedValues(t, v)));
        indexes.insertEntries(t, rowid, v);
        return true;
    }

    /**
     * Replaces the values of the existing row {@code rowid}, keeping its rowid:
     * only index entries whose keys change are touched. Unique indexes are
     * checked against other rows first (nothing changes on a violation).
     *
     * @return false if there is no such row
     */
    public boolean update(String table, long rowid, Object[] values) {
        check();
        TableInfo t = writableTable(table);
        Object[] v = Affinity.row(t, rowid, values);
        NativeCursor tcur = indexes.cursor(t.root(), 0);
        if (tcur.seekRowid(rowid) != 0) {
            return false;
        }
        Row old = decodeRow(t, rowid, tcur.payload());
        List<IndexUpkeep.UniqueConflict> unique = indexes.uniqueConflicts(t, rowid, v);
        if (!unique.isEmpty()) {
            IndexUpkeep.UniqueConflict c = unique.getFirst();
            throw new ConstraintViolationException("unique index " + c.index().name() + " of " + t.name()
                    + " already holds these values (rowid " + c.rowid() + ")");
        }
        indexes.updateEntries(t, rowid, old.values(), v);
        tcur.insertRow(rowid, RecordCodec.encode(storedValues(t, v)));
        return true;
    }

    /** Replaces the row with this rowid, or inserts it. */
    public void put(String table, long rowid, Object... values) {
        insert(table, rowid, values, OnConflict.REPLACE);
    }

    /** Deletes the row with this rowid and its index entries; false if absent. */
    public boolean delete(String table, long rowid) {
        check();
        TableInfo t = writableTable(table);
        NativeCursor tcur = indexes.cursor(t.root(), 0);
        if (tcur.seekRowid(rowid) != 0) {
            return false;
        }
        Row old = decodeRow(t, rowid, tcur.payload());
        indexes.deleteEntries(t, rowid, old.values());
        if (tcur.seekRowid(rowid) != 0) {
            throw CorruptionException.found("row " + rowid + " vanished during delete", t.root());
        }
        tcur.delete();
        return true;
    }

    /** Sets the file's user version ({@code PRAGMA user_version}, 0 .. 2^32-1) in this transaction. */
    public void setUserVersion(long version) {
        check();
        if (version < 0 || version > 0xFFFF_FFFFL) {
            throw new InvalidArgumentException("user version must be within 0 .. 4294967295, got " + version);
        }
        conn.metaSet(USER_VERSION, (int) version);
    }

    // --- savepoints -----------------------------------------------------------------

    /** Opens a named savepoint (nested inside any open ones). */
    public void savepoint(String name) {
        check();
        int level = conn.savepointBegin();
        savepoints.push(new Savepoint(name, level, catalog));
    }

    /** Undoes every change since savepoint {@code name}; it stays open, inner ones end. */
    public void rollbackTo(String name) {
        check();
        Savepoint sp = findSavepoint(name);
        indexes.closeCursors();
        closeCursors();
        conn.savepointRollback(sp.level());
        while (savepoints.peek() != sp) {
            savepoints.pop();
        }
        catalog = sp.catalog();
    }

    /** Keeps the changes since savepoint {@code name} and ends it and every inner one. */
    public void release(String name) {
        check();
        Savepoint sp = findSavepoint(name);
        conn.savepointRelease(sp.level());
        while (savepoints.pop() != sp) {
            // drop inner savepoints
        }
    }

    private Savepoint findSavepoint(String name) {
        for (Savepoint sp : savepoints) {
            if (sp.name().equals(name)) {
                return sp;
            }
        }
        throw new InvalidArgumentException("no open savepoint named " + name);
    }

    // --- end of life ------------------------------------------------------------------

    /**
     * Makes every change durable and visible. In a turn of a group commit:
     * keeps the changes for the shared commit, which {@code writeTx} waits for.
     */
    public void commit() {
        check();
        indexes.closeCursors();
        closeCursors();
        if (turn != null) {
            turn.keep(catalog, savepoints.isEmpty() ? 0 : savepoints.peekLast().level());
        } else {
            conn.commit();     // on failure the transaction stays open: retry or roll back
            db.countCommit(1);
            db.publishCatalog(catalog);
        }
        state = State.COMMITTED;
        end();
    }

    /** Discards every change (in a turn of a group commit: this transaction's own). */
    public void rollback() {
        check();
        indexes.closeCursors();
        closeCursors();
        try {
            if (turn != null) {
                turn.undo();
            } else {
                conn.rollback();
            }
        } finally {
            state = State.ROLLED_BACK;
            end();
        }
    }

    /** Rolls back unless committed. */
    @Override
    public void close() {
        if (state == State.OPEN) {
            rollback();
        }
    }

    private void end() {
        savepoints.clear();
        if (turn == null) {
            db.endWrite(this);
        }
    }

    // --- helpers ----------------------------------------------------------------------

    /** Table {@code name}, which ANC-DB must be able to keep consistent to write it. */
    TableInfo writableTable(String name) {
        TableInfo t = catalog.table(name);
        if (!t.writable()) {
            throw new InvalidArgumentException("table " + name
                    + " has an index or layout ANC-DB cannot maintain (WITHOUT ROWID, expression, partial or collated index)");
        }
        return t;
    }

    /** The record as SQLite stores it: NULL in place of the INTEGER PRIMARY KEY. */
    private static Object[] storedValues(TableInfo t, Object[] v) {
        int ipk = t.spec().rowidColumn();
        if (ipk < 0) {
            return v;
        }
        Object[] s = v.clone();
        s[ipk] = null;
        return s;
    }
}
