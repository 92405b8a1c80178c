package io.ancdb.reliability;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A store touching many distinct names keeps its descriptors and memory
 * flat: a child JVM ({@link StoreTouchChild}, fixed heap, pre-touched, so
 * resident memory moves only with native memory) writes to {@code N} new
 * names through a 64-file cache and reports its descriptors and resident
 * memory as it goes. After a warm-up (a fifth of the names, at least 1 000)
 * neither may grow: descriptors stay within the cache's budget and never
 * exceed what the warm-up reached, resident memory grows by at most
 * {@value #RSS_SLACK_KB} kB. 5 000 names in the suite; {@code make
 * store-descriptors} runs 100 000 ({@code -Dstore.names=N}).
 */
class StoreDescriptorsTest {
    /** Allowed growth of resident memory after the warm-up (allocator noise, JIT code). */
    static final long RSS_SLACK_KB = 24 * 1024;
    /** Descriptors beyond the cache's budget: the JVM's own, a file being created and its journal, the directory. */
    static final long DESCRIPTOR_SLACK = 8;

    @TempDir
    Path dir;

    @Test
    void descriptorsAndMemoryStayFlat() throws Exception {
        int names = Integer.getInteger("store.names", 5_000);
        int maxOpen = 64;
        int every = Math.max(100, names / 100);
        ChildJvm jvm = ChildJvm.plain("192m");
        Path stderr = dir.resolve("child.stderr");
        Process p = new ProcessBuilder(jvm.command(StoreTouchChild.class.getName(),
                List.of("-Xms192m", "-XX:+AlwaysPreTouch"), dir.toString(),
                Integer.toString(names), Integer.toString(maxOpen), Integer.toString(every)))
                .redirectError(stderr.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        List<long[]> samples = new ArrayList<>();          // {names, descriptors, rss kB, open files}
        long[] config = null;
        long[] closed = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                String[] w = line.split(" ");
                long[] v = new long[w.length - 1];
                for (int i = 1; i < w.length; i++) {
                    v[i - 1] = Long.parseLong(w[i]);
                }
                switch (w[0]) {
                    case "config" -> config = v;
                    case "sample" -> samples.add(v);
                    case "closed" -> closed = v;
                    default -> throw new AssertionError("unexpected line from the child: " + line);
                }
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.MINUTES), "child did not finish");
        assertEquals(0, p.exitValue(), "child failed:\n" + ChildJvm.tail(stderr, 3000));
        assertTrue(config != null && closed != null && samples.size() >= 10, "child output incomplete");

        long budget = config[2] + config[0] * config[1] + DESCRIPTOR_SLACK;
        long warmNames = Math.max(1_000, names / 5);
        long[] warm = null;
        long maxFds = 0;
        long maxRss = 0;
        for (long[] s : samples) {
            assertTrue(s[3] <= maxOpen, "open files " + s[3] + " after " + s[0] + " names");
            assertTrue(s[1] <= budget, s[1] + " descriptors after " + s[0] + " names, budget " + budget);
            if (warm == null && s[0] >= warmNames) {
                warm = s;
            } else if (warm != null) {
                maxFds = Math.max(maxFds, s[1]);
                maxRss = Math.max(maxRss, s[2]);
            }
        }
        assertTrue(warm != null);
        String summary = String.format("[StoreDescriptorsTest] %d names, %d open at most: descriptors %d at warm-up"
                        + " (%d names), at most %d after; RSS %d kB at warm-up, at most %d kB after (+%d kB);"
                        + " after close: %d descriptors (%d before), RSS %d kB",
                names, maxOpen, warm[1], warm[0], maxFds, warm[2], maxRss, maxRss - warm[2], closed[0], config[2], closed[1]);
        System.out.println(summary);
        String file = System.getProperty("reliability.summary");
        if (file != null && !file.isEmpty()) {
            Files.writeString(Path.of(file), summary + "\n");
        }
        assertTrue(maxFds <= warm[1] + DESCRIPTOR_SLACK, summary);
        assertTrue(maxRss - warm[2] <= RSS_SLACK_KB, summary);
        assertEquals(config[2], closed[0], "closing the store must close every file: " + summary);
    }
}
