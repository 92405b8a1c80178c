package io.ancdb;


import io.ancdb.internal.NativeCursor;
import io.ancdb.record.RecordCodec;
import io.ancdb.record.ValueOrder;
import io.ancdb.schema.IndexInfo;
import io.ancdb.schema.TableInfo;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Streams the rows of a range scan (over the rowid or over an index) one at a
 * time: nothing is loaded ahead. Valid only inside its transaction and closed
 * with it; a cursor whose transaction ended throws {@link ClosedException}.
 */
public final class RowCursor implements Iterator<Row>, AutoCloseable {
    private static final ValueOrder ORDER = ValueOrder.INSTANCE;

    private final ReadTx tx;
    private final TableInfo table;
    private final IndexInfo index;         // null: rowid scan
    private final Object[] from;
    private final boolean fromInclusive;
    private final Object[] to;
    private final boolean toInclusive;
    private final boolean descending;
    private final long limit;
    private NativeCursor cur;              // on the index (index scans) or the table
    private NativeCursor rows;             // index scans: the table, for row lookups
    private boolean started;
    private boolean closed;
    private long produced;
    private Row next;
    // Read transactions fetch entries in batches (one native call per batch,
    // see NativeCursor.fetch); write transactions (batch null) step entry by
    // entry, since a write between two batches could move the b-tree under a
    // fetched one.
    private final NativeCursor.Batch batch;
    private int batchPos;
    private int batchLeft;
    private int fetchSize = 16;
    private static final int MAX_FETCH = 512;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());

    RowCursor(ReadTx tx, TableInfo table, IndexInfo index, ScanSpec spec) {
        this.tx = tx;
        this.table = table;
        this.index = index;
        this.from = normalize(spec.lower());
        this.fromInclusive = spec.lowerInclusive();
        this.to = normalize(spec.upper());
        this.toInclusive = spec.upperInclusive();
        this.descending = spec.descendingOrder();
        this.limit = spec.limit();
        if (index == null && ((from != null && (from.length != 1 || !(from[0] instanceof Long)))
                || (to != null && (to.length != 1 || !(to[0] instanceof Long))))) {
            throw new InvalidArgumentException("bounds of a rowid scan are single integers");
        }
        if (index != null && ((from != null && from.length > index.keyFields() - 1)
                || (to != null && to.length > index.keyFields() - 1))) {
            throw new InvalidArgumentException("index " + index.name() + " has only "
                    + (index.keyFields() - 1) + " columns to bound");
        }
        this.cur = index == null ? NativeCursor.open(tx.conn, table.root(), false, 0)
                : NativeCursor.open(tx.conn, index.root(), false, index.keyFields());
        if (index != null) {
            this.rows = NativeCursor.open(tx.conn, table.root(), false, 0);
        }
        this.batch = tx instanceof WriteTx ? null : new NativeCursor.Batch();
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (closed) {
            return false;
        }
        if (cur == null) {
            throw new ClosedException("cursor's transaction has ended");
        }
        tx.check();
        if (limit > 0 && produced >= limit) {
            finish();
            return false;
        }
        if (batch != null) {
            return nextFromBatch();
        }
        boolean on = started ? step() : position();
        started = true;
        while (on) {
            int where = index == null ? checkRowid(cur.rowid()) : checkKey(key = decodeKey(cur.payload()));
            if (where > 0) {
                break;                        // past the far bound
            }
            if (where == 0) {
                next = index == null ? ReadTx.decodeRow(table, cur.rowid(), cur.payload()) : indexRow();
                produced++;
                return true;
            }
            on = step();                      // before the near bound: skip
        }
        finish();
        return false;
    }

    private boolean nextFromBatch() {
        while (true) {
            if (batchLeft == 0) {
                if (batch.done || !refill()) {
                    finish();
                    return false;
                }
                continue;
            }
            byte[] b = batch.bytes;
            long rowid = (long) LONG.get(b, batchPos);
            int nA = (int) INT.get(b, batchPos + 8);
            int nB = (int) INT.get(b, batchPos + 12);
            int a = batchPos + 16;
            batchPos += (16 + nA + nB + 7) & ~7;
            batchLeft--;
            int where = index == null ? checkRowid(rowid) : checkKey(key = decodeKey(b, a, nA));
            if (where > 0) {
                finish();
                return false;
            }
            if (where == 0) {
                next = index == null ? ReadTx.decodeRow(table, rowid, b, a, nA) : ReadTx.decodeRow(table, rowid, b, a + nA, nB);
                produced++;
                return true;
            }
        }
    }

    /** Loads the next batch; false when the scan has no entry left. */
    private boolean refill() {
        if (!started) {
            started = true;
            if (!position()) {
                return false;
            }
        }
        int want;
        if (limit > 0) {
            want = (int) Math.min(Math.max(1, limit - produced), MAX_FETCH);
        } else {
            want = fetchSize;
            fetchSize = Math.min(fetchSize * 2, MAX_FETCH);
        }
        cur.fetch(rows, !descending, want, index == null ? stopRowid() : 0, batch);
        batchPos = 0;
        batchLeft = batch.count;
        return true;
    }

    /** The last rowid a rowid scan may return, in scan direction (bounds are checked again per row). */
    private long stopRowid() {
        if (!descending) {
            if (to == null) {
                return Long.MAX_VALUE;
            }
            long hi = (Long) to[0];
            return toInclusive || hi == Long.MIN_VALUE ? hi : hi - 1;
        }
        if (from == null) {
            return Long.MIN_VALUE;
        }
        long lo = (Long) from[0];
        return fromInclusive || lo == Long.MAX_VALUE ? lo : lo + 1;
    }

    private boolean step() {
        return descending ? cur.prev() : cur.next();
    }

    private boolean position() {
        if (index == null) {
            Object[] b = descending ? to : from;
            if (b == null) {
                return descending ? cur.last() : cur.first();
            }
            int res = cur.seekRowid((Long) b[0]);
            return settle(res);
        }
        if (descending) {
            if (to == null) {
                return cur.last();
            }
            return settle(cur.seekKey(RecordCodec.encode(to), toInclusive ? -1 : 1));
        }
        if (from == null) {
            return cur.first();
        }
        return settle(cur.seekKey(RecordCodec.encode(from), fromInclusive ? 1 : -1));
    }

    /** After a seek: move onto the first entry in scan direction. */
    private boolean settle(int res) {
        if (res == Integer.MIN_VALUE) {
            return false;                     // empty b-tree
        }
        if (descending && res > 0) {
            return cur.prev();
        }
        if (!descending && res < 0) {
            return cur.next();
        }
        return true;
    }

    /** -1 before the near bound, 0 inside, 1 past the far bound. */
    private int checkRowid(long rowid) {
        Long lo = from == null ? null : (Long) from[0];
        Long hi = to == null ? null : (Long) to[0];
        boolean belowLo = lo != null && (rowid < lo || (!fromInclusive && rowid == lo));
        boolean aboveHi = hi != null && (rowid > hi || (!toInclusive && rowid == hi));
        if (descending) {
            return belowLo ? 1 : aboveHi ? -1 : 0;
        }
        return aboveHi ? 1 : belowLo ? -1 : 0;
    }

    private Object[] key;

    /** An index entry's fields; corruption names the index. */
    private Object[] decodeKey(byte[] rec) {
        return decodeKey(rec, 0, rec.length);
    }

    private Object[] decodeKey(byte[] b, int off, int len) {
        Object[] k;
        try {
            k = RecordCodec.decode(b, off, len, Integer.MAX_VALUE);
        } catch (CorruptionException e) {
            throw e.locatedIn("an entry of index " + index.name(), index.root());
        }
        if (k.length != index.keyFields()) {      // the bounds compare and the rowid lookup rely on it
            throw new CorruptionException(11, "an entry of index " + index.name() + " has " + k.length
                    + " fields, not " + index.keyFields() + CorruptionException.rootedAt(index.root()), index.root());
        }
        return k;
    }

    private int checkKey(Object[] key) {
        boolean belowLo = false;
        boolean aboveHi = false;
        if (from != null) {
            int c = ORDER.comparePrefix(key, from, from.length);
            belowLo = c < 0 || (c == 0 && !fromInclusive);
        }
        if (to != null) {
            int c = ORDER.comparePrefix(key, to, to.length);
            aboveHi = c > 0 || (c == 0 && !toInclusive);
        }
        if (descending) {
            return belowLo ? 1 : aboveHi ? -1 : 0;
        }
        return aboveHi ? 1 : belowLo ? -1 : 0;
    }

    private Row indexRow() {
        Object last = key[key.length - 1];
        if (!(last instanceof Long rowid)) {
            throw new CorruptionException(11, "index " + index.name() + " entry does not end in a rowid"
                    + CorruptionException.rootedAt(index.root()), index.root());
        }
        if (rows.seekRowid(rowid) != 0) {
            throw new CorruptionException(11, "index " + index.name() + " points at missing row " + rowid
                    + CorruptionException.rootedAt(index.root()), index.root());
        }
        return ReadTx.decodeRow(table, rowid, rows.payload());
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Row r = next;
        next = null;
        return r;
    }

    private void finish() {
        if (cur != null) {
            cur.close();
            cur = null;
        }
        if (rows != null) {
            rows.close();
            rows = null;
        }
        closed = true;
    }

    /** Called by the transaction when it ends. */
    void invalidate() {
        if (!closed) {
            if (cur != null) {
                cur.close();
            }
            if (rows != null) {
                rows.close();
            }
            cur = null;
            rows = null;
        }
        next = null;
    }

    @Override
    public void close() {
        finish();
        next = null;
        tx.forget(this);
    }

    private static Object[] normalize(Object[] bound) {
        if (bound == null) {
            return null;
        }
        Object[] b = bound.clone();
        for (int i = 0; i < b.length; i++) {
            Object v = b[i];
            if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
                b[i] = ((Number) v).longValue();
            } else if (v instanceof Float f) {
                b[i] = f.doubleValue();
            } else if (v instanceof Boolean x) {
                b[i] = x ? 1L : 0L;
            } else if (v != null && !(v instanceof Long || v instanceof Double || v instanceof String || v instanceof byte[])) {
                throw new InvalidArgumentException("cannot bound a scan by a " + v.getClass().getName());
            }
        }
        return b;
    }
}
