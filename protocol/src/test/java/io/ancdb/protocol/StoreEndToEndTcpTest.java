package io.ancdb.protocol;

import io.ancdb.protocol.StoreReadmeProtocolTest.Ran;
import io.ancdb.protocol.TransportTestSupport.ServerProcess;
import io.ancdb.store.Principal;
import io.ancdb.store.TokenFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Python client's store calls ({@code clients/python/test_store_e2e.py})
 * against a {@code serve --store --token-file} process, stopped with SIGTERM;
 * then the stock sqlite3 shell checks a pair file.
 */
class StoreEndToEndTcpTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void pythonStoreCallsAgainstServeStore() throws Exception {
        TransportTestSupport.requirePythonMsgpack();
        TransportTestSupport.requireSqlite3();
        String acme = "acme-" + "0123456789abcdef".repeat(2);
        String admin = "admin-" + "fedcba9876543210".repeat(2);
        Path tokens = dir.resolve("tokens");
        Files.write(tokens, List.of(TokenFile.entry(acme, Principal.party("acme", true))));
        Path store = dir.resolve("pairs");
        try (ServerProcess server = ServerProcess.start(dir, Map.of(), "serve", "--store", store.toString(),
                "--token-file", tokens.toString(), "--token", admin, "--port", "0")) {
            Ran r = StoreReadmeProtocolTest.run(dir, List.of(TransportTestSupport.PYTHON,
                    TransportTestSupport.pythonClientDir().resolve("test_store_e2e.py").toString()),
                    Map.of("ANCDB_ADDRESS", server.address(), "ACME_TOKEN", acme, "ADMIN_TOKEN", admin));
            assertEquals(0, r.code(), () -> r.out() + r.err() + "\nserver log:\n"
                    + EndToEndTcpTest.readQuietly(server.log));
            assertTrue(r.out().contains("{\"ok\": true, \"files\": 4}"), r.out());
            assertEquals(0, server.terminate());
            assertTrue(server.log().contains("serving store pairs"), server.log());
        }
        assertEquals("ok", TransportTestSupport.sqlite(store.resolve("acme.globex.db"), "PRAGMA integrity_check;"));
        assertEquals("3", TransportTestSupport.sqlite(store.resolve("acme.globex.db"), "PRAGMA user_version;"));
        assertEquals("1|quote\n2|order", TransportTestSupport.sqlite(store.resolve("acme.globex.db"),
                "SELECT id, kind FROM Event ORDER BY id;"));
        assertTrue(Files.notExists(store.resolve("acme.zeta.db")), "dropped");
    }
}
