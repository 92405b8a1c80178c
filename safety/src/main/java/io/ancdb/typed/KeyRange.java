package io.ancdb.typed;

/**
 * Which records a scan returns: over the primary key ({@code field == null})
 * or over the index of one field (or an index by name), between optional
 * bounds, ascending or descending, at most {@code limit} (0 = all).
 */
public record KeyRange(String field, Object start, boolean startInclusive, Object end, boolean endInclusive,
                       boolean descending, long limit) {

    public static KeyRange all() {
        return new KeyRange(null, null, true, null, true, false, 0);
    }

    public static KeyRange onField(String field) {
        return new KeyRange(field, null, true, null, true, false, 0);
    }

    public KeyRange from(Object v, boolean inclusive) {
        return new KeyRange(field, v, inclusive, end, endInclusive, descending, limit);
    }

    public KeyRange to(Object v, boolean inclusive) {
        return new KeyRange(field, start, startInclusive, v, inclusive, descending, limit);
    }

    public KeyRange reversed() {
        return new KeyRange(field, start, startInclusive, end, endInclusive, true, limit);
    }

    public KeyRange limitTo(long n) {
        return new KeyRange(field, start, startInclusive, end, endInclusive, descending, n);
    }
}
