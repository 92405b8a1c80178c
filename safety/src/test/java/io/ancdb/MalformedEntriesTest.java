package io.ancdb;

import io.ancdb.typed.Definitions;
import io.ancdb.schema.Column;
import io.ancdb.schema.IndexSpec;
import io.ancdb.schema.SqlType;
import io.ancdb.schema.TableSpec;
import io.ancdb.typed.FieldDef;
import io.ancdb.typed.FieldType;
import io.ancdb.typed.RecordDefinition;
import io.ancdb.typed.RecordTable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Entries that are well-formed b-tree cells but malformed records, as a
 * damaged file can hold them (what the corrupt-file fuzzer produces): using them
 * is a CorruptionException naming the b-tree's root page, never an
 * ArrayIndexOutOfBoundsException or ClassCastException of the safety layer.
 */
class MalformedEntriesTest {
    @TempDir
    Path dir;

    private Path file;
    private int tableRoot;
    private int indexRoot;

    /** Table {@code t(id, v TEXT)} with the UNIQUE index {@code t_v(v)} and rows 1..3. */
    @BeforeEach
    void create() {
        file = dir.resolve("m.db");
        try (Database db = Database.open(file)) {
            db.runWrite(tx -> {
                tx.createTable(TableSpec.of("t", Column.rowid("id"), Column.of("v", SqlType.TEXT)));
                tx.createIndex(new IndexSpec("t_v", "t", List.of("v"), true));
                for (long i = 1; i <= 3; i++) {
                    tx.insert("t", i, "v" + i);
                }
            });
            tableRoot = db.catalog().entry("t").rootPage();
            indexRoot = db.catalog().entry("t_v").rootPage();
        }
    }

    /**
     * Sets byte {@code offset} of the only occurrence of {@code cell} in the
     * file: cells stay in place, the b-tree structure intact, only the record
     * inside is malformed.
     */
    private void patch(byte[] cell, int offset, byte value) throws IOException {
        byte[] b = Files.readAllBytes(file);
        int at = -1;
        for (int i = 0; i + cell.length <= b.length; i++) {
            if (Arrays.equals(b, i, i + cell.length, cell, 0, cell.length)) {
                assertEquals(-1, at, "the pattern occurs twice");
                at = i;
            }
        }
        assertTrue(at >= 0, "pattern not found");
        b[at + offset] = value;
        Files.write(file, b);
    }

    /** The index key ("v2", rowid 2) as stored: header size 3, text of 2 bytes, 1-byte integer. */
    private static final byte[] INDEX_KEY_V2 = {3, 17, 1, 'v', '2', 2};
    /** Row 2 as stored: header size 3, NULL (the rowid alias), text of 2 bytes. */
    private static final byte[] ROW_2 = {3, 0, 17, 'v', '2'};

    private static void assertCorruptAt(int root, Executable e) {
        CorruptionException ex = assertThrows(CorruptionException.class, e);
        assertEquals(root, ex.page());
        assertTrue(ex.getMessage().contains("page " + root), ex.getMessage());
    }

    /**
     * As {@link #assertCorruptAt}, for corruption ANC-DB found itself: SQLite did not report it, so it
     * carries no native code (SQLITE_CORRUPT would claim SQLite did), and its message is prefixed once.
     */
    private static CorruptionException assertFoundAt(int root, Executable e) {
        CorruptionException ex = assertThrows(CorruptionException.class, e);
        assertEquals(root, ex.page());
        assertTrue(ex.getMessage().contains("(b-tree rooted at page " + root + ")"), ex.getMessage());
        assertEquals(0, ex.nativeCode(), ex.getMessage());
        assertPrefixedOnce(ex);
        return ex;
    }

    /** "[102 CORRUPTION] " once, at the start of getMessage(), and nowhere in the bare message. */
    private static void assertPrefixedOnce(AncDbException ex) {
        assertTrue(ex.getMessage().startsWith("[102 CORRUPTION] "), ex.getMessage());
        assertFalse(ex.bareMessage().contains("[1"), ex.bareMessage());
    }

    @Test
    void indexEntryWithoutFieldsFailsTheIndexScan() throws IOException {
        patch(INDEX_KEY_V2, 0, (byte) 1);                // header size 1: no fields at all
        try (Database db = Database.open(file)) {
            // the shim's batched fetch finds it (native SQLITE_CORRUPT)
            assertCorruptAt(indexRoot, () -> db.runRead(tx -> tx.scan("t", KeyRange.onField("t_v"))
                    .forEachRemaining(r -> { })));
        }
    }

    @Test
    void uniqueIndexEntryWithoutRowidFailsTheUniquenessProbe() throws IOException {
        patch(INDEX_KEY_V2, 2, (byte) 14);               // the rowid becomes a 1-byte blob
        try (Database db = Database.open(file)) {
            // a second "v2" makes the uniqueness probe land on the bad entry
            assertFoundAt(indexRoot, () -> db.runWrite(tx -> tx.insert("t", 9L, "v2")));
        }
    }

    @Test
    void tableRowWithABrokenHeaderNamesTheRowAndTheTable() throws IOException {
        patch(ROW_2, 0, (byte) 0x7f);                       // header size 127 in a 5-byte record
        try (Database db = Database.open(file)) {
            CorruptionException e = assertFoundAt(tableRoot, () -> db.runRead(tx -> tx.get("t", 2)));
            assertTrue(e.getMessage().contains("row 2 of t"), e.getMessage());
        }
    }

    @Test
    void schemaRootBeyondTheEndOfTheFileIsCorruptionNotABadArgument() {
        SqliteShell.run(file, "PRAGMA writable_schema=ON; UPDATE sqlite_schema SET rootpage = 9999 WHERE name = 't';");
        try (Database db = Database.open(file)) {
            CorruptionException e = assertThrows(CorruptionException.class,
                    () -> db.runRead(tx -> tx.scan("t").forEachRemaining(r -> { })));
            assertEquals(1, e.page());
            assertTrue(e.getMessage().contains("root page 9999"), e.getMessage());
        }
    }

    @Test
    void truncatedFileNamesTheFirstMissingPage() throws IOException {
        byte[] b = Files.readAllBytes(file);
        assertEquals(3 * 4096, b.length);                  // page 1, table t, index t_v
        Files.write(file, Arrays.copyOf(b, 4096));
        CorruptionException e = assertThrows(CorruptionException.class, () -> Database.open(file).close());
        assertEquals(2, e.page());
        assertTrue(e.getMessage().contains("the header counts 3 pages, the file ends after 1"), e.getMessage());
    }

    @Test
    void recordIndexWithADamagedDefinitionIsCorruption() {
        Path docs = dir.resolve("docs.db");
        RecordDefinition def = RecordDefinition.of("Doc", FieldDef.of("key", FieldType.STR).asPrimaryKey(),
                FieldDef.of("n", FieldType.I64).asIndexed());
        try (Database db = Database.open(docs)) {
            RecordTable t = Definitions.of(db).define(def);
            db.runWrite(tx -> t.insert(tx, Map.of("key", "a", "n", 1L), OnConflict.FAIL));
        }
        SqliteShell.run(docs, "PRAGMA writable_schema=ON; UPDATE sqlite_schema SET sql = 'CREATE INDEX \"Doc_n\" ON' "
                + "WHERE name = 'Doc_n'; UPDATE sqlite_schema SET sql = 'CREATE UNIQUE INDEX' WHERE name = 'Doc_pk';");
        try (Database db = Database.open(docs)) {
            RecordTable t = Definitions.of(db).table("Doc");
            assertFoundAt(1, () -> db.runRead(tx -> t.scan(tx, KeyRange.onField("n").from(0L)).hasNext()));
            assertFoundAt(1, () -> db.runRead(tx -> t.get(tx, "a")));
        }
    }

    @Test
    void aFailedOpenLeavesNoConnectionBehind() {
        Path docs = dir.resolve("bad-definitions.db");
        try (Database db = Database.open(docs)) {
            Definitions.of(db).define(RecordDefinition.of("Doc", FieldDef.of("key", FieldType.STR).asPrimaryKey()));
        }
        SqliteShell.run(docs, "UPDATE ancdb_schemas SET definition = X'00';");     // a row of the wrong shape
        CorruptionException e = assertThrows(CorruptionException.class, () -> Database.open(docs).close());
        assertTrue(e.getMessage().contains("ancdb_schemas holds a row of the wrong shape"), e.getMessage());
        assertEquals(0, e.nativeCode());
        // The failed open read its catalog through a reader connection; had that stayed open, its lock
        // on the WAL-mode file would make the shell's switch to DELETE fail with "database is locked".
        assertEquals("delete", SqliteShell.one(docs, "PRAGMA journal_mode=DELETE;"));
    }

    /** A stored value the typed layer cannot decode names its field, with one message prefix. */
    @Test
    void aDamagedVectorIsReportedOnce() {
        Path docs = dir.resolve("vectors.db");
        RecordDefinition def = RecordDefinition.of("Vec", FieldDef.of("id", FieldType.I64).asPrimaryKey(),
                FieldDef.of("v", FieldType.I8VEC));
        try (Database db = Database.open(docs)) {
            RecordTable t = Definitions.of(db).define(def);
            db.runWrite(tx -> t.insert(tx, Map.of("id", 1L, "v", new float[] {1, 2}), OnConflict.FAIL));
        }
        SqliteShell.run(docs, "UPDATE \"Vec\" SET v = X'00';");          // not a quantized vector
        try (Database db = Database.open(docs)) {
            RecordTable t = Definitions.of(db).table("Vec");
            CorruptionException e = assertThrows(CorruptionException.class, () -> db.runRead(tx -> t.get(tx, 1L)));
            assertPrefixedOnce(e);
            assertTrue(e.bareMessage().startsWith("field v (i8vec): not a quantized vector"), e.bareMessage());
            assertEquals(0, e.nativeCode());
        }
    }

    /** A damaged definition whose field the typed layer refuses: the reason, without a second prefix. */
    @Test
    void aDefinitionWithAnUnknownTypeIsCorruptionWithItsReason() {
        Path docs = dir.resolve("bad-type.db");
        try (Database db = Database.open(docs)) {
            Definitions.of(db).define(RecordDefinition.of("Doc", FieldDef.of("key", FieldType.STR).asPrimaryKey()));
        }
        SqliteShell.run(docs, "UPDATE ancdb_schemas SET definition = replace(definition, '\"str\"', '\"nope\"');");
        CorruptionException e = assertThrows(CorruptionException.class, () -> {
            try (Database db = Database.open(docs)) {
                Definitions.of(db).table("Doc");
            }
        });
        assertPrefixedOnce(e);
        assertTrue(e.bareMessage().startsWith("unreadable record definition in ancdb_schemas: "), e.bareMessage());
        assertTrue(e.bareMessage().contains("nope"), e.bareMessage());
    }
}
