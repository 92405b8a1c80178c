package io.ancdb.internal;

import io.ancdb.CorruptionException;
import io.ancdb.bindings.internal.ancdb_h;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The entries of one b-tree in one direction, read through a native cursor.
 * In a read transaction they come a batch at a time ({@code
 * ancdb_cursor_fetch}: one downcall per batch, each entry's table row read in
 * the same call for an index); in a write transaction one step at a time,
 * since a write between two batches could move the b-tree under a fetched
 * entry. This is the one place that knows the batch layout
 * ({@code int64 rowid | int32 nA | int32 nB | A | B | pad to 8}, see
 * {@code ancdb.h}).
 *
 * <p>Use: position ({@link #rewind}, {@link #seekRowid}, {@link #seekKey} or
 * {@link #finish}), then {@link #next()} until it answers false. The current
 * entry's record is {@link #bytes()}{@code [}{@link #offset()}{@code ..+}{@link
 * #length()}{@code )}: the row of a table, the key of an index.
 */
public final class EntryReader implements AutoCloseable {
    private static final int FIRST_FETCH = 16;
    private static final int MAX_FETCH = 512;
    private static final int MIN_FETCH_BUFFER = 64 * 1024;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final NativeDb db;
    private final boolean forward;
    private final boolean batched;
    private NativeCursor cur;
    private NativeCursor rows;            // index b-trees: the table, to read each entry's row

    /** The cursor rests on the next entry to return (false: on nothing, or on the one already returned). */
    private boolean resting;
    /** No entry is left after the current batch. */
    private boolean exhausted;

    // batched: entries fetched and not yet returned are batch[batchPos ..), batchLeft of them
    private byte[] batch = new byte[0];
    private int batchPos;
    private int batchLeft;
    private int fetchSize = FIRST_FETCH;
    private long wanted;
    private long stop;

    // the current entry
    private long rowid;
    private byte[] bytes;
    private int offset;
    private int length;
    private byte[] rowBytes;
    private int rowOffset;
    private int rowLength;

    private EntryReader(NativeDb db, NativeCursor cur, NativeCursor rows, boolean forward, boolean batched) {
        this.db = db;
        this.cur = cur;
        this.rows = rows;
        this.forward = forward;
        this.batched = batched;
        this.stop = forward ? Long.MAX_VALUE : Long.MIN_VALUE;
    }

    /**
     * @param keyFields 0 for a table b-tree, else the fields of an index key
     * @param rowRoot   for an index: the root of its table, whose rows {@link #readRow} returns
     * @param batched   fetch in batches (read transactions only)
     */
    public static EntryReader open(NativeDb db, int root, int keyFields, int rowRoot, boolean forward, boolean batched) {
        NativeCursor cur = NativeCursor.open(db, root, false, keyFields);
        NativeCursor rows = null;
        try {
            if (keyFields > 0) {
                rows = NativeCursor.open(db, rowRoot, false, 0);
            }
        } catch (RuntimeException e) {
            cur.close();
            throw e;
        }
        return new EntryReader(db, cur, rows, forward, batched);
    }

    // --- positioning: next() then returns the first entry from here in scan direction ------------

    /** From the first entry (the last when reading backward). */
    public void rewind() {
        moved(forward ? cur.first() : cur.last());
    }

    /** From the first rowid at or beyond {@code r} in scan direction (table b-trees). */
    public void seekRowid(long r) {
        moved(settle(cur.seekRowid(r)));
    }

    /** From where the index key record {@code key} falls, equal prefixes placed by {@code bias} (see ancdb_cursor_seek_key). */
    public void seekKey(byte[] key, int bias) {
        moved(settle(cur.seekKey(key, bias)));
    }

    /** No entry from here. */
    public void finish() {
        moved(false);
    }

    /** Batched table reads copy no entry whose rowid lies beyond {@code rowid} in scan direction. */
    public void stopAfterRowid(long rowid) {
        this.stop = rowid;
    }

    /** Batched reads fetch about this many entries next (0: unknown, batches grow). */
    public void expect(long entries) {
        this.wanted = entries;
    }

    private void moved(boolean on) {
        resting = on;
        exhausted = !on;
        batchLeft = 0;
    }

    /** After a seek: onto the first entry in scan direction. */
    private boolean settle(int res) {
        if (res == Integer.MIN_VALUE) {
            return false;                     // empty b-tree
        }
        if (!forward && res > 0) {
            return cur.prev();
        }
        if (forward && res < 0) {
            return cur.next();
        }
        return true;
    }

    // --- reading ------------------------------------------------------------------------------

    /** Moves to the next entry; false when there is none. */
    public boolean next() {
        return batched ? nextFromBatch() : step();
    }

    private boolean step() {
        if (exhausted) {
            return false;
        }
        if (!resting && !(forward ? cur.next() : cur.prev())) {
            exhausted = true;
            return false;
        }
        resting = false;
        bytes = cur.payload();
        offset = 0;
        length = bytes.length;
        rowBytes = null;
        rowid = rows == null ? cur.rowid() : 0;
        return true;
    }

    private boolean nextFromBatch() {
        if (batchLeft == 0 && !refill()) {
            return false;
        }
        byte[] b = batch;
        rowid = (long) LONG.get(b, batchPos);
        int nA = (int) INT.get(b, batchPos + 8);
        int nB = (int) INT.get(b, batchPos + 12);
        bytes = b;
        offset = batchPos + 16;
        length = nA;
        rowBytes = b;
        rowOffset = offset + nA;
        rowLength = nB;
        batchPos += (16 + nA + nB + 7) & ~7;
        batchLeft--;
        return true;
    }

    /** Fetches the next batch; false when no entry is left. */
    private boolean refill() {
        if (exhausted) {
            return false;
        }
        int want;
        if (wanted > 0) {
            want = (int) Math.min(wanted, MAX_FETCH);
        } else {
            want = fetchSize;
            fetchSize = Math.min(fetchSize * 2, MAX_FETCH);
        }
        long need = MIN_FETCH_BUFFER;
        while (true) {
            MemorySegment buf = db.scratch(need);
            int cap = (int) Math.min(buf.byteSize(), Integer.MAX_VALUE - 8) & ~7;
            db.check(ancdb_h.ancdb_cursor_fetch(cur.handle(), rows == null ? 0 : rows.handle(), forward ? 1 : -1, want,
                    stop, buf, cap, db.out(2), db.out(3), db.out(4)), "fetch");
            int n = db.outInt(2);
            boolean done = db.outInt(3) != 0;
            int used = db.outInt(4);                      // bytes filled, or what the next entry alone needs
            if (n == 0 && !done) {
                if (used <= cap) {                        // the shim checks sizes against the file: never
                    throw CorruptionException.found("a record's size changed while it was read");
                }
                need = used;
                continue;
            }
            if (batch.length < used) {
                batch = new byte[(int) Math.max(used, batch.length * 2L)];
            }
            MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, batch, 0, used);
            resting = false;
            exhausted = done;
            batchPos = 0;
            batchLeft = n;
            return n > 0;
        }
    }

    /** The current entry's rowid (table b-trees). */
    public long rowid() {
        return rowid;
    }

    /** The array holding the current entry's record (reused: read it before the next call). */
    public byte[] bytes() {
        return bytes;
    }

    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    /**
     * Index b-trees: makes the table row {@code rowid} (the current entry's
     * trailing field) the current row. False when the table has no such row.
     */
    public boolean readRow(long rowid) {
        if (rowBytes != null) {
            return true;                                   // fetched with the entry (the shim checked the rowid)
        }
        if (rows.seekRowid(rowid) != 0) {
            return false;
        }
        rowBytes = rows.payload();
        rowOffset = 0;
        rowLength = rowBytes.length;
        return true;
    }

    public byte[] rowBytes() {
        return rowBytes;
    }

    public int rowOffset() {
        return rowOffset;
    }

    public int rowLength() {
        return rowLength;
    }

    /**
     * Index b-trees, before the first {@link #next()}: whether the table
     * holds a negative rowid (its first row's is one).
     */
    public boolean tableHoldsNegativeRowid() {
        return rows.first() && rows.rowid() < 0;
    }

    /** Closes the native cursors (a no-op after the transaction closed them). */
    @Override
    public void close() {
        if (cur != null) {
            cur.close();
            cur = null;
        }
        if (rows != null) {
            rows.close();
            rows = null;
        }
        exhausted = true;
        batchLeft = 0;
    }
}
