package io.ancdb.reliability;

import io.ancdb.KeyRange;
import io.ancdb.SqliteShell;
import io.ancdb.store.Store;
import io.ancdb.typed.RecordCursor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kill -9 during writes spread over 200 files of a store: {@link StoreKillChild}
 * children write from 3 threads (through a 64-file cache, so files are being
 * created, evicted and reopened) and are SIGKILLed at random moments. After
 * every kill: every acknowledged event is in the file it was written to; no
 * event is in another file; every transaction is whole; each file's version
 * equals the number of transactions in it; and the stock shell's
 * {@code PRAGMA integrity_check} passes on every file.
 *
 * <p>System properties: {@code reliability.storeKills} (default 8),
 * {@code reliability.seed} (default random), {@code reliability.summary}.
 */
class StoreKillTest {
    @TempDir
    Path dir;

    @Test
    void acknowledgedWritesSurviveInTheirOwnFiles() throws Exception {
        int kills = Integer.getInteger("reliability.storeKills", 8);
        long seed = Long.getLong("reliability.seed", System.nanoTime() & 0xFFFFFFL);
        System.out.println("[StoreKillTest] " + kills + " kills, seed " + seed + " (replay: -Dreliability.seed=" + seed + ")");
        Random timing = new Random(seed);
        Path store = dir.resolve("store");
        ChildJvm jvm = ChildJvm.plain("128m");
        Map<Long, String> acked = new HashMap<>();          // every acknowledged event: seq -> file
        long t0 = System.nanoTime();
        long totalAcks = 0;
        for (int k = 1; k <= kills; k++) {
            Path stderr = dir.resolve("child.stderr");
            Process p = new ProcessBuilder(jvm.command(StoreKillChild.class.getName(), List.of(), store.toString(),
                    Long.toString(seed + k), Long.toString(k * 1_000_000_000L), "3"))
                    .redirectError(stderr.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            CompletableFuture<Boolean> started = new CompletableFuture<>();
            List<String> lines = new ArrayList<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        if (line.equals("started")) {
                            started.complete(true);
                        } else {
                            lines.add(line);
                        }
                    }
                } catch (java.io.IOException e) {
                    lines.add("unreadable: " + e);
                } finally {
                    started.complete(false);
                }
            }, "store-kill-stdout");
            reader.start();
            assertTrue(started.get(120, TimeUnit.SECONDS), "child never started:\n" + ChildJvm.tail(stderr, 3000));
            Thread.sleep(300 + timing.nextInt(1700));         // into the writes: files being created, evicted, written
            assertTrue(p.isAlive(), "child exited before the kill:\n" + ChildJvm.tail(stderr, 3000));
            p.toHandle().destroyForcibly();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            reader.join(60_000);
            assertEquals(137, p.exitValue());
            for (String line : lines) {
                String[] w = line.split(" ");
                assertEquals("ack", w[0], "unexpected line " + line);
                for (int i = 2; i < w.length; i++) {
                    acked.put(Long.parseLong(w[i]), w[1]);
                }
                totalAcks++;
            }
            verify(store, acked, "kill " + k + " (seed " + seed + ")");
        }
        String summary = String.format("store kill -9: %d kills, %d acknowledged transactions (%d events) over %d files,"
                        + " all present in their own files, every file intact (seed %d, %.0f s)",
                kills, totalAcks, acked.size(), StoreKillChild.FILES, seed, (System.nanoTime() - t0) / 1e9);
        System.out.println(summary);
        String file = System.getProperty("reliability.summary");
        if (file != null && !file.isEmpty()) {
            Files.writeString(Path.of(file), summary + "\n");
        }
        assertTrue(totalAcks > kills, "the children acknowledged almost nothing: " + summary);
    }

    private static void verify(Path dir, Map<Long, String> acked, String when) {
        Map<Long, String> found = new HashMap<>();
        List<String> existing = new ArrayList<>();
        try (Store store = Store.open(dir, StoreKillChild.options())) {
            for (int f = 0; f < StoreKillChild.FILES; f++) {
                String name = StoreKillChild.name(f);
                if (!store.exists(name)) {
                    continue;
                }
                existing.add(name);
                store.read(name, r -> {
                    Map<Long, Long> txSizes = new HashMap<>();
                    Map<Long, Long> txSeen = new HashMap<>();
                    try (RecordCursor<Map<String, Object>> c = r.records("Event").scan(r.tx(), KeyRange.all())) {
                        c.forEachRemaining(e -> {
                            long seq = (Long) e.get("seq");
                            assertEquals(name, e.get("file"), when + ": event " + seq + " of " + e.get("file")
                                    + " found in " + name);
                            assertTrue(found.put(seq, name) == null, when + ": event " + seq + " twice");
                            txSizes.put((Long) e.get("tx"), (Long) e.get("n"));
                            txSeen.merge((Long) e.get("tx"), 1L, Long::sum);
                        });
                    }
                    assertEquals(txSizes, txSeen, when + ": a transaction of " + name + " is not whole");
                    assertEquals((long) txSizes.size(), r.version(), when + ": version of " + name);
                    return null;
                });
            }
        }
        for (Map.Entry<Long, String> a : acked.entrySet()) {
            assertEquals(a.getValue(), found.get(a.getKey()), when + ": acknowledged event " + a.getKey());
        }
        StringBuilder sql = new StringBuilder();
        for (String name : existing) {
            sql.append(".open ").append(dir.resolve(name + ".db")).append("\nPRAGMA integrity_check;\n");
        }
        List<String> out = existing.isEmpty() ? List.of() : SqliteShell.lines(dir.resolve(".unused"), sql.toString());
        assertEquals(existing.size(), out.size(), when);
        Set<String> results = new HashSet<>(out);
        assertEquals(existing.isEmpty() ? Set.of() : Set.of("ok"), results, when + ": integrity_check");
    }
}
