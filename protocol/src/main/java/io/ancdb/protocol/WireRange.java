package io.ancdb.protocol;

import io.ancdb.KeyRange;
import io.ancdb.ReadTx;
import io.ancdb.typed.FieldDef;
import io.ancdb.typed.FieldType;

import java.util.List;

/**
 * The range of a RangeScan request as decoded: {@code index} (a field or
 * index name; null: the primary key), {@code range.start} / {@code range.end}
 * each a key prefix (the values of the index's first fields in order,
 * compared as SQL compares row values; a scalar on the wire is a one-value
 * prefix; null: unbounded), the inclusive flags, {@code order} and
 * {@code limit} (0: none). {@link #keyRange} turns it into the safe layer's
 * {@link KeyRange} once the schema is known: each value is converted by the
 * field it bounds in the typed layer; here only what the wire forbids and
 * the Java API allows is refused, a negative integer for a {@code u64} field
 * (in Java a Long holds the unsigned bits).
 */
record WireRange(String on, List<Object> start, boolean startInclusive, List<Object> end, boolean endInclusive,
                 boolean descending, long limit) {

    /** A bound as sent: nil/absent is none, an array a key prefix, anything else a one-value prefix. */
    @SuppressWarnings("unchecked")
    static List<Object> prefix(Object bound) {
        if (bound == null) {
            return null;
        }
        return bound instanceof List<?> l ? (List<Object>) l : List.of(bound);
    }

    /** The range over {@code schema} as transaction {@code tx} sees its indexes. */
    KeyRange keyRange(Schemas.Entry schema, ReadTx tx) {
        List<FieldDef> fields = schema.table.rangeFields(tx, on);
        checkUnsigned(fields, start, "start");
        checkUnsigned(fields, end, "end");
        return new KeyRange(on, start, startInclusive, end, endInclusive, descending, limit, null);
    }

    private static void checkUnsigned(List<FieldDef> fields, List<Object> bound, String what) {
        if (bound == null) {
            return;
        }
        for (int i = 0; i < bound.size() && i < fields.size(); i++) {
            FieldDef f = fields.get(i);
            if (f.type() == FieldType.U64 && bound.get(i) instanceof Long l && l < 0) {
                throw WireError.invalid("range." + what + (bound.size() > 1 ? "[" + i + "]" : "") + " bounds field "
                        + f.name() + " (u64): negative value " + l);
            }
        }
    }
}
