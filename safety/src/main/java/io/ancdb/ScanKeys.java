package io.ancdb;

import io.ancdb.internal.EntryReader;
import io.ancdb.internal.NativeCursor;
import io.ancdb.internal.NativeDb;
import io.ancdb.record.RecordCodec;
import io.ancdb.record.ValueOrder;
import io.ancdb.schema.IndexInfo;
import io.ancdb.schema.TableInfo;

import java.util.Arrays;

/**
 * The key a {@link RowCursor} walks, as a list of levels (fields): a table's
 * rowid (one level), or an index's fields followed by the rowid. Knows the
 * order a scan must follow (SQLite's, except that an unsigned level puts
 * values below 0 (2<sup>63</sup> and above) after the others), compares the
 * current entry with bounds in that order, and seeks the b-tree to key
 * prefixes. Two kinds: {@link Rowids} (no allocation per entry) and
 * {@link IndexKeys}.
 */
abstract sealed class ScanKeys {
    /** {@link #compareTo}: a nil field was reached before the comparison was decided, in the first field. */
    static final int NIL_FIRST = Integer.MIN_VALUE;
    /** {@link #compareTo}: the same in a later field. */
    static final int NIL_LATER = Integer.MIN_VALUE + 1;
    static final Object[] NONE = new Object[0];
    private static final ValueOrder ORDER = ValueOrder.INSTANCE;

    final TableInfo table;
    final boolean forward;
    private final boolean[] unsigned;

    ScanKeys(TableInfo table, boolean forward, boolean[] unsigned) {
        this.table = table;
        this.forward = forward;
        this.unsigned = unsigned;
    }

    /** Levels of the key (the rowid is the last). */
    final int levels() {
        return unsigned.length;
    }

    final boolean unsigned(int level) {
        return unsigned[level];
    }

    /** The half of an unsigned level a value falls in: true for a number below 0 (stored bits of 2^63 and above). */
    static boolean negative(Object v) {
        return ValueOrder.belowZero(v);
    }

    /** {@code prefix} followed by {@code v}. */
    static Object[] append(Object[] prefix, Object v) {
        Object[] p = Arrays.copyOf(prefix, prefix.length + 1);
        p[prefix.length] = v;
        return p;
    }

    // --- the current entry ---------------------------------------------------------------------

    /** Takes the reader's current entry as the current key. */
    abstract void read(EntryReader in);

    abstract boolean negativeAt(int level);

    abstract boolean nilAt(int level);

    /** The current key starts with {@code group}. */
    abstract boolean inGroup(Object[] group);

    /** The current key's first {@code level} fields. */
    abstract Object[] group(int level);

    /** The previous key read since the last seek had the same first {@code level} fields. */
    abstract boolean sameGroupAsPrevious(int level);

    /**
     * The current key's first {@code bound.length} fields against {@code bound},
     * in scan order, as SQL compares row values: negative, 0, positive, or
     * {@link #NIL_FIRST} / {@link #NIL_LATER} (a nil decided it: the entry is
     * in no bounded range).
     */
    abstract int compareTo(Object[] bound);

    /** The current entry's row. */
    abstract Row row(EntryReader in);

    // --- positioning ---------------------------------------------------------------------------

    /**
     * Positions {@code in} on the first entry in scan direction that starts
     * with {@code prefix} or lies beyond it ({@code include}), or that lies
     * beyond every entry starting with it (not {@code include}).
     */
    final void seek(EntryReader in, Object[] prefix, boolean include) {
        forgetPrevious();
        if (prefix.length == 0) {                          // every entry starts with it
            if (include) {
                in.rewind();
            } else {
                in.finish();
            }
            return;
        }
        seekPrefix(in, prefix, include);
    }

    /** After a seek no key read before it is the previous one. */
    abstract void forgetPrevious();

    /** {@link #seek} for a prefix of one value or more. */
    abstract void seekPrefix(EntryReader in, Object[] prefix, boolean include);

    /** Opens a second cursor on the same b-tree, for {@link #holdsNegative}. */
    abstract NativeCursor openProbe(NativeDb conn);

    /** Whether some entry starting with {@code group} holds a number below 0 in the next level. */
    abstract boolean holdsNegative(NativeCursor probe, Object[] group);

    /** The rowid a batch may stop after, given the far bound (null: none) and the half being walked. */
    long stopRowid(Object[] far, boolean walkingNegatives) {
        return forward ? Long.MAX_VALUE : Long.MIN_VALUE;
    }

    /** A table's rowids. */
    static final class Rowids extends ScanKeys {
        private long rowid;
        private boolean fresh = true;

        Rowids(TableInfo table, boolean forward, boolean unsignedRowid) {
            super(table, forward, new boolean[] {unsignedRowid});
        }

        @Override
        void read(EntryReader in) {
            rowid = in.rowid();
            fresh = false;
        }

        @Override
        boolean negativeAt(int level) {
            return rowid < 0;
        }

        @Override
        boolean nilAt(int level) {
            return false;
        }

        @Override
        boolean inGroup(Object[] group) {
            return group.length == 0;
        }

        @Override
        Object[] group(int level) {
            return NONE;
        }

        @Override
        boolean sameGroupAsPrevious(int level) {
            return !fresh;
        }

        @Override
        int compareTo(Object[] bound) {
            long b = (Long) bound[0];
            return unsigned(0) ? Long.compareUnsigned(rowid, b) : Long.compare(rowid, b);
        }

        @Override
        Row row(EntryReader in) {
            return ReadTx.decodeRow(table, rowid, in.bytes(), in.offset(), in.length());
        }

        @Override
        void forgetPrevious() {
            fresh = true;
        }

        @Override
        void seekPrefix(EntryReader in, Object[] prefix, boolean include) {
            if (prefix[0] == null) {                       // rowids are never nil: all lie beyond it
                if (forward) {
                    in.rewind();
                } else {
                    in.finish();
                }
                return;
            }
            long r = (Long) prefix[0];
            if (!include) {
                if (r == (forward ? Long.MAX_VALUE : Long.MIN_VALUE)) {
                    in.finish();
                    return;
                }
                r += forward ? 1 : -1;
            }
            in.seekRowid(r);
        }

        @Override
        NativeCursor openProbe(NativeDb conn) {
            return NativeCursor.open(conn, table.root(), false, 0);
        }

        @Override
        boolean holdsNegative(NativeCursor probe, Object[] group) {
            int res = probe.seekRowid(-1);
            if (res == Integer.MIN_VALUE || (res > 0 && !probe.prev())) {
                return false;
            }
            return probe.rowid() < 0;
        }

        @Override
        long stopRowid(Object[] far, boolean walkingNegatives) {
            if (far == null) {
                return super.stopRowid(null, walkingNegatives);
            }
            long b = (Long) far[0];
            if (!unsigned(0)) {
                return b;
            }
            // The signed walk may stop at an unsigned bound unless the bound lies in the half after the one walked.
            boolean cuts = forward ? b >= 0 || walkingNegatives : b < 0 || !walkingNegatives;
            return cuts ? b : super.stopRowid(far, walkingNegatives);
        }
    }

    /** An index's entries: its fields, then the rowid. */
    static final class IndexKeys extends ScanKeys {
        private final IndexInfo index;
        private Object[] key;
        private Object[] previous;

        IndexKeys(TableInfo table, IndexInfo index, boolean forward, boolean[] unsigned) {
            super(table, forward, unsigned);
            this.index = index;
        }

        @Override
        void read(EntryReader in) {
            previous = key;
            key = decode(in.bytes(), in.offset(), in.length());
        }

        private Object[] decode(byte[] b, int off, int len) {
            Object[] k;
            try {
                k = RecordCodec.decode(b, off, len, Integer.MAX_VALUE);
            } catch (CorruptionException e) {
                throw e.locatedIn("an entry of index " + index.name(), index.root());
            }
            if (k.length != levels()) {                    // the bounds compare and the rowid lookup rely on it
                throw CorruptionException.found("an entry of index " + index.name() + " has " + k.length
                        + " fields, not " + levels(), index.root());
            }
            return k;
        }

        @Override
        boolean negativeAt(int level) {
            return negative(key[level]);
        }

        @Override
        boolean nilAt(int level) {
            return key[level] == null;
        }

        @Override
        boolean inGroup(Object[] group) {
            return startsWith(key, group, group.length);
        }

        private static boolean startsWith(Object[] k, Object[] group, int n) {
            for (int i = 0; i < n; i++) {
                if (ORDER.compare(k[i], group[i]) != 0) {
                    return false;
                }
            }
            return true;
        }

        @Override
        Object[] group(int level) {
            return Arrays.copyOf(key, level);
        }

        @Override
        boolean sameGroupAsPrevious(int level) {
            return previous != null && startsWith(previous, key, level);
        }

        @Override
        int compareTo(Object[] bound) {
            for (int i = 0; i < bound.length; i++) {
                if (key[i] == null) {
                    return i == 0 ? NIL_FIRST : NIL_LATER;
                }
                int c = ORDER.compare(key[i], bound[i], unsigned(i));
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        }

        @Override
        Row row(EntryReader in) {
            Object last = key[key.length - 1];
            if (!(last instanceof Long rowid)) {
                throw CorruptionException.found("index " + index.name() + " entry does not end in a rowid",
                        index.root());
            }
            if (!in.readRow(rowid)) {
                throw CorruptionException.found("index " + index.name() + " points at missing row " + rowid,
                        index.root());
            }
            return ReadTx.decodeRow(table, rowid, in.rowBytes(), in.rowOffset(), in.rowLength());
        }

        @Override
        void forgetPrevious() {
            previous = null;
            key = null;
        }

        @Override
        void seekPrefix(EntryReader in, Object[] prefix, boolean include) {
            // bias > 0 places entries that start with the prefix after the key, < 0 before it
            in.seekKey(RecordCodec.encode(prefix), forward == include ? 1 : -1);
        }

        @Override
        NativeCursor openProbe(NativeDb conn) {
            return NativeCursor.open(conn, index.root(), false, levels());
        }

        @Override
        boolean holdsNegative(NativeCursor probe, Object[] group) {
            // the last entry before (group, 0): the group's largest number below 0, if it has one
            int res = probe.seekKey(RecordCodec.encode(append(group, 0L)), 1);
            if (res == Integer.MIN_VALUE || (res > 0 && !probe.prev())) {
                return false;
            }
            byte[] p = probe.payload();
            Object[] k = decode(p, 0, p.length);
            return startsWith(k, group, group.length) && negative(k[group.length]);
        }
    }
}
