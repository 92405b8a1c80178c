package io.ancdb.protocol;

import io.ancdb.KeyRange;
import io.ancdb.ReadTx;
import io.ancdb.typed.FieldDef;
import io.ancdb.typed.FieldType;

import java.util.List;

/**
 * The range of a RangeScan request as a {@link KeyRange}: {@code index} (a
 * field or index name; absent: the primary key), {@code range.start} /
 * {@code range.end} each a value or an array of values for the index's first
 * fields in order (a key prefix, compared as SQL compares row values), the
 * inclusive flags, {@code order} and {@code limit}. Each value is converted
 * by the field it bounds in the typed layer; here only what the wire forbids
 * and the Java API allows is refused: a negative integer for a {@code u64}
 * field (in Java a Long holds the unsigned bits).
 */
final class WireRange {
    private WireRange() {
    }

    static KeyRange of(Request req, Schemas.Entry e, ReadTx t) {
        String on = req.index == null || req.index.isEmpty() ? null : req.index;
        List<Object> start = tuple(req.start);
        List<Object> end = tuple(req.end);
        List<FieldDef> fields = e.table.rangeFields(t, on);
        checkUnsigned(fields, start, "start");
        checkUnsigned(fields, end, "end");
        return new KeyRange(on, start, req.startInclusive, end, req.endInclusive, req.descending, req.limit, null);
    }

    /** A bound: nil/absent is none, an array a key prefix, anything else a one-value prefix. */
    @SuppressWarnings("unchecked")
    private static List<Object> tuple(Object bound) {
        if (bound == null) {
            return null;
        }
        return bound instanceof List<?> l ? (List<Object>) l : List.of(bound);
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
