package io.ancdb;

import io.ancdb.internal.EntryReader;
import io.ancdb.internal.NativeCursor;
import io.ancdb.schema.IndexInfo;
import io.ancdb.schema.TableInfo;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Streams the rows of a range scan ({@link KeyRange}) over a table's rowids
 * or over one index, one at a time, in the range's order. Valid only inside
 * its transaction and closed with it; a cursor whose transaction ended throws
 * {@link ClosedException}.
 *
 * <p>The b-tree holds keys in SQLite's (signed) order. An unsigned level of
 * the key (see {@link KeyRange#unsigned}) must list its values below 0 (the
 * stored bits of 2<sup>63</sup> and above) after the others, so where such
 * values exist the walk visits the two halves of that level apart: a
 * {@link Frame} per level being split, each half reached by one seek. Where
 * none exist the signed walk already is the unsigned order: ascending scans
 * notice negatives as they meet them; descending ones look ahead with a
 * second cursor, once per scan for the first level and the rowid (one seek),
 * once per group for a later unsigned field of a composite index.
 */
public final class RowCursor implements Iterator<Row>, AutoCloseable {
    private final ReadTx tx;
    private final ScanKeys keys;
    private final Object[] lower;
    private final boolean lowerInclusive;
    private final Object[] upper;
    private final boolean upperInclusive;
    private final boolean descending;
    private final long limit;
    private EntryReader in;
    private NativeCursor probe;            // descending scans: looks for negatives ahead
    private boolean[] lookAhead;           // descending scans: levels whose groups may hold negatives
    private final ArrayDeque<Frame> frames = new ArrayDeque<>(0);    // grows only where values >= 2^63 split a walk
    private boolean started;
    private boolean closed;
    private long produced;
    private Row next;

    /**
     * One unsigned level being walked in its two halves, inside the entries
     * that start with {@code group}: ascending, numbers from 0 up, then those
     * below 0; descending the reverse. Nils, first in both orders, are walked
     * outside any frame.
     */
    private static final class Frame {
        final int level;
        final Object[] group;
        boolean second;

        Frame(int level, Object[] group, boolean second) {
            this.level = level;
            this.group = group;
            this.second = second;
        }

        /** The half walked now holds the numbers below 0. */
        boolean negatives(boolean descending) {
            return second != descending;
        }
    }

    RowCursor(ReadTx tx, TableInfo table, IndexInfo index, KeyRange range) {
        this.tx = tx;
        this.descending = range.descending();
        this.limit = range.limit();
        boolean[] unsigned = unsignedLevels(table, index, range.unsignedColumns());
        this.keys = index == null ? new ScanKeys.Rowids(table, !descending, unsigned[0])
                : new ScanKeys.IndexKeys(table, index, !descending, unsigned);
        this.lower = normalize(range.start(), unsigned);
        this.lowerInclusive = range.startInclusive();
        this.upper = normalize(range.end(), unsigned);
        this.upperInclusive = range.endInclusive();
        for (Object[] b : new Object[][] {lower, upper}) {
            if (b == null) {
                continue;
            }
            if (index == null && !(b.length == 1 && b[0] instanceof Long)) {
                throw new InvalidArgumentException("bounds of a rowid scan are single integers");
            }
            if (index != null && b.length > unsigned.length - 1) {
                throw new InvalidArgumentException("index " + index.name() + " has only "
                        + (unsigned.length - 1) + " columns to bound");
            }
        }
        this.in = index == null ? EntryReader.open(tx.conn, table.root(), 0, 0, !descending, tx.batchedScans())
                : EntryReader.open(tx.conn, index.root(), index.keyFields(), table.root(), !descending, tx.batchedScans());
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (closed) {
            return false;
        }
        if (in == null) {
            throw new ClosedException("cursor's transaction has ended");
        }
        tx.check();
        if (limit > 0 && produced >= limit) {
            finish();
            return false;
        }
        if (!started) {
            started = true;
            start();
        }
        while (true) {
            in.expect(limit > 0 ? limit - produced : 0);
            boolean on = in.next();
            if (on) {
                keys.read(in);
            }
            if (!frames.isEmpty() && !(on && inRegion(frames.peek()))) {
                endRegion();
                continue;
            }
            if (!on) {
                finish();
                return false;
            }
            if (splitNegatives()) {
                continue;
            }
            int where = check();
            if (where > 0) {
                finish();
                return false;
            }
            if (where == 0) {
                next = keys.row(in);
                produced++;
                return true;
            }
        }
    }

    /** Positions on the near bound (or the first entry), entering the halves the bound lies in. */
    private void start() {
        Object[] near = descending ? upper : lower;
        if (descending) {
            lookAhead = new boolean[keys.levels()];
            for (int q = 1; q < lookAhead.length; q++) {
                lookAhead[q] = keys.unsigned(q);
            }
            int last = lookAhead.length - 1;
            if (last > 0 && lookAhead[last]) {         // the rowid: negatives only if the table holds some
                lookAhead[last] = in.tableHoldsNegativeRowid();
            }
        }
        if (near != null) {
            for (int q = 0; q < near.length; q++) {
                if (keys.unsigned(q)) {
                    frames.push(new Frame(q, Arrays.copyOf(near, q), ScanKeys.negative(near[q]) != descending));
                }
            }
            seek(near, descending ? upperInclusive : lowerInclusive);
        } else if (descending && keys.unsigned(0) && holdsNegative(ScanKeys.NONE)) {
            frames.push(new Frame(0, ScanKeys.NONE, false));
            seek(new Object[] {0L}, false);               // the largest number below 0
        } else if (!descending && upper != null) {
            seek(new Object[] {null}, false);             // past nil first fields, which no bound admits
        } else {
            seek(ScanKeys.NONE, true);
        }
    }

    /** The current entry lies in the half {@code f} walks. */
    private boolean inRegion(Frame f) {
        if (!keys.inGroup(f.group)) {
            return false;
        }
        return f.negatives(descending) ? keys.negativeAt(f.level)
                : !keys.negativeAt(f.level) && !keys.nilAt(f.level);
    }

    /** The walk left the innermost frame's half: on to its other half, or out of the frame. */
    private void endRegion() {
        Frame f = frames.peek();
        if (!f.second) {
            f.second = true;
            if (descending) {
                seek(f.group, true);                                   // the group's largest: from the top down
            } else {
                seek(ScanKeys.append(f.group, null), false);           // past the group's nils: from the lowest up
            }
            return;
        }
        frames.pop();
        if (descending) {
            seek(ScanKeys.append(f.group, null), true);                // the group's nils, then what precedes it
        } else {
            seek(f.group, false);                                      // past the group
        }
    }

    /**
     * At the start of a group whose unsigned level holds numbers below 0 (met
     * ascending; looked for descending), walks that level in halves instead.
     * True when it moved the reader.
     */
    private boolean splitNegatives() {
        for (int q = frames.isEmpty() ? 0 : frames.peek().level + 1; q < keys.levels(); q++) {
            if (!keys.unsigned(q)) {
                continue;
            }
            if (!descending) {
                if (keys.negativeAt(q)) {
                    Object[] g = keys.group(q);
                    frames.push(new Frame(q, g, false));
                    seek(ScanKeys.append(g, 0L), true);              // numbers from 0 up first
                    return true;
                }
            } else if (lookAhead[q] && !keys.nilAt(q) && !keys.negativeAt(q) && !keys.sameGroupAsPrevious(q)) {
                Object[] g = keys.group(q);
                if (holdsNegative(g)) {
                    frames.push(new Frame(q, g, false));
                    seek(ScanKeys.append(g, 0L), false);             // numbers below 0 first, from -1 down
                    return true;
                }
            }
        }
        return false;
    }

    private boolean holdsNegative(Object[] group) {
        if (probe == null) {
            probe = keys.openProbe(tx.conn);
        }
        return keys.holdsNegative(probe, group);
    }

    private void seek(Object[] prefix, boolean include) {
        keys.seek(in, prefix, include);
        Frame top = frames.peek();
        in.stopAfterRowid(keys.stopRowid(descending ? lower : upper, top != null && top.negatives(descending)));
    }

    /** -1: before the near bound or excluded by a nil (skip it), 0: in the range, 1: past the far bound (stop). */
    private int check() {
        if (lower != null) {
            int c = keys.compareTo(lower);
            if (c < 0 || (c == 0 && !lowerInclusive)) {     // nils compare below any bound
                return descending ? 1 : -1;
            }
        }
        if (upper != null) {
            int c = keys.compareTo(upper);
            if (c == ScanKeys.NIL_FIRST) {                   // entries with a nil first field are all at the low end
                return descending ? 1 : -1;
            }
            if (c == ScanKeys.NIL_LATER) {
                return -1;
            }
            if (c > 0 || (c == 0 && !upperInclusive)) {
                return descending ? -1 : 1;
            }
        }
        return 0;
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

    private void release() {
        if (in != null) {
            in.close();
            in = null;
        }
        if (probe != null) {
            probe.close();
            probe = null;
        }
    }

    private void finish() {
        release();
        closed = true;
    }

    /** Called by the transaction when it ends. */
    void invalidate() {
        if (!closed) {
            release();
        }
        next = null;
    }

    @Override
    public void close() {
        finish();
        next = null;
        tx.forget(this);
    }

    /** Per level of the key: ordered unsigned (an index's columns, then the rowid). */
    private static boolean[] unsignedLevels(TableInfo t, IndexInfo index, Set<String> names) {
        boolean[] byColumn = new boolean[t.spec().columns().size()];
        for (String n : names) {
            int c = t.spec().columnIndex(n);
            if (c < 0) {
                throw new InvalidArgumentException("table " + t.name() + " has no column " + n + " to order unsigned");
            }
            byColumn[c] = true;
        }
        int alias = t.spec().rowidColumn();
        boolean rowid = alias >= 0 && byColumn[alias];
        if (index == null) {
            return new boolean[] {rowid};
        }
        int[] pos = index.columnPositions();
        boolean[] u = new boolean[pos.length + 1];
        for (int i = 0; i < pos.length; i++) {
            u[i] = !index.multiValued() && byColumn[pos[i]];
        }
        u[pos.length] = rowid;
        return u;
    }

    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    /** A bound's values as stored: Long, Double, String or byte[]; an unsigned level takes 0 .. 2^64-1. */
    private static Object[] normalize(List<Object> bound, boolean[] unsigned) {
        if (bound == null) {
            return null;
        }
        Object[] b = bound.toArray();
        for (int i = 0; i < b.length; i++) {
            Object v = b[i];
            if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
                b[i] = ((Number) v).longValue();
            } else if (v instanceof Float f) {
                b[i] = f.doubleValue();
            } else if (v instanceof Boolean x) {
                b[i] = x ? 1L : 0L;
            } else if (v instanceof BigInteger big) {
                boolean asBits = i < unsigned.length && unsigned[i] && big.signum() >= 0 && big.compareTo(TWO_64) < 0;
                if (big.bitLength() > 63 && !asBits) {
                    throw new InvalidArgumentException("scan bound " + big + " is out of range");
                }
                b[i] = big.longValue();
            } else if (!(v instanceof Long || v instanceof Double || v instanceof String || v instanceof byte[])) {
                throw new InvalidArgumentException("cannot bound a scan by a " + v.getClass().getName());
            }
        }
        return b;
    }
}
