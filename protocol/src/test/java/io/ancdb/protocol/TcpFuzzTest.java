package io.ancdb.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link NetworkFuzzer} with 100 000 hostile messages (override with
 * -Dancdb.fuzz.messages, as {@code make fuzz-protocol} does) over 4 fuzzing
 * connections next to 2 canaries, against an {@code ancdb serve} process.
 */
class TcpFuzzTest {
    @TempDir
    Path dir;

    @Test
    void hostileTrafficNeverKillsTheServerBreaksACanaryOrTheFile() throws Exception {
        long messages = Long.getLong("ancdb.fuzz.messages", 100_000);
        int fuzzers = Integer.getInteger("ancdb.fuzz.connections", 4);
        int canaries = Integer.getInteger("ancdb.fuzz.canaries", 2);
        long seed = Long.getLong("ancdb.fuzz.seed", 20261123L);
        System.out.println("TcpFuzzTest: seed " + seed + " (replay with -Dancdb.fuzz.seed=" + seed + ")");
        // 10 minutes for the suite's 100 000; a make-target run gets time in proportion
        Duration limit = Duration.ofSeconds(Math.max(600, messages / 150));
        NetworkFuzzer.Report r = assertTimeoutPreemptively(limit,
                () -> NetworkFuzzer.run(new NetworkFuzzer.Config(messages, fuzzers, canaries, seed), dir));
        System.out.println(r.summary());
        assertTrue(r.failures().isEmpty(), r::summary);
        assertEquals(messages, r.sent());
        assertEquals("ok", r.integrityCheck());
        assertTrue(r.canaryOps() > 100, "the canaries kept working: " + r.canaryOps());
        for (HostileMessages.Kind k : HostileMessages.Kind.values()) {
            assertTrue(r.sentByKind().getOrDefault(k.name(), 0L) > 0, "no " + k + " message sent");
        }
    }
}
