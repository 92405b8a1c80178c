package io.ancdb.record;

import java.util.Arrays;
import java.util.Comparator;

/**
 * SQLite's sort order for stored values under BINARY collation:
 * NULL &lt; INTEGER/REAL (numerically) &lt; TEXT (UTF-8 bytes, memcmp) &lt; BLOB (memcmp).
 * Used to find where an index range ends, so it must agree with the B-tree's
 * own comparator (sqlite3VdbeRecordCompare).
 */
public final class ValueOrder implements Comparator<Object> {
    public static final ValueOrder INSTANCE = new ValueOrder();

    private ValueOrder() {
    }

    private static int rank(Object v) {
        if (v == null) {
            return 0;
        }
        if (v instanceof Number) {
            return 1;
        }
        if (v instanceof String) {
            return 2;
        }
        return 3;
    }

    @Override
    public int compare(Object a, Object b) {
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb) {
            return Integer.compare(ra, rb);
        }
        return switch (ra) {
            case 0 -> 0;
            case 1 -> compareNumbers((Number) a, (Number) b);
            case 2 -> compareText((String) a, (String) b);
            default -> Arrays.compareUnsigned((byte[]) a, (byte[]) b);
        };
    }

    /**
     * {@link #compare} for a column that holds unsigned 64-bit integers as
     * their bits ({@code unsigned64}, see {@link io.ancdb.KeyRange#unsigned}):
     * numbers below 0 (2<sup>63</sup> and above) come after the others. The
     * order every scan walks, and the order a merge of scans must keep.
     */
    public int compare(Object a, Object b, boolean unsigned64) {
        if (unsigned64) {
            boolean na = belowZero(a);
            if (na != belowZero(b)) {
                return na ? 1 : -1;
            }
        }
        return compare(a, b);
    }

    /** True for a number below 0: in an unsigned 64-bit column, a value of 2<sup>63</sup> or more. */
    public static boolean belowZero(Object v) {
        return v instanceof Long l ? l < 0 : v instanceof Double d && d < 0;
    }

    private static int compareNumbers(Number a, Number b) {
        if (a instanceof Double || b instanceof Double) {
            if (!(a instanceof Double) || !(b instanceof Double)) {
                // integer vs real: compare exactly, as SQLite's sqlite3IntFloatCompare does
                long i = a instanceof Double ? b.longValue() : a.longValue();
                double r = a instanceof Double ? a.doubleValue() : b.doubleValue();
                int c = intFloatCompare(i, r);
                return a instanceof Double ? -c : c;
            }
            double x = a.doubleValue();
            double y = b.doubleValue();
            return x < y ? -1 : x > y ? 1 : 0;          // -0.0 == 0.0, as in SQLite
        }
        return Long.compare(a.longValue(), b.longValue());
    }

    /** Compares integer i with real r without losing precision. */
    private static int intFloatCompare(long i, double r) {
        if (Double.isNaN(r)) {
            return 1;
        }
        if (r < -9.223372036854775808e18) {
            return 1;
        }
        if (r >= 9.223372036854775808e18) {
            return -1;
        }
        long y = (long) r;
        if (i < y) {
            return -1;
        }
        if (i > y) {
            return 1;
        }
        double s = (double) i;
        return s < r ? -1 : s > r ? 1 : 0;
    }

    /** BINARY collation: memcmp of the UTF-8 bytes (differs from String.compareTo on surrogates). */
    private static int compareText(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Compares the first {@code n} fields of two keys. */
    public int comparePrefix(Object[] a, Object[] b, int n) {
        for (int i = 0; i < n; i++) {
            int c = compare(a[i], b[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
