package io.ancdb;

import java.util.Arrays;

/**
 * One table row: its rowid and column values in table order (Long, Double,
 * String, byte[] or null; the INTEGER PRIMARY KEY column holds the rowid).
 */
public record Row(long rowid, Object[] values) {
    public Object get(int column) {
        return values[column];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Row r && r.rowid == rowid && Arrays.deepEquals(r.values, values);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(rowid) * 31 + Arrays.deepHashCode(values);
    }

    @Override
    public String toString() {
        return "Row[" + rowid + ", " + Arrays.deepToString(values) + "]";
    }
}
