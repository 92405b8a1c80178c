package io.ancdb.protocol;

import io.ancdb.protocol.FuzzWire.Answer;
import io.ancdb.protocol.TransportTestSupport.ServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.ancdb.protocol.Msg.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The threat model's promises, against an {@code ancdb serve} process with a
 * token: loopback by default, nothing but a right Auth accepted first (every
 * command, every near-miss token, one indistinguishable refusal each, then a
 * close), and sizes declared far over the limits, or within them but never
 * sent, cost the server no memory. (The comparison itself is
 * {@code MessageDigest.isEqual} over SHA-256 digests in {@code Session.auth}:
 * constant time, and the digest hides the token's length.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class TcpSecurityTest {
    private static final String TOKEN = "security-test-token-d41d8c";
    private Path dir;
    private ServerProcess server;
    private final WireErrorAudit audit = new WireErrorAudit(List.of("security.db"));

    @BeforeAll
    void start() throws IOException {
        dir = Files.createTempDirectory("ancdb-security");
        server = ServerProcess.start(dir, Map.of("ANCDB_TOKEN", TOKEN), "serve", "--db",
                dir.resolve("security.db").toString(), "--port", "0");
        try (FuzzWire w = FuzzWire.authenticated(server.host, server.port, TOKEN, audit)) {
            assertEquals(0, w.call(Msg.pack(map("cmd", 0x20, "schema", "S", "fields", List.of(
                    map("name", "id", "type", "u64", "primary_key", true),
                    map("name", "v", "type", "str"))))).status());
            assertEquals(0, w.call(Msg.pack(map("cmd", 0x03, "schema", "S", "record", map("id", 1L, "v", "one"))))
                    .status());
        }
    }

    @AfterAll
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void bindsLoopbackByDefaultAndIsNotReachableFromOtherAddresses() throws Exception {
        assertEquals("127.0.0.1", Main.parse(new String[] {"serve", "--db", "x.db"}, Map.of()).host());
        assertEquals("127.0.0.1", server.host);
        assertFalse(server.log().contains("NOT loopback"), server.log());
        List<InetAddress> external = new ArrayList<>();
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && ni.isUp()) {
                    external.add(a);
                }
            }
        }
        Assumptions.assumeFalse(external.isEmpty(), "this machine has no non-loopback IPv4 address");
        for (InetAddress a : external) {
            try (Socket s = new Socket()) {
                assertThrows(ConnectException.class, () -> s.connect(new InetSocketAddress(a, server.port), 5000),
                        "reachable on " + a);
            }
        }
    }

    @Test
    void nothingButTheRightTokenGetsIn() throws Exception {
        List<byte[]> attempts = new ArrayList<>();
        for (int cmd : new int[] {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x10, 0x11, 0x12, 0x20, 0x21, 0x22, 0x99}) {
            attempts.add(Msg.pack(map("cmd", cmd, "schema", "S", "key", 1L, "record", map("id", 2L, "v", "x"),
                    "records", List.of(map("id", 3L)), "delta", map("v", "y"), "fields", List.of(
                            map("name", "id", "type", "u64", "primary_key", true)))));
        }
        String nearMiss = TOKEN.substring(0, TOKEN.length() - 1) + (char) (TOKEN.charAt(TOKEN.length() - 1) ^ 1);
        for (Object wrong : new Object[] {null, "", nearMiss, TOKEN.substring(1), TOKEN + " ", TOKEN.toUpperCase(),
                "x".repeat(10_000), 12345L, List.of(TOKEN), map("token", TOKEN)}) {
            attempts.add(Msg.pack(map("cmd", 0x30, "token", wrong)));
        }
        attempts.add(Msg.pack(map("cmd", 0x30)));
        attempts.add(Msg.pack(List.of(0x01, "S", map("key", 1L))));                    // compact form
        attempts.add(Msg.pack(map("token", TOKEN, "cmd", 0x01, "schema", "S", "key", 1L)));   // token, but no Auth
        Set<String> refusals = new HashSet<>();
        for (byte[] attempt : attempts) {
            try (FuzzWire w = new FuzzWire(server.host, server.port, audit)) {
                Answer a = w.call(attempt);
                assertEquals(Status.UNAUTHORIZED, a.status(), () -> "refused: " + Msg.unpack(attempt));
                assertTrue(w.closedByServer(10_000), "closed after the refusal");
                refusals.add(a.error());
            }
        }
        // a wrong token gets the same answer however close it was: nothing to steer a guess by
        long distinctForTokens = refusals.stream().filter(e -> e.contains("wrong token")).count();
        assertTrue(distinctForTokens <= 1, refusals.toString());
        try (FuzzWire w = FuzzWire.authenticated(server.host, server.port, TOKEN, audit)) {
            Answer scan = w.call(Msg.pack(map("cmd", 0x02, "schema", "S")));
            assertEquals(List.of(map("id", 1L, "v", "one")), scan.data(), "no refused request changed anything");
            Answer schemas = w.call(Msg.pack(map("cmd", 0x21)));
            assertEquals(1, ((List<?>) schemas.data()).size(), schemas.toString());
        }
    }

    @Test
    void hugeDeclaredSizesCostNothing() throws Exception {
        ProcessProbe probe = new ProcessProbe(server.process.pid());
        long heapBefore = probe.heapAfterGcKb();
        // 2 GiB - 1 declared, far over the 16 MiB limit: refused from the 5 header bytes
        for (byte type : new byte[] {(byte) 0xc6, (byte) 0xdb, (byte) 0xc9}) {
            // Only the 5 header bytes are sent: an answer at all shows the server did not wait for the body.
            try (FuzzWire w = FuzzWire.authenticated(server.host, server.port, TOKEN, audit)) {
                Answer a = w.call(new byte[] {type, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});
                assertEquals(Status.LIMIT_EXCEEDED, a.status(), a.toString());
                assertTrue(w.closedByServer(10_000));
            }
        }
        // 40 connections each declare a 15 MiB value (within the limit) and send 4 KiB of it: 600 MiB if the
        // server trusted the headers, over its 256 MiB heap; it holds only what arrived
        List<FuzzWire> holders = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                FuzzWire w = FuzzWire.authenticated(server.host, server.port, TOKEN, audit);
                holders.add(w);
                int n = 15 << 20;
                w.send(HostileMessages.concat(new byte[] {(byte) 0x81, (byte) 0xa1, 'x', (byte) 0xc6, (byte) (n >>> 24),
                        (byte) (n >>> 16), (byte) (n >>> 8), (byte) n}, new byte[4096]));
            }
            Thread.sleep(500);
            long heapHolding = probe.heapAfterGcKb();
            System.out.printf("server heap after GC: %d KiB before, %d KiB while 40 connections each hold a"
                    + " 15 MiB claim with 4 KiB sent%n", heapBefore, heapHolding);
            assertTrue(heapHolding - heapBefore < 32 * 1024, "heap grew from " + heapBefore + " KiB to "
                    + heapHolding + " KiB while 40 connections declared 15 MiB each");
            try (FuzzWire w = FuzzWire.authenticated(server.host, server.port, TOKEN, audit)) {
                assertEquals(0, w.call(Msg.pack(map("cmd", 0x01, "schema", "S", "key", 1L))).status());
            }
        } finally {
            holders.forEach(FuzzWire::close);
        }
        assertTrue(server.process.isAlive());
        assertFalse(server.log().contains("OutOfMemoryError"), server.log());
    }
}
