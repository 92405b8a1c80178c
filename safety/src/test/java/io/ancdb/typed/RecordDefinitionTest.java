package io.ancdb.typed;

import io.ancdb.InvalidArgumentException;
import io.ancdb.schema.IndexSpec;
import io.ancdb.schema.TableSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.ancdb.typed.FieldType.BOOL;
import static io.ancdb.typed.FieldType.BYTES;
import static io.ancdb.typed.FieldType.F32VEC;
import static io.ancdb.typed.FieldType.F64;
import static io.ancdb.typed.FieldType.I64;
import static io.ancdb.typed.FieldType.I8VEC;
import static io.ancdb.typed.FieldType.STR;
import static io.ancdb.typed.FieldType.STRLIST;
import static io.ancdb.typed.FieldType.U64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordDefinitionTest {
    static RecordDefinition agentMemory() {
        return RecordDefinition.of("AgentMemory",
                FieldDef.of("timestamp", I64).asIndexed(),
                FieldDef.of("content", STR).asCompressed(),
                FieldDef.of("embedding", F32VEC),
                FieldDef.of("tags", STRLIST).asIndexed());
    }

    private static String msg(Runnable r) {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, r::run);
        assertEquals(1, e.code());
        return e.getMessage();
    }

    @Test
    void fieldDefValidation() {
        assertTrue(msg(() -> FieldDef.of("n", I64).asCompressed()).contains("only str and bytes"));
        assertTrue(msg(() -> FieldDef.of("v", F32VEC).asCompressed()).contains("compressed"));
        assertTrue(msg(() -> FieldDef.of("k", STR).asCompressed().asPrimaryKey()).contains("primary key cannot be compressed"));
        assertTrue(msg(() -> FieldDef.of("k", STR).asPrimaryKey().asCompressed()).contains("primary key cannot be compressed"));
        for (FieldType t : List.of(F32VEC, I8VEC, STRLIST)) {
            assertTrue(msg(() -> FieldDef.of("k", t).asPrimaryKey()).contains("cannot be the primary key"));
        }
        assertTrue(msg(() -> FieldDef.of("k", I64).asPrimaryKey().asIndexed()).contains("already indexed"));
        assertTrue(msg(() -> FieldDef.of("c", STR).asCompressed().asIndexed()).contains("compressed field cannot be indexed"));
        assertTrue(msg(() -> FieldDef.of("e", F32VEC).asIndexed()).contains("cannot be indexed"));
        msg(() -> FieldDef.of("", I64));
        msg(() -> FieldDef.of("a\nb", I64));
        // allowed
        FieldDef.of("b", BYTES).asCompressed();
        FieldDef.of("k", STR).asPrimaryKey();
        FieldDef.of("t", STRLIST).asIndexed();
        assertEquals("BLOB", FieldDef.of("c", STR).asCompressed().declType());
        assertEquals("TEXT", FieldDef.of("c", STR).declType());
    }

    @Test
    void implicitIdIsPrependedAsSnowflakeU64Key() {
        RecordDefinition d = agentMemory();
        assertEquals(5, d.fields().size());
        assertEquals(new FieldDef("id", U64, true, false, false), d.fields().get(0));
        assertEquals(d.fields().get(0), d.primaryKey());
        assertEquals(0, d.primaryKeyIndex());
        assertTrue(d.integerKey());
        assertTrue(d.generatedKey());
        // an explicit identical id is the same definition
        RecordDefinition explicit = RecordDefinition.of("AgentMemory",
                new FieldDef("id", U64, true, false, false),
                FieldDef.of("timestamp", I64).asIndexed(),
                FieldDef.of("content", STR).asCompressed(),
                FieldDef.of("embedding", F32VEC),
                FieldDef.of("tags", STRLIST).asIndexed());
        assertEquals(d, explicit);
        assertEquals(d.hashCode(), explicit.hashCode());
    }

    @Test
    void validationErrors() {
        assertTrue(msg(() -> RecordDefinition.of("T", FieldDef.of("a", I64), FieldDef.of("A", STR)))
                .contains("duplicate field A"));
        assertTrue(msg(() -> RecordDefinition.of("T", FieldDef.of("a", I64).asPrimaryKey(),
                FieldDef.of("b", STR).asPrimaryKey())).contains("more than one primary key"));
        assertTrue(msg(() -> RecordDefinition.of("T", FieldDef.of("ID", STR))).contains("declare it the primary key"));
        assertTrue(msg(() -> new RecordDefinition("T", List.of(FieldDef.of("a", I64)), List.of(List.of("a", "zz"))))
                .contains("unknown field zz"));
        assertTrue(msg(() -> new RecordDefinition("T", List.of(FieldDef.of("a", I64)), List.of(List.of("a", "A"))))
                .contains("repeats field"));
        assertTrue(msg(() -> new RecordDefinition("T", List.of(FieldDef.of("a", I64)), List.of(List.of())))
                .contains("at least one field"));
        assertTrue(msg(() -> new RecordDefinition("T", List.of(FieldDef.of("a", I64), FieldDef.of("t", STRLIST)),
                List.of(List.of("a", "t")))).contains("cannot include t strlist"));
        assertTrue(msg(() -> RecordDefinition.of("sqlite_x", FieldDef.of("a", I64))).contains("reserved"));
        // index name collisions: field "a_b" indexed vs composite (a, b)
        assertTrue(msg(() -> new RecordDefinition("T",
                List.of(FieldDef.of("a", I64), FieldDef.of("b", I64), FieldDef.of("a_b", I64).asIndexed()),
                List.of(List.of("a", "b")))).contains("T_a_b"));
        // the same composite twice
        assertTrue(msg(() -> new RecordDefinition("T", List.of(FieldDef.of("a", I64), FieldDef.of("b", I64)),
                List.of(List.of("a", "b"), List.of("A", "B")))).contains("two indexes"));
        // index name longer than 128 characters
        String longName = "f".repeat(120);
        msg(() -> RecordDefinition.of("Table12345", FieldDef.of(longName, I64).asIndexed()));
    }

    @Test
    void compositeNamesAreNormalisedToFieldSpelling() {
        RecordDefinition d = new RecordDefinition("T", List.of(FieldDef.of("Alpha", I64), FieldDef.of("beta", STR)),
                List.of(List.of("alpha", "BETA")));
        assertEquals(List.of(List.of("Alpha", "beta")), d.compositeIndexes());
        assertEquals(d, new RecordDefinition("T", List.of(FieldDef.of("Alpha", I64), FieldDef.of("beta", STR)),
                List.of(List.of("Alpha", "beta"))));
    }

    @Test
    void describeIsOneLine() {
        assertEquals("AgentMemory(id u64 pk, timestamp i64 indexed, content str compressed, embedding f32vec,"
                + " tags strlist indexed)", agentMemory().describe());
        RecordDefinition d = new RecordDefinition("Doc", List.of(FieldDef.of("key", STR).asPrimaryKey(),
                FieldDef.of("a", I64), FieldDef.of("b", F64)), List.of(List.of("a", "b")));
        assertEquals("Doc(key str pk, a i64, b f64, index(a, b))", d.describe());
    }

    @Test
    void equalityDistinguishesDefinitions() {
        assertEquals(agentMemory(), agentMemory());
        assertNotEquals(agentMemory(), RecordDefinition.of("AgentMemory",
                FieldDef.of("timestamp", I64).asIndexed(),
                FieldDef.of("content", STR),                       // not compressed
                FieldDef.of("embedding", F32VEC),
                FieldDef.of("tags", STRLIST).asIndexed()));
        assertNotEquals(agentMemory(), RecordDefinition.of("AgentMemory",
                FieldDef.of("timestamp", I64).asIndexed(),
                FieldDef.of("content", STR).asCompressed(),
                FieldDef.of("embedding", I8VEC),                  // quantized
                FieldDef.of("tags", STRLIST).asIndexed()));
    }

    @Test
    void tableSpecWithRowidKey() {
        TableSpec t = agentMemory().toTableSpec();
        assertEquals("CREATE TABLE \"AgentMemory\"(\"id\" INTEGER PRIMARY KEY, \"timestamp\" INTEGER,"
                + " \"content\" BLOB, \"embedding\" BLOB, \"tags\" TEXT)", t.createSql());
        assertEquals(0, t.rowidColumn());
        List<IndexSpec> ix = agentMemory().toIndexSpecs();
        assertEquals(List.of(
                "CREATE INDEX \"AgentMemory_timestamp\" ON \"AgentMemory\"(\"timestamp\")",
                "CREATE INDEX \"AgentMemory_tags\" ON \"AgentMemory\"(\"tags\")"),
                ix.stream().map(IndexSpec::createSql).toList());
        assertTrue(agentMemory().isMultiValued("AgentMemory_tags"));
        assertTrue(agentMemory().isMultiValued("agentmemory_TAGS"));
        assertFalse(agentMemory().isMultiValued("AgentMemory_timestamp"));
        assertFalse(agentMemory().isMultiValued("nope"));
    }

    @Test
    void tableSpecWithTextKeyAndComposites() {
        RecordDefinition d = new RecordDefinition("Doc",
                List.of(FieldDef.of("path", STR).asPrimaryKey(), FieldDef.of("size", I64),
                        FieldDef.of("owner", STR).asIndexed(), FieldDef.of("hidden", BOOL),
                        FieldDef.of("body", BYTES).asCompressed()),
                List.of(List.of("owner", "size"), List.of("hidden", "owner", "size")));
        assertFalse(d.integerKey());
        assertFalse(d.generatedKey());
        assertEquals("path", d.primaryKey().name());
        TableSpec t = d.toTableSpec();
        assertEquals("CREATE TABLE \"Doc\"(\"path\" TEXT, \"size\" INTEGER, \"owner\" TEXT, \"hidden\" INTEGER,"
                + " \"body\" BLOB)", t.createSql());
        assertEquals(-1, t.rowidColumn());
        assertEquals(List.of(
                "CREATE UNIQUE INDEX \"Doc_pk\" ON \"Doc\"(\"path\")",
                "CREATE INDEX \"Doc_owner\" ON \"Doc\"(\"owner\")",
                "CREATE INDEX \"Doc_owner_size\" ON \"Doc\"(\"owner\", \"size\")",
                "CREATE INDEX \"Doc_hidden_owner_size\" ON \"Doc\"(\"hidden\", \"owner\", \"size\")"),
                d.toIndexSpecs().stream().map(IndexSpec::createSql).toList());
        assertFalse(d.isMultiValued("Doc_owner"));
        assertEquals(2, d.fieldIndex("OWNER"));
        assertEquals(-1, d.fieldIndex("x"));
        assertEquals(BYTES, d.field("Body").type());
        assertThrows(InvalidArgumentException.class, () -> d.field("x"));
    }

    @Test
    void explicitI64KeyIsRowidButNotGenerated() {
        RecordDefinition d = RecordDefinition.of("E", FieldDef.of("n", STR), FieldDef.of("k", I64).asPrimaryKey());
        assertTrue(d.integerKey());
        assertFalse(d.generatedKey());
        assertEquals(1, d.primaryKeyIndex());
        assertEquals("CREATE TABLE \"E\"(\"n\" TEXT, \"k\" INTEGER PRIMARY KEY)", d.toTableSpec().createSql());
        assertEquals(List.of(), d.toIndexSpecs());
    }
}
