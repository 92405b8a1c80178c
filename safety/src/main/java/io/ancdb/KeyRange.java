package io.ancdb;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which rows a range scan returns, and in which order: over the table's key
 * ({@link #all()}: the rowid, or a typed record's primary key) or over one
 * index ({@link #onField}), between optional bounds, ascending or
 * {@link #reversed()}, at most {@link #limitTo} rows.
 *
 * <p><b>Bounds are key prefixes.</b> A bound is a tuple of values for the
 * first fields of the index, in index order (one value for the key or a
 * single-field index), compared lexicographically with the entries' first
 * fields: exactly SQL's row-value comparison {@code (f1, f2) >= (v1, v2)}.
 * {@code onField("by_agent_time").prefix("claude")} is every entry whose first
 * field is {@code "claude"}; {@code .from("claude", t0).to("claude", t1)} is
 * "claude between t0 and t1". As in SQL, a nil field that is reached before
 * the comparison is decided makes it false: a bounded field never yields nil
 * (an entry whose earlier field already lies strictly inside the bounds can);
 * an unbounded scan returns every row, nil first ascending. A bound value is
 * never nil.
 *
 * <p><b>Unsigned columns.</b> An INTEGER column that holds unsigned 64-bit
 * values as their two's-complement bits (a typed {@code u64} field) is ordered
 * and bounded unsigned when {@link #unsigned named}: 2<sup>63</sup> and above
 * (stored negative) come after 2<sup>63</sup>-1. Naming the rowid's alias
 * column orders the key, and the ties of every index, unsigned. Typed scans
 * name their {@code u64} fields themselves.
 *
 * <pre>{@code
 * KeyRange.onField("timestamp").reversed().limitTo(10)           // newest 10
 * KeyRange.onField("memory_agent_ts").prefix("claude").reversed().limitTo(20)
 * KeyRange.all().from(100L).toExclusive(200L)                      // 100 <= key < 200
 * }</pre>
 *
 * @param on             null: the key; else a field (column) or index name
 * @param start          the lower bound (a key prefix), null: open
 * @param startInclusive whether entries equal to {@code start} on its fields are in
 * @param end            the upper bound (a key prefix), null: open
 * @param endInclusive   whether entries equal to {@code end} on its fields are in
 * @param descending     largest first
 * @param limit          at most this many rows, 0: all
 * @param unsignedColumns columns ordered as unsigned 64-bit integers (names compared as SQLite does, ignoring case)
 */
public record KeyRange(String on, List<Object> start, boolean startInclusive, List<Object> end, boolean endInclusive,
                       boolean descending, long limit, Set<String> unsignedColumns) {

    public KeyRange {
        start = bound(start, "start");
        end = bound(end, "end");
        if (limit < 0) {
            throw new InvalidArgumentException("limit must be >= 0 (0 = none)");
        }
        unsignedColumns = unsignedColumns == null ? Set.of() : Set.copyOf(unsignedColumns);   // no copy when immutable
    }

    private static final KeyRange ALL = new KeyRange(null, null, true, null, true, false, 0, null);

    /** The whole key, ascending. */
    public static KeyRange all() {
        return ALL;
    }

    /** The index named {@code fieldOrIndex}, or the index led by that field, ascending. */
    public static KeyRange onField(String fieldOrIndex) {
        if (fieldOrIndex == null || fieldOrIndex.isEmpty()) {
            throw new InvalidArgumentException("a range scan over a field needs the field's (or index's) name");
        }
        return new KeyRange(fieldOrIndex, null, true, null, true, false, 0, null);
    }

    /** Entries at or after {@code prefix}. */
    public KeyRange from(Object... prefix) {
        return new KeyRange(on, tuple(prefix), true, end, endInclusive, descending, limit, unsignedColumns);
    }

    /** Entries after every entry that starts with {@code prefix}. */
    public KeyRange fromExclusive(Object... prefix) {
        return new KeyRange(on, tuple(prefix), false, end, endInclusive, descending, limit, unsignedColumns);
    }

    /** Entries at or before {@code prefix} (every entry that starts with it included). */
    public KeyRange to(Object... prefix) {
        return new KeyRange(on, start, startInclusive, tuple(prefix), true, descending, limit, unsignedColumns);
    }

    /** Entries before every entry that starts with {@code prefix}. */
    public KeyRange toExclusive(Object... prefix) {
        return new KeyRange(on, start, startInclusive, tuple(prefix), false, descending, limit, unsignedColumns);
    }

    /** Exactly the entries that start with {@code prefix}: {@code from(prefix).to(prefix)}. */
    public KeyRange prefix(Object... prefix) {
        List<Object> p = tuple(prefix);
        return new KeyRange(on, p, true, p, true, descending, limit, unsignedColumns);
    }

    /** Largest first. */
    public KeyRange reversed() {
        return new KeyRange(on, start, startInclusive, end, endInclusive, true, limit, unsignedColumns);
    }

    /** At most {@code n} rows (0: all). */
    public KeyRange limitTo(long n) {
        return new KeyRange(on, start, startInclusive, end, endInclusive, descending, n, unsignedColumns);
    }

    /** Orders and bounds these INTEGER columns (the rowid alias among them) as unsigned 64-bit integers. */
    public KeyRange unsigned(String... columns) {
        if (columns.length == 0) {
            return this;
        }
        Set<String> u = new HashSet<>(unsignedColumns);
        u.addAll(List.of(columns));
        return new KeyRange(on, start, startInclusive, end, endInclusive, descending, limit, u);
    }

    /** This range's direction, limit and inclusiveness over {@code fieldOrIndex} (null: the key) with these bounds. */
    public KeyRange withBounds(String fieldOrIndex, List<Object> newStart, List<Object> newEnd) {
        return new KeyRange(fieldOrIndex, newStart, startInclusive, newEnd, endInclusive, descending, limit, unsignedColumns);
    }

    private static List<Object> tuple(Object[] prefix) {
        return prefix == null ? null : Arrays.asList(prefix);        // from((Object[]) null): no bound
    }

    /** A bound as an unmodifiable list; a nil element or an empty tuple is refused (it bounds nothing SQL could match). */
    private static List<Object> bound(List<Object> b, String what) {
        if (b == null) {
            return null;
        }
        if (b.isEmpty()) {
            throw new InvalidArgumentException("range " + what + " is an empty tuple: leave it out for an open range");
        }
        for (int i = 0; i < b.size(); i++) {
            if (b.get(i) == null) {
                throw new InvalidArgumentException("range " + what + (b.size() > 1 ? " element " + i : "")
                        + " is nil: no value compares with nil (as in SQL); scan without that bound, nil values come first");
            }
        }
        return List.copyOf(b);                 // no copy when already immutable (the builders pass bounds on)
    }
}
