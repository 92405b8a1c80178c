package io.ancdb.protocol;

import io.ancdb.protocol.TransportTestSupport.Drained;
import io.ancdb.protocol.TransportTestSupport.ServerProcess;
import io.ancdb.protocol.TransportTestSupport.Wire;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.ancdb.protocol.TransportCodec.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The TCP server as a separate process with a token (from ANCDB_TOKEN):
 * authentication, malformed streams next to a healthy client, a dropped
 * connection's transaction, 20 concurrent connections, and SIGTERM with a
 * transaction open; the file is checked with sqlite3 at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(60)
class TcpTransportTest {
    private static final String TOKEN = "tcp-transport-test-token-7f3a";
    private static final String T = "T";

    private Path dir;
    private Path db;
    private ServerProcess server;
    /** Keys whose writes were committed: the final count must match. */
    private final Set<Long> committed = ConcurrentHashMap.newKeySet();

    @BeforeAll
    void startServer() throws IOException {
        dir = Files.createTempDirectory("ancdb-tcp-test");
        db = dir.resolve("tcp.db");
        server = ServerProcess.start(dir, Map.of("ANCDB_TOKEN", TOKEN), "serve", "--db", db.toString(), "--port", "0");
        try (Wire w = Wire.authenticated(server, TOKEN)) {
            w.ok(map("cmd", 0x20, "schema", T, "fields", List.of(
                    map("name", "id", "type", "u64", "primary_key", true),
                    map("name", "n", "type", "i64", "indexed", true),
                    map("name", "s", "type", "str"))));
        }
    }

    @AfterAll
    void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Map<String, Object> write(long id, String s) {
        return map("cmd", 0x03, "schema", T, "record", map("id", id, "n", id % 100, "s", s),
                "options", map("on_conflict", "fail"));
    }

    private static Map<String, Object> read(long id) {
        return map("cmd", 0x01, "schema", T, "key", id);
    }

    private void writeAndReadBack(Wire w, long id) throws IOException {
        w.ok(write(id, "v" + id));
        committed.add(id);
        Map<?, ?> rec = (Map<?, ?>) w.ok(read(id));
        assertEquals("v" + id, rec.get("s"));
    }

    @Test
    @Order(1)
    void unauthenticatedConnectionCanNeitherReadNorWrite() throws IOException {
        try (Wire w = Wire.authenticated(server, TOKEN)) {
            writeAndReadBack(w, 1);
        }
        List<Map<String, Object>> attempts = List.of(
                read(1),
                write(777, "sneaky"),
                map("cmd", 0x06, "schema", T, "key", 1),
                map("cmd", 0x20, "schema", "Evil", "fields", List.of(map("name", "id", "type", "u64",
                        "primary_key", true))),
                map("cmd", 0x30, "token", "wrong-token"),
                map("cmd", 0x30, "token", TOKEN.substring(0, TOKEN.length() - 1)));
        for (Map<String, Object> req : attempts) {
            try (Wire w = new Wire(server.host, server.port)) {
                assertEquals(6L, w.call(req).get("status"), "unauthenticated " + req);
                Drained d = w.drain(Duration.ofSeconds(10));
                assertTrue(d.closed(), "connection closed after " + req);
                assertTrue(d.responses().isEmpty());
            }
        }
        // the compact array form too
        try (Wire w = new Wire(server.host, server.port)) {
            assertEquals(6L, w.call0(List.of(0x01, T, map("key", 1))).get("status"));
        }
        try (Wire w = Wire.authenticated(server, TOKEN)) {
            assertEquals(3L, w.call(read(777)).get("status"), "the unauthenticated write left nothing");
            assertEquals("v1", ((Map<?, ?>) w.ok(read(1))).get("s"), "the unauthenticated delete left nothing");
            assertFalse(String.valueOf(w.ok(map("cmd", 0x21))).contains("Evil"));
        }
    }

    /** One malformed input: the bytes, whether to half-close after them, whether it needs auth first. */
    private record Bad(String name, byte[] bytes, boolean eof, boolean authFirst) {
    }

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    private static List<Bad> malformed() {
        byte[] deep = new byte[10_001];
        Arrays.fill(deep, (byte) 0x91);     // fixarray of 1, 10 000 deep
        deep[10_000] = (byte) 0xc0;
        byte[] deepMaps = new byte[10_001 * 2];
        for (int i = 0; i < 10_000; i++) {  // {"": {"": ...}}
            deepMaps[2 * i] = (byte) 0x81;
            deepMaps[2 * i + 1] = (byte) 0xa0;
        }
        deepMaps[20_000] = (byte) 0xc0;
        byte[] random = new byte[4096];
        new Random(42).nextBytes(random);
        byte[] valid = TransportCodec.pack(write(424242, "x".repeat(200)));
        byte[] garbage = new byte[64];
        Arrays.fill(garbage, (byte) 0xc1);  // never-used format byte
        // {"cmd": 3, "schema": "T", "record": <bin32 of 4 GiB - 1>}
        byte[] nestedHuge = concat(bytes(0x83, 0xa3), "cmd".getBytes(), bytes(0x03, 0xa6), "schema".getBytes(),
                bytes(0xa1, 'T', 0xa6), "record".getBytes(), bytes(0xc6, 0xff, 0xff, 0xff, 0xff), new byte[100]);
        return List.of(
                new Bad("bin32 header claiming 4 GiB", bytes(0xc6, 0xff, 0xff, 0xff, 0xff, 1, 2, 3), false, true),
                new Bad("bin32 header claiming 4 GiB, unauthenticated", bytes(0xc6, 0xff, 0xff, 0xff, 0xff), false, false),
                new Bad("bin32 of 4 GiB inside a request map", nestedHuge, false, true),
                new Bad("str32 header claiming 4 GiB", bytes(0xdb, 0xff, 0xff, 0xff, 0xff), false, true),
                new Bad("array32 header claiming 4 G elements", bytes(0xdd, 0xff, 0xff, 0xff, 0xff), false, true),
                new Bad("map32 header claiming 4 G entries", bytes(0xdf, 0xff, 0xff, 0xff, 0xff), false, true),
                new Bad("10 000-deep array nesting", deep, false, true),
                new Bad("10 000-deep map nesting", deepMaps, false, true),
                new Bad("never-used format bytes", garbage, false, true),
                new Bad("4 KiB of random bytes then EOF", random, true, true),
                new Bad("truncated message then EOF", Arrays.copyOf(valid, valid.length / 2), true, true),
                new Bad("truncated header then EOF", bytes(0xc6, 0x00, 0x01), true, true));
    }

    @Test
    @Order(2)
    void malformedStreamsGetAnErrorOrACloseWhileAnotherClientKeepsWorking() throws Exception {
        try (Wire bystander = Wire.authenticated(server, TOKEN)) {
            long key = 100;
            writeAndReadBack(bystander, key++);
            for (Bad bad : malformed()) {
                try (Wire w = bad.authFirst() ? Wire.authenticated(server, TOKEN) : new Wire(server.host, server.port)) {
                    w.send(bad.bytes());
                    if (bad.eof()) {
                        w.socket.shutdownOutput();
                    }
                    Drained d = w.drain(Duration.ofSeconds(10));
                    boolean errorAnswered = !d.responses().isEmpty()
                            && d.responses().stream().allMatch(r -> r.get("status") instanceof Long s && s != 0);
                    assertTrue(d.closed() || errorAnswered, bad.name() + ": neither an error response nor a close: " + d);
                    for (Map<?, ?> r : d.responses()) {
                        assertNotEquals(0L, r.get("status"), bad.name() + ": " + r);
                        assertFalse(String.valueOf(r.get("error")).contains(dir.toString()),
                                bad.name() + ": error names a path: " + r);
                    }
                    if (bad.eof() || bad.name().contains("4 G") || bad.name().contains("deep")) {
                        assertTrue(d.closed(), bad.name() + ": not closed: " + d);
                    }
                }
                assertTrue(server.process.isAlive(), "server died on " + bad.name());
                writeAndReadBack(bystander, key++);
            }
        }
        try (Wire w = Wire.authenticated(server, TOKEN)) {
            assertEquals(3L, w.call(read(424242)).get("status"), "the truncated write was not applied");
        }
    }

    @Test
    @Order(3)
    void wellFormedButInvalidRequestsKeepTheConnectionUsable() throws IOException {
        try (Wire w = Wire.authenticated(server, TOKEN)) {
            List<Object> invalid = new ArrayList<>();
            invalid.add("just a string");
            invalid.add(12345L);
            invalid.add(map("schema", T));                      // no cmd
            invalid.add(map("cmd", 0x7f, "schema", T));         // unknown cmd
            invalid.add(map("cmd", 0x01, "schema", T));         // no key
            invalid.add(map("cmd", 0x01, "schema", T, "key", "not-a-number"));
            Map<Object, Object> intKeys = new LinkedHashMap<>();
            intKeys.put(1L, 2L);
            invalid.add(intKeys);
            for (Object req : invalid) {
                Map<?, ?> r = w.call0(req);
                assertNotEquals(0L, r.get("status"), "accepted " + req + ": " + r);
                assertTrue(r.get("error") instanceof String, "error message for " + req + ": " + r);
            }
            assertEquals(2L, w.call(map("cmd", 0x01, "schema", "NoSuchSchema", "key", 1)).get("status"));
            writeAndReadBack(w, 200);
        }
    }

    @Test
    @Order(4)
    void droppedConnectionMidTransactionIsRolledBack() throws IOException, InterruptedException {
        for (boolean reset : new boolean[] {true, false}) {
            long base = reset ? 5000 : 5100;
            Wire a = Wire.authenticated(server, TOKEN);
            a.ok(map("cmd", 0x10));
            a.ok(write(base + 1, "uncommitted"));
            a.ok(write(base + 2, "uncommitted"));
            a.ok(map("cmd", 0x06, "schema", T, "key", 1L));
            if (reset) {
                a.socket.setSoLinger(true, 0);  // RST instead of FIN
            }
            a.close();
            try (Wire b = Wire.authenticated(server, TOKEN)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                Map<?, ?> r;
                do {   // the dropped session's write transaction ends when the server notices the close
                    r = b.call(write(base + 3, "after"));
                    if (Long.valueOf(5).equals(r.get("status"))) {
                        Thread.sleep(50);
                    }
                } while (Long.valueOf(5).equals(r.get("status")) && System.nanoTime() < deadline);
                assertEquals(0L, r.get("status"), "write after the drop: " + r);
                committed.add(base + 3);
                assertEquals(3L, b.call(read(base + 1)).get("status"), "dropped tx write visible");
                assertEquals(3L, b.call(read(base + 2)).get("status"), "dropped tx write visible");
                assertEquals(0L, b.call(read(1)).get("status"), "dropped tx delete applied");
            }
        }
    }

    @Test
    @Order(5)
    void twentyConcurrentConnectionsAllSucceed() throws Exception {
        int clients = 20;
        int perClient = 25;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                long base = 10_000 + c * 100L;
                results.add(pool.submit(() -> {
                    int ok = 0;
                    try (Wire w = Wire.authenticated(server, TOKEN)) {
                        for (int j = 0; j < perClient; j++) {
                            long id = base + j;
                            writeAndReadBack(w, id);
                            ok++;
                        }
                        Object scan = w.ok(map("cmd", 0x02, "schema", T, "index", "n", "limit", 5, "order", "desc"));
                        assertTrue(scan != null);
                        w.ok(map("cmd", 0x22));
                    }
                    return ok;
                }));
            }
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get(50, TimeUnit.SECONDS);
            }
            assertEquals(clients * perClient, total);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Order(6)
    void pipelinedRequestsAreAnsweredInOrder() throws IOException {
        try (Wire w = Wire.authenticated(server, TOKEN)) {
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            for (long id = 300; id < 400; id++) {
                batch.writeBytes(TransportCodec.pack(write(id, "p" + id)));
                batch.writeBytes(TransportCodec.pack(read(id)));
            }
            w.send(batch.toByteArray());
            for (long id = 300; id < 400; id++) {
                assertEquals(0L, w.response().get("status"));
                committed.add(id);
                Map<?, ?> r = w.response();
                assertEquals("p" + id, ((Map<?, ?>) r.get("data")).get("s"), "response order");
            }
        }
    }

    /** A 1 MiB Auth (after a Hello, when {@code hello}) on a fresh connection: status 7 and closed. */
    private static void assertOversizedAuthRefused(ServerProcess server, boolean hello) throws IOException {
        try (Wire w = new Wire(server.host, server.port)) {
            if (hello) {
                assertEquals(Map.of("vectors", "bin"), w.ok(map("cmd", 0x31, "vectors", "bin")));
            }
            w.send(TransportCodec.pack(map("cmd", 0x30, "token", "x".repeat(1 << 20))));
            Drained d = w.drain(Duration.ofSeconds(8));
            assertTrue(d.closed(), "oversized request before Auth" + (hello ? " after a Hello: " : ": ") + d);
            for (Map<?, ?> r : d.responses()) {
                assertEquals(7L, r.get("status"), r.toString());
            }
        } catch (java.net.SocketException e) {
            // reset while still sending: closed too
        }
    }

    /**
     * A second server with --max-connections 3 and --idle-timeout 2: the 4th
     * connection is refused with status 7; an unauthenticated connection that
     * sends nothing, or a first request too large for an Auth, is closed; an
     * idle connection is closed and its transaction rolled back.
     */
    @Test
    @Order(7)
    void connectionLimitFirstRequestGuardAndIdleTimeout() throws Exception {
        Path db2 = dir.resolve("limits.db");
        String token = "second-server-token";
        try (ServerProcess s2 = ServerProcess.start(dir, Map.of(), "serve", "--db", db2.toString(), "--port", "0",
                "--token", token, "--max-connections", "3", "--idle-timeout", "2")) {
            // The schema is defined on a, not on a connection of its own: the server might not yet have
            // seen such a connection close when the next ones arrive, and would refuse the wrong one.
            Wire a = Wire.authenticated(s2, token);
            a.ok(map("cmd", 0x20, "schema", T, "fields", List.of(
                    map("name", "id", "type", "u64", "primary_key", true),
                    map("name", "n", "type", "i64", "indexed", true),
                    map("name", "s", "type", "str"))));
            Wire b = Wire.authenticated(s2, token);
            Wire silent = new Wire(s2.host, s2.port);
            try (Wire refused = new Wire(s2.host, s2.port)) {
                Drained d = refused.drain(Duration.ofSeconds(5));
                assertTrue(d.closed(), "4th connection closed");
                assertEquals(1, d.responses().size(), d.toString());
                assertEquals(7L, d.responses().getFirst().get("status"));
            }
            a.ok(map("cmd", 0x10));
            a.ok(write(1, "in a transaction left idle"));
            Drained quiet = silent.drain(Duration.ofSeconds(8));
            assertTrue(quiet.closed() && quiet.responses().isEmpty(), "silent unauthenticated connection: " + quiet);
            assertTrue(a.drain(Duration.ofSeconds(8)).closed(), "idle connection closed");
            assertTrue(b.drain(Duration.ofSeconds(8)).closed(), "idle connection closed");
            a.close();
            b.close();
            silent.close();
            assertOversizedAuthRefused(s2, false);          // 1 MiB before authenticating
            assertOversizedAuthRefused(s2, true);           // a Hello first is answered, but lifts no limit
            try (Wire c = Wire.authenticated(s2, token)) {
                c.ok(write(2, "after"));
                assertEquals(3L, c.call(read(1)).get("status"), "the idle connection's transaction was rolled back");
            }
            assertEquals(0, s2.terminate(), s2.log());
            String log = s2.log();
            assertTrue(log.contains("refused: 3 connections open"), log);
            assertTrue(log.contains("idle timeout"), log);
            assertTrue(log.contains("no complete first request in time"), log);
        }
        TransportTestSupport.requireSqlite3();
        assertEquals("ok", TransportTestSupport.sqlite(db2, "PRAGMA integrity_check;"));
        assertEquals("2", TransportTestSupport.sqlite(db2, "SELECT group_concat(id) FROM T;"));
    }

    @Test
    @Order(100)
    void sigtermWithATransactionOpenExitsZeroAndLeavesAnIntactFile() throws Exception {
        Wire open = Wire.authenticated(server, TOKEN);
        open.ok(map("cmd", 0x10));
        open.ok(write(6001, "never committed"));
        Wire idle = Wire.authenticated(server, TOKEN);   // a second, idle connection
        int code = server.terminate();
        String log = server.log();
        assertEquals(0, code, () -> "exit code after SIGTERM; log:\n" + log);
        assertTrue(log.contains("database closed"), log);
        assertTrue(open.drain(Duration.ofSeconds(5)).closed(), "open connection closed by shutdown");
        open.close();
        idle.close();
        TransportTestSupport.requireSqlite3();
        assertEquals("ok", TransportTestSupport.sqlite(db, "PRAGMA integrity_check;"));
        assertEquals(String.valueOf(committed.size()), TransportTestSupport.sqlite(db, "SELECT count(*) FROM T;"));
        assertEquals("0", TransportTestSupport.sqlite(db, "SELECT count(*) FROM T WHERE id IN (6001, 777, 424242, "
                + "5001, 5002, 5101, 5102);"));
        assertEquals("v10517", TransportTestSupport.sqlite(db, "SELECT s FROM T WHERE id = 10517;"));
    }
}
