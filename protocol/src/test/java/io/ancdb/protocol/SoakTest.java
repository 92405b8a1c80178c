package io.ancdb.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SoakRunner} with {@link SoakRunner#SUITE_OPS} operations (override with -Dancdb.soak.ops, as
 * {@code make soak-protocol} does): the server's memory and descriptors stay flat, the file intact.
 */
class SoakTest {
    @TempDir
    Path dir;

    @Test
    void tenConnectionsOfMixedWorkLeaveMemoryAndDescriptorsFlat() throws Exception {
        long ops = Long.getLong("ancdb.soak.ops", SoakRunner.SUITE_OPS);
        GrowthCheck check = GrowthCheck.defaults();
        assertTrue(check.detects(1024, ops * 9 / 10), "too few operations to see a 1 KiB-per-operation leak");
        SoakRunner.Report r = assertTimeoutPreemptively(Duration.ofSeconds(Math.max(600, ops / 100)),
                () -> SoakRunner.run(ops, dir, check));
        System.out.println(r.summary());
        assertTrue(r.failures().isEmpty(), r::summary);
        assertEquals("ok", r.integrityCheck());
        assertEquals(SoakRunner.PHASES, r.samples().size());
    }
}
