package io.ancdb.protocol;

import io.ancdb.protocol.TransportTestSupport.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.ancdb.protocol.TransportCodec.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stdio transport as a child process (the command line: {@link MainOptionsTest}). */
@Timeout(60)
class StdioTransportTest {
    @TempDir
    Path dir;

    /** {@code Main stdio} with requests written to its stdin and responses read from its stdout. */
    private static final class Stdio implements AutoCloseable {
        final Process process;
        final OutputStream in;
        final MessageUnpacker out;
        final Path stderr;

        Stdio(Path dir, String... args) throws IOException {
            stderr = Files.createTempFile(dir, "stdio", ".log");
            process = new ProcessBuilder(TransportTestSupport.mainCommand(args))
                    .redirectError(stderr.toFile()).start();
            in = process.getOutputStream();
            out = MessagePack.newDefaultUnpacker(process.getInputStream());
        }

        void send(Object request) throws IOException {
            in.write(TransportCodec.pack(request));
            in.flush();
        }

        Map<?, ?> response() throws IOException {
            Object o = TransportCodec.read(out);
            assertTrue(o instanceof Map<?, ?>, "response is a map: " + o);
            return (Map<?, ?>) o;
        }

        Object ok(Object request) throws IOException {
            send(request);
            Map<?, ?> r = response();
            assertEquals(0L, r.get("status"), () -> request + " answered " + r);
            return r.get("data");
        }

        /** Closes stdin; expects no more output; returns the exit code. */
        int finish() throws IOException, InterruptedException {
            in.close();
            assertFalse(out.hasNext(), "nothing but responses on stdout");
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "exits at EOF");
            return process.exitValue();
        }

        String log() {
            try {
                return Files.readString(stderr);
            } catch (IOException e) {
                return "<" + e + ">";
            }
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    private static Map<String, Object> schema() {
        return map("cmd", 0x20, "schema", "Notes", "fields", List.of(
                map("name", "id", "type", "u64", "primary_key", true),
                map("name", "at", "type", "i64", "indexed", true),
                map("name", "text", "type", "str", "compressed", true),
                map("name", "vec", "type", "f32vec"),
                map("name", "tags", "type", "strlist", "indexed", true)));
    }

    private static Map<String, Object> note(long id) {
        return map("id", id, "at", 1000 + id, "text", "note " + id, "vec", new float[] {id, 0.5f},
                "tags", List.of("t" + (id % 4)));
    }

    @Test
    void javaClientOverStdioThenSqlite3() throws Exception {
        Path db = dir.resolve("stdio.db");
        try (Stdio s = new Stdio(dir, "stdio", "--db", db.toString())) {
            s.ok(schema());
            List<Object> records = new ArrayList<>();
            for (long i = 1; i <= 50; i++) {
                records.add(note(i));
            }
            s.ok(map("cmd", 0x04, "schema", "Notes", "records", records, "options", map("on_conflict", "fail")));
            assertEquals("note 7", ((Map<?, ?>) s.ok(map("cmd", 0x01, "schema", "Notes", "key", 7))).get("text"));
            // pipelined: 3 requests in one write, 3 responses in order
            byte[] three = concat(TransportCodec.pack(map("cmd", 0x01, "schema", "Notes", "key", 1)),
                    TransportCodec.pack(map("cmd", 0x01, "schema", "Notes", "key", 999)),
                    TransportCodec.pack(map("cmd", 0x01, "schema", "Notes", "key", 2)));
            s.in.write(three);
            s.in.flush();
            assertEquals(0L, s.response().get("status"));
            assertEquals(3L, s.response().get("status"));
            assertEquals("note 2", ((Map<?, ?>) s.response().get("data")).get("text"));
            // a transaction rolled back, one committed
            s.ok(map("cmd", 0x10));
            s.ok(map("cmd", 0x03, "schema", "Notes", "record", note(100)));
            s.ok(map("cmd", 0x06, "schema", "Notes", "key", 1));
            s.ok(map("cmd", 0x12));
            s.ok(map("cmd", 0x10));
            s.ok(map("cmd", 0x03, "schema", "Notes", "record", note(101)));
            s.ok(map("cmd", 0x11));
            // a bad request is answered and the session goes on
            s.send("not a request");
            assertNotEquals(0L, s.response().get("status"));
            s.ok(map("cmd", 0x06, "schema", "Notes", "key", 50));
            assertEquals(0, s.finish(), s.log());
            assertTrue(s.log().contains("stdio closed"), s.log());
        }
        TransportTestSupport.requireSqlite3();
        assertEquals("ok", TransportTestSupport.sqlite(db, "PRAGMA integrity_check;"));
        assertEquals("50", TransportTestSupport.sqlite(db, "SELECT count(*) FROM Notes;"));
        assertEquals("0", TransportTestSupport.sqlite(db, "SELECT count(*) FROM Notes WHERE id IN (50, 100);"));
        assertEquals("1007|[\"t3\"]", TransportTestSupport.sqlite(db, "SELECT at, tags FROM Notes WHERE id = 7;"));
    }

    @Test
    @Timeout(120)
    void pythonClientOverStdio() throws Exception {
        TransportTestSupport.requirePythonMsgpack();
        Path db = dir.resolve("py-stdio.db");
        List<String> cmd = new ArrayList<>(List.of(TransportTestSupport.PYTHON,
                TransportTestSupport.pythonClientDir().resolve("test_e2e.py").toString(), "--stdio"));
        cmd.addAll(TransportTestSupport.mainCommand("stdio", "--db", db.toString()));
        Result r = TransportTestSupport.run(cmd, Duration.ofSeconds(100));
        assertEquals(0, r.code(), () -> r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("\"ok\": true"), r.stdout());
        assertTrue(r.stdout().matches("(?s).*\"vectors\": \"(array|numpy)\".*"), r.stdout());
        TransportTestSupport.requireSqlite3();
        assertEquals("ok", TransportTestSupport.sqlite(db, "PRAGMA integrity_check;"));
        assertEquals(String.valueOf(EndToEndTcpTest.jsonInt(r.stdout(), "expected_count")),
                TransportTestSupport.sqlite(db, "SELECT count(*) FROM AgentMemory;"));
    }

    /** stdio --store: a process serving a store, each request naming its file; versions in meta. */
    @Test
    @Timeout(120)
    void stdioServesAStore() throws Exception {
        Path store = dir.resolve("pairs");
        try (Stdio s = new Stdio(dir, "stdio", "--store", store.toString())) {
            assertEquals(null, s.ok(schema()));                     // a store schema: nil (ids are per file)
            s.send(map("cmd", 0x03, "db", "acme.globex", "schema", "Notes", "record", note(1), "expect_version", 0));
            Map<?, ?> w = s.response();
            assertEquals(0L, w.get("status"), w::toString);
            assertEquals(1L, ((Map<?, ?>) w.get("meta")).get("version"));
            s.send(map("cmd", 0x01, "db", "acme.initech", "schema", "Notes", "key", 1));
            assertEquals(9L, s.response().get("status"));
            s.send(map("cmd", 0x01, "schema", "Notes", "key", 1));
            assertEquals(1L, s.response().get("status"));
            assertEquals(0, s.finish(), s::log);
        }
        TransportTestSupport.requireSqlite3();
        assertEquals("1", TransportTestSupport.sqlite(store.resolve("acme.globex.db"), "PRAGMA user_version;"));
        assertFalse(Files.exists(store.resolve("acme.initech.db")));
    }

    @Test
    void unparseableInputIsAnsweredThenTheServerExits() throws Exception {
        Path db = dir.resolve("bad.db");
        try (Stdio s = new Stdio(dir, "stdio", "--db", db.toString())) {
            s.ok(schema());
            s.ok(map("cmd", 0x03, "schema", "Notes", "record", note(1)));
            s.in.write(new byte[] {(byte) 0xc6, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
            s.in.flush();
            Map<?, ?> r = s.response();
            assertNotEquals(0L, r.get("status"));
            assertTrue(s.process.waitFor(30, TimeUnit.SECONDS), "exits after an unrecoverable stream");
            assertEquals(1, s.process.exitValue(), s.log());
        }
        TransportTestSupport.requireSqlite3();
        assertEquals("ok", TransportTestSupport.sqlite(db, "PRAGMA integrity_check;"));
        assertEquals("1", TransportTestSupport.sqlite(db, "SELECT count(*) FROM Notes;"));
    }

    @Test
    void sigtermRollsBackTheOpenTransactionAndExitsZero() throws Exception {
        Path db = dir.resolve("term.db");
        try (Stdio s = new Stdio(dir, "stdio", "--db", db.toString(), "--journal", "wal")) {
            s.ok(schema());
            s.ok(map("cmd", 0x03, "schema", "Notes", "record", note(1)));
            s.ok(map("cmd", 0x10));
            s.ok(map("cmd", 0x03, "schema", "Notes", "record", note(2)));
            s.process.destroy();   // SIGTERM while stdin stays open and a transaction is open
            assertTrue(s.process.waitFor(30, TimeUnit.SECONDS), "exits on SIGTERM");
            assertEquals(0, s.process.exitValue(), s.log());
            assertTrue(s.log().contains("database closed"), s.log());
        }
        TransportTestSupport.requireSqlite3();
        assertEquals("ok", TransportTestSupport.sqlite(db, "PRAGMA integrity_check;"));
        assertEquals("1", TransportTestSupport.sqlite(db, "SELECT group_concat(id) FROM Notes;"));
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }
}
