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
 * must pass. Two kinds of lane, each alternating DELETE and WAL journal
 * modes, run in parallel, each on its own file: one transaction after
 * another ({@link KillTxnCheck}), and many threads writing through group
 * commit ({@link GroupKillCheck}: acknowledged calls present, planned
 * failures absent, every call whole or absent).
 *
 * <p>System properties: {@code reliability.kills} (total of the first kind,
 * default 200), {@code reliability.groupKills} (total of the group-commit
 * kind, default 100), {@code reliability.lanes} (default 2 of each kind),
 * {@code reliability.seed} (workload seed, default random),
 * {@code reliability.maxDelayMs} (latest kill after the child started
 * writing, default 300), {@code reliability.summary} and
 * {@code reliability.groupSummary} (files to write the summaries to),
 * {@code reliability.aot} (false: no AOT cache for the children).
 */
class KillNineTest {
    @TempDir
    Path dir;

    /** Makes the check of lane {@code l} (journal mode {@code mode}, seed {@code seed}). */
    private interface Checks {
        KillLane.Check make(JournalMode mode, long seed);
    }

    @Test
    void acknowledgedTransactionsSurviveKill9() throws Exception {
        KillTally total = runLanes("KillNineTest", Integer.getInteger("reliability.kills", 200), KillChild.class,
                KillTxnCheck::new, "reliability.summary", "");
        // the loop must really have killed children in the middle of transactions and of recovery
        assertTrue(total.killsInFlight > 0 && total.killsDuringOpen > 0 && total.transactionsCommitted > 0,
                total.details());
    }

    @Test
    void acknowledgedGroupCommitsSurviveKill9() throws Exception {
        KillTally total = runLanes("KillNineTest group commit", Integer.getInteger("reliability.groupKills", 100),
                GroupKillChild.class, GroupKillCheck::new, "reliability.groupSummary",
                GroupKillWorkload.THREADS + " writer threads per child through group commit; ");
        assertTrue(total.killsInFlight > 0 && total.transactionsCommitted > 0, total.details());
    }

    private KillTally runLanes(String what, int kills, Class<?> child, Checks checks, String summaryProperty,
                               String about) throws Exception {
        int lanes = Integer.getInteger("reliability.lanes", 2);
        long seed = Long.getLong("reliability.seed", System.nanoTime() & 0xFFFFFFL);
        int maxDelayMs = Integer.getInteger("reliability.maxDelayMs", 300);
        TestSeeds.announce(what + " (lane i uses seed + i)", "reliability.seed", seed);
        long t0 = System.nanoTime();
        Path train = dir.resolve("aot-train");
        Files.createDirectories(train);
        ChildJvm jvm = ChildJvm.withAotCache(dir.resolve("aot"), "64m", child.getName(), "train", train.toString());

        ExecutorService pool = Executors.newFixedThreadPool(lanes);
        List<Future<KillTally>> futures = new ArrayList<>();
        for (int l = 0; l < lanes; l++) {
            JournalMode mode = l % 2 == 0 ? JournalMode.DELETE : JournalMode.WAL;
            int share = kills / lanes + (l < kills % lanes ? 1 : 0);
            KillLane lane = new KillLane("lane" + l, mode + ", seed " + (seed + l), seed + l, dir.resolve("lane" + l),
                    jvm, maxDelayMs, checks.make(mode, seed + l));
            futures.add(pool.submit(() -> lane.run(share)));
        }
        KillTally total = new KillTally();
        for (Future<KillTally> f : futures) {
            total = total.plus(f.get());
        }
        pool.shutdown();

        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        String summary = total.headline() + "\n" + total.details() + "\n" + about
                + "lanes: " + lanes + " (DELETE and WAL alternating), synchronous FULL, seed " + seed
                + ", children " + (jvm.aot() ? "with" : "without") + " an AOT cache, " + seconds + " s\n"
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
