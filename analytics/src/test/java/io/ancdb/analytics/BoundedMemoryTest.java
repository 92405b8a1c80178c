package io.ancdb.analytics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loading streams: a child JVM with a 32 MiB heap loads a store whose rows
 * would take several times that as Java objects (and DuckDB, at a 256 MB
 * memory limit, spills what does not fit), and answers over every row. The
 * size is {@code -Danalytics.memoryPairs} x {@code -Danalytics.memoryRallies}
 * rallies a week for 6 months ({@code make analytics-memory} runs 10 M rows).
 */
class BoundedMemoryTest {
    @TempDir
    Path dir;

    @Test
    void aSmallHeapLoadsAStoreManyTimesItsSize() throws Exception {
        int pairs = Integer.getInteger("analytics.memoryPairs", 100);
        int rallies = Integer.getInteger("analytics.memoryRallies", 80);
        String heap = System.getProperty("analytics.memoryHeap", "32m");
        RallyGenerator.Result gen = RallyGenerator.generate(dir, RallyGenerator.Plan.of(pairs, 6, 5, rallies), 2, null);
        // about 220 characters of body alone per row: as Java strings (2 bytes a char) far beyond the heap
        long bodyBytes = gen.events() * 220L;
        System.out.printf("BoundedMemoryTest: %d rows (%d MB of body text) in %d files, child heap %s%n",
                gen.events(), bodyBytes >> 20, pairs, heap);
        assertTrue(bodyBytes * 2 > 4L * 32 * 1024 * 1024 || !heap.equals("32m"),
                "the store must be four times the heap (as Java chars) for this test to mean anything");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "sql", "--store", dir.toString(), "--quiet", "--memory-limit", "256MB", "--format", "csv",
                "SELECT count(*) AS n, sum(length(body)) AS chars FROM Event"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.MINUTES), "the child JVM hung");
        assertEquals(0, p.exitValue(), out);
        assertEquals("n,chars\r\n" + gen.events() + "," + bodyBytes + "\r\n", out.substring(out.indexOf("n,chars")));
    }
}
