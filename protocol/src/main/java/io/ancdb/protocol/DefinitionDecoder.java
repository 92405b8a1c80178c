package io.ancdb.protocol;

import io.ancdb.typed.FieldDef;
import io.ancdb.typed.FieldType;
import io.ancdb.typed.RecordDefinition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * DefineSchema's parts as decoded (plain values) turned into a validated
 * {@link RecordDefinition}: {@code fields [{name, type, primary_key?,
 * indexed?, compressed?}]} and {@code composite_indexes [[field, ...], ...]}.
 */
final class DefinitionDecoder {
    private static final String FIELDS_FORM = "{name, type, primary_key?, indexed?, compressed?}";
    private static final String COMPOSITE_FORM = "composite_indexes must be an array of arrays of field names";

    private DefinitionDecoder() {
    }

    /** DefineSchema's name, fields and composite indexes as a (validated) definition. */
    static RecordDefinition decode(Object schema, Object fields, Object compositeIndexes) {
        if (!(schema instanceof String name)) {
            throw WireError.invalid("DefineSchema needs schema: the name of the schema (a string)");
        }
        if (!(fields instanceof List<?> list) || list.isEmpty()) {
            throw WireError.invalid("DefineSchema needs fields: [" + FIELDS_FORM + "]");
        }
        List<FieldDef> defs = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                throw WireError.invalid("fields[" + i + "] must be a map " + FIELDS_FORM);
            }
            if (!(m.get("name") instanceof String fieldName)) {
                throw WireError.invalid("fields[" + i + "].name must be a string");
            }
            if (!(m.get("type") instanceof String type)) {
                throw WireError.invalid("fields[" + i + "].type must be one of u64, i64, f64, bool, str, bytes,"
                        + " f32vec, i8vec, strlist");
            }
            defs.add(new FieldDef(fieldName, FieldType.fromWireName(type), flag(m, "primary_key", i),
                    flag(m, "indexed", i), flag(m, "compressed", i)));
        }
        return new RecordDefinition(name, defs, composite(compositeIndexes));
    }

    private static List<List<String>> composite(Object compositeIndexes) {
        List<List<String>> composite = new ArrayList<>();
        if (compositeIndexes == null) {
            return composite;
        }
        if (!(compositeIndexes instanceof List<?> all)) {
            throw WireError.invalid(COMPOSITE_FORM);
        }
        for (Object one : all) {
            if (!(one instanceof List<?> names)) {
                throw WireError.invalid(COMPOSITE_FORM);
            }
            List<String> l = new ArrayList<>(names.size());
            for (Object n : names) {
                if (!(n instanceof String s)) {
                    throw WireError.invalid(COMPOSITE_FORM);
                }
                l.add(s);
            }
            composite.add(l);
        }
        return composite;
    }

    private static boolean flag(Map<?, ?> m, String name, int i) {
        Object v = m.get(name);
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Long l && (l == 0 || l == 1)) {
            return l == 1;
        }
        throw WireError.invalid("fields[" + i + "]." + name + " must be a boolean");
    }
}
