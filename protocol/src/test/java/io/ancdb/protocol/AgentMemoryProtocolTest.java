package io.ancdb.protocol;

import io.ancdb.Database;
import io.ancdb.DatabaseOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.ancdb.protocol.Msg.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The AgentMemory schema end to end through the protocol, checked afterwards with the sqlite3 shell. */
class AgentMemoryProtocolTest {
    static final int DIMS = 768;

    @TempDir
    Path dir;

    static final List<Object> FIELDS = List.of(
            map("name", "id", "type", "u64", "primary_key", true),
            map("name", "timestamp", "type", "i64", "indexed", true),
            map("name", "content", "type", "str", "compressed", true),
            map("name", "embedding", "type", "f32vec"),
            map("name", "tags", "type", "strlist", "indexed", true));

    static float[] embedding(int seed) {
        float[] v = new float[DIMS];
        for (int i = 0; i < DIMS; i++) {
            v[i] = (float) Math.sin(seed * 31 + i);
        }
        return v;
    }

    static List<Float> boxed(float[] v) {
        List<Float> l = new ArrayList<>(v.length);
        for (float f : v) {
            l.add(f);
        }
        return l;
    }

    @Test
    void agentMemory() {
        Path file = dir.resolve("agent.db");
        long first = 1_234_567_890_123_456_789L;
        try (Database db = Database.open(file, DatabaseOptions.defaults());
             CommandDispatcher d = new CommandDispatcher(db)) {
            Session s = d.openSession();
            long id = (Long) call(s, map("cmd", 0x20, "schema", "AgentMemory", "fields", FIELDS)).ok().data();

            // batch-write 1000 records: the first with the key, the rest with generated keys (0)
            List<Object> records = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                records.add(map("id", i == 0 ? first : 0, "timestamp", 1_700_000_000L + i,
                        "content", "memory " + i + " " + "lorem ipsum ".repeat(20),
                        "embedding", embedding(i), "tags", List.of("t" + (i % 5), "all")));
            }
            Msg.Resp batch = call(s, map("cmd", 4, "schema", "AgentMemory", "records", records)).ok();
            assertEquals(1000, batch.rowsAffected());
            List<Object> keys = batch.list();
            assertEquals(1000, keys.size());
            assertEquals(first, keys.get(0));
            for (Object k : keys) {
                assertTrue(k instanceof Long l && l > 0, "u64 keys: " + k);
            }

            // read: by name (map form) and by id (compact form), the example request
            Map<String, Object> r = call(s, map("cmd", 1, "schema", "AgentMemory", "key", first)).ok().record();
            assertEquals(List.of("id", "timestamp", "content", "embedding", "tags"), new ArrayList<>(r.keySet()));
            assertEquals(first, r.get("id"));
            assertEquals(1_700_000_000L, r.get("timestamp"));
            assertEquals("memory 0 " + "lorem ipsum ".repeat(20), r.get("content"));
            assertEquals(boxed(embedding(0)), r.get("embedding"));
            assertEquals(List.of("t0", "all"), r.get("tags"));
            Object k500 = keys.get(500);
            Map<String, Object> r500 = call(s, List.of(1, id, map("key", k500))).ok().record();
            assertEquals(1_700_000_500L, r500.get("timestamp"));
            assertEquals(boxed(embedding(500)), r500.get("embedding"));

            // range scan on timestamp, descending, with a limit
            List<Object> latest = call(s, map("cmd", 2, "schema", "AgentMemory", "index", "timestamp",
                    "range", map("start", 1_700_000_100L, "end", 1_700_000_200L, "end_inclusive", false),
                    "order", "desc", "limit", 5)).ok().list();
            List<Object> ts = new ArrayList<>();
            for (Object o : latest) {
                ts.add(((Map<?, ?>) o).get("timestamp"));
            }
            assertEquals(List.of(1_700_000_199L, 1_700_000_198L, 1_700_000_197L, 1_700_000_196L, 1_700_000_195L), ts);
            assertEquals(200, call(s, map("cmd", 2, "schema", "AgentMemory", "index", "tags",
                    "range", map("start", "t3", "end", "t3"))).ok().list().size());

            // update: new tags and timestamp; the indexes follow
            Map<String, Object> u = call(s, map("cmd", 5, "schema", "AgentMemory", "key", keys.get(3),
                    "delta", map("tags", List.of("changed"), "timestamp", 5L))).ok().record();
            assertEquals(List.of("changed"), u.get("tags"));
            assertEquals(5L, u.get("timestamp"));
            assertEquals(boxed(embedding(3)), u.get("embedding"));
            List<Object> oldest = call(s, map("cmd", 2, "schema", "AgentMemory", "index", "timestamp", "limit", 1))
                    .ok().list();
            assertEquals(keys.get(3), ((Map<?, ?>) oldest.get(0)).get("id"));

            // delete
            assertEquals(1L, call(s, map("cmd", 6, "schema", "AgentMemory", "key", keys.get(4))).ok().data());
            call(s, map("cmd", 1, "schema", "AgentMemory", "key", keys.get(4))).fails(3);

            Map<?, ?> stats = (Map<?, ?>) call(s, map("cmd", 0x22)).ok().data();
            assertEquals(1L, stats.get("schemas"));
            assertTrue((Long) stats.get("file_size") > 1000L * DIMS * 4, "the file holds the embeddings");
            s.close();
            assertEquals("", db.integrityCheck());
        }
        // the stock shell sees the same file
        assertEquals(List.of("ok"), Msg.sqlite(file, "PRAGMA integrity_check"));
        assertEquals(List.of("999"), Msg.sqlite(file, "SELECT count(*) FROM AgentMemory"));
        assertEquals(List.of("3072"), Msg.sqlite(file, "SELECT DISTINCT length(embedding) FROM AgentMemory"));
        assertEquals(List.of("5|[\"changed\"]"), Msg.sqlite(file,
                "SELECT timestamp, tags FROM AgentMemory ORDER BY timestamp LIMIT 1"));
        assertEquals(List.of("1700000000"), Msg.sqlite(file,
                "SELECT timestamp FROM AgentMemory WHERE id = " + first));
        assertEquals(List.of("199"), Msg.sqlite(file, "SELECT count(*) FROM AgentMemory_tags WHERE value = 't3'"));
        assertEquals(List.of("998"), Msg.sqlite(file, "SELECT count(*) FROM AgentMemory_tags WHERE value = 'all'"));
        assertEquals(List.of("1"), Msg.sqlite(file, "SELECT count(*) FROM AgentMemory WHERE timestamp = 5"));
    }

    static Msg.Resp call(Session s, Object request) {
        return Msg.resp(s.handle(Msg.pack(request)));
    }
}
