package io.ancdb.analytics;

import io.ancdb.InvalidArgumentException;
import io.ancdb.record.StringListJson;
import io.ancdb.typed.FieldDef;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.sql.Array;
import java.sql.Blob;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A value DuckDB read from CSV, JSON or Parquet, turned into the API value
 * of a record field ({@link io.ancdb.typed.ValueCodec} checks it further).
 * Text is taken for what it spells where the format has no richer type
 * (CSV): a number for a numeric field, base64 for bytes, a JSON array for a
 * vector or string list.
 */
final class ImportValues {
    private ImportValues() {
    }

    static Object toApi(FieldDef f, Object v) throws SQLException {
        if (v instanceof org.duckdb.JsonNode json) {
            v = jsonText(json.toString());       // a JSON column of mixed types: take each value's text
        }
        if (v == null) {
            return null;
        }
        return switch (f.type()) {
            case I64, U64 -> v instanceof String s ? integer(f, s) : v;
            case F64 -> v instanceof String s ? decimal(f, s) : v;
            case BOOL -> v instanceof String s ? bool(f, s) : v;
            case STR -> v instanceof String ? v : v instanceof Number || v instanceof Boolean ? v.toString() : v;
            case BYTES -> bytes(f, v);
            case F32VEC, I8VEC -> v instanceof String s ? numbers(f, s) : list(v);
            case STRLIST -> v instanceof String s ? StringListJson.parseOrThrow(s) : list(v);
        };
    }

    /** A JSON value as text: a string's content, anything else as written; null for JSON null. */
    private static String jsonText(String json) {
        String t = json.strip();
        if (t.equals("null")) {
            return null;
        }
        return t.startsWith("\"") ? StringListJson.parseOrThrow("[" + t + "]").getFirst() : t;
    }

    private static Object integer(FieldDef f, String s) {
        try {
            return new BigInteger(s.strip());
        } catch (NumberFormatException e) {
            throw bad(f, s);
        }
    }

    private static Object decimal(FieldDef f, String s) {
        try {
            return new BigDecimal(s.strip()).doubleValue();
        } catch (NumberFormatException e) {
            throw bad(f, s);
        }
    }

    private static Object bool(FieldDef f, String s) {
        return switch (s.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1" -> Boolean.TRUE;
            case "false", "0" -> Boolean.FALSE;
            default -> throw bad(f, s);
        };
    }

    private static Object bytes(FieldDef f, Object v) throws SQLException {
        if (v instanceof byte[]) {
            return v;
        }
        if (v instanceof Blob b) {
            return b.getBytes(1, (int) b.length());
        }
        if (v instanceof ByteBuffer bb) {
            byte[] out = new byte[bb.remaining()];
            bb.duplicate().get(out);
            return out;
        }
        if (v instanceof String s) {
            try {
                return Base64.getDecoder().decode(s.strip());
            } catch (IllegalArgumentException e) {
                throw new InvalidArgumentException("field " + f.name() + " (bytes) takes base64 text, got " + abbreviated(s));
            }
        }
        return v;
    }

    private static Object numbers(FieldDef f, String s) {
        String t = s.strip();
        if (!t.startsWith("[") || !t.endsWith("]")) {
            throw bad(f, s);
        }
        List<Double> out = new ArrayList<>();
        String body = t.substring(1, t.length() - 1).strip();
        if (!body.isEmpty()) {
            for (String part : body.split(",")) {
                try {
                    out.add(Double.parseDouble(part.strip()));
                } catch (NumberFormatException e) {
                    throw bad(f, s);
                }
            }
        }
        return out;
    }

    private static Object list(Object v) throws SQLException {
        if (v instanceof Array a) {
            List<Object> out = new ArrayList<>();
            for (Object o : (Object[]) a.getArray()) {
                out.add(o);
            }
            return out;
        }
        return v;
    }

    private static InvalidArgumentException bad(FieldDef f, String s) {
        return new InvalidArgumentException("field " + f.name() + " expects " + f.type().wireName() + ", got the text "
                + abbreviated(s));
    }

    private static String abbreviated(String s) {
        return '"' + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + '"';
    }
}
