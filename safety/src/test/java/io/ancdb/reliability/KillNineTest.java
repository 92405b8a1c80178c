package io.ancdb.reliability;

import io.ancdb.DatabaseOptions.JournalMode;
import io.ancdb.TestSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kill -9 durability loop (see {@link KillLane}): children write through
 * ANC-DB with synchronous FULL and are SIGKILLed at random moments; after
 * every kill no acknowledged transaction may be missing, no other may be
 * half-applied, indexes must match their table and both integrity checks
 * must pass. Each lane has a file of its own: lanes alternate DELETE and WAL
 * journal modes, and every second pair of lanes writes an encrypted file
 * (SQLCipher 4 format, a raw key handed to the children in the environment):
 * lane 0 DELETE, 1 WAL, 2 DELETE encrypted, 3 WAL encrypted, and so on.
 *
 * <p>System properties: {@code reliability.kills} (total, default 200),
 * {@code reliability.lanes} (default 4), {@code reliability.parallel} (lanes
 * running at once, default 2), {@code reliability.seed} (workload seed,
 * default random), {@code reliability.maxDelayMs} (latest kill after the
 * child started writing, default 300), {@code reliability.summary} (a file
 * to write the summary to), {@code reliability.aot} (false: no AOT cache for
 * the children).
 */
class KillNineTest {
    @TempDir
    Path dir;

    @Test
    void acknowledgedTransactionsSurviveKill9() throws Exception {
        int kills = Integer.getInteger("reliability.kills", 200);
        int lanes = Integer.getInteger("reliability.lanes", 4);
        int parallel = Integer.getInteger("reliability.parallel", 2);
        long seed = Long.getLong("reliability.seed", System.nanoTime() & 0xFFFFFFL);
        int maxDelayMs = Integer.getInteger("reliability.maxDelayMs", 300);
        TestSeeds.announce("KillNineTest (lane i uses seed + i)", "reliability.seed", seed);
        long t0 = System.nanoTime();
        Path train = dir.resolve("aot-train");
        Files.createDirectories(train);
        ChildJvm jvm = ChildJvm.withAotCache(dir.resolve("aot"), "64m", KillChild.class.getName(),
                "train", train.toString());

        ExecutorService pool = Executors.newFixedThreadPool(Math.min(lanes, parallel));
        List<KillLane> all = new ArrayList<>();
        List<Future<KillTally>> futures = new ArrayList<>();
        for (int l = 0; l < lanes; l++) {
            JournalMode mode = l % 2 == 0 ? JournalMode.DELETE : JournalMode.WAL;
            boolean encrypted = l / 2 % 2 == 1;
            int share = kills / lanes + (l < kills % lanes ? 1 : 0);
            KillLane lane = new KillLane("lane" + l, mode, encrypted, seed + l, dir.resolve("lane" + l), jvm, maxDelayMs);
            all.add(lane);
            futures.add(pool.submit(() -> lane.run(share)));
        }
        KillTally total = new KillTally();
        StringBuilder perLane = new StringBuilder();
        for (int l = 0; l < lanes; l++) {
            KillTally t = futures.get(l).get();
            perLane.append("  ").append(all.get(l).label()).append(": ").append(t.headline()).append('\n');
            total = total.plus(t);
        }
        pool.shutdown();

        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        String summary = total.headline() + "\n" + total.details() + "\n" + perLane
                + "lanes: " + lanes + " (DELETE and WAL alternating, every second pair encrypted), " + parallel
                + " at once, synchronous FULL, seed " + seed + ", children " + (jvm.aot() ? "with" : "without")
                + " an AOT cache, " + seconds + " s\n"
                + String.join("\n", total.failures);
        System.out.println(summary);
        String summaryFile = System.getProperty("reliability.summary");
        if (summaryFile != null && !summaryFile.isEmpty()) {
            Path out = Path.of(summaryFile);
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, summary + "\n");
        }

        assertEquals(List.of(), total.failures);
        assertEquals(kills, total.kills);
        assertEquals(kills, total.recoveriesVerified);
        assertEquals(0, total.acknowledgedLost);
        assertEquals(0, total.integrityFailures);
        // the loop must really have killed children in the middle of transactions and of recovery
        assertTrue(total.killsInFlight > 0 && total.killsDuringOpen > 0 && total.transactionsCommitted > 0,
                total.details());
    }
}
