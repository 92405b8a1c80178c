package io.ancdb;

import io.ancdb.typed.Inserted;
import io.ancdb.typed.Definitions;
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
            TypedTable<AgentMemory, Long> mem = Definitions.of(db).register(AgentMemory.class, Long.class);
            db.runWrite(tx -> {
                List<AgentMemory> batch = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    batch.add(new AgentMemory(0, "agent-" + (i % 3), 1_000 + i, "memory text " + i + " ".repeat(200),
                            emb, List.of("t" + (i % 5), "all")));
                }
                for (Inserted<Long> r : mem.insertBatch(tx, batch, OnConflict.FAIL)) {
                    assertTrue(r.written());
                    ids.add(r.key());
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
            TypedTable<AgentMemory, Long> mem = Definitions.of(db).register(AgentMemory.class, Long.class);
            db.runRead(tx -> {
                assertEquals(299, mem.count(tx));
                assertEquals(5, mem.get(tx, ids.get(3)).timestamp());
                assertNull(mem.get(tx, ids.get(4)));
                assertEquals("agent-0", mem.get(tx, ids.get(6)).agent());
            });
            RecordDefinition other = RecordDefinition.of("AgentMemory", FieldDef.of("id", FieldType.U64).asPrimaryKey(),
                    FieldDef.of("agent", FieldType.STR));
            SchemaMismatchException e = assertThrows(SchemaMismatchException.class, () -> Definitions.of(db).define(other));
            assertTrue(e.getMessage().contains("tags strlist indexed") && e.getMessage().contains("agent str"), e.getMessage());
            RecordTable byName = Definitions.of(db).table("AgentMemory");
            assertEquals(byName.id(), Definitions.of(db).table(byName.id()).id());
            assertThrows(SchemaNotFoundException.class, () -> Definitions.of(db).table("Nope"));
        }
    }

    /**
     * The composite index (agent, timestamp), scanned on its first field: entries come in (agent, timestamp, id)
     * order. Timestamps fall as ids rise, so a scan in key order would come out reversed.
     */
    @Test
    void compositeIndexScansInFieldOrder() throws Exception {
        Path file = dir.resolve("composite.db");
        try (Database db = Database.open(file)) {
            TypedTable<AgentMemory, Long> mem = Definitions.of(db).register(AgentMemory.class, Long.class);
            db.runWrite(tx -> {
                for (int i = 0; i < 90; i++) {
                    mem.insert(tx, new AgentMemory(0, "agent-" + (i % 3), 10_000 - i, "m" + i, new float[0], List.of()));
                }
            });
            db.runRead(tx -> {
                List<Long> agent1 = new ArrayList<>();
                try (RecordCursor<AgentMemory> c = mem.scan(tx, KeyRange.onField("agent_timestamp")
                        .from("agent-1").to("agent-1"))) {
                    c.forEachRemaining(a -> {
                        assertEquals("agent-1", a.agent());
                        agent1.add(a.timestamp());
                    });
                }
                List<Long> want = new ArrayList<>();
                for (int i = 88; i >= 1; i -= 3) {
                    want.add(10_000L - i);
                }
                assertEquals(want, agent1);
                // by its first field's name, the whole index, descending: agent-2 newest first, agent-0 oldest last
                List<String> all = new ArrayList<>();
                try (RecordCursor<AgentMemory> c = mem.scan(tx, KeyRange.onField("agent").reversed())) {
                    c.forEachRemaining(a -> all.add(a.agent() + "@" + a.timestamp()));
                }
                assertEquals(90, all.size());
                assertEquals("agent-2@9998", all.get(0));
                assertEquals("agent-0@9913", all.get(89));
                for (int i = 1; i < all.size(); i++) {
                    String[] p = all.get(i - 1).split("@");
                    String[] q = all.get(i).split("@");
                    int byAgent = p[0].compareTo(q[0]);
                    assertTrue(byAgent > 0 || byAgent == 0 && Long.parseLong(p[1]) > Long.parseLong(q[1]), all.toString());
                }
            });
        }
        // the same order as SQL over the same file, and the shell plans with the same index
        List<String> sql = ScanOracleTest.shell(file,
                "SELECT timestamp FROM AgentMemory WHERE agent = 'agent-1' ORDER BY agent, timestamp, id");
        assertEquals(30, sql.size());
        assertEquals(String.valueOf(10_000 - 88), sql.get(0));
        assertEquals(String.valueOf(10_000 - 1), sql.get(29));
        String plan = String.join("\n", ScanOracleTest.shell(file,
                "EXPLAIN QUERY PLAN SELECT * FROM AgentMemory WHERE agent = 'agent-1' AND timestamp > 5"));
        assertTrue(plan.contains("AgentMemory_agent_timestamp"), plan);
    }

    @Test
    void stringKeysUseAUniqueIndex() throws Exception {
        Path file = dir.resolve("kv.db");
        try (Database db = Database.open(file)) {
            RecordTable kv = Definitions.of(db).define(RecordDefinition.of("Cache", FieldDef.of("k", FieldType.STR).asPrimaryKey(),
                    FieldDef.of("v", FieldType.BYTES), FieldDef.of("hits", FieldType.I64)));
            db.runWrite(tx -> {
                kv.insert(tx, Map.of("k", "b", "v", new byte[] {1}, "hits", 1), OnConflict.FAIL);
                kv.insert(tx, Map.of("k", "a", "v", new byte[] {2}, "hits", 2), OnConflict.FAIL);
                assertThrows(ConstraintViolationException.class,
                        () -> kv.insert(tx, Map.of("k", "a", "v", new byte[] {3}, "hits", 3), OnConflict.FAIL));
                assertEquals(new Inserted<>("a", false),
                        kv.insert(tx, Map.of("k", "a", "v", new byte[] {4}, "hits", 4), OnConflict.IGNORE));
                assertEquals(new Inserted<>("b", true),
                        kv.insert(tx, Map.of("k", "b", "v", new byte[] {5}, "hits", 5), OnConflict.REPLACE));
                assertEquals(new Inserted<>("c", true),
                        kv.insert(tx, Map.of("k", "c", "v", new byte[] {6}, "hits", 6), OnConflict.IGNORE));
                assertTrue(kv.delete(tx, "c"));
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
