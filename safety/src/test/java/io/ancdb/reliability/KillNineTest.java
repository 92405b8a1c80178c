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
 * every kill no acknowledged write may be missing, no other may be
 * half-applied, indexes must match their table and both integrity checks
 * must pass. Two kinds of lane run, each lane on its own file, lanes
 * alternating DELETE and WAL journal modes: one transaction after another
 * ({@link KillTxnCheck}; every second pair of these lanes writes an encrypted
 * file, SQLCipher 4 format, its raw key handed to the children in the
 * environment: lane 0 DELETE, 1 WAL, 2 DELETE encrypted, 3 WAL encrypted),
 * and many threads writing through group commit ({@link GroupKillCheck}:
 * acknowledged calls present, planned failures absent, every call whole or
 * absent; plaintext).
 *
 * <p>System properties: {@code reliability.kills} (total of the first kind,
 * default 200), {@code reliability.groupKills} (total of the group-commit
 * kind, default 100), {@code reliability.lanes} (lanes of the first kind,
 * default 4), {@code reliability.groupLanes} (default 2),
 * {@code reliability.parallel} (lanes of one kind running at once, default
 * 2), {@code reliability.seed} (workload seed, default random),
 * {@code reliability.maxDelayMs} (latest kill after the child started
 * writing, default 300), {@code reliability.summary} and
 * {@code reliability.groupSummary} (files to write the summaries to),
 * {@code reliability.aot} (false: no AOT cache for the children).
 */
class KillNineTest {
    @TempDir
    Path dir;

    /** Makes the check of a lane (journal mode, seed, and the raw key of an encrypted lane or null). */
    private interface Checks {
        KillLane.Check make(JournalMode mode, long seed, byte[] key);
    }

    @Test
    void acknowledgedTransactionsSurviveKill9() throws Exception {
        KillTally total = runLanes("KillNineTest", Integer.getInteger("reliability.kills", 200), KillChild.class,
                KillTxnCheck::new, "reliability.summary", "", Integer.getInteger("reliability.lanes", 4), true);
        // the loop must really have killed children in the middle of transactions and of recovery
        assertTrue(total.killsInFlight > 0 && total.killsDuringOpen > 0 && total.transactionsCommitted > 0,
                total.details());
    }

    @Test
    void acknowledgedGroupCommitsSurviveKill9() throws Exception {
        KillTally total = runLanes("KillNineTest group commit", Integer.getInteger("reliability.groupKills", 100),
                GroupKillChild.class, (mode, seed, key) -> new GroupKillCheck(mode, seed), "reliability.groupSummary",
                GroupKillWorkload.THREADS + " writer threads per child through group commit; ",
                Integer.getInteger("reliability.groupLanes", 2), false);
        assertTrue(total.killsInFlight > 0 && total.transactionsCommitted > 0, total.details());
    }

    private KillTally runLanes(String what, int kills, Class<?> child, Checks checks, String summaryProperty,
                               String about, int lanes, boolean encryptedPairs) throws Exception {
        int parallel = Integer.getInteger("reliability.parallel", 2);
        long seed = Long.getLong("reliability.seed", System.nanoTime() & 0xFFFFFFL);
        int maxDelayMs = Integer.getInteger("reliability.maxDelayMs", 300);
        TestSeeds.announce(what + " (lane i uses seed + i)", "reliability.seed", seed);
        long t0 = System.nanoTime();
        Path train = dir.resolve("aot-train");
        Files.createDirectories(train);
        ChildJvm jvm = ChildJvm.withAotCache(dir.resolve("aot"), "64m", child.getName(), "train", train.toString());

        ExecutorService pool = Executors.newFixedThreadPool(Math.min(lanes, parallel));
        List<KillLane> all = new ArrayList<>();
        List<Future<KillTally>> futures = new ArrayList<>();
        for (int l = 0; l < lanes; l++) {
            JournalMode mode = l % 2 == 0 ? JournalMode.DELETE : JournalMode.WAL;
            int share = kills / lanes + (l < kills % lanes ? 1 : 0);
            byte[] key = encryptedPairs && l / 2 % 2 == 1 ? EnvKey.fromSeed(seed + l) : null;
            KillLane lane = new KillLane("lane" + l, mode + ", seed " + (seed + l) + (key == null ? "" : ", encrypted"),
                    seed + l, dir.resolve("lane" + l), jvm, maxDelayMs, key, checks.make(mode, seed + l, key));
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
        String summary = total.headline() + "\n" + total.details() + "\n" + perLane + about
                + "lanes: " + lanes + " (DELETE and WAL alternating" + (encryptedPairs ? ", every second pair encrypted" : "")
                + "), " + parallel + " at once, synchronous FULL, seed " + seed + ", children "
                + (jvm.aot() ? "with" : "without") + " an AOT cache, " + seconds + " s\n"
                + String.join("\n", total.failures);
        System.out.println(summary);
        String summaryFile = System.getProperty(summaryProperty);
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
        return total;
    }
}
