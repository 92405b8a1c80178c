package io.ancdb.protocol;

import io.ancdb.protocol.TransportTestSupport.Result;
import io.ancdb.protocol.TransportTestSupport.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real server process on a free loopback port, driven by the Python
 * client ({@code clients/python/test_e2e.py}), stopped with SIGTERM, the file
 * then checked with the stock sqlite3 shell.
 */
class EndToEndTcpTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void pythonClientAgainstTcpServerThenSigtermThenSqlite3() throws Exception {
        TransportTestSupport.requirePythonMsgpack();
        TransportTestSupport.requireSqlite3();
        Path db = dir.resolve("e2e.db");
        String summary;
        try (ServerProcess server = ServerProcess.start(dir, Map.of(), "serve", "--db", db.toString(), "--port", "0")) {
            assertEquals("127.0.0.1", server.host, "binds loopback by default");
            Result r = TransportTestSupport.run(List.of(TransportTestSupport.PYTHON,
                    TransportTestSupport.pythonClientDir().resolve("test_e2e.py").toString(), server.address()),
                    Duration.ofSeconds(90));
            assertEquals(0, r.code(), () -> "test_e2e.py failed:\n" + r.stdout() + r.stderr() + "\nserver log:\n"
                    + readQuietly(server.log));
            String[] lines = r.stdout().trim().split("\n");
            summary = lines[lines.length - 1];
            assertTrue(summary.contains("\"ok\": true"), summary);
            assertEquals(0, server.terminate(), () -> "exit code after SIGTERM; log:\n" + readQuietly(server.log));
            String log = server.log();
            assertTrue(log.contains("database closed"), log);
            assertTrue(log.matches("(?s).*conn \\d+ open from .*"), log);
            assertTrue(log.matches("(?s).*conn \\d+ closed \\(.*\\): \\d+ requests, .*"), log);
        }
        assertFalse(Files.exists(dir.resolve("e2e.db-journal")) && Files.size(dir.resolve("e2e.db-journal")) > 0,
                "hot journal left behind");
        int expected = jsonInt(summary, "expected_count");
        assertEquals(1001, expected);
        assertEquals("ok", TransportTestSupport.sqlite(db, "PRAGMA integrity_check;"));
        assertEquals(String.valueOf(expected), TransportTestSupport.sqlite(db, "SELECT count(*) FROM AgentMemory;"));
        assertEquals("1700000042000|[\"agent-0\",\"even\"]",
                TransportTestSupport.sqlite(db, "SELECT timestamp, tags FROM AgentMemory WHERE id = 42;"));
        assertEquals("0", TransportTestSupport.sqlite(db,
                "SELECT count(*) FROM AgentMemory WHERE id IN (7, 3001);"), "deleted and rolled-back rows absent");
        assertEquals("1", TransportTestSupport.sqlite(db, "SELECT count(*) FROM AgentMemory WHERE id = 2002;"));
        // the client read vectors as bytes (its default) and sent array('f') values as bytes: stored as float32s
        assertTrue(summary.matches("(?s).*\"vectors\": \"(array|numpy)\".*"), summary);
        assertEquals(HexFormat.of().withUpperCase().formatHex(
                        VectorsAsBinTest.le(0.1f, -2.5f, 3.0e38f, Float.POSITIVE_INFINITY)) + "|1",
                TransportTestSupport.sqlite(db, "SELECT hex(v), v = (SELECT v FROM Vec WHERE id = 2) FROM Vec"
                        + " WHERE id = 1;"));
    }

    /** The client's own unit tests (fake server; no JVM server needed). */
    @Test
    @Timeout(60)
    void pythonClientUnitTests() throws Exception {
        TransportTestSupport.requirePythonMsgpack();
        Result r = TransportTestSupport.run(List.of(TransportTestSupport.PYTHON, "-m", "unittest", "discover", "-s", TransportTestSupport.pythonClientDir().toString(), "-p", "test_anc_db.py"),
                Duration.ofSeconds(60));
        assertEquals(0, r.code(), () -> r.stdout() + r.stderr());
        assertTrue(r.stderr().contains("OK"), r.stderr());
    }

    static int jsonInt(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\": (\\d+)").matcher(json);
        assertTrue(m.find(), key + " in " + json);
        return Integer.parseInt(m.group(1));
    }

    static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "<" + e + ">";
        }
    }
}
