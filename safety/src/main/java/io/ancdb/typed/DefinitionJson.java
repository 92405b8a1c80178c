package io.ancdb.typed;

import io.ancdb.CorruptionException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A record definition as JSON, the form kept in the {@code ancdb_schemas}
 * table (readable with the sqlite3 shell and its json functions):
 * <pre>{"name":"AgentMemory","fields":[{"name":"id","type":"u64","primary_key":true,
 *   "indexed":false,"compressed":false},...],"composite_indexes":[["a","b"]]}</pre>
 * The same field names as the protocol's DefineSchema command.
 */
public final class DefinitionJson {
    private DefinitionJson() {
    }

    public static String encode(RecordDefinition d) {
        StringBuilder sb = new StringBuilder("{\"name\":");
        StringListJson.appendQuoted(sb, d.name());
        sb.append(",\"fields\":[");
        for (int i = 0; i < d.fields().size(); i++) {
            FieldDef f = d.fields().get(i);
            sb.append(i == 0 ? "{" : ",{").append("\"name\":");
            StringListJson.appendQuoted(sb, f.name());
            sb.append(",\"type\":\"").append(f.type().wireName()).append('"')
              .append(",\"primary_key\":").append(f.primaryKey())
              .append(",\"indexed\":").append(f.indexed())
              .append(",\"compressed\":").append(f.compressed()).append('}');
        }
        sb.append("],\"composite_indexes\":[");
        for (int i = 0; i < d.compositeIndexes().size(); i++) {
            sb.append(i == 0 ? "" : ",").append(StringListJson.encode(d.compositeIndexes().get(i)));
        }
        return sb.append("]}").toString();
    }

    @SuppressWarnings("unchecked")
    public static RecordDefinition decode(String json) {
        try {
            Map<String, Object> m = (Map<String, Object>) new Parser(json).value();
            List<FieldDef> fields = new ArrayList<>();
            for (Object o : (List<Object>) m.get("fields")) {
                Map<String, Object> f = (Map<String, Object>) o;
                fields.add(new FieldDef((String) f.get("name"), FieldType.fromWireName((String) f.get("type")),
                        Boolean.TRUE.equals(f.get("primary_key")), Boolean.TRUE.equals(f.get("indexed")),
                        Boolean.TRUE.equals(f.get("compressed"))));
            }
            List<List<String>> composite = new ArrayList<>();
            Object ci = m.get("composite_indexes");
            if (ci != null) {
                for (Object o : (List<Object>) ci) {
                    composite.add((List<String>) (List<?>) o);
                }
            }
            return new RecordDefinition((String) m.get("name"), fields, composite);
        } catch (RuntimeException e) {
            throw new CorruptionException(11, "unreadable record definition in ancdb_schemas: " + e.getMessage(), 0);
        }
    }

    /** A small JSON parser: objects, arrays, strings, true/false/null, integers. */
    private static final class Parser {
        private final String s;
        private int p;

        Parser(String s) {
            this.s = s;
        }

        Object value() {
            ws();
            char c = s.charAt(p);
            switch (c) {
                case '{': {
                    p++;
                    Map<String, Object> m = new LinkedHashMap<>();
                    ws();
                    if (s.charAt(p) == '}') {
                        p++;
                        return m;
                    }
                    while (true) {
                        ws();
                        String k = (String) value();
                        ws();
                        expect(':');
                        m.put(k, value());
                        ws();
                        if (s.charAt(p) == ',') {
                            p++;
                            continue;
                        }
                        expect('}');
                        return m;
                    }
                }
                case '[': {
                    p++;
                    List<Object> l = new ArrayList<>();
                    ws();
                    if (s.charAt(p) == ']') {
                        p++;
                        return l;
                    }
                    while (true) {
                        l.add(value());
                        ws();
                        if (s.charAt(p) == ',') {
                            p++;
                            continue;
                        }
                        expect(']');
                        return l;
                    }
                }
                case '"': {
                    int end = stringEnd(p);
                    List<String> one = StringListJson.parse("[" + s.substring(p, end) + "]");
                    p = end;
                    return one.get(0);
                }
                default:
                    if (s.startsWith("true", p)) {
                        p += 4;
                        return Boolean.TRUE;
                    }
                    if (s.startsWith("false", p)) {
                        p += 5;
                        return Boolean.FALSE;
                    }
                    if (s.startsWith("null", p)) {
                        p += 4;
                        return null;
                    }
                    int start = p;
                    while (p < s.length() && (Character.isDigit(s.charAt(p)) || s.charAt(p) == '-')) {
                        p++;
                    }
                    return Long.parseLong(s.substring(start, p));
            }
        }

        private int stringEnd(int start) {
            int i = start + 1;
            while (s.charAt(i) != '"') {
                i += s.charAt(i) == '\\' ? 2 : 1;
            }
            return i + 1;
        }

        private void ws() {
            while (p < s.length() && Character.isWhitespace(s.charAt(p))) {
                p++;
            }
        }

        private void expect(char c) {
            if (s.charAt(p) != c) {
                throw new IllegalArgumentException("expected '" + c + "' at offset " + p);
            }
            p++;
        }
    }
}
