package io.ancdb.reliability;

import io.ancdb.CipherOracle;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kill -9 during writes spread over 200 files of a store: {@link StoreKillChild}
 * children write from 3 threads (through a 64-file cache, so files are being
 * created, evicted and reopened) and are SIGKILLed at random moments. After
 * every kill: every acknowledged event is in the file it was written to; no
 * event is in another file; every transaction is whole; each file's version
 * equals the number of transactions in it; and the stock shell's
 * {@code PRAGMA integrity_check} passes on every file. A second store runs
 * the same with a master key (handed to the children in the environment):
 * every file encrypted with its own key, checked by the SQLCipher oracle
 * with the file's raw key ({@link Store#rawKey}).
 *
 * <p>System properties: {@code reliability.storeKills} (default 8),
 * {@code reliability.storeKillsEncrypted} (default 4), {@code reliability.seed}
 * (default random), {@code reliability.summary}.
 */
class StoreKillTest {
    private static final byte[] PLAIN_HEADER = "SQLite format 3".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    /** Kills and acknowledgements of one store. */
    private record Tally(int kills, long acks, int events) {
    }

    @Test
    void acknowledgedWritesSurviveInTheirOwnFiles() throws Exception {
        int kills = Integer.getInteger("reliability.storeKills", 8);
        int encryptedKills = Integer.getInteger("reliability.storeKillsEncrypted", 4);
        long seed = Long.getLong("reliability.seed", System.nanoTime() & 0xFFFFFFL);
        System.out.println("[StoreKillTest] " + kills + " + " + encryptedKills + " encrypted kills, seed " + seed
                + " (replay: -Dreliability.seed=" + seed + ")");
        long t0 = System.nanoTime();
        Tally plain = killStore(dir.resolve("store"), kills, null, seed);
        Tally encrypted = killStore(dir.resolve("encrypted-store"), encryptedKills, EnvKey.fromSeed(seed), seed + 1);
        String summary = String.format("store kill -9: %d kills, %d acknowledged transactions (%d events) over %d files,"
                        + " all present in their own files, every file intact; encrypted store (a master key, a key per"
                        + " file): %d kills, %d acknowledged transactions (%d events), the same (seed %d, %.0f s)",
                plain.kills(), plain.acks(), plain.events(), StoreKillChild.FILES, encrypted.kills(), encrypted.acks(),
                encrypted.events(), seed, (System.nanoTime() - t0) / 1e9);
        System.out.println(summary);
        String file = System.getProperty("reliability.summary");
        if (file != null && !file.isEmpty()) {
            Files.writeString(Path.of(file), summary + "\n");
        }
        assertTrue(plain.acks() > plain.kills(), "the children acknowledged almost nothing: " + summary);
        assertTrue(encryptedKills == 0 || encrypted.acks() > encrypted.kills(),
                "the encrypted store's children acknowledged almost nothing: " + summary);
    }

    /** {@code kills} children killed while writing to the store in {@code store} ({@code master}: encrypted). */
    private static Tally killStore(Path store, int kills, byte[] master, long seed) throws Exception {
        Random timing = new Random(seed);
        ChildJvm jvm = ChildJvm.plain("128m");
        Map<Long, String> acked = new HashMap<>();          // every acknowledged event: seq -> file
        long totalAcks = 0;
        Files.createDirectories(store);
        for (int k = 1; k <= kills; k++) {
            Path stderr = store.resolveSibling(store.getFileName() + "-child.stderr");
            ProcessBuilder pb = new ProcessBuilder(jvm.command(StoreKillChild.class.getName(), List.of(), store.toString(),
                    Long.toString(seed + k), Long.toString(k * 1_000_000_000L), "3"))
                    .redirectError(stderr.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            EnvKey.pass(pb, master);
            Process p = pb.start();
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
            verify(store, master, acked, (master == null ? "" : "encrypted store, ") + "kill " + k + " (seed " + seed + ")");
        }
        return new Tally(kills, totalAcks, acked.size());
    }

    private static void verify(Path dir, byte[] master, Map<Long, String> acked, String when) throws java.io.IOException {
        Map<Long, String> found = new HashMap<>();
        Map<String, String> existing = new TreeMap<>();     // name -> raw key text (null: plaintext)
        try (Store store = Store.open(dir, StoreKillChild.options(master))) {
            for (int f = 0; f < StoreKillChild.FILES; f++) {
                String name = StoreKillChild.name(f);
                if (!store.exists(name)) {
                    continue;
                }
                existing.put(name, master == null ? null : new String(store.rawKey(name)));
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
        if (master == null) {
            StringBuilder sql = new StringBuilder();
            for (String name : existing.keySet()) {
                sql.append(".open ").append(dir.resolve(name + ".db")).append("\nPRAGMA integrity_check;\n");
            }
            List<String> out = existing.isEmpty() ? List.of() : SqliteShell.lines(dir.resolve(".unused"), sql.toString());
            assertEquals(existing.size(), out.size(), when);
            assertEquals(existing.isEmpty() ? Set.of() : Set.of("ok"), new HashSet<>(out), when + ": integrity_check");
            return;
        }
        for (Map.Entry<String, String> e : existing.entrySet()) {
            Path file = dir.resolve(e.getKey() + ".db");
            byte[] head = Arrays.copyOf(Files.readAllBytes(file), PLAIN_HEADER.length);
            assertFalse(Arrays.equals(head, PLAIN_HEADER), when + ": " + file.getFileName() + " is plaintext");
            assertEquals(List.of("ok"), CipherOracle.run(e.getValue(), file, "PRAGMA integrity_check"),
                    when + ": the oracle's integrity_check of " + file.getFileName());
        }
    }
}
