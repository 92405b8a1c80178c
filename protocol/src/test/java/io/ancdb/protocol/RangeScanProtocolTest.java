package io.ancdb.protocol;

import io.ancdb.Database;
import io.ancdb.DatabaseOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.ancdb.protocol.Msg.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RangeScan (0x02) through the in-process dispatcher: u64 keys and indexed
 * fields at and above 2^63 in unsigned order (issue 10.1's exact cases), nils
 * left out of bounded ranges (10.2), composite prefixes such as "claude's
 * newest 20" (10.3), and the errors of the range vocabulary.
 */
class RangeScanProtocolTest {
    static final BigInteger TWO_63 = BigInteger.ONE.shiftLeft(63);
    static final BigInteger MAX_U64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    @TempDir
    Path dir;
    Database db;
    CommandDispatcher d;

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("t.db"), DatabaseOptions.defaults().withSynchronous(DatabaseOptions.Synchronous.OFF));
        d = new CommandDispatcher(db, Limits.defaults(), null);
    }

    @AfterEach
    void close() {
        d.close();
        db.close();
    }

    Msg.Resp call(Object request) {
        return Msg.resp(d.handle(Msg.pack(request)));
    }

    Msg.Resp scan(String schema, Object... kv) {
        Map<String, Object> req = map(kv);
        req.put("cmd", 2);
        req.put("schema", schema);
        return call(req);
    }

    static List<Object> field(Msg.Resp r, String name) {
        List<Object> out = new ArrayList<>();
        for (Object o : r.ok().list()) {
            out.add(((Map<?, ?>) o).get(name));
        }
        return out;
    }

    /** Schema U {id u64 pk, num i64 indexed} with keys 1, 2, 2^63, 2^64-1, num = 5 for all. */
    private void defineU() {
        call(map("cmd", 0x20, "schema", "U", "fields", List.of(
                map("name", "id", "type", "u64", "primary_key", true),
                map("name", "num", "type", "i64", "indexed", true)))).ok();
        List<Object> records = new ArrayList<>();
        for (Object k : List.of(1L, 2L, TWO_63, MAX_U64)) {
            records.add(map("id", k, "num", 5));
        }
        assertEquals(4, call(map("cmd", 4, "schema", "U", "records", records)).ok().rowsAffected());
    }

    @Test
    void u64KeysScanInUnsignedOrder() {
        defineU();
        List<Object> all = List.of(1L, 2L, TWO_63, MAX_U64);
        assertEquals(all, field(scan("U"), "id"));
        assertEquals(all.reversed(), field(scan("U", "order", "desc"), "id"));
        assertEquals(all, field(scan("U", "range", map("start", 0, "end", MAX_U64)), "id"));
        assertEquals(List.of(1L, 2L), field(scan("U", "range", map("end", 10)), "id"));
        assertEquals(List.of(TWO_63, MAX_U64), field(scan("U", "range", map("start", TWO_63)), "id"));
        assertEquals(List.of(MAX_U64, TWO_63), field(scan("U", "range", map("start", TWO_63), "order", "desc"), "id"));
        assertEquals(List.of(2L, TWO_63), field(scan("U", "range", map("start", 1, "end", MAX_U64,
                "start_inclusive", false, "end_inclusive", false)), "id"));
        assertEquals(List.of(TWO_63, 2L), field(scan("U", "range", map("start", 1, "end", MAX_U64,
                "start_inclusive", false, "end_inclusive", false), "order", "desc"), "id"));
        assertEquals(List.of(MAX_U64), field(scan("U", "order", "desc", "limit", 1), "id"));
        assertEquals(List.of(2L, TWO_63), field(scan("U", "range", map("start", 2), "limit", 2), "id"));
        assertEquals(List.of(), field(scan("U", "range", map("start", MAX_U64, "start_inclusive", false)), "id"));
        assertEquals(List.of(), field(scan("U", "range", map("start", TWO_63, "end", 2)), "id"));
        // the key by its field name is the same scan
        assertEquals(all, field(scan("U", "index", "id"), "id"));
    }

    @Test
    void indexTiesComeInUnsignedKeyOrder() {
        defineU();
        List<Object> all = List.of(1L, 2L, TWO_63, MAX_U64);
        assertEquals(all, field(scan("U", "index", "num", "range", map("start", 5, "end", 5)), "id"));
        assertEquals(all.reversed(), field(scan("U", "index", "num", "range", map("start", 5, "end", 5),
                "order", "desc"), "id"));
        assertEquals(all, field(scan("U", "index", "num"), "id"));
        assertEquals(List.of(1L, 2L, TWO_63), field(scan("U", "index", "num", "limit", 3), "id"));
        assertEquals(List.of(MAX_U64, TWO_63), field(scan("U", "index", "num", "order", "desc", "limit", 2), "id"));
    }

    @Test
    void u64IndexedFieldsAndCompositesFollowUnsignedOrder() {
        call(map("cmd", 0x20, "schema", "V", "fields", List.of(
                map("name", "id", "type", "i64", "primary_key", true),
                map("name", "big", "type", "u64", "indexed", true),
                map("name", "grp", "type", "str")),
                "composite_indexes", List.of(List.of("grp", "big")))).ok();
        List<Object> records = new ArrayList<>();
        Object[] bigs = {MAX_U64, 0L, TWO_63, 7L, null};
        for (int i = 0; i < bigs.length; i++) {
            records.add(map("id", i, "big", bigs[i], "grp", "g"));
        }
        call(map("cmd", 4, "schema", "V", "records", records)).ok();
        assertEquals(List.of(4L, 1L, 3L, 2L, 0L), field(scan("V", "index", "big"), "id"));     // nil first
        assertEquals(List.of(0L, 2L, 3L, 1L, 4L), field(scan("V", "index", "big", "order", "desc"), "id"));
        assertEquals(List.of(3L, 2L), field(scan("V", "index", "big", "range", map("start", 1, "end", TWO_63)), "id"));
        assertEquals(List.of(1L, 3L), field(scan("V", "index", "big", "range", map("end", 7)), "id"));  // no nil
        assertEquals(List.of(2L, 3L), field(scan("V", "index", "V_grp_big", "range",
                map("start", List.of("g", 1), "end", List.of("g", TWO_63)), "order", "desc"), "id"));
        assertEquals(List.of(0L, 2L, 3L, 1L), field(scan("V", "index", "V_grp_big", "range",
                map("start", List.of("g", 0)), "order", "desc"), "id"));
    }

    @Test
    void boundedRangesLeaveNilsOut() {
        call(map("cmd", 0x20, "schema", "N", "fields", List.of(
                map("name", "id", "type", "i64", "primary_key", true),
                map("name", "num", "type", "i64", "indexed", true)))).ok();
        call(map("cmd", 4, "schema", "N", "records", List.of(map("id", 1, "num", 3), map("id", 2),
                map("id", 3, "num", 9), map("id", 4, "num", null)))).ok();
        assertEquals(List.of(1L), field(scan("N", "index", "num", "range", map("end", 5)), "id"));
        assertEquals(List.of(1L), field(scan("N", "index", "num", "range", map("end", 5), "order", "desc"), "id"));
        assertEquals(List.of(3L, 1L), field(scan("N", "index", "num", "range", map("start", -100), "order", "desc"), "id"));
        assertEquals(List.of(2L, 4L, 1L, 3L), field(scan("N", "index", "num"), "id"));           // unbounded: all, nil first
        assertEquals(List.of(3L, 1L, 4L, 2L), field(scan("N", "index", "num", "order", "desc"), "id"));
        // a nil bound, or a nil in a tuple, is refused
        scan("N", "index", "num", "range", map("start", List.of())).fails(1);
        Msg.Resp r = scan("N", "index", "num", "range", map("end", java.util.Arrays.asList((Object) null))).fails(1);
        assertTrue(r.error().contains("nil"), r.error());
    }

    @Test
    void compositePrefixNewestTwenty() {
        call(map("cmd", 0x20, "schema", "Chat", "fields", List.of(
                map("name", "id", "type", "u64", "primary_key", true),
                map("name", "agent_id", "type", "str"),
                map("name", "timestamp", "type", "i64"),
                map("name", "text", "type", "str")),
                "composite_indexes", List.of(List.of("agent_id", "timestamp")))).ok();
        List<Object> records = new ArrayList<>();
        String[] agents = {"claude", "gpt", "claude", "llama", "claudette"};
        for (int i = 1; i <= 200; i++) {
            // timestamps not in key order, so the index (not the key) must decide
            records.add(map("id", i, "agent_id", agents[i % agents.length], "timestamp", 1_000_000L + (i * 37L) % 211,
                    "text", "m" + i));
        }
        records.add(map("id", 201, "agent_id", "claude", "text", "no time"));       // nil timestamp
        call(map("cmd", 4, "schema", "Chat", "records", records)).ok();
        List<long[]> claude = new ArrayList<>();               // {timestamp, id}
        for (int i = 1; i <= 200; i++) {
            if (agents[i % agents.length].equals("claude")) {
                claude.add(new long[] {1_000_000L + (i * 37L) % 211, i});
            }
        }
        claude.sort((a, b) -> a[0] != b[0] ? Long.compare(b[0], a[0]) : Long.compare(b[1], a[1]));
        List<Object> newest = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            newest.add(claude.get(i)[1]);
        }
        // by index name and by its first field
        for (String index : List.of("Chat_agent_id_timestamp", "agent_id")) {
            assertEquals(newest, field(scan("Chat", "index", index, "range", map("start", List.of("claude"),
                    "end", List.of("claude")), "order", "desc", "limit", 20), "id"));
        }
        // compact form, scalar prefix
        assertEquals(newest, field(call(List.of(2, "Chat", map("index", "Chat_agent_id_timestamp",
                "range", map("start", "claude", "end", "claude"), "order", "desc", "limit", 20))), "id"));
        // a time window of one agent, ascending; nil timestamps are outside any window
        long t0 = 1_000_050;
        long t1 = 1_000_120;
        List<Object> window = new ArrayList<>();
        for (long[] c : claude.reversed()) {
            if (c[0] >= t0 && c[0] < t1) {
                window.add(c[1]);
            }
        }
        assertTrue(window.size() > 5);
        assertEquals(window, field(scan("Chat", "index", "Chat_agent_id_timestamp", "range",
                map("start", List.of("claude", t0), "end", List.of("claude", t1), "end_inclusive", false)), "id"));
        // all of claude's, nil timestamp first; the prefix does not reach "claudette"
        List<Object> ids = field(scan("Chat", "index", "Chat_agent_id_timestamp", "range",
                map("start", List.of("claude"), "end", List.of("claude"))), "id");
        assertEquals(claude.size() + 1, ids.size());
        assertEquals(201L, ids.get(0));
        // errors: too many fields, a value of the wrong type, a negative u64
        scan("Chat", "index", "Chat_agent_id_timestamp", "range", map("start", List.of("claude", 1, 2))).fails(1);
        scan("Chat", "index", "Chat_agent_id_timestamp", "range", map("start", List.of("claude", "x"))).fails(1);
        scan("Chat", "range", map("start", List.of(1, 2))).fails(1);
        Msg.Resp r = scan("Chat", "range", map("start", -1)).fails(1);
        assertTrue(r.error().contains("u64"), r.error());
    }
}
