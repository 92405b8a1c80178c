package io.ancdb;

import io.ancdb.internal.NativeCursor;
import io.ancdb.internal.NativeDb;
import io.ancdb.record.RecordCodec;
import io.ancdb.schema.Catalog;
import io.ancdb.schema.Column;
import io.ancdb.schema.IndexInfo;
import io.ancdb.schema.SqlType;
import io.ancdb.schema.TableInfo;

import java.util.ArrayList;
import java.util.List;

/**
 * A read transaction: a consistent view of the file for its whole life.
 * Confined to the thread that began it; close it to release its connection
 * (try-with-resources). States: OPEN, then COMMITTED, ROLLED_BACK or CLOSED.
 */
public class ReadTx implements AutoCloseable {
    enum State { OPEN, COMMITTED, ROLLED_BACK, CLOSED }

    static final int USER_VERSION = 6;      // SQLite's BTREE_USER_VERSION header slot

    final Database db;
    final NativeDb conn;
    final Thread owner;
    Catalog catalog;
    State state = State.OPEN;
    private final List<RowCursor> cursors = new ArrayList<>();

    private final java.util.concurrent.locks.Lock lock;   // released at the end (read transactions)
    private final ReaderPool.Lease lease;                 // the pooled reader connection, or null

    ReadTx(Database db, NativeDb conn, ReaderPool.Lease lease, Catalog catalog, java.util.concurrent.locks.Lock lock) {
        this.db = db;
        this.conn = conn;
        this.lease = lease;
        this.catalog = catalog;
        this.owner = Thread.currentThread();
        this.lock = lock;
    }

    /** The schema this transaction sees. */
    public Catalog catalog() {
        check();
        return catalog;
    }

    public TableInfo table(String name) {
        check();
        return catalog.table(name);
    }

    public boolean isOpen() {
        return state == State.OPEN;
    }

    /** The row with this rowid, or null. */
    public Row get(String table, long rowid) {
        check();
        TableInfo t = catalog.table(table);
        byte[] payload = conn.tableGet(t.root(), rowid);
        return payload == null ? null : decodeRow(t, rowid, payload);
    }

    /** Every row of {@code table} in rowid order. Close the cursor (or the transaction). */
    public RowCursor scan(String table) {
        return scan(table, KeyRange.all());
    }

    /** Rows with {@code from <= rowid <= to}, ascending or descending. */
    public RowCursor scan(String table, long from, long to, boolean descending) {
        KeyRange range = KeyRange.all().from(from).to(to);
        return scan(table, descending ? range.reversed() : range);
    }

    /**
     * A range scan of {@code table} (see {@link KeyRange}): over the rowid, or
     * over the index {@code range.on()} names (an index name, or a column: its
     * rowid alias, else the first index that column leads).
     */
    public RowCursor scan(String table, KeyRange range) {
        check();
        TableInfo t = catalog.table(table);
        RowCursor c = new RowCursor(this, t, range.on() == null ? null : indexFor(t, range.on()), range);
        cursors.add(c);
        return c;
    }

    /** The index a scan {@code on} a name goes through; null for the rowid. */
    private static IndexInfo indexFor(TableInfo t, String on) {
        for (IndexInfo i : t.indexes()) {
            if (i.name().equalsIgnoreCase(on)) {
                return i;
            }
        }
        int col = t.spec().columnIndex(on);
        if (col >= 0 && col == t.spec().rowidColumn()) {
            return null;
        }
        for (IndexInfo i : t.indexes()) {
            if (col >= 0 && i.columnPositions().length > 0 && i.columnPositions()[0] == col) {
                return i;
            }
        }
        throw new SchemaNotFoundException("table " + t.name() + " has no index " + on);
    }

    /**
     * Whether scans read entries in batches. A write transaction steps entry
     * by entry: a write between two batches could move the b-tree under a
     * fetched entry.
     */
    boolean batchedScans() {
        return true;
    }

    /** Number of rows in {@code table}. */
    public long count(String table) {
        check();
        TableInfo t = catalog.table(table);
        try (NativeCursor cur = NativeCursor.open(conn, t.root(), false, 0)) {
            return cur.count();
        }
    }

    /**
     * The file's user version ({@code PRAGMA user_version}: a 32-bit header
     * field, read as unsigned) as this transaction sees it. The Store keeps
     * each file's version there.
     */
    public long userVersion() {
        check();
        return conn.metaGet(USER_VERSION) & 0xFFFF_FFFFL;
    }

    /** SQLite's integrity check of every b-tree: "" when sound, else its report. */
    public String integrityCheck() {
        check();
        closeCursors();
        return conn.integrityCheck(catalog.allRoots(), 100);
    }

    /** Ends the transaction (a read transaction has nothing to commit). */
    @Override
    public void close() {
        if (state != State.OPEN) {
            return;
        }
        checkThread();
        state = State.CLOSED;
        try {
            closeCursors();
        } finally {
            db.endRead(conn, lease, lock, catalog.cookie());   // ends (or keeps) the native read transaction
        }
    }

    // --- shared helpers -------------------------------------------------------------

    final void check() {
        if (state != State.OPEN) {
            throw new ClosedException("transaction is " + state.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        }
        checkThread();
    }

    final void checkThread() {
        if (Thread.currentThread() != owner) {
            throw new MisuseException("transaction belongs to thread '" + owner.getName()
                    + "', used from '" + Thread.currentThread().getName() + "'");
        }
    }

    final void closeCursors() {
        for (RowCursor c : cursors) {
            c.invalidate();
        }
        cursors.clear();
    }

    void forget(RowCursor c) {
        cursors.remove(c);
    }

    /** Decodes a stored row: pads missing trailing columns, puts the rowid in its alias, applies REAL affinity. */
    static Row decodeRow(TableInfo t, long rowid, byte[] payload) {
        return decodeRow(t, rowid, payload, 0, payload.length);
    }

    /** As {@link #decodeRow(TableInfo, long, byte[])} for the record {@code a[off .. off+len)}. */
    static Row decodeRow(TableInfo t, long rowid, byte[] a, int off, int len) {
        List<Column> cols = t.spec().columns();
        Object[] v = new Object[cols.size()];
        try {
            RecordCodec.decodeInto(a, off, len, v);
        } catch (CorruptionException e) {
            throw e.locatedIn("row " + rowid + " of " + t.name(), t.root());
        }
        for (int i = 0; i < v.length; i++) {
            Column c = cols.get(i);
            if (c.rowidAlias()) {
                v[i] = rowid;
            } else if (v[i] instanceof Long l && c.affinity() == SqlType.REAL) {
                v[i] = l.doubleValue();
            }
        }
        return new Row(rowid, v);
    }
}
