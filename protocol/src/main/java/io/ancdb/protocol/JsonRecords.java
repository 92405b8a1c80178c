package io.ancdb.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.ancdb.InvalidArgumentException;
import io.ancdb.typed.FieldDef;
import io.ancdb.typed.RecordDefinition;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records as JSON for the one-shot CLI (Jackson's streaming API): a JSON
 * object read into the field map the typed layer takes (integers as Long,
 * or BigInteger beyond; other numbers as Double; arrays as lists), and a
 * record written back by its schema (a {@code u64} unsigned, {@code bytes}
 * as base64, vectors as arrays of numbers).
 */
final class JsonRecords {
    private static final JsonFactory JSON = new JsonFactory();

    private JsonRecords() {
    }

    /** The JSON object {@code text} as a map of field name to value; InvalidArgumentException (code 1) when it is not one. */
    static Map<String, Object> parse(String text) {
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidArgumentException("--record must be a JSON object of field name to value");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) value(p);
            if (p.nextToken() != null) {
                throw new InvalidArgumentException("--record: trailing text after the JSON object");
            }
            return m;
        } catch (IOException e) {
            throw new InvalidArgumentException("--record is not valid JSON: " + e.getMessage());
        }
    }

    private static Object value(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    m.put(name, value(p));
                }
                yield m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(value(p));
                }
                yield l;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue()
                    : p.getLongValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new InvalidArgumentException("--record: unexpected " + p.currentToken());
        };
    }

    /** A JSON writer over {@code out}. */
    static JsonGenerator generator(StringWriter out) throws IOException {
        return JSON.createGenerator(out);
    }

    /** Writes {@code record} of {@code def} as a JSON object, fields in definition order. */
    static void write(JsonGenerator g, RecordDefinition def, Map<String, Object> record) throws IOException {
        g.writeStartObject();
        for (FieldDef f : def.fields()) {
            g.writeFieldName(f.name());
            writeValue(g, f, record.get(f.name()));
        }
        g.writeEndObject();
    }

    /** Writes one value of field {@code f}. */
    @SuppressWarnings("unchecked")
    static void writeValue(JsonGenerator g, FieldDef f, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
            return;
        }
        switch (f.type()) {
            case I64 -> g.writeNumber((Long) v);
            case U64 -> {
                long l = (Long) v;
                if (l >= 0) {
                    g.writeNumber(l);
                } else {
                    g.writeNumber(new BigInteger(Long.toUnsignedString(l)));
                }
            }
            case F64 -> g.writeNumber(((Number) v).doubleValue());
            case BOOL -> g.writeBoolean((Boolean) v);
            case STR -> g.writeString((String) v);
            case BYTES -> g.writeString(Base64.getEncoder().encodeToString((byte[]) v));
            case F32VEC, I8VEC -> {
                float[] a = (float[]) v;
                g.writeStartArray();
                for (float x : a) {
                    g.writeNumber(x);
                }
                g.writeEndArray();
            }
            case STRLIST -> {
                g.writeStartArray();
                for (String s : (List<String>) v) {
                    g.writeString(s);
                }
                g.writeEndArray();
            }
        }
    }

    /** A key given on the command line, as the primary key's type wants it. */
    static Object key(FieldDef pk, String text) {
        try {
            return switch (pk.type()) {
                case I64 -> Long.parseLong(text);
                case U64 -> Long.parseUnsignedLong(text);
                case F64 -> Double.parseDouble(text);
                case BOOL -> Boolean.parseBoolean(text);
                case STR -> text;
                default -> throw new InvalidArgumentException("--key: a " + pk.type().wireName()
                        + " key cannot be given on the command line");
            };
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("--key " + text + " is not a " + pk.type().wireName());
        }
    }
}
