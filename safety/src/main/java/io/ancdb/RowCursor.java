package io.ancdb;

import io.ancdb.internal.NativeCursor;
import io.ancdb.schema.TableInfo;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Streams rows of one table in rowid order without loading them all. Valid
 * only inside its transaction; closed with it.
 */
public final class RowCursor implements Iterator<Row>, AutoCloseable {
    private final ReadTx tx;
    private final TableInfo table;
    private final long from;
    private final long to;
    private final boolean descending;
    private NativeCursor cur;
    private boolean started;
    private Row next;

    RowCursor(ReadTx tx, TableInfo table, NativeCursor cur, long from, long to, boolean descending) {
        this.tx = tx;
        this.table = table;
        this.cur = cur;
        this.from = from;
        this.to = to;
        this.descending = descending;
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (cur == null) {
            if (started) {
                return false;
            }
            throw new ClosedException("cursor is closed");
        }
        tx.check();
        boolean on = started ? (descending ? cur.prev() : cur.next()) : position();
        started = true;
        if (!on) {
            finish();
            return false;
        }
        long rowid = cur.rowid();
        if (descending ? rowid < from : rowid > to) {
            finish();
            return false;
        }
        next = ReadTx.decodeRow(table, rowid, cur.payload());
        return true;
    }

    private boolean position() {
        long target = descending ? to : from;
        int res = cur.seekRowid(target);
        if (res == Integer.MIN_VALUE) {
            return false;                          // empty table
        }
        if (descending && res > 0) {
            return cur.prev();
        }
        if (!descending && res < 0) {
            return cur.next();
        }
        return true;
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
    }

    /** Called by the transaction when it ends. */
    void invalidate() {
        finish();
        started = false;
        next = null;
    }

    @Override
    public void close() {
        finish();
        started = true;
        next = null;
        tx.forget(this);
    }
}
