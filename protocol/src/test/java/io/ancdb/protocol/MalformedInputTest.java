package io.ancdb.protocol;

import io.ancdb.Database;
import io.ancdb.DatabaseOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.ancdb.protocol.Msg.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Malformed requests get an error response (never an exception), and the
 * database works and stays sound afterwards.
 */
class MalformedInputTest {
    @TempDir
    Path dir;
    Path file;
    Database db;
    CommandDispatcher d;
    Session s;

    @BeforeEach
    void open() {
        file = dir.resolve("m.db");
        db = Database.open(file, DatabaseOptions.defaults().withSynchronous(DatabaseOptions.Synchronous.OFF));
        d = new CommandDispatcher(db);
        s = d.openSession();
        call(map("cmd", 0x20, "schema", "T", "fields", List.of(
                map("name", "id", "type", "i64", "primary_key", true),
                map("name", "s", "type", "str", "indexed", true),
                map("name", "v", "type", "f32vec")))).ok();
        call(map("cmd", 3, "schema", "T", "record", map("id", 1, "s", "one", "v", new float[] {1f}))).ok();
    }

    @AfterEach
    void close() {
        if (db.isClosed()) {
            return;
        }
        s.close();
        d.close();
        db.close();
    }

    Msg.Resp call(Object request) {
        return Msg.resp(s.handle(Msg.pack(request)));
    }

    /** An error response with {@code status} whose message names no path. */
    Msg.Resp refused(byte[] request, int status) {
        Msg.Resp r = Msg.resp(s.handle(request)).fails(status);
        assertFalse(r.error().contains(dir.toString()) || r.error().contains("m.db"), r.error());
        assertFalse(r.error().matches(".*@[0-9a-f]{5,}.*"), r.error());
        return r;
    }

    static byte[] raw(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return b;
    }

    static List<byte[]> validRequests() {
        List<byte[]> l = new ArrayList<>();
        l.add(Msg.pack(map("cmd", 1, "schema", "T", "key", 1)));
        l.add(Msg.pack(List.of(1, "T", map("key", 1))));
        l.add(Msg.pack(map("cmd", 2, "schema", "T", "index", "s", "range", map("start", "a", "end", "z"),
                "limit", 5, "order", "desc")));
        l.add(Msg.pack(map("cmd", 3, "schema", "T", "record", map("id", 2, "s", "two", "v", new float[] {1f, 2f}),
                "options", map("on_conflict", "replace"))));
        l.add(Msg.pack(map("cmd", 4, "schema", "T", "records", List.of(map("id", 3), map("id", 4, "s", "x")))));
        l.add(Msg.pack(map("cmd", 5, "schema", "T", "key", 1, "delta", map("s", "uno"))));
        l.add(Msg.pack(map("cmd", 6, "schema", "T", "key", 9)));
        l.add(Msg.pack(map("cmd", 0x20, "schema", "T", "fields", List.of(map("name", "id", "type", "i64",
                "primary_key", true)))));
        l.add(Msg.pack(map("cmd", 0x21)));
        l.add(Msg.pack(map("cmd", 0x22)));
        l.add(Msg.pack(map("cmd", 0x30, "token", "x")));
        return l;
    }

    @Test
    void truncatedRequests() {
        for (byte[] m : validRequests()) {
            for (int cut = 0; cut < m.length; cut++) {
                refused(Arrays.copyOf(m, cut), 1);
            }
            Msg.resp(s.handle(m));                         // whole: answered (success or not)
        }
        assertSound();
    }

    @Test
    void wrongShapesAndTypes() {
        refused(Msg.pack(5), 1);
        refused(Msg.pack("cmd"), 1);
        refused(Msg.pack(null), 1);
        refused(Msg.pack(List.of()), 1);
        refused(Msg.pack(List.of(1, "T", map("key", 1), 4)), 1);
        refused(Msg.pack(List.of("1", "T", map("key", 1))), 1);
        refused(Msg.pack(List.of(1, "T", List.of(1))), 1);
        refused(Msg.pack(List.of(1, "T", map("cmd", 1, "key", 1))), 1);
        refused(Msg.pack(map()), 1);
        refused(Msg.pack(map("cmd", "1", "schema", "T", "key", 1)), 1);
        refused(Msg.pack(map("cmd", 1.0, "schema", "T", "key", 1)), 1);
        refused(Msg.pack(map("cmd", 1, "schema", true, "key", 1)), 1);
        refused(Msg.pack(map("cmd", 1, "schema", "T", "key", "1")), 1);       // a string key for an integer key
        refused(Msg.pack(map("cmd", 1, "schema", "T", "key", 1.5)), 1);
        refused(Msg.pack(map("cmd", 1, "schema", "T", "key", List.of(1))), 1);
        refused(Msg.pack(map("cmd", 1, "schema", "T", "key", null)), 1);
        refused(Msg.pack(map("cmd", 3, "schema", "T", "record", List.of(1))), 1);
        refused(Msg.pack(map("cmd", 3, "schema", "T", "record", map("id", 5, "v", "text"))), 1);
        refused(Msg.pack(map("cmd", 3, "schema", "T", "record", map("id", 5, "v", List.of(map())))), 1);
        refused(Msg.pack(map("cmd", 3, "schema", "T", "record", map("id", 5), "options", "replace")), 1);
        refused(Msg.pack(map("cmd", 3, "schema", "T", "record", map("id", 5), "options", map("on_conflict", 1))), 1);
        refused(Msg.pack(map("cmd", 4, "schema", "T", "records", List.of(map("id", 5), "x"))), 1);
        refused(Msg.pack(map("cmd", 5, "schema", "T", "key", 1, "delta", List.of())), 1);
        refused(Msg.pack(map("cmd", 2, "schema", "T", "index", 5)), 1);
        refused(Msg.pack(map("cmd", 2, "schema", "T", "range", map("start_inclusive", "yes"))), 1);
        refused(Msg.pack(map("cmd", 2, "schema", "T", "order", 1)), 1);
        refused(Msg.pack(map("cmd", 0x20, "schema", "U", "fields", map("name", "x"))), 1);
        refused(Msg.pack(map("cmd", 0x20, "schema", "U", "fields", List.of(map("name", "x", "type", "i64",
                "indexed", "yes")))), 1);
        refused(Msg.pack(map("cmd", 0x20, "schema", "U", "fields", List.of(map("name", "x", "type", "i64")),
                "composite_indexes", List.of("x"))), 1);
        // non-string map keys, at the top and inside a record
        refused(Msg.pack(map("cmd", 1, "schema", "T", "key", 1, "x", new Msg.Raw(raw(0x81, 0x01, 0x02)))), 1);
        refused(raw(0x81, 0x01, 0x01), 1);
        refused(Msg.pack(map("cmd", 3, "schema", "T", "record", new Msg.Raw(raw(0x81, 0x01, 0x02)))), 1);
        // extension types, trailing bytes
        refused(Msg.pack(map("cmd", 1, "schema", "T", "key", new Msg.Raw(raw(0xd4, 0x01, 0x01)))), 1);
        byte[] ok = Msg.pack(map("cmd", 1, "schema", "T", "key", 1));
        byte[] trailing = Arrays.copyOf(ok, ok.length + 1);
        refused(trailing, 1);
        byte[] twice = Arrays.copyOf(ok, ok.length * 2);
        System.arraycopy(ok, 0, twice, ok.length, ok.length);
        refused(twice, 1);
        assertEquals("one", call(map("cmd", 1, "schema", "T", "key", 1)).ok().record().get("s"));
        assertSound();
    }

    /** An unknown or misplaced key is refused, naming it (a typo in an option must not pass unnoticed). */
    @Test
    void unknownAndMisplacedKeys() {
        assertTrue(refused(Msg.pack(map("cmd", 1, "schema", "T", "key", 1, "request_id", map("a", List.of(1, 2)))), 1)
                .error().contains("unknown key \"request_id\" in the request"));
        assertTrue(refused(Msg.pack(map("cmd", 3, "schema", "T", "record", map("id", 9, "s", "nine"),
                "on_conflict", "replace")), 1).error().contains("\"on_conflict\" belongs in options"));
        assertTrue(refused(Msg.pack(map("cmd", 3, "schema", "T", "record", map("id", 9, "s", "nine"),
                "options", map("on_conflict", "replace", "retries", 3))), 1)
                .error().contains("unknown key \"retries\" in options"));
        assertTrue(refused(Msg.pack(map("cmd", 3, "schema", "T", "record", map("id", 9, "s", "nine"),
                "options", map("start", 1))), 1).error().contains("\"start\" belongs in range, not in options"));
        assertTrue(refused(Msg.pack(map("cmd", 2, "schema", "T", "range", map("start", 1, "stop", 5))), 1)
                .error().contains("unknown key \"stop\" in range"));
        assertTrue(refused(Msg.pack(map("cmd", 2, "schema", "T", "range", map("start", 1, "limit", 5))), 1)
                .error().contains("\"limit\" does not belong in range"));
        assertTrue(refused(Msg.pack(map("cmd", 2, "schema", "T", "end", 5)), 1)
                .error().contains("\"end\" belongs in range, not in the request"));
        assertTrue(refused(Msg.pack(List.of(1, "T", map("key", 1, "trace", true))), 1)
                .error().contains("unknown key \"trace\" in the request"));
        String longKey = "k".repeat(5000);
        String e = refused(Msg.pack(map("cmd", 1, "schema", "T", "key", 1, longKey, 1)), 1).error();
        assertTrue(e.contains("unknown key \"" + "k".repeat(32) + "...\""), e);
        // nothing was written by the refused writes
        assertEquals(3, call(map("cmd", 1, "schema", "T", "key", 9)).status());
        assertSound();
    }

    @Test
    void unknownCommands() {
        for (Object cmd : new Object[] {0, 7, 8, 0x13, 0x26, 0x32, 0xff, 0x100, -1, 1L << 40,
                BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)}) {
            Msg.Resp r = refused(Msg.pack(map("cmd", cmd, "schema", "T", "key", 1)), 1);
            assertTrue(r.error().contains("unknown command"), r.error());
        }
        refused(Msg.pack(map("schema", "T", "key", 1)), 1);
        assertSound();
    }

    @Test
    void hugeLengthHeaders() {
        // headers claiming 4 GiB: bin32, str32, array32, map32 are refused from the header (7); an ext value is
        // refused as unsupported (1), and so is any top-level value that is not a map or an array (1)
        int[][] cases = {{0xc6, 7, 1}, {0xdb, 7, 1}, {0xdd, 7, 7}, {0xdf, 7, 7}, {0xc9, 1, 1}};
        for (int[] c : cases) {
            byte[] h = raw(c[0], 0xff, 0xff, 0xff, 0xff);
            refused(Msg.pack(map("cmd", 1, "schema", "T", "key", new Msg.Raw(h))), c[1]);
            refused(Msg.pack(map("cmd", 3, "schema", "T", "record", map("id", 9, "v", new Msg.Raw(h)))), c[1]);
            refused(h, c[2]);
        }
        // bin32 claiming 4 GiB through the stream reader too
        byte[] req = Msg.pack(map("cmd", 1, "schema", "T", "key", new Msg.Raw(raw(0xc6, 0xff, 0xff, 0xff, 0xff))));
        MessageReader reader = new MessageReader(new ByteArrayInputStream(req), d.limits());
        assertEquals(7, assertThrows(ProtocolException.class, reader::next).status());
        // over the limits but within 32 bits: refused from the header (7); claiming more than the message holds: 1
        refused(Msg.pack(map("cmd", 1, "schema", "T", "key", new Msg.Raw(raw(0xc6, 0x40, 0, 0, 0)))), 7);
        refused(Msg.pack(map("cmd", 1, "schema", "T", "key", new Msg.Raw(raw(0xdd, 0x00, 0x10, 0, 0)))), 7);
        refused(Msg.pack(map("cmd", 1, "schema", "T", "key", new Msg.Raw(raw(0xc6, 0, 0, 1, 0)))), 1);
        refused(Msg.pack(map("cmd", 1, "schema", "T", "key", new Msg.Raw(raw(0xdd, 0, 0, 1, 0)))), 1);
        refused(Msg.pack(map("cmd", 1, "schema", "T", "key", new Msg.Raw(raw(0xdf, 0, 0, 1, 0)))), 1);
        refused(raw(0xdf, 0, 0, 1, 0), 1);
        refused(raw(0xdc, 0, 3, 1), 1);
        assertSound();
    }

    @Test
    void deepNesting() {
        byte[] deep = new byte[10_000];
        Arrays.fill(deep, (byte) 0x91);
        deep[deep.length - 1] = 1;
        refused(Msg.pack(map("cmd", 1, "schema", "T", "key", new Msg.Raw(deep))), 7);
        refused(Msg.pack(map("cmd", 1, "schema", "T", "key", 1, "fields", new Msg.Raw(deep))), 7);
        refused(Msg.pack(map("cmd", 1, "schema", "T", "key", 1, "extra", new Msg.Raw(deep))), 1);   // the key first
        // as a vector field: refused at its first element, which is not a number
        refused(Msg.pack(map("cmd", 3, "schema", "T", "record", map("id", 9, "v", new Msg.Raw(deep)))), 1);
        refused(Msg.pack(map("cmd", 3, "schema", "T", "record", map("id", 9, "s", new Msg.Raw(deep)))), 7);
        refused(deep, 1);                                   // [[[...: a compact request whose cmd is not an int
        byte[] maps = new byte[20_000];
        for (int i = 0; i < maps.length; i += 2) {
            maps[i] = (byte) 0x81;
            maps[i + 1] = (byte) 0xa0;
        }
        refused(Msg.pack(map("cmd", 1, "schema", "T", "key", 1, "composite_indexes", new Msg.Raw(maps))), 7);
        MessageReader reader = new MessageReader(new ByteArrayInputStream(
                Msg.pack(map("cmd", 1, "schema", "T", "key", new Msg.Raw(deep)))), d.limits());
        assertEquals(7, assertThrows(ProtocolException.class, reader::next).status());
        assertSound();
    }

    @Test
    void nestedClaimsDoNotMultiplyAllocation() {
        // 30 nested arrays each claiming 1 000 000 elements, then 1 000 000 one-byte elements: a 1 MB message.
        // Sizing each list by its claim would allocate 30 lists of a million slots (over 100 MB) up front.
        int levels = 30;
        int n = 1_000_000;
        byte[] m = new byte[levels * 5 + n];
        for (int i = 0; i < levels; i++) {
            byte[] h = raw(0xdd, n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
            System.arraycopy(h, 0, m, i * 5, 5);
        }
        byte[] req = Msg.pack(map("cmd", 1, "schema", "T", "key", new Msg.Raw(m)));
        com.sun.management.ThreadMXBean bean =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        s.handle(req);                                       // warm up
        long before = bean.getCurrentThreadAllocatedBytes();
        refused(req, 1);                                     // the outer arrays are short of elements
        long allocated = bean.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 64L << 20, "allocated " + (allocated >> 20) + " MiB for a 1 MB request");
        assertSound();
    }

    @Test
    void oversizedBatchAndMessage() {
        List<Object> records = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            records.add(map("id", 100 + i));
        }
        refused(Msg.pack(map("cmd", 4, "schema", "T", "records", records)), 7);
        call(map("cmd", 1, "schema", "T", "key", 100)).fails(3);
        try (CommandDispatcher small = new CommandDispatcher(db, Limits.defaults().withMaxMessageBytes(100), null);
             Session t = small.openSession()) {
            Msg.resp(t.handle(Msg.pack(map("cmd", 3, "schema", "T", "record", map("id", 7, "s", "x".repeat(200))))))
                    .fails(7);
        }
        call(map("cmd", 1, "schema", "T", "key", 7)).fails(3);
        assertSound();
    }

    @Test
    void transactionMisuse() {
        refused(Msg.pack(map("cmd", 0x11)), 1);
        refused(Msg.pack(map("cmd", 0x12)), 1);
        call(map("cmd", 0x10)).ok();
        refused(Msg.pack(map("cmd", 0x10)), 1);
        call(map("cmd", 0x12)).ok();
        assertSound();
    }

    @Test
    void garbage() {
        Random rnd = new Random(5);
        int[] counts = new int[256];
        for (int i = 0; i < 5000; i++) {
            byte[] g = new byte[rnd.nextInt(64)];
            rnd.nextBytes(g);
            Msg.Resp r = Msg.resp(s.handle(g));
            assertNotEquals(0, r.status());
            counts[Math.min(r.status(), 255)]++;
        }
        assertTrue(counts[1] > 4000, "mostly InvalidCommand");
        refused(raw(0xc1), 1);
        refused(raw(0x83, 0xc1, 0xc1, 0xc1), 1);
        refused(new byte[0], 1);
        assertSound();
    }

    /** The database still works, and the file is sound in ANC-DB's and in the stock shell's eyes. */
    void assertSound() {
        call(map("cmd", 3, "schema", "T", "record", map("id", 1000, "s", "after"),
                "options", map("on_conflict", "replace"))).ok();
        assertEquals("after", call(map("cmd", 1, "schema", "T", "key", 1000)).ok().record().get("s"));
        assertEquals(1L, call(map("cmd", 1, "schema", "T", "key", 1)).ok().record().get("id"));
        assertEquals("", db.integrityCheck());
        s.close();
        d.close();
        db.close();
        assertEquals(List.of("ok"), Msg.sqlite(file, "PRAGMA integrity_check"));
        assertEquals(List.of("1"), Msg.sqlite(file, "SELECT count(*) FROM T WHERE s = 'after'"));
    }
}
