package io.ancdb.schema;

import io.ancdb.ConstraintViolationException;
import io.ancdb.InvalidArgumentException;

import java.util.List;

/**
 * The one place a Java value becomes a value SQLite stores: its storage class
 * (INTEGER as Long, REAL as Double, TEXT as String, BLOB as byte[], NULL as
 * null) and then the column's affinity.
 *
 * <p>SQLite would convert text to numbers (and back) by column affinity;
 * ANC-DB refuses a value of the wrong affinity (code 1) instead, so what it
 * stores and indexes is exactly what SQLite would store for a value of the
 * column's own type. The conversions SQLite makes between numbers are made
 * the same way: an integral REAL in an INTEGER or NUMERIC column becomes an
 * INTEGER, an INTEGER in a REAL column a REAL, NaN becomes NULL.
 */
public final class Affinity {
    private Affinity() {
    }

    /**
     * The storage-class form of {@code v}: Long (from Long, Integer, Short,
     * Byte, or Boolean as 0/1), Double (from Double or Float; NaN is NULL, as
     * SQLite stores it), String, byte[] or null.
     *
     * @throws InvalidArgumentException for any other type
     */
    public static Object storageClass(Object v) {
        if (v == null || v instanceof Long || v instanceof String || v instanceof byte[]) {
            return v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isNaN(d) ? null : d;
        }
        throw new InvalidArgumentException("a " + v.getClass().getName() + " cannot be stored: use Long, Integer,"
                + " Short, Byte, Boolean, Double, Float, String, byte[] or null");
    }

    /** An INTEGER PRIMARY KEY value (an integer of any width) as a rowid. */
    public static long rowid(Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        throw new InvalidArgumentException("INTEGER PRIMARY KEY value must be an integer, got "
                + (v == null ? "null" : v.getClass().getSimpleName()));
    }

    /**
     * {@code values} (one per column of {@code t}, in order) as they are
     * stored under {@code rowid}: arity checked, each value in its storage
     * class and the column's affinity, the INTEGER PRIMARY KEY column holding
     * the rowid, NOT NULL enforced. The array given is not changed.
     */
    public static Object[] row(TableInfo t, long rowid, Object[] values) {
        List<Column> cols = t.spec().columns();
        if (values == null || values.length != cols.size()) {
            throw new InvalidArgumentException("table " + t.name() + " has " + cols.size() + " columns, got "
                    + (values == null ? 0 : values.length) + " values");
        }
        Object[] v = values.clone();
        for (int i = 0; i < v.length; i++) {
            Column c = cols.get(i);
            if (c.rowidAlias()) {
                if (v[i] != null && rowid(v[i]) != rowid) {
                    throw new InvalidArgumentException("INTEGER PRIMARY KEY value " + v[i] + " differs from rowid " + rowid);
                }
                v[i] = rowid;
            } else {
                v[i] = column(t, c, v[i]);
            }
        }
        return v;
    }

    /** {@code x} as column {@code c} of {@code t} stores it. */
    private static Object column(TableInfo t, Column c, Object x) {
        Object v;
        try {
            v = storageClass(x);
        } catch (InvalidArgumentException e) {
            throw new InvalidArgumentException("column " + c.name() + " cannot hold a " + x.getClass().getName());
        }
        SqlType aff = c.affinity();
        if (v instanceof String && (aff == SqlType.INTEGER || aff == SqlType.REAL || aff == SqlType.NUMERIC)) {
            throw new InvalidArgumentException("column " + t.name() + "." + c.name() + " (" + c.declType()
                    + ") takes numbers, not text");
        }
        if ((v instanceof Long || v instanceof Double) && aff == SqlType.TEXT) {
            throw new InvalidArgumentException("column " + t.name() + "." + c.name() + " (" + c.declType()
                    + ") takes text, not numbers");
        }
        if (v instanceof Double d && (aff == SqlType.INTEGER || aff == SqlType.NUMERIC)
                && d == Math.rint(d) && Math.abs(d) < 9.2e18) {
            v = d.longValue();
        } else if (v instanceof Long l && aff == SqlType.REAL) {
            v = l.doubleValue();
        }
        if (v == null && c.notNull()) {
            throw new ConstraintViolationException("column " + t.name() + "." + c.name() + " is NOT NULL");
        }
        return v;
    }
}
