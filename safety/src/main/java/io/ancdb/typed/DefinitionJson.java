package io.ancdb.typed;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.ancdb.AncDbException;
import io.ancdb.CorruptionException;
import io.ancdb.InvalidArgumentException;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A record definition as JSON, the form kept in the {@code ancdb_schemas}
 * table (readable with the sqlite3 shell and its json functions), written and
 * read with Jackson's streaming core:
 * <pre>{"name":"AgentMemory","fields":[{"name":"id","type":"u64","primary_key":true,
 *   "indexed":false,"compressed":false},...],"composite_indexes":[["a","b"]]}</pre>
 * The same field names as the protocol's DefineSchema command. Reading ignores
 * members it does not know and takes a missing flag as false.
 */
public final class DefinitionJson {
    private static final JsonFactory JSON = new JsonFactory();

    private DefinitionJson() {
    }

    /** The JSON text of {@code d}, exactly as above (no whitespace, members in this order). */
    public static String encode(RecordDefinition d) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("name", d.name());
            g.writeArrayFieldStart("fields");
            for (FieldDef f : d.fields()) {
                g.writeStartObject();
                g.writeStringField("name", f.name());
                g.writeStringField("type", f.type().wireName());
                g.writeBooleanField("primary_key", f.primaryKey());
                g.writeBooleanField("indexed", f.indexed());
                g.writeBooleanField("compressed", f.compressed());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("composite_indexes");
            for (List<String> ci : d.compositeIndexes()) {
                g.writeStartArray();
                for (String field : ci) {
                    g.writeString(field);
                }
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);     // a StringWriter does not fail
        }
        return out.toString();
    }

    /**
     * The definition in {@code json}.
     *
     * @throws CorruptionException when the text is not a definition (ANC-DB wrote it: it was damaged)
     */
    public static RecordDefinition decode(String json) {
        try (JsonParser p = JSON.createParser(json)) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT);
            String name = null;
            List<FieldDef> fields = new ArrayList<>();
            List<List<String>> composite = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String member = p.currentName();
                JsonToken value = p.nextToken();
                switch (member) {
                    case "name" -> name = text(p, value);
                    case "fields" -> {
                        expect(p, value, JsonToken.START_ARRAY);
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            fields.add(field(p));
                        }
                    }
                    case "composite_indexes" -> {
                        if (value == JsonToken.VALUE_NULL) {
                            continue;
                        }
                        expect(p, value, JsonToken.START_ARRAY);
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            composite.add(strings(p));
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            expect(p, p.currentToken(), JsonToken.END_OBJECT);
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("text after the definition");
            }
            return new RecordDefinition(name, fields, composite);
        } catch (IOException | RuntimeException e) {
            String why = switch (e) {
                case com.fasterxml.jackson.core.JsonProcessingException j -> j.getOriginalMessage();
                case AncDbException a -> a.bareMessage();      // e.g. a field definition FieldDef refuses
                default -> e.getMessage();
            };
            throw CorruptionException.found("unreadable record definition in ancdb_schemas: " + why);
        }
    }

    private static FieldDef field(JsonParser p) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_OBJECT);
        String name = null;
        String type = null;
        boolean primaryKey = false;
        boolean indexed = false;
        boolean compressed = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String member = p.currentName();
            JsonToken value = p.nextToken();
            switch (member) {
                case "name" -> name = text(p, value);
                case "type" -> type = text(p, value);
                case "primary_key" -> primaryKey = value == JsonToken.VALUE_TRUE;
                case "indexed" -> indexed = value == JsonToken.VALUE_TRUE;
                case "compressed" -> compressed = value == JsonToken.VALUE_TRUE;
                default -> p.skipChildren();
            }
        }
        return new FieldDef(name, FieldType.fromWireName(type), primaryKey, indexed, compressed);
    }

    private static List<String> strings(JsonParser p) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_ARRAY);
        List<String> out = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            out.add(text(p, t));
        }
        return out;
    }

    private static String text(JsonParser p, JsonToken t) throws IOException {
        expect(p, t, JsonToken.VALUE_STRING);
        return p.getText();
    }

    private static void expect(JsonParser p, JsonToken got, JsonToken want) {
        if (got != want) {
            throw new InvalidArgumentException("expected " + want + " at offset "
                    + p.currentTokenLocation().getCharOffset() + ", found " + (got == null ? "the end" : got));
        }
    }
}
