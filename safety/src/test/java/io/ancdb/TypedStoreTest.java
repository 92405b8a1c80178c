package io.ancdb;

import io.ancdb.typed.CompositeIndex;
import io.ancdb.typed.Compressed;
import io.ancdb.typed.FieldDef;
import io.ancdb.typed.FieldType;
import io.ancdb.typed.Indexed;
import io.ancdb.typed.PrimaryKey;
import io.ancdb.typed.RecordCursor;
import io.ancdb.typed.RecordDefinition;
import io.ancdb.typed.RecordTable;
import io.ancdb.typed.TypedTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Typed records end to end: registration, all operations, reopen, and the sqlite3 shell's view. */
class TypedStoreTest {
    @CompositeIndex(fields = {"agent", "timestamp"})
    record AgentMemory(@PrimaryKey(snowflake = true) long id, String agent, @Indexed long timestamp,
                       @Compressed String content, float[] embedding, @Indexed List<String> tags) {
    }

    @TempDir
    Path dir;

    @Test
    void agentMemoryRoundTrip() throws Exception {
        Path file = dir.resolve("agent.db");
        List<Long> ids = new ArrayList<>();
        float[] emb = new float[768];
        for (int i = 0; i < emb.length; i++) {
            emb[i] = (float) Math.sin(i);
        }
        try (Database db = Database.open(file)) {
            TypedTable<AgentMemory> mem = db.register(AgentMemory.class);
            db.runWrite(tx -> {
                List<AgentMemory> batch = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    batch.add(new AgentMemory(0, "agent-" + (i % 3), 1_000 + i, "memory text " + i + " ".repeat(200),
                            emb, List.of("t" + (i % 5), "all")));
                }
                for (Object k : mem.insertBatch(tx, batch, OnConflict.FAIL)) {
                    ids.add((Long) k);
                }
            });
            // ids are Snowflake ids, increasing in insertion order
            for (int i = 1; i < ids.size(); i++) {
                assertTrue(ids.get(i) > ids.get(i - 1));
            }
            db.runRead(tx -> {
                AgentMemory m = mem.get(tx, ids.get(7));
                assertEquals("agent-1", m.agent());
                assertEquals(1_007, m.timestamp());
                assertTrue(m.content().startsWith("memory text 7 "));
                assertArrayEquals(emb, m.embedding());
                assertEquals(List.of("t2", "all"), m.tags());
                assertEquals(300, mem.count(tx));
                // timestamp index, descending, limit
                List<Long> ts = new ArrayList<>();
                try (RecordCursor<AgentMemory> c = mem.scan(tx, KeyRange.onField("timestamp")
                        .from(1_100).toExclusive(1_200).reversed().limitTo(5))) {
                    c.forEachRemaining(a -> ts.add(a.timestamp()));
                }
                assertEquals(List.of(1_199L, 1_198L, 1_197L, 1_196L, 1_195L), ts);
                // tag index: one entry per tag
                List<Long> tagged = new ArrayList<>();
                try (RecordCursor<AgentMemory> c = mem.scan(tx, KeyRange.onField("tags").prefix("t3"))) {
                    c.forEachRemaining(a -> tagged.add(a.timestamp()));
                }
                assertEquals(60, tagged.size());
                assertTrue(tagged.stream().allMatch(t -> (t - 1_000) % 5 == 3));
            });
            db.runWrite(tx -> {
                AgentMemory u = mem.update(tx, ids.get(3), Map.of("tags", List.of("changed"), "timestamp", 5L));
                assertEquals(List.of("changed"), u.tags());
                assertEquals("agent-0", u.agent());
                assertTrue(mem.delete(tx, ids.get(4)));
                assertFalse(mem.delete(tx, ids.get(4)));
                assertThrows(KeyNotFoundException.class, () -> mem.update(tx, 12345L, Map.of("agent", "x")));
                assertThrows(InvalidArgumentException.class, () -> mem.update(tx, ids.get(5), Map.of("nope", 1)));
            });
            // a transaction that throws leaves no trace
            assertThrows(IllegalStateException.class, () -> db.runWrite(tx -> {
                mem.delete(tx, ids.get(6));
                throw new IllegalStateException("boom");
            }));
            assertEquals("", db.integrityCheck());
        }
        // the stock shell sees real rows, real indexes and the tag table
        assertEquals(List.of("ok"), ScanOracleTest.shell(file, "PRAGMA integrity_check"));
        assertEquals(List.of("299"), ScanOracleTest.shell(file, "SELECT count(*) FROM AgentMemory"));
        assertEquals(List.of("59"), ScanOracleTest.shell(file, "SELECT count(*) FROM AgentMemory_tags WHERE value = 't3'"));  // row 3 was retagged
        assertEquals(List.of("1"), ScanOracleTest.shell(file,
                "SELECT count(*) FROM AgentMemory WHERE json_extract(tags, '$[0]') = 'changed'"));
        assertEquals(List.of("3072"), ScanOracleTest.shell(file,
                "SELECT DISTINCT length(embedding) FROM AgentMemory"));
        String plan = String.join("\n", ScanOracleTest.shell(file,
                "EXPLAIN QUERY PLAN SELECT * FROM AgentMemory WHERE timestamp = 5"));
        assertTrue(plan.contains("AgentMemory_timestamp"), plan);
        // reopen: the definition comes back from the file; a different one is refused
        try (Database db = Database.open(file)) {
            TypedTable<AgentMemory> mem = db.register(AgentMemory.class);
            db.runRead(tx -> {
                assertEquals(299, mem.count(tx));
                assertEquals(5, mem.get(tx, ids.get(3)).timestamp());
                assertNull(mem.get(tx, ids.get(4)));
                assertEquals("agent-0", mem.get(tx, ids.get(6)).agent());
            });
            RecordDefinition other = RecordDefinition.of("AgentMemory", FieldDef.of("id", FieldType.U64).asPrimaryKey(),
                    FieldDef.of("agent", FieldType.STR));
            SchemaMismatchException e = assertThrows(SchemaMismatchException.class, () -> db.define(other));
            assertTrue(e.getMessage().contains("tags strlist indexed") && e.getMessage().contains("agent str"), e.getMessage());
            RecordTable byName = db.records("AgentMemory");
            assertEquals(byName.id(), db.records(byName.id()).id());
            assertThrows(SchemaNotFoundException.class, () -> db.records("Nope"));
        }
    }

    @Test
    void stringKeysUseAUniqueIndex() throws Exception {
        Path file = dir.resolve("kv.db");
        try (Database db = Database.open(file)) {
            RecordTable kv = db.define(RecordDefinition.of("Cache", FieldDef.of("k", FieldType.STR).asPrimaryKey(),
                    FieldDef.of("v", FieldType.BYTES), FieldDef.of("hits", FieldType.I64)));
            db.runWrite(tx -> {
                kv.insert(tx, Map.of("k", "b", "v", new byte[] {1}, "hits", 1), OnConflict.FAIL);
                kv.insert(tx, Map.of("k", "a", "v", new byte[] {2}, "hits", 2), OnConflict.FAIL);
                assertThrows(ConstraintViolationException.class,
                        () -> kv.insert(tx, Map.of("k", "a", "v", new byte[] {3}, "hits", 3), OnConflict.FAIL));
                kv.insert(tx, Map.of("k", "a", "v", new byte[] {4}, "hits", 4), OnConflict.IGNORE);
                kv.insert(tx, Map.of("k", "b", "v", new byte[] {5}, "hits", 5), OnConflict.REPLACE);
            });
            db.runRead(tx -> {
                assertEquals(2L, kv.get(tx, "a").get("hits"));
                assertEquals(5L, kv.get(tx, "b").get("hits"));
                assertEquals(2, kv.count(tx));
                List<Object> keys = new ArrayList<>();
                try (var c = kv.scan(tx, KeyRange.all().reversed())) {
                    c.forEachRemaining(m -> keys.add(m.get("k")));
                }
                assertEquals(List.of("b", "a"), keys);
            });
        }
        assertEquals(List.of("ok"), ScanOracleTest.shell(file, "PRAGMA integrity_check"));
        assertEquals(List.of("a|2", "b|5"), ScanOracleTest.shell(file, "SELECT k, hits FROM Cache ORDER BY k"));
    }
}
