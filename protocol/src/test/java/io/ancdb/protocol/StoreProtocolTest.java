package io.ancdb.protocol;

import io.ancdb.Database;
import io.ancdb.DatabaseOptions;
import io.ancdb.store.Store;
import io.ancdb.store.StoreOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.ancdb.protocol.Msg.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * serve --store's protocol: every command names its file ({@code db}),
 * answers carry the file's version ({@code meta.version}), writes and
 * BeginTx may expect a version (status 10 with {@code data.current_version}),
 * a missing file is status 9 on reads, a transaction belongs to one file.
 */
class StoreProtocolTest {
    static final String PAIR = "acme.globex";
    static final List<Object> EVENT = List.of(
            map("name", "id", "type", "u64", "primary_key", true),
            map("name", "ts", "type", "i64", "indexed", true),
            map("name", "kind", "type", "str"));

    @TempDir
    Path dir;
    Store store;
    CommandDispatcher d;

    @BeforeEach
    void open() {
        store = Store.open(dir.resolve("store"), StoreOptions.withFiles(StoreOptions.defaults().fileOptions()
                .withSynchronous(DatabaseOptions.Synchronous.OFF).withBusyTimeout(Duration.ofMillis(300))));
        d = new CommandDispatcher(store, Limits.defaults(), null, null);
        call(map("cmd", 0x20, "schema", "Event", "fields", EVENT)).ok();
    }

    @AfterEach
    void close() {
        d.close();
        store.close();
    }

    Msg.Resp call(Object request) {
        return Msg.resp(d.handle(Msg.pack(request)));
    }

    static Object version(Msg.Resp r) {
        return r.meta().get("version");
    }

    static Map<?, ?> event(long ts, String kind) {
        return map("ts", ts, "kind", kind);
    }

    @Test
    void writesAndReadsCarryTheVersionAndAStaleExpectVersionIsStatus10() {
        Msg.Resp w = call(map("cmd", 0x03, "db", PAIR, "schema", "Event", "record", event(1, "quote"),
                "expect_version", 0)).ok();
        assertEquals(1L, version(w));
        Object key = w.data();
        Msg.Resp r = call(map("cmd", 0x01, "db", PAIR, "schema", "Event", "key", key)).ok();
        assertEquals("quote", r.record().get("kind"));
        assertEquals(1L, version(r));

        Msg.Resp stale = call(map("cmd", 0x03, "db", PAIR, "schema", "Event", "record", event(2, "order"),
                "expect_version", 0));
        assertEquals(10, stale.status(), stale::toString);
        assertEquals(Map.of("current_version", 1L), stale.data());
        assertTrue(stale.error().contains("version 1"), stale.error());

        assertEquals(2L, version(call(map("cmd", 0x04, "db", PAIR, "schema", "Event",
                "records", List.of(event(2, "order"), event(3, "answer")), "expect_version", 1)).ok()));
        assertEquals(3L, version(call(map("cmd", 0x05, "db", PAIR, "schema", "Event", "key", key,
                "delta", map("kind", "requote"))).ok()));
        assertEquals(4L, version(call(map("cmd", 0x06, "db", PAIR, "schema", "Event", "key", key,
                "expect_version", 3)).ok()));
        Msg.Resp scan = call(map("cmd", 0x02, "db", PAIR, "schema", "Event", "index", "ts")).ok();
        assertEquals(2, scan.list().size());
        assertEquals(4L, version(scan));
        // the stock shell opens the file and sees the same rows and the version
        Path file = dir.resolve("store").resolve(PAIR + ".db");
        assertEquals(List.of("2|order", "3|answer"), Msg.sqlite(file, "SELECT ts, kind FROM Event ORDER BY ts;"));
        assertEquals(List.of("4"), Msg.sqlite(file, "PRAGMA user_version;"));
    }

    @Test
    void aMissingFileIsStatus9OnReadsAndNothingIsCreated() {
        call(map("cmd", 0x01, "db", "acme.initech", "schema", "Event", "key", 1)).fails(9);
        call(map("cmd", 0x02, "db", "acme.initech", "schema", "Event")).fails(9);
        call(map("cmd", 0x21, "db", "acme.initech")).fails(9);
        call(map("cmd", 0x24, "db", "acme.initech")).fails(9);
        Msg.Resp missing = call(map("cmd", 0x03, "db", "acme.initech", "schema", "Event", "record", event(1, "q"),
                "expect_version", 5));
        assertEquals(10, missing.status());
        assertEquals(Map.of("current_version", 0L), missing.data());
        assertFalse(Files.exists(dir.resolve("store").resolve("acme.initech.db")));
    }

    @Test
    void aDataCommandWithoutDbIsStatus1AndAnInvalidNameIsRefused() {
        Msg.Resp r = call(map("cmd", 0x01, "schema", "Event", "key", 1)).fails(1);
        assertTrue(r.error().contains("must name its db"), r.error());
        call(map("cmd", 0x03, "schema", "Event", "record", event(1, "q"))).fails(1);
        call(map("cmd", 0x10)).fails(1);
        call(map("cmd", 0x03, "db", "../escape", "schema", "Event", "record", event(1, "q"))).fails(1);
        call(map("cmd", 0x03, "db", 5, "schema", "Event", "record", event(1, "q"))).fails(1);
        call(map("cmd", 0x03, "db", PAIR, "schema", "Event", "record", event(1, "q"), "expect_version", -1)).fails(1);
        assertFalse(Files.exists(dir.resolve("escape.db")));
    }

    @Test
    void aTransactionBelongsToOneFileAndChecksItsVersionAtBeginTx() {
        call(map("cmd", 0x03, "db", PAIR, "schema", "Event", "record", event(1, "quote"))).ok();
        Msg.Resp stale = call(map("cmd", 0x10, "db", PAIR, "expect_version", 0));
        assertEquals(10, stale.status());
        assertEquals(Map.of("current_version", 1L), stale.data());

        assertEquals(2L, version(call(map("cmd", 0x10, "db", PAIR, "expect_version", 1)).ok()));
        assertEquals(2L, version(call(map("cmd", 0x03, "schema", "Event", "record", event(2, "order"))).ok()));
        call(map("cmd", 0x03, "db", PAIR, "schema", "Event", "record", event(3, "answer"))).ok();
        Msg.Resp other = call(map("cmd", 0x03, "db", "acme.initech", "schema", "Event", "record", event(4, "x")))
                .fails(1);
        assertTrue(other.error().contains("acme.globex"), other.error());
        call(map("cmd", 0x03, "schema", "Event", "record", event(5, "x"), "expect_version", 1)).fails(1);
        assertEquals(3, call(map("cmd", 0x02, "schema", "Event")).ok().list().size());
        assertEquals(2L, version(call(map("cmd", 0x11)).ok()));
        Msg.Resp after = call(map("cmd", 0x02, "db", PAIR, "schema", "Event")).ok();
        assertEquals(3, after.list().size());
        assertEquals(2L, version(after));

        // a rolled back transaction takes its version back; store-wide answers inside it carry no version
        call(map("cmd", 0x10, "db", PAIR)).ok();
        call(map("cmd", 0x03, "schema", "Event", "record", event(6, "gone"))).ok();
        assertNull(version(call(map("cmd", 0x22)).ok()));
        assertNull(version(call(map("cmd", 0x23)).ok()));
        assertNull(version(call(map("cmd", 0x12)).ok()));
        assertEquals(2L, version(call(map("cmd", 0x02, "db", PAIR, "schema", "Event")).ok()));
        assertFalse(Files.exists(dir.resolve("store").resolve("acme.initech.db")));
        assertEquals(0L, d.stats().openTransactions());
    }

    @Test
    void schemasOfTheStoreAndOfOneFile() {
        Msg.Resp store = call(map("cmd", 0x21)).ok();
        assertEquals(1, store.list().size());
        assertNull(((Map<?, ?>) store.list().getFirst()).get("id"));
        assertEquals("Event", ((Map<?, ?>) store.list().getFirst()).get("name"));

        List<Object> note = List.of(map("name", "id", "type", "u64", "primary_key", true),
                map("name", "text", "type", "str"));
        Msg.Resp def = call(map("cmd", 0x20, "db", PAIR, "schema", "Note", "fields", note)).ok();
        assertTrue(def.data() instanceof Long, def::toString);
        assertEquals(0L, version(def), "defining a schema raises no version");
        Msg.Resp listed = call(map("cmd", 0x21, "db", PAIR)).ok();
        assertEquals(List.of("Event", "Note"), listed.list().stream().map(m -> ((Map<?, ?>) m).get("name")).toList());
        assertEquals(def.data(), ((Map<?, ?>) listed.list().get(1)).get("id"));
        // the file's schema is only that file's
        call(map("cmd", 0x03, "db", "acme.initech", "schema", "Note", "record", map("text", "x"))).fails(2);
        call(map("cmd", 0x03, "db", PAIR, "schema", def.data(), "record", map("text", "by id"))).ok();
    }

    @Test
    void oneFileServersRefuseDbAndExpectVersionAndAnswerNoVersion() throws Exception {
        try (Database db = Database.open(dir.resolve("one.db"), DatabaseOptions.defaults()
                .withSynchronous(DatabaseOptions.Synchronous.OFF));
             CommandDispatcher one = new CommandDispatcher(db, Limits.defaults(), null)) {
            Msg.resp(one.handle(Msg.pack(map("cmd", 0x20, "schema", "Event", "fields", EVENT)))).ok();
            Msg.Resp w = Msg.resp(one.handle(Msg.pack(map("cmd", 0x03, "schema", "Event", "record", event(1, "q")))))
                    .ok();
            assertFalse(w.meta().containsKey("version"));
            Msg.resp(one.handle(Msg.pack(map("cmd", 0x03, "db", PAIR, "schema", "Event", "record", event(1, "q")))))
                    .fails(1);
            Msg.resp(one.handle(Msg.pack(map("cmd", 0x03, "schema", "Event", "record", event(1, "q"),
                    "expect_version", 1)))).fails(1);
            Msg.resp(one.handle(Msg.pack(map("cmd", 0x23)))).fails(1);
        }
    }

    @Test
    void theCommandLineTakesEitherDbOrStore() throws Exception {
        Main.Options o = Main.parse(new String[] {"serve", "--store", "pairs", "--token-file", "tokens"}, Map.of());
        assertEquals(Path.of("pairs"), o.store());
        assertEquals(Path.of("tokens"), o.tokenFile());
        assertNull(o.db());
        assertEquals(Path.of("pairs"), Main.parse(new String[] {"stdio", "--store", "pairs"}, Map.of()).store());
        for (String[] bad : new String[][] {{"serve", "--db", "x.db", "--store", "pairs"}, {"serve"},
                {"serve", "--db", "x.db", "--token-file", "tokens"}, {"stdio", "--store", "p", "--exclusive-locking"},
                {"stdio", "--store", "p", "--token-file", "t"}}) {
            try {
                Main.parse(bad, Map.of());
                throw new AssertionError("accepted " + List.of(bad));
            } catch (Main.UsageException expected) {
                assertTrue(expected.getMessage() != null, List.of(bad)::toString);
            }
        }
    }

    @Test
    void aRangeScanAcrossFilesMergesByTheIndexWithOneLimit() {
        long ts = 0;
        for (String name : List.of("acme.globex", "acme.initech", "globex.initech")) {
            for (int i = 0; i < 3; i++) {
                ts += 10;
                call(map("cmd", 0x03, "db", name, "schema", "Event", "record", event(ts, name + "#" + i))).ok();
            }
        }
        // acme.globex 10 20 30, acme.initech 40 50 60, globex.initech 70 80 90
        Msg.Resp newest = call(map("cmd", 0x02, "db", "acme.*", "schema", "Event", "index", "ts", "order", "desc",
                "limit", 4)).ok();
        assertEquals(List.of("acme.initech 60", "acme.initech 50", "acme.initech 40", "acme.globex 30"),
                newest.list().stream().map(StoreProtocolTest::describe).toList());
        assertFalse(newest.meta().containsKey("version"), "rows of several files: no one version");
        Msg.Resp listed = call(map("cmd", 0x02, "db", List.of("globex.initech", "acme.globex"), "schema", "Event",
                "index", "ts", "range", map("start", 25, "end", 75))).ok();
        assertEquals(List.of("acme.globex 30", "globex.initech 70"),
                listed.list().stream().map(StoreProtocolTest::describe).toList());
        assertEquals(Map.of("db", "acme.globex"), Map.of("db", ((Map<?, ?>) listed.list().getFirst()).get("db")));
        assertEquals("acme.globex#2", ((Map<?, ?>) ((Map<?, ?>) listed.list().getFirst()).get("record")).get("kind"));
        // a listed file that does not exist is status 9; a pattern skips nothing it matches
        call(map("cmd", 0x02, "db", List.of("acme.globex", "acme.hooli"), "schema", "Event")).fails(9);
        assertEquals(0, call(map("cmd", 0x02, "db", "nobody.*", "schema", "Event")).ok().list().size());
        call(map("cmd", 0x02, "db", List.of(), "schema", "Event")).fails(1);
        call(map("cmd", 0x02, "db", "acme.*", "schema", 1)).fails(1);
        call(map("cmd", 0x10, "db", PAIR)).ok();
        call(map("cmd", 0x02, "db", "acme.*", "schema", "Event")).fails(1);
        call(map("cmd", 0x12)).ok();
    }

    static String describe(Object row) {
        Map<?, ?> m = (Map<?, ?>) row;
        return m.get("db") + " " + ((Map<?, ?>) m.get("record")).get("ts");
    }

    /** Records decode untyped in store mode (the file is known only as the command runs): every type still fits. */
    @Test
    void everyTypeRoundTripsInAStoreFile() {
        call(map("cmd", 0x20, "schema", "T", "fields", CommandDispatcherTest.ALL_TYPES)).ok();
        java.math.BigInteger big = java.math.BigInteger.ONE.shiftLeft(64).subtract(java.math.BigInteger.valueOf(3));
        Map<String, Object> rec = map("id", big, "i", -5L, "f", 2.5, "b", true, "s", "héllo", "z", "text",
                "raw", new byte[] {0, (byte) 0xff}, "vec", new float[] {1.5f, -2.25f}, "q", List.of(0.0, 1.0),
                "tags", List.of("x", "y"));
        assertEquals(big, call(map("cmd", 3, "db", PAIR, "schema", "T", "record", rec)).ok().data());
        Map<String, Object> got = call(map("cmd", 1, "db", PAIR, "schema", "T", "key", big)).ok().record();
        assertEquals(big, got.get("id"));
        assertEquals(List.of(1.5f, -2.25f), got.get("vec"));
        assertEquals(List.of("x", "y"), got.get("tags"));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {0, (byte) 0xff}, (byte[]) got.get("raw"));
        call(map("cmd", 3, "db", PAIR, "schema", "T", "record", map("id", -1))).fails(1);
        assertEquals(List.of(big), call(map("cmd", 2, "db", List.of(PAIR), "schema", "T")).ok().list().stream()
                .map(r -> ((Map<?, ?>) ((Map<?, ?>) r).get("record")).get("id")).toList());
    }

    /** Two sessions driven by one thread: the second cannot wait for the first's transaction (status 5, not a crash). */
    @Test
    void aFileHeldByAnotherSessionOfThisThreadIsStatus5() {
        call(map("cmd", 0x03, "db", PAIR, "schema", "Event", "record", event(1, "quote"))).ok();
        try (Session other = d.openSession()) {
            Msg.resp(other.handle(Msg.pack(map("cmd", 0x10, "db", PAIR)))).ok();
            call(map("cmd", 0x03, "db", PAIR, "schema", "Event", "record", event(2, "x"))).fails(5);
            call(map("cmd", 0x24, "db", PAIR)).fails(5);
            call(map("cmd", 0x02, "db", List.of(PAIR), "schema", "Event")).fails(5);
            Msg.resp(other.handle(Msg.pack(map("cmd", 0x12)))).ok();
        }
        assertEquals(1L, call(map("cmd", 0x24, "db", PAIR)).ok().record().get("version"));
    }
}
