package io.ancdb;

import io.ancdb.record.StringListJson;
import io.ancdb.schema.Column;
import io.ancdb.schema.SqlType;
import io.ancdb.schema.TableSpec;
import io.ancdb.typed.DefinitionJson;
import io.ancdb.typed.FieldDef;
import io.ancdb.typed.FieldType;
import io.ancdb.typed.RecordDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The JSON text ANC-DB stores (string lists, record definitions) is exactly
 * what SQLite's json functions read, and what they write ANC-DB reads: the
 * stock {@code sqlite3} shell is the oracle.
 */
class JsonOracleTest {
    /** Escapes, control characters, non-ASCII and astral characters, JSON look-alikes, the empty string. */
    static final List<List<String>> LISTS = List.of(
            List.of(),
            List.of(""),
            List.of("plain", "with \"quotes\"", "back\\slash", "slash / "),
            List.of("new\nline", "tab\tcr\r", "\b\f", "\u0001\u001f\u007f"),
            List.of("caf\u00e9", "\u4e2d\u6587", "emoji \uD83D\uDE00", "\u2028\u2029", "\uFFFD"),
            List.of("[\"not\",\"nested\"]", "\\u0041", "{}", "null"));

    @TempDir
    Path dir;

    @Test
    void sqliteReadsTheStringListsWeWrite() {
        Path file = dir.resolve("lists.db");
        try (Database db = Database.open(file)) {
            db.runWrite(tx -> {
                tx.createTable(TableSpec.of("t", Column.rowid("id"), Column.of("tags", SqlType.TEXT)));
                for (int i = 0; i < LISTS.size(); i++) {
                    tx.insert("t", (long) i, StringListJson.encode(LISTS.get(i)));
                }
            });
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < LISTS.size(); i++) {
            for (int j = 0; j < LISTS.get(i).size(); j++) {
                expected.add(i + "|" + j + "|" + hex(LISTS.get(i).get(j)));
            }
        }
        assertEquals(expected, SqliteShell.lines(file,
                "SELECT t.id, e.key, hex(e.value) FROM t, json_each(t.tags) e ORDER BY t.id, e.key;"));
        List<String> lengths = new ArrayList<>();
        for (int i = 0; i < LISTS.size(); i++) {
            lengths.add(i + "|1|" + LISTS.get(i).size());
        }
        assertEquals(lengths, SqliteShell.lines(file,
                "SELECT id, json_valid(tags), json_array_length(tags) FROM t ORDER BY id;"));
    }

    @Test
    void weReadTheStringListsSqliteWrites() {
        Path file = dir.resolve("shell.db");
        StringBuilder sql = new StringBuilder("CREATE TABLE t(id INTEGER PRIMARY KEY, tags TEXT);\n");
        for (int i = 0; i < LISTS.size(); i++) {
            StringBuilder args = new StringBuilder();
            for (String s : LISTS.get(i)) {
                args.append(args.isEmpty() ? "" : ", ").append("CAST(X'").append(hex(s)).append("' AS TEXT)");
            }
            sql.append("INSERT INTO t VALUES(").append(i).append(", json_array(").append(args).append("));\n");
        }
        SqliteShell.run(file, sql.toString());
        try (Database db = Database.open(file)) {
            db.runRead(tx -> {
                for (int i = 0; i < LISTS.size(); i++) {
                    String json = (String) tx.get("t", i).values()[1];
                    assertEquals(LISTS.get(i), StringListJson.parse(json), json);
                    // SQLite writes exactly the text we write, but for the control characters it
                    // spells their hex escapes in lower case (where we write upper case): same JSON value.
                    if (!LISTS.get(i).toString().matches("(?s).*[\\x00-\\x07\\x0b\\x0e-\\x1f].*")) {
                        assertEquals(StringListJson.encode(LISTS.get(i)), json);
                    }
                }
            });
        }
    }

    @Test
    void sqliteReadsTheDefinitionsWeWrite() {
        RecordDefinition def = new RecordDefinition("Memo", List.of(
                FieldDef.of("id", FieldType.U64).asPrimaryKey(), FieldDef.of("body", FieldType.STR).asCompressed(),
                FieldDef.of("tags", FieldType.STRLIST).asIndexed(), FieldDef.of("at", FieldType.I64),
                FieldDef.of("kind", FieldType.STR)), List.of(List.of("kind", "at")));
        String json = DefinitionJson.encode(def);
        assertEquals("{\"name\":\"Memo\",\"fields\":["
                + "{\"name\":\"id\",\"type\":\"u64\",\"primary_key\":true,\"indexed\":false,\"compressed\":false},"
                + "{\"name\":\"body\",\"type\":\"str\",\"primary_key\":false,\"indexed\":false,\"compressed\":true},"
                + "{\"name\":\"tags\",\"type\":\"strlist\",\"primary_key\":false,\"indexed\":true,\"compressed\":false},"
                + "{\"name\":\"at\",\"type\":\"i64\",\"primary_key\":false,\"indexed\":false,\"compressed\":false},"
                + "{\"name\":\"kind\",\"type\":\"str\",\"primary_key\":false,\"indexed\":false,\"compressed\":false}],"
                + "\"composite_indexes\":[[\"kind\",\"at\"]]}", json);
        Path file = dir.resolve("def.db");
        SqliteShell.run(file, "CREATE TABLE d(definition TEXT); INSERT INTO d VALUES('" + json + "');");
        assertEquals(List.of("1|Memo|5|tags|strlist|1|kind"), SqliteShell.lines(file,
                "SELECT json_valid(definition), definition->>'$.name', json_array_length(definition, '$.fields'),"
                        + " definition->>'$.fields[2].name', definition->>'$.fields[2].type',"
                        + " definition->>'$.fields[2].indexed', definition->>'$.composite_indexes[0][0]' FROM d;"));
        assertEquals(def, DefinitionJson.decode(json));
        // A member we do not know (written by a later version, or by hand with SQLite) is ignored.
        String extended = SqliteShell.one(file, "SELECT json_set(definition, '$.fields[1].note', 'x',"
                + " '$.comment', json_array(1, 2)) FROM d;");
        assertEquals(def, DefinitionJson.decode(extended));
    }

    private static String hex(String s) {
        return HexFormat.of().withUpperCase().formatHex(s.getBytes(StandardCharsets.UTF_8));
    }
}
