package io.ancdb.internal;

import io.ancdb.bindings.internal.ancdb_h;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One native cursor ({@code ancdb_cursor}) on a table or index b-tree. Lives
 * inside one transaction of one {@link NativeDb}; the native layer closes it
 * when the transaction ends, so {@link #close()} after that is a no-op here.
 */
public final class NativeCursor implements AutoCloseable {
    private final NativeDb db;
    private long handle;

    private NativeCursor(NativeDb db, long handle) {
        this.db = db;
        this.handle = handle;
    }

    /** The native handle, for calls that take two cursors ({@link EntryReader}). */
    long handle() {
        return handle;
    }

    /**
     * @param nKeyFields 0 for a table b-tree, else fields per index key
     */
    public static NativeCursor open(NativeDb db, int root, boolean write, int nKeyFields) {
        db.check(ancdb_h.ancdb_cursor_open(db.handle(), root, write ? ancdb_h.ANCDB_CURSOR_WRITE : 0,
                nKeyFields, db.out(0)), "open cursor");
        return new NativeCursor(db, db.outLong(0));
    }

    private boolean move(int rc, String op) {
        if (rc == NativeErrors.DONE) {
            return false;
        }
        db.check(rc, op);
        return true;
    }

    /** Moves to the first entry; false if the b-tree is empty. */
    public boolean first() {
        return move(ancdb_h.ancdb_cursor_first(handle), "cursor first");
    }

    public boolean last() {
        return move(ancdb_h.ancdb_cursor_last(handle), "cursor last");
    }

    public boolean next() {
        return move(ancdb_h.ancdb_cursor_next(handle), "cursor next");
    }

    public boolean prev() {
        return move(ancdb_h.ancdb_cursor_prev(handle), "cursor prev");
    }

    /**
     * Seeks a rowid. Returns {@link Integer#MIN_VALUE} on an empty b-tree,
     * else the comparison result of ancdb_cursor_seek_rowid (0 = exact).
     */
    public int seekRowid(long rowid) {
        int rc = ancdb_h.ancdb_cursor_seek_rowid(handle, rowid, db.out(1));
        return move(rc, "seek") ? db.outInt(1) : Integer.MIN_VALUE;
    }

    /** Seeks an index key record (see ancdb_cursor_seek_key for bias). */
    public int seekKey(byte[] key, int bias) {
        MemorySegment k = db.scratchFrom(key);
        int rc = ancdb_h.ancdb_cursor_seek_key(handle, k, key.length, bias, db.out(1));
        return move(rc, "seek") ? db.outInt(1) : Integer.MIN_VALUE;
    }

    public boolean eof() {
        db.check(ancdb_h.ancdb_cursor_eof(handle, db.out(1)), "cursor eof");
        return db.outInt(1) != 0;
    }

    public long rowid() {
        db.check(ancdb_h.ancdb_cursor_rowid(handle, db.out(1)), "read rowid");
        return db.outLong(1);
    }

    /** The record of the current entry (row of a table, key of an index). */
    public byte[] payload() {
        db.check(ancdb_h.ancdb_cursor_payload_size(handle, db.out(1)), "payload size");
        int n = db.outInt(1);
        MemorySegment buf = db.scratch(n);
        db.check(ancdb_h.ancdb_cursor_payload(handle, 0, n, buf), "read payload");
        byte[] bytes = new byte[n];
        MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, bytes, 0, n);
        return bytes;
    }

    public void insertRow(long rowid, byte[] record) {
        db.check(ancdb_h.ancdb_cursor_insert_row(handle, rowid, db.scratchFrom(record), record.length), "insert");
    }

    public void insertKey(byte[] key) {
        db.check(ancdb_h.ancdb_cursor_insert_key(handle, db.scratchFrom(key), key.length), "insert index key");
    }

    public void delete() {
        db.check(ancdb_h.ancdb_cursor_delete(handle), "delete");
    }

    public long count() {
        db.check(ancdb_h.ancdb_cursor_count(handle, db.out(1)), "count");
        return db.outLong(1);
    }

    @Override
    public void close() {
        if (handle != 0 && db.isOpen()) {
            // MISUSE here only means the transaction already closed it.
            ancdb_h.ancdb_cursor_close(handle);
        }
        handle = 0;
    }
}
