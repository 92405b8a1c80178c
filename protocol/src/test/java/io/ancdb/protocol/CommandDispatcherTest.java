package io.ancdb.protocol;

import io.ancdb.Database;
import io.ancdb.DatabaseOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static io.ancdb.protocol.Msg.map;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every command through the in-process dispatcher, with its error cases. */
class CommandDispatcherTest {
    @TempDir
    Path dir;
    Path file;
    Database db;
    CommandDispatcher d;
    ExecutorService other;

    static final List<Object> CACHE_FIELDS = List.of(
            map("name", "k", "type", "str", "primary_key", true),
            map("name", "v", "type", "bytes"),
            map("name", "hits", "type", "i64", "indexed", true));

    static final List<Object> ALL_TYPES = List.of(
            map("name", "id", "type", "u64", "primary_key", true),
            map("name", "i", "type", "i64", "indexed", true),
            map("name", "f", "type", "f64"),
            map("name", "b", "type", "bool"),
            map("name", "s", "type", "str", "indexed", true),
            map("name", "z", "type", "str", "compressed", true),
            map("name", "raw", "type", "bytes"),
            map("name", "vec", "type", "f32vec"),
            map("name", "q", "type", "i8vec"),
            map("name", "tags", "type", "strlist", "indexed", true));

    @BeforeEach
    void open() {
        file = dir.resolve("t.db");
        db = Database.open(file, DatabaseOptions.defaults().withSynchronous(DatabaseOptions.Synchronous.OFF));
        d = new CommandDispatcher(db, Limits.defaults().withLockTimeout(Duration.ofMillis(300)), null);
        other = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void close() {
        other.shutdownNow();
        d.close();
        db.close();
    }

    Msg.Resp call(Object request) {
        return Msg.resp(d.handle(Msg.pack(request)));
    }

    Msg.Resp call(Session s, Object request) {
        return Msg.resp(s.handle(Msg.pack(request)));
    }

    Msg.Resp onOtherThread(Session s, Object request) throws Exception {
        return other.submit(() -> call(s, request)).get();
    }

    long define(String name, List<Object> fields) {
        return (Long) call(map("cmd", 0x20, "schema", name, "fields", fields)).ok().data();
    }

    // --- schemas ------------------------------------------------------------------------------

    @Test
    void defineSchemaIsIdempotentAndRefusesADifferentDefinition() {
        long id = define("Cache", CACHE_FIELDS);
        assertTrue(id > 0);
        assertEquals(id, define("Cache", CACHE_FIELDS));
        long other = define("Other", List.of(map("name", "x", "type", "i64")));
        assertNotEquals(id, other);
        // a different definition under the same name: status 1 naming both
        Msg.Resp r = call(map("cmd", 0x20, "schema", "Cache", "fields",
                List.of(map("name", "k", "type", "str", "primary_key", true), map("name", "n", "type", "f64"))))
                .fails(1);
        assertTrue(r.error().contains("hits i64 indexed") && r.error().contains("n f64"), r.error());
        // a new dispatcher over the same file (cold cache) gives the same id and the same refusal
        try (CommandDispatcher d2 = new CommandDispatcher(db)) {
            assertEquals(id, Msg.resp(d2.handle(Msg.pack(map("cmd", 0x20, "schema", "Cache", "fields", CACHE_FIELDS))))
                    .ok().data());
            Msg.resp(d2.handle(Msg.pack(map("cmd", 0x20, "schema", "Cache", "fields",
                    List.of(map("name", "k", "type", "str", "primary_key", true)))))).fails(1);
        }
        // malformed definitions
        call(map("cmd", 0x20, "schema", "Bad", "fields", List.of(map("name", "x", "type", "float")))).fails(1);
        call(map("cmd", 0x20, "schema", "Bad", "fields", List.of())).fails(1);
        call(map("cmd", 0x20, "schema", "Bad")).fails(1);
        call(map("cmd", 0x20, "schema", 5, "fields", CACHE_FIELDS)).fails(1);
        call(map("cmd", 0x20, "schema", "Bad", "fields", List.of(map("name", "v", "type", "f32vec", "indexed", true))))
                .fails(1);
        call(map("cmd", 0x20, "schema", "Bad", "fields", List.of(map("name", "a", "type", "i64")),
                "composite_indexes", List.of(List.of("a", "nope")))).fails(1);
        call(map("cmd", 0x20, "schema", "Bad", "fields", List.of("x"))).fails(1);
        call(map("cmd", 0x20, "schema", "sqlite_x", "fields", List.of(map("name", "a", "type", "i64")))).fails(1);
        call(map("cmd", 0x21)).ok();
        assertEquals(2, call(map("cmd", 0x21)).list().size(), "refused definitions leave nothing behind");
    }

    @Test
    void listSchemasAndStats() {
        long a = define("Cache", CACHE_FIELDS);
        long b = define("Pair", List.of(map("name", "x", "type", "i64"), map("name", "y", "type", "str")));
        call(map("cmd", 0x20, "schema", "Comp", "fields", List.of(map("name", "a", "type", "i64"),
                map("name", "b", "type", "str")), "composite_indexes", List.of(List.of("a", "b")))).ok();
        List<Object> l = call(map("cmd", 0x21)).ok().list();
        assertEquals(3, l.size());
        assertEquals(map("id", a, "name", "Cache", "fields", List.of(
                map("name", "k", "type", "str", "primary_key", true, "indexed", false, "compressed", false),
                map("name", "v", "type", "bytes", "primary_key", false, "indexed", false, "compressed", false),
                map("name", "hits", "type", "i64", "primary_key", false, "indexed", true, "compressed", false)),
                "composite_indexes", List.of()), l.get(0));
        // no primary key given: the implicit u64 "id" comes first
        assertEquals(map("id", b, "name", "Pair", "fields", List.of(
                map("name", "id", "type", "u64", "primary_key", true, "indexed", false, "compressed", false),
                map("name", "x", "type", "i64", "primary_key", false, "indexed", false, "compressed", false),
                map("name", "y", "type", "str", "primary_key", false, "indexed", false, "compressed", false)),
                "composite_indexes", List.of()), l.get(1));
        assertEquals(List.of(List.of("a", "b")), ((Map<?, ?>) l.get(2)).get("composite_indexes"));

        call(map("cmd", 3, "schema", "Cache", "record", map("k", "a", "hits", 1))).ok();
        call(map("cmd", 1, "schema", "Cache", "key", "a")).ok();
        call(map("cmd", 1, "schema", "Cache", "key", "nope")).fails(3);
        Map<?, ?> s = (Map<?, ?>) call(map("cmd", 0x22)).ok().data();
        assertEquals(List.of("requests", "errors", "rows", "open_transactions", "file_size", "schemas", "commits",
                "transactions"), new ArrayList<>(s.keySet()));
        // the database's figures since it was opened; one writer thread: every write committed alone
        assertEquals(db.commitStats().commits(), s.get("commits"));
        assertEquals(s.get("commits"), s.get("transactions"));
        assertTrue((Long) s.get("commits") >= 4, "three definitions and a write committed: " + s);
        assertEquals(8L, s.get("requests"));     // this Stats included
        assertEquals(1L, s.get("errors"));
        assertEquals(2L, s.get("rows"));         // one written, one read
        assertEquals(0L, s.get("open_transactions"));
        assertEquals(3L, s.get("schemas"));
        assertEquals(file.toFile().length(), s.get("file_size"));
        Session x = d.openSession();
        call(x, map("cmd", 0x10)).ok();
        assertEquals(1L, ((Map<?, ?>) call(map("cmd", 0x22)).ok().data()).get("open_transactions"));
        assertEquals(1, d.stats().openTransactions());
        x.close();
        assertEquals(0, d.stats().openTransactions());
        assertEquals(10, d.stats().requests());
    }

    // --- reads and writes ---------------------------------------------------------------------

    @Test
    void writeReadBothFormsByNameAndId() {
        long id = define("Cache", CACHE_FIELDS);
        Msg.Resp w = call(map("cmd", 3, "schema", "Cache", "record", map("k", "a", "v", new byte[] {1, 2}, "hits", 7)))
                .ok();
        assertEquals("a", w.data());
        assertEquals(1, w.rowsAffected());
        // compact form, schema by id
        assertEquals("b", call(List.of(3, id, map("record", map("k", "b", "hits", 8)))).ok().data());
        Map<String, Object> a = call(List.of(1, "Cache", map("key", "a"))).ok().record();
        assertEquals(List.of("k", "v", "hits"), new ArrayList<>(a.keySet()));
        assertArrayEquals(new byte[] {1, 2}, (byte[]) a.get("v"));
        assertEquals(7L, a.get("hits"));
        Map<String, Object> b = call(map("cmd", 1, "schema", id, "key", "b")).ok().record();
        assertNull(b.get("v"));
        assertEquals(8L, b.get("hits"));
        // the schema name is case-insensitive, as SQLite's names are
        assertEquals(7L, call(map("cmd", 1, "schema", "cache", "key", "a")).ok().record().get("hits"));
        // compact forms without payload
        assertEquals(1, ((List<?>) call(List.of(0x21)).ok().data()).size());
        call(List.of(0x22, "ignored")).ok();
        call(List.of(0x21, Msg.map(), Msg.map())).fails(1);    // schema must be a name or id

        // errors: unknown schema (by name and id), missing key, wrong key type, missing parts
        call(map("cmd", 1, "schema", "Nope", "key", "a")).fails(2);
        call(map("cmd", 1, "schema", 999, "key", "a")).fails(2);
        call(List.of(1, 999, map("key", "a"))).fails(2);
        assertTrue(call(map("cmd", 1, "schema", "Cache", "key", "zz")).fails(3).error().contains("zz"));
        call(map("cmd", 1, "schema", "Cache", "key", 5)).fails(1);
        call(map("cmd", 1, "schema", "Cache")).fails(1);
        call(map("cmd", 1, "key", "a")).fails(1);
        call(map("cmd", 3, "schema", "Cache")).fails(1);
        call(map("cmd", 3, "schema", "Cache", "record", map("k", "c", "nope", 1))).fails(1);
        call(map("cmd", 3, "schema", "Cache", "record", map("k", "c", "hits", "many"))).fails(1);
        call(map("cmd", 3, "schema", "Cache", "record", map("hits", 1))).fails(1);   // a str key is not generated
        call(map("cmd", 3, "schema", "Cache", "record", map("k", "c"), "options", map("on_conflict", "merge")))
                .fails(1);
        call(map("schema", "Cache", "key", "a")).fails(1);
        call(map("cmd", 0x7f)).fails(1);

        // duplicates: fail (default) → 4; ignore keeps the row; replace replaces it
        call(map("cmd", 3, "schema", "Cache", "record", map("k", "a", "hits", 99))).fails(4);
        call(map("cmd", 3, "schema", "Cache", "record", map("k", "a", "hits", 99), "options",
                map("on_conflict", "fail"))).fails(4);
        Msg.Resp ign = call(map("cmd", 3, "schema", "Cache", "record", map("k", "a", "hits", 99),
                "options", map("on_conflict", "ignore"))).ok();
        assertEquals("a", ign.data());
        assertEquals(0, ign.rowsAffected());
        assertEquals(7L, call(map("cmd", 1, "schema", "Cache", "key", "a")).ok().record().get("hits"));
        Msg.Resp rep = call(map("cmd", 3, "schema", "Cache", "record", map("k", "a", "hits", 99),
                "options", map("on_conflict", "replace"))).ok();
        assertEquals(1, rep.rowsAffected());
        Map<String, Object> now = call(map("cmd", 1, "schema", "Cache", "key", "a")).ok().record();
        assertEquals(99L, now.get("hits"));
        assertNull(now.get("v"), "replace writes the whole record");
        assertEquals("", db.integrityCheck());
    }

    @Test
    void everyFieldTypeOnTheWire() {
        define("T", ALL_TYPES);
        BigInteger big = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.valueOf(3));   // 2^64 - 3
        float[] vec = {1.5f, -2.25f, 0f, Float.MAX_VALUE};
        Map<String, Object> rec = map("id", big, "i", -5L, "f", 2.5, "b", true, "s", "héllo",
                "z", "long text ".repeat(50), "raw", new byte[] {0, (byte) 0xff}, "vec", vec,
                "q", List.of(0.0, 0.5, 1.0), "tags", List.of("x", "y"));
        assertEquals(big, call(map("cmd", 3, "schema", "T", "record", rec)).ok().data());
        Map<String, Object> got = call(map("cmd", 1, "schema", "T", "key", big)).ok().record();
        assertEquals(big, got.get("id"), "u64 above 2^63 comes back as an unsigned uint64");
        assertEquals(-5L, got.get("i"));
        assertEquals(2.5, got.get("f"));
        assertEquals(true, got.get("b"));
        assertEquals("héllo", got.get("s"));
        assertEquals("long text ".repeat(50), got.get("z"));
        assertArrayEquals(new byte[] {0, (byte) 0xff}, (byte[]) got.get("raw"));
        assertEquals(List.of(1.5f, -2.25f, 0f, Float.MAX_VALUE), got.get("vec"), "f32vec as float32 numbers");
        List<?> q = (List<?>) got.get("q");
        assertEquals(3, q.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(i * 0.5, ((Float) q.get(i)).doubleValue(), 0.5 / 255 + 1e-6);
        }
        assertEquals(List.of("x", "y"), got.get("tags"));
        // vectors also from float64 and integers; nil fields read back as nil
        call(map("cmd", 3, "schema", "T", "record", map("id", 7, "vec", List.of(1, 2.0, -3)))).ok();
        Map<String, Object> seven = call(map("cmd", 1, "schema", "T", "key", 7)).ok().record();
        assertEquals(List.of(1f, 2f, -3f), seven.get("vec"));
        assertNull(seven.get("s"));
        assertEquals(10, seven.size());
        // a u64 key given as 0 is generated
        Object gen = call(map("cmd", 3, "schema", "T", "record", map("id", 0, "i", 1))).ok().data();
        assertTrue(((Long) gen) > 0);
        // wrong element types are refused
        call(map("cmd", 3, "schema", "T", "record", map("id", 8, "vec", List.of(1, "x")))).fails(1);
        call(map("cmd", 3, "schema", "T", "record", map("id", 8, "vec", List.of(1e300)))).fails(1);
        call(map("cmd", 3, "schema", "T", "record", map("id", 8, "tags", List.of("a", 1)))).fails(1);
        call(map("cmd", 3, "schema", "T", "record", map("id", 8, "b", 2))).fails(1);
        call(map("cmd", 3, "schema", "T", "record", map("id", 8, "i", big))).fails(1);
        call(map("cmd", 3, "schema", "T", "record", map("id", -1))).fails(1);
        call(map("cmd", 3, "schema", "T", "record", map("id", 8, "q", List.of(Double.NaN)))).fails(1);
        // the same with a cold schema cache (record decoded before the schema is known)
        try (CommandDispatcher d2 = new CommandDispatcher(db)) {
            Map<String, Object> req = map("record", map("id", 9, "vec", List.of(1, 2.5)), "cmd", 3, "schema", "T");
            assertEquals(9L, Msg.resp(d2.handle(Msg.pack(req))).ok().data());
            Msg.resp(d2.handle(Msg.pack(map("record", map("id", 10, "tags", List.of(1)), "cmd", 3, "schema", "T"))))
                    .fails(1);
        }
        assertEquals(List.of(1f, 2.5f), call(map("cmd", 1, "schema", "T", "key", 9)).ok().record().get("vec"));
    }

    @Test
    void rangeScans() {
        define("T", ALL_TYPES);
        List<Object> records = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            records.add(map("id", i, "i", 100 - i, "s", "s" + (char) ('a' + i),
                    "tags", i % 2 == 0 ? List.of("even", "all") : List.of("odd", "all")));
        }
        assertEquals(20, call(map("cmd", 4, "schema", "T", "records", records)).ok().rowsAffected());
        // primary key: everything ascending, then a window descending with a limit
        assertEquals(20, call(map("cmd", 2, "schema", "T")).ok().list().size());
        assertEquals(List.of(15L, 14L, 13L), ids(call(map("cmd", 2, "schema", "T", "range", map("start", 5, "end", 15),
                "order", "desc", "limit", 3))));
        assertEquals(List.of(6L, 7L, 8L, 9L), ids(call(map("cmd", 2, "schema", "T", "range",
                map("start", 5, "end", 10, "start_inclusive", false, "end_inclusive", false)))));
        assertEquals(List.of(18L, 19L, 20L), ids(call(map("cmd", 2, "schema", "T", "range", map("start", 18)))));
        assertEquals(List.of(1L, 2L), ids(call(map("cmd", 2, "schema", "T", "range", map("end", 2)))));
        assertEquals(List.of(), ids(call(map("cmd", 2, "schema", "T", "range", map("start", 30)))));
        // the compact form
        assertEquals(List.of(1L, 2L), ids(call(List.of(2, "T", map("limit", 2)))));
        // a secondary index by field name and by index name; the primary key by its name
        assertEquals(List.of(20L, 19L), ids(call(map("cmd", 2, "schema", "T", "index", "i", "limit", 2))));
        assertEquals(List.of(11L, 10L), ids(call(map("cmd", 2, "schema", "T", "index", "T_i",
                "range", map("start", 89, "end", 90)))));
        assertEquals(List.of(20L), ids(call(map("cmd", 2, "schema", "T", "index", "id", "order", "desc", "limit", 1))));
        // a tag index: one entry per tag
        assertEquals(10, call(map("cmd", 2, "schema", "T", "index", "tags",
                "range", map("start", "even", "end", "even"))).ok().list().size());
        assertEquals(20, call(map("cmd", 2, "schema", "T", "index", "tags",
                "range", map("start", "all", "end", "all"))).ok().list().size());
        assertEquals(0, call(map("cmd", 2, "schema", "T")).rowsAffected());
        // errors
        call(map("cmd", 2, "schema", "T", "index", "nope")).fails(1);
        call(map("cmd", 2, "schema", "T", "index", "vec")).fails(1);
        call(map("cmd", 2, "schema", "T", "order", "sideways")).fails(1);
        call(map("cmd", 2, "schema", "T", "limit", -1)).fails(1);
        call(map("cmd", 2, "schema", "T", "limit", "3")).fails(1);
        call(map("cmd", 2, "schema", "T", "range", map("start", "x"))).fails(1);
        call(map("cmd", 2, "schema", "T", "range", List.of(1, 2))).fails(1);
        call(map("cmd", 2, "schema", "Nope")).fails(2);
    }

    @Test
    void aResponseLargerThanTheMessageLimitIsRefused() {
        try (CommandDispatcher small = new CommandDispatcher(db, Limits.defaults().withMaxMessageBytes(4096), null)) {
            Msg.resp(small.handle(Msg.pack(map("cmd", 0x20, "schema", "Cache", "fields", CACHE_FIELDS)))).ok();
            List<Object> records = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                records.add(map("k", "key" + i, "v", new byte[100]));
            }
            Msg.resp(small.handle(Msg.pack(map("cmd", 4, "schema", "Cache", "records", records)))).fails(7);
            Msg.resp(small.handle(Msg.pack(map("cmd", 4, "schema", "Cache", "records", records.subList(0, 30)))))
                    .ok();
            Msg.resp(small.handle(Msg.pack(map("cmd", 4, "schema", "Cache", "records", records.subList(30, 60)))))
                    .ok();
            assertTrue(Msg.resp(small.handle(Msg.pack(map("cmd", 2, "schema", "Cache")))).fails(7).error()
                    .contains("limit"));
            assertEquals(10, Msg.resp(small.handle(Msg.pack(map("cmd", 2, "schema", "Cache", "limit", 10)))).ok()
                    .list().size());
        }
    }

    @Test
    void batchWrites() {
        define("Cache", CACHE_FIELDS);
        List<Object> records = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            records.add(map("k", "key" + (999 - i), "hits", i));
        }
        Msg.Resp r = call(map("cmd", 4, "schema", "Cache", "records", records)).ok();
        assertEquals(1000, r.rowsAffected());
        assertEquals("key999", r.list().get(0), "keys come back in the order given");
        assertEquals("key0", r.list().get(999));
        // 1001 records: LimitExceeded, nothing written
        List<Object> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(map("k", "new" + i, "hits", i));
        }
        call(map("cmd", 4, "schema", "Cache", "records", tooMany)).fails(7);
        call(map("cmd", 1, "schema", "Cache", "key", "new0")).fails(3);
        // a duplicate fails the whole batch (atomic)
        call(map("cmd", 4, "schema", "Cache", "records", List.of(map("k", "n1", "hits", 1), map("k", "key5", "hits", 1))))
                .fails(4);
        call(map("cmd", 1, "schema", "Cache", "key", "n1")).fails(3);
        // ignore: existing keys and repeats within the batch are skipped and not counted
        Msg.Resp ig = call(map("cmd", 4, "schema", "Cache", "options", map("on_conflict", "ignore"), "records",
                List.of(map("k", "n1", "hits", 1), map("k", "key5", "hits", -1), map("k", "n1", "hits", 2),
                        map("k", "n2", "hits", 3)))).ok();
        assertEquals(List.of("n1", "key5", "n1", "n2"), ig.data());
        assertEquals(2, ig.rowsAffected());
        assertEquals(994L, call(map("cmd", 1, "schema", "Cache", "key", "key5")).ok().record().get("hits"));
        Msg.Resp rep = call(map("cmd", 4, "schema", "Cache", "options", map("on_conflict", "replace"), "records",
                List.of(map("k", "key5", "hits", -1)))).ok();
        assertEquals(1, rep.rowsAffected());
        assertEquals(-1L, call(map("cmd", 1, "schema", "Cache", "key", "key5")).ok().record().get("hits"));
        call(map("cmd", 4, "schema", "Cache")).fails(1);
        call(map("cmd", 4, "schema", "Cache", "records", map("k", "x"))).fails(1);
        call(map("cmd", 4, "schema", "Cache", "records", List.of(1, 2))).fails(1);
        assertEquals(0, call(map("cmd", 4, "schema", "Cache", "records", List.of())).ok().rowsAffected());
        assertEquals(1002, call(map("cmd", 2, "schema", "Cache")).ok().list().size());
        assertEquals("", db.integrityCheck());
    }

    @Test
    void updatesAndDeletes() {
        define("Cache", CACHE_FIELDS);
        call(map("cmd", 3, "schema", "Cache", "record", map("k", "a", "v", new byte[] {1}, "hits", 1))).ok();
        Msg.Resp u = call(map("cmd", 5, "schema", "Cache", "key", "a", "delta", map("hits", 2))).ok();
        assertEquals(1, u.rowsAffected());
        assertEquals(2L, u.record().get("hits"));
        assertArrayEquals(new byte[] {1}, (byte[]) u.record().get("v"), "fields not in the delta are kept");
        assertEquals(List.of("a"), ids(call(map("cmd", 2, "schema", "Cache", "index", "hits",
                "range", map("start", 2, "end", 2))), "k"));
        call(map("cmd", 5, "schema", "Cache", "key", "zz", "delta", map("hits", 2))).fails(3);
        call(map("cmd", 5, "schema", "Cache", "key", "a", "delta", map("nope", 2))).fails(1);
        call(map("cmd", 5, "schema", "Cache", "key", "a", "delta", map("k", "b"))).fails(1);
        call(map("cmd", 5, "schema", "Cache", "key", "a")).fails(1);
        call(map("cmd", 5, "schema", "Cache", "delta", map("hits", 3))).fails(1);
        assertEquals(2L, call(map("cmd", 5, "schema", "Cache", "key", "a", "delta", map())).ok().record().get("hits"));

        Msg.Resp del = call(map("cmd", 6, "schema", "Cache", "key", "a")).ok();
        assertEquals(1L, del.data());
        assertEquals(1, del.rowsAffected());
        Msg.Resp again = call(map("cmd", 6, "schema", "Cache", "key", "a")).ok();
        assertEquals(0L, again.data());
        assertEquals(0, again.rowsAffected());
        call(map("cmd", 6, "schema", "Cache")).fails(1);
        call(map("cmd", 6, "schema", "Nope", "key", "a")).fails(2);
        call(map("cmd", 1, "schema", "Cache", "key", "a")).fails(3);
        assertEquals("", db.integrityCheck());
    }

    // --- transactions --------------------------------------------------------------------------

    @Test
    void transactionsBelongToTheSession() throws Exception {
        d.close();                            // DELETE journal: there a reader waits for the writer (WAL: see below)
        db.close();
        db = Database.open(dir.resolve("delete.db"), DatabaseOptions.defaults()
                .withJournalMode(DatabaseOptions.JournalMode.DELETE).withSynchronous(DatabaseOptions.Synchronous.OFF));
        d = new CommandDispatcher(db, Limits.defaults().withLockTimeout(Duration.ofMillis(300)), null);
        define("Cache", CACHE_FIELDS);
        call(map("cmd", 0x11)).fails(1);      // commit without a transaction
        call(map("cmd", 0x12)).fails(1);      // rollback without a transaction
        Session s = d.openSession();
        call(s, map("cmd", 0x10)).ok();
        call(s, map("cmd", 0x10)).fails(1);   // BeginTx twice
        call(s, map("cmd", 3, "schema", "Cache", "record", map("k", "a", "hits", 1))).ok();
        // the session reads its own writes...
        assertEquals(1L, call(s, map("cmd", 1, "schema", "Cache", "key", "a")).ok().record().get("hits"));
        // ...another session (on another thread) waits for the lock, in vain: TransactionConflict
        Session t = d.openSession();
        onOtherThread(t, map("cmd", 1, "schema", "Cache", "key", "a")).fails(5);
        onOtherThread(t, map("cmd", 3, "schema", "Cache", "record", map("k", "b"))).fails(5);
        onOtherThread(t, map("cmd", 0x10)).fails(5);
        // the session's own transaction cannot be driven from another thread
        assertTrue(onOtherThread(s, map("cmd", 1, "schema", "Cache", "key", "a")).fails(1).error().contains("thread"));
        onOtherThread(s, map("cmd", 0x11)).fails(1);
        assertEquals(1L, ((Map<?, ?>) onOtherThread(s, map("cmd", 0x22)).ok().data()).get("open_transactions"));
        // a failed command inside the transaction leaves no trace, the transaction goes on
        call(s, map("cmd", 4, "schema", "Cache", "records", List.of(map("k", "b"), map("k", "a")))).fails(4);
        call(s, map("cmd", 1, "schema", "Cache", "key", "b")).fails(3);
        call(s, map("cmd", 5, "schema", "Cache", "key", "a", "delta", map("hits", 2))).ok();
        call(s, map("cmd", 0x11)).ok();
        assertFalse(s.inTransaction());
        assertEquals(2L, onOtherThread(t, map("cmd", 1, "schema", "Cache", "key", "a")).ok().record().get("hits"));

        // rollback leaves no trace
        call(s, map("cmd", 0x10)).ok();
        call(s, map("cmd", 3, "schema", "Cache", "record", map("k", "c", "hits", 3))).ok();
        call(s, map("cmd", 6, "schema", "Cache", "key", "a")).ok();
        call(s, map("cmd", 0x20, "schema", "Later", "fields", List.of(map("name", "x", "type", "i64")))).ok();
        call(s, map("cmd", 3, "schema", "Later", "record", map("x", 1))).ok();
        assertEquals(1, call(s, map("cmd", 2, "schema", "Later")).ok().list().size());
        call(s, map("cmd", 0x12)).ok();
        call(s, map("cmd", 0x12)).fails(1);
        call(map("cmd", 1, "schema", "Cache", "key", "c")).fails(3);
        call(map("cmd", 1, "schema", "Cache", "key", "a")).ok();
        call(map("cmd", 2, "schema", "Later")).fails(2);
        assertEquals(1, call(map("cmd", 0x21)).ok().list().size());

        // closing a session rolls back its transaction
        call(s, map("cmd", 0x10)).ok();
        call(s, map("cmd", 3, "schema", "Cache", "record", map("k", "d", "hits", 4))).ok();
        s.close();
        assertEquals(0, d.stats().openTransactions());
        call(s, map("cmd", 0x22)).fails(1);   // a closed session answers, but refuses
        call(map("cmd", 1, "schema", "Cache", "key", "d")).fails(3);
        // a schema defined and used inside a committed transaction
        call(t, map("cmd", 0x10)).ok();
        long id = (Long) call(t, map("cmd", 0x20, "schema", "Inner", "fields",
                List.of(map("name", "x", "type", "i64")))).ok().data();
        Object k = call(t, map("cmd", 3, "schema", id, "record", map("x", 5))).ok().data();
        call(t, map("cmd", 0x11)).ok();
        assertEquals(5L, call(map("cmd", 1, "schema", "Inner", "key", k)).ok().record().get("x"));
        t.close();
        assertEquals("", db.integrityCheck());
    }

    @Test
    void twoSessionsOnOneThreadDoNotDeadlock() {
        define("Cache", CACHE_FIELDS);
        Session a = d.openSession();
        Session b = d.openSession();
        call(a, map("cmd", 0x10)).ok();
        call(b, map("cmd", 1, "schema", "Cache", "key", "x")).fails(5);
        call(b, map("cmd", 3, "schema", "Cache", "record", map("k", "x"))).fails(5);
        call(b, map("cmd", 0x10)).fails(5);
        call(a, map("cmd", 0x12)).ok();
        call(b, map("cmd", 3, "schema", "Cache", "record", map("k", "x"))).ok();
        a.close();
        b.close();
    }

    @Test
    void walReadsDoNotWaitForTheWriter() throws Exception {
        d.close();
        db.close();
        db = Database.open(dir.resolve("wal.db"), DatabaseOptions.defaults()
                .withJournalMode(DatabaseOptions.JournalMode.WAL).withSynchronous(DatabaseOptions.Synchronous.OFF));
        d = new CommandDispatcher(db, Limits.defaults().withLockTimeout(Duration.ofMillis(300)), null);
        define("Cache", CACHE_FIELDS);
        call(map("cmd", 3, "schema", "Cache", "record", map("k", "a", "hits", 1))).ok();
        Session w = d.openSession();
        call(w, map("cmd", 0x10)).ok();
        call(w, map("cmd", 5, "schema", "Cache", "key", "a", "delta", map("hits", 2))).ok();
        Session r = d.openSession();
        // the reader sees the last committed state, without waiting
        assertEquals(1L, onOtherThread(r, map("cmd", 1, "schema", "Cache", "key", "a")).ok().record().get("hits"));
        assertEquals(1, onOtherThread(r, map("cmd", 2, "schema", "Cache")).ok().list().size());
        onOtherThread(r, map("cmd", 3, "schema", "Cache", "record", map("k", "b"))).fails(5);   // writers still wait
        call(w, map("cmd", 0x11)).ok();
        assertEquals(2L, onOtherThread(r, map("cmd", 1, "schema", "Cache", "key", "a")).ok().record().get("hits"));
        w.close();
        r.close();
    }

    // --- authentication ---------------------------------------------------------------------------

    @Test
    void authentication() {
        try (CommandDispatcher secured = new CommandDispatcher(db, Limits.defaults(), "s3cret")) {
            // a first request other than Auth: 6, and the connection must close
            Session s = secured.openSession();
            assertFalse(s.closeRequested());
            Msg.resp(s.handle(Msg.pack(map("cmd", 0x22)))).fails(6);
            assertTrue(s.closeRequested());
            Msg.resp(s.handle(Msg.pack(map("cmd", 0x30, "token", "s3cret")))).fails(6);   // too late
            // garbage first: the same
            Session g = secured.openSession();
            Msg.resp(g.handle(new byte[] {(byte) 0xc1})).fails(6);
            assertTrue(g.closeRequested());
            // a wrong token: 6 and close
            Session w = secured.openSession();
            Msg.resp(w.handle(Msg.pack(map("cmd", 0x30, "token", "s3cre")))).fails(6);
            assertTrue(w.closeRequested());
            Session n = secured.openSession();
            Msg.resp(n.handle(Msg.pack(map("cmd", 0x30)))).fails(6);
            assertTrue(n.closeRequested());
            // the right token (str or bin), then commands work
            Session ok = secured.openSession();
            assertNull(Msg.resp(ok.handle(Msg.pack(map("cmd", 0x30, "token", "s3cret")))).ok().data());
            assertFalse(ok.closeRequested());
            Msg.resp(ok.handle(Msg.pack(map("cmd", 0x20, "schema", "Cache", "fields", CACHE_FIELDS)))).ok();
            Msg.resp(ok.handle(Msg.pack(map("cmd", 1, "schema", "Cache", "key", "x")))).fails(3);
            assertFalse(ok.closeRequested(), "ordinary errors do not close an authenticated session");
            Session bin = secured.openSession();
            Msg.resp(bin.handle(Msg.pack(List.of(0x30, Msg.map(), Msg.map())))).fails(6);
            Session bin2 = secured.openSession();
            Msg.resp(bin2.handle(Msg.pack(java.util.Arrays.asList(0x30, null, map("token", "s3cret".getBytes())))))
                    .ok();
            Msg.resp(bin2.handle(Msg.pack(List.of(0x22)))).ok();
            Session bin3 = secured.openSession();
            Msg.resp(bin3.handle(Msg.pack(List.of(0x30, map(), map("token", "s3cret".getBytes()))))).fails(6);
            Session bin4 = secured.openSession();
            Msg.resp(bin4.handle(Msg.pack(map("cmd", 0x30, "token", "s3cret".getBytes())))).ok();
            // a wrong token later still closes
            Msg.resp(ok.handle(Msg.pack(map("cmd", 0x30, "token", "nope")))).fails(6);
            assertTrue(ok.closeRequested());
            // the in-process default session follows the same rule
            Msg.resp(secured.handle(Msg.pack(map("cmd", 0x22)))).fails(6);
        }
        // without a token, Auth is accepted and not needed
        assertNull(call(map("cmd", 0x30, "token", "anything")).ok().data());
        call(map("cmd", 0x22)).ok();
    }

    @Test
    void byteBufferForms() {
        define("Cache", CACHE_FIELDS);
        byte[] req = Msg.pack(map("cmd", 3, "schema", "Cache", "record", map("k", "a", "hits", 1)));
        ByteBuffer heap = ByteBuffer.allocate(req.length + 10);
        heap.position(3);
        heap.put(req);
        heap.flip();
        heap.position(3);
        ByteBuffer out = d.handle(heap);
        assertEquals(heap.limit(), heap.position(), "the request is consumed");
        byte[] resp = new byte[out.remaining()];
        out.get(resp);
        assertEquals("a", Msg.resp(resp).ok().data());
        byte[] read = Msg.pack(map("cmd", 1, "schema", "Cache", "key", "a"));
        ByteBuffer direct = ByteBuffer.allocateDirect(read.length);
        direct.put(read).flip();
        ByteBuffer r2 = d.handle(direct);
        byte[] resp2 = new byte[r2.remaining()];
        r2.get(resp2);
        assertEquals(1L, Msg.resp(resp2).ok().record().get("hits"));
        // a truncated direct buffer
        ByteBuffer cut = ByteBuffer.allocateDirect(read.length - 2);
        cut.put(read, 0, read.length - 2).flip();
        ByteBuffer r3 = d.handle(cut);
        byte[] resp3 = new byte[r3.remaining()];
        r3.get(resp3);
        Msg.resp(resp3).fails(1);
        // offsets into arrays
        Session s = d.openSession();
        byte[] padded = new byte[read.length + 4];
        System.arraycopy(read, 0, padded, 2, read.length);
        assertEquals(1L, Msg.resp(s.handle(padded, 2, read.length)).ok().record().get("hits"));
        Msg.resp(s.handle(padded, 2, read.length + 5)).fails(1);
        Msg.resp(s.handle((byte[]) null)).fails(1);
    }

    @Test
    void aClosedDispatcherRefuses() {
        Session s = d.openSession();
        d.close();
        Msg.Resp r = call(s, map("cmd", 0x22)).fails(108);
        assertTrue(s.closeRequested());
        assertInstanceOf(String.class, r.error());
    }

    @Test
    void concurrentSessionsOnManyThreads() throws Exception {
        define("Cache", CACHE_FIELDS);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CommandDispatcher shared = new CommandDispatcher(db);
        try {
            List<CompletableFuture<Integer>> all = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                all.add(CompletableFuture.supplyAsync(() -> {
                    try (Session s = shared.openSession()) {
                        int ok = 0;
                        for (int i = 0; i < 200; i++) {
                            String k = "t" + thread + "-" + i;
                            ok += Msg.resp(s.handle(Msg.pack(map("cmd", 3, "schema", "Cache", "record",
                                    map("k", k, "hits", i))))).status() == 0 ? 1 : 0;
                            ok += Msg.resp(s.handle(Msg.pack(map("cmd", 1, "schema", "Cache", "key", k)))).status()
                                    == 0 ? 1 : 0;
                        }
                        return ok;
                    }
                }, pool));
            }
            for (CompletableFuture<Integer> f : all) {
                assertEquals(400, f.get());
            }
        } finally {
            pool.shutdownNow();
            shared.close();
        }
        assertEquals(800, call(map("cmd", 2, "schema", "Cache")).ok().list().size());
        assertEquals("", db.integrityCheck());
    }

    static List<Object> ids(Msg.Resp r) {
        return ids(r, "id");
    }

    static List<Object> ids(Msg.Resp r, String field) {
        List<Object> out = new ArrayList<>();
        for (Object o : r.ok().list()) {
            out.add(((Map<?, ?>) o).get(field));
        }
        return out;
    }
}
