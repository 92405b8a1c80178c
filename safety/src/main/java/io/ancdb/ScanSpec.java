package io.ancdb;

/**
 * A range scan: over the rowid (no index) or over one index, between optional
 * bounds, ascending or descending, with an optional limit. Bounds of an index
 * scan are key prefixes: values of the first indexed columns.
 *
 * <pre>{@code
 * ScanSpec.of("memory").index("memory_by_ts").from(t0).toExclusive(t1).descending().limit(10)
 * }</pre>
 */
public record ScanSpec(String table, String index, Object[] lower, boolean lowerInclusive,
                       Object[] upper, boolean upperInclusive, boolean descendingOrder, long limit) {

    public ScanSpec {
        if (table == null) {
            throw new InvalidArgumentException("scan needs a table");
        }
        if (limit < 0) {
            throw new InvalidArgumentException("limit must be >= 0 (0 = none)");
        }
    }

    public static ScanSpec of(String table) {
        return new ScanSpec(table, null, null, true, null, true, false, 0);
    }

    public ScanSpec index(String indexName) {
        return new ScanSpec(table, indexName, lower, lowerInclusive, upper, upperInclusive, descendingOrder, limit);
    }

    public ScanSpec from(Object... lower) {
        return new ScanSpec(table, index, lower, true, upper, upperInclusive, descendingOrder, limit);
    }

    public ScanSpec fromExclusive(Object... lower) {
        return new ScanSpec(table, index, lower, false, upper, upperInclusive, descendingOrder, limit);
    }

    public ScanSpec to(Object... upper) {
        return new ScanSpec(table, index, lower, lowerInclusive, upper, true, descendingOrder, limit);
    }

    public ScanSpec toExclusive(Object... upper) {
        return new ScanSpec(table, index, lower, lowerInclusive, upper, false, descendingOrder, limit);
    }

    public ScanSpec descending() {
        return new ScanSpec(table, index, lower, lowerInclusive, upper, upperInclusive, true, limit);
    }

    public ScanSpec ascending() {
        return new ScanSpec(table, index, lower, lowerInclusive, upper, upperInclusive, false, limit);
    }

    public ScanSpec limit(long n) {
        return new ScanSpec(table, index, lower, lowerInclusive, upper, upperInclusive, descendingOrder, n);
    }
}
