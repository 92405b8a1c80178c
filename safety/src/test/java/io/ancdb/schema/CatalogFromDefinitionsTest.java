package io.ancdb.schema;

import io.ancdb.CorruptionException;
import io.ancdb.Database;
import io.ancdb.KeyRange;
import io.ancdb.OnConflict;
import io.ancdb.SqliteShell;
import io.ancdb.typed.Definitions;
import io.ancdb.typed.FieldDef;
import io.ancdb.typed.FieldType;
import io.ancdb.typed.RecordDefinition;
import io.ancdb.typed.RecordTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The catalog of a file holding both tables ANC-DB made for record
 * definitions and tables the sqlite3 shell made: the first come from their
 * definitions without parsing their SQL text, the second are parsed, and
 * either way the result is what parsing every text gives. A definition never
 * overrides the file: a table whose text the shell changed is read from its
 * text, and a damaged definition is still a CorruptionException at open.
 */
class CatalogFromDefinitionsTest {
    @TempDir
    Path dir;

    private static final RecordDefinition DOC = RecordDefinition.of("Doc",
            FieldDef.of("key", FieldType.STR).asPrimaryKey(),
            FieldDef.of("n", FieldType.I64).asIndexed(),
            FieldDef.of("title", FieldType.STR),
            FieldDef.of("body", FieldType.STR).asCompressed(),
            FieldDef.of("tags", FieldType.STRLIST).asIndexed(),
            FieldDef.of("score", FieldType.F64),
            FieldDef.of("vec", FieldType.F32VEC),
            FieldDef.of("flag", FieldType.BOOL),
            FieldDef.of("raw", FieldType.BYTES));
    private static final RecordDefinition EVENT = new RecordDefinition("Event", List.of(
            FieldDef.of("pair", FieldType.STR), FieldDef.of("ts", FieldType.I64).asIndexed(),
            FieldDef.of("kind", FieldType.STR)), List.of(List.of("pair", "ts")));

    /** Statements the shell adds: 4 parsed texts (the automatic index of kv has none). */
    private static final String SHELL_TABLES = "CREATE TABLE shell_t(a INTEGER PRIMARY KEY, b TEXT, c REAL);"
            + "CREATE INDEX shell_t_b ON shell_t(b);"
            + "CREATE INDEX shell_t_lower ON shell_t(lower(b));"
            + "CREATE TABLE kv(k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID;"
            + "INSERT INTO shell_t(b, c) VALUES ('x', 1.5);";
    private static final int SHELL_STATEMENTS = 4;

    private Path mixedFile() {
        Path file = dir.resolve("mixed.db");
        try (Database db = Database.open(file)) {
            RecordTable docs = Definitions.of(db).define(DOC);
            RecordTable events = Definitions.of(db).define(EVENT);
            db.runWrite(tx -> {
                docs.insert(tx, Map.of("key", "a", "n", 1L, "title", "first", "tags", List.of("red", "blue")),
                        OnConflict.FAIL);
                events.insert(tx, Map.of("pair", "A-B", "ts", 10L, "kind", "quote"), OnConflict.FAIL);
            });
        }
        SqliteShell.run(file, SHELL_TABLES);
        return file;
    }

    @Test
    void ancdbTablesComeFromTheirDefinitionsAndShellTablesAreParsed() {
        Path file = mixedFile();
        long before = DdlParser.parsedStatements();
        try (Database db = Database.open(file)) {
            Catalog c = db.catalog();
            TableInfo doc = c.find("Doc");
            TableInfo event = c.find("event");                       // names are case-insensitive
            assertNotNull(c.find(DefinedRecord.TABLE));
            assertEquals(0, DdlParser.parsedStatements() - before, "opening and ANC-DB's tables parsed nothing");
            assertNull(c.find("Doc_tags"), "a tag index's table is an index, not a table");
            assertEquals(List.of("Doc_pk", "Doc_n", "Doc_tags"), names(doc.indexes()));
            assertTrue(doc.indexes().get(2).multiValued());
            assertEquals(List.of("Event_ts", "Event_pair_ts"), names(event.indexes()));
            assertTrue(doc.writable() && event.writable());

            List<String> tables = names(c.tables());
            assertEquals(List.of("Doc", DefinedRecord.TABLE, "Event", "shell_t", "kv"), tables);
            assertEquals(SHELL_STATEMENTS, DdlParser.parsedStatements() - before, "only the shell's texts were parsed");
            TableInfo shell = c.find("shell_t");
            assertTrue(!shell.writable(), "an expression index: readable, never written");
            assertTrue(!c.find("kv").writable(), "WITHOUT ROWID: readable, never written");

            for (TableInfo t : c.tables()) {
                assertSameAsParsed(c, t);
            }
            // and the tables work: through an index from the definition, and written with their indexes kept
            RecordTable docs = Definitions.of(db).table("Doc");
            db.runWrite(tx -> docs.insert(tx, Map.of("key", "b", "n", 2L, "title", "second", "tags", List.of("red")),
                    OnConflict.FAIL));
            assertEquals(List.of("a", "b"), db.readTx(tx -> {
                List<String> keys = new ArrayList<>();
                try (var cur = docs.scan(tx, KeyRange.onField("tags").from("red").to("red"))) {
                    cur.forEachRemaining(m -> keys.add((String) m.get("key")));
                }
                return keys;
            }));
            assertEquals("", db.integrityCheck());
        }
        assertEquals("ok", SqliteShell.one(file, "PRAGMA integrity_check;"));
        assertEquals("2", SqliteShell.one(file, "SELECT count(*) FROM Doc WHERE n > 0;"));
    }

    /** {@code t} and each of its indexes equal what parsing their stored text gives. */
    private static void assertSameAsParsed(Catalog c, TableInfo t) {
        DdlParser.ParsedTable pt = DdlParser.parseTable(c.entry(t.name()).sql());
        assertEquals(pt.spec(), t.spec(), t.name());
        boolean writable = pt.writable();
        for (IndexInfo i : t.indexes()) {
            if (i.multiValued()) {
                continue;                                     // declared by the definition, as before
            }
            SchemaEntry e = c.entry(i.name());
            if (e.sql() == null) {
                writable = false;
                continue;
            }
            DdlParser.ParsedIndex pi;
            try {
                pi = DdlParser.parseIndex(e.sql());
            } catch (RuntimeException unreadable) {
                assertTrue(!i.maintainable(), i.name());
                writable = false;
                continue;
            }
            assertEquals(pi.spec(), i.spec(), i.name());
            int[] pos = pi.spec().columns().stream().mapToInt(col -> pt.spec().columnIndex(col)).toArray();
            assertArrayEquals(pos, i.columnPositions(), i.name());
            assertEquals(pi.maintainable() && java.util.Arrays.stream(pos).allMatch(p -> p >= 0), i.maintainable(),
                    i.name());
            writable &= i.maintainable();
        }
        assertEquals(writable, t.writable(), t.name());
    }

    @Test
    void aTableTheShellAlteredIsReadFromItsTextNotFromItsDefinition() {
        Path file = mixedFile();
        SqliteShell.run(file, "ALTER TABLE Event ADD COLUMN note TEXT;");
        long before = DdlParser.parsedStatements();
        try (Database db = Database.open(file)) {
            TableInfo event = db.catalog().find("Event");
            assertEquals(1, DdlParser.parsedStatements() - before, "the altered text was parsed");
            assertEquals(5, event.spec().columns().size(), "id, pair, ts, kind and the shell's note");
            assertEquals("note", event.spec().columns().get(4).name());
            assertEquals(List.of("Event_ts", "Event_pair_ts"), names(event.indexes()));
        }
    }

    @Test
    void anIndexTheShellReplacedIsReadFromItsText() {
        Path file = mixedFile();
        SqliteShell.run(file, "DROP INDEX Event_ts; CREATE INDEX Event_ts ON Event(kind);");
        try (Database db = Database.open(file)) {
            TableInfo event = db.catalog().find("Event");
            IndexInfo ts = event.indexes().stream().filter(i -> i.name().equals("Event_ts")).findFirst().orElseThrow();
            assertEquals(List.of("kind"), ts.spec().columns(), "the file's index, not the definition's");
            assertArrayEquals(new int[] {3}, ts.columnPositions());
        }
    }

    @Test
    void aDamagedDefinitionIsCorruptionAtOpen() {
        Path file = mixedFile();
        String id = SqliteShell.one(file, "SELECT id FROM ancdb_schemas WHERE name = 'Event';");
        SqliteShell.run(file, "UPDATE ancdb_schemas SET definition = '{\"name\":\"Event\",\"fields\":[' WHERE id = " + id + ";");
        CorruptionException e = assertThrows(CorruptionException.class, () -> Database.open(file).close());
        assertTrue(e.getMessage().contains("row " + id + " of ancdb_schemas"), e.getMessage());
        assertTrue(e.getMessage().contains("unreadable record definition"), e.getMessage());
        // the shell still reads every table of it
        assertEquals("1", SqliteShell.one(file, "SELECT count(*) FROM Event;"));
    }

    private static List<String> names(java.util.Collection<?> infos) {
        List<String> out = new ArrayList<>();
        for (Object o : infos) {
            out.add(o instanceof TableInfo t ? t.name() : ((IndexInfo) o).name());
        }
        return out;
    }
}
