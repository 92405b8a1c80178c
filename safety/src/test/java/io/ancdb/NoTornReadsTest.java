package io.ancdb;

import io.ancdb.schema.Column;
import io.ancdb.schema.IndexSpec;
import io.ancdb.schema.SqlType;
import io.ancdb.schema.TableSpec;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * N reader threads and M writer threads against a model: every write
 * transaction stamps all rows of one group with its transaction number (a
 * rolled-back one stamps a negative number first), so a committed state has
 * one number per group. Every read transaction, by rowid scan, index scan
 * and point reads, must see exactly that: no group split between two
 * transactions (a torn read), no negative number (an uncommitted write), no
 * group older than a commit that returned before the read began, and no
 * group going back from one read to the next on the same thread.
 *
 * <p>Seeded: {@code -Dancdb.tornReads.seed=S} replays each thread's choices
 * (the interleaving is the scheduler's).
 */
class NoTornReadsTest {
    private static final int GROUPS = 8;
    private static final int PER_GROUP = 6;
    private static final int READERS = 4;
    private static final int WRITERS = 2;
    private static final int TXNS_PER_WRITER = 250;

    @TempDir
    Path dir;

    static Stream<Arguments> configs() {
        DatabaseOptions d = DatabaseOptions.defaults().withJournalMode(DatabaseOptions.JournalMode.WAL)
                .withSynchronous(DatabaseOptions.Synchronous.NORMAL);
        return Stream.of(
                Arguments.of("WAL, kept snapshots", d, IsolationLevel.READ_COMMITTED),
                Arguments.of("fewer reader connections than readers", d.withMaxReaders(2), IsolationLevel.READ_COMMITTED),
                Arguments.of("SERIALIZABLE readers", d, IsolationLevel.SERIALIZABLE),
                Arguments.of("DELETE journal", d.withJournalMode(DatabaseOptions.JournalMode.DELETE), IsolationLevel.READ_COMMITTED),
                Arguments.of("WAL, exclusive locking", d.withExclusiveLocking(true), IsolationLevel.READ_COMMITTED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void everyReadSeesOneCommittedState(String name, DatabaseOptions options, IsolationLevel level) {
        long seed = Long.getLong("ancdb.tornReads.seed", System.nanoTime());
        System.out.println("NoTornReadsTest [" + name + "]: seed " + seed + " (replay with -Dancdb.tornReads.seed=" + seed + ")");
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            Path file = dir.resolve("model.db");
            try (Database db = Database.open(file, options)) {
                db.runWrite(tx -> {
                    tx.createTable(TableSpec.of("m", Column.rowid("id"), Column.of("grp", SqlType.INTEGER),
                            Column.of("txn", SqlType.INTEGER)));
                    tx.createIndex(new IndexSpec("m_grp", "m", List.of("grp", "txn"), false));
                    for (int g = 0; g < GROUPS; g++) {
                        for (int k = 0; k < PER_GROUP; k++) {
                            tx.insert("m", rowid(g, k), new Object[] {null, (long) g, 0L}, OnConflict.FAIL);
                        }
                    }
                });
                AtomicLong txnNumbers = new AtomicLong();
                AtomicLongArray committed = new AtomicLongArray(GROUPS);   // newest returned commit per group
                AtomicInteger writersLeft = new AtomicInteger(WRITERS);
                ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
                long[] reads = new long[READERS];
                List<Thread> threads = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    SplittableRandom rnd = new SplittableRandom(seed * 31 + w);
                    threads.add(Thread.ofPlatform().name("writer-" + w).start(() -> {
                        try {
                            for (int i = 0; i < TXNS_PER_WRITER && errors.isEmpty(); i++) {
                                write(db, rnd, txnNumbers, committed);
                            }
                        } catch (Throwable e) {
                            errors.add(e);
                        } finally {
                            writersLeft.decrementAndGet();
                        }
                    }));
                }
                for (int r = 0; r < READERS; r++) {
                    int id = r;
                    SplittableRandom rnd = new SplittableRandom(seed * 17 + r);
                    threads.add(Thread.ofPlatform().name("reader-" + r).start(() -> {
                        try {
                            long[] lastSeen = new long[GROUPS];
                            while ((writersLeft.get() > 0 || reads[id] < 5) && errors.isEmpty()) {
                                read(db, level, rnd, committed, lastSeen);
                                reads[id]++;
                            }
                        } catch (Throwable e) {
                            errors.add(e);
                        }
                    }));
                }
                for (Thread t : threads) {
                    t.join();
                }
                if (!errors.isEmpty()) {
                    AssertionError e = new AssertionError("seed " + seed + ": " + errors.peek(), errors.peek());
                    errors.forEach(e::addSuppressed);
                    throw e;
                }
                long[] last = new long[GROUPS];
                read(db, level, new SplittableRandom(seed), committed, last);
                for (int g = 0; g < GROUPS; g++) {
                    assertEquals(committed.get(g), last[g], "group " + g + " holds its last commit");
                }
                assertEquals("", db.integrityCheck());
                System.out.printf("NoTornReadsTest [%s]: %d transactions, reads %s, %d reused a kept snapshot%n",
                        name, txnNumbers.get(), Arrays.toString(reads), db.reusedSnapshots());
            }
            assertEquals("ok", SqliteShell.one(file, "PRAGMA integrity_check;"));
        });
    }

    private static long rowid(int group, int k) {
        return 1 + group * PER_GROUP + k;
    }

    /** One write transaction: stamp a group with a new number; one in six is rolled back (stamped negative). */
    private static void write(Database db, SplittableRandom rnd, AtomicLong txnNumbers, AtomicLongArray committed) {
        try (WriteTx tx = db.beginWrite()) {
            long t = txnNumbers.incrementAndGet();   // under the write lock: numbers grow in commit order
            int g = rnd.nextInt(GROUPS);
            boolean rollback = rnd.nextInt(6) == 0;
            for (int k = 0; k < PER_GROUP; k++) {
                tx.update("m", rowid(g, k), new Object[] {null, (long) g, rollback ? -t : t});
                if (rnd.nextInt(4) == 0) {
                    Thread.yield();                   // a reader beside the writer would see half a group now
                }
            }
            if (rollback) {
                tx.rollback();
            } else {
                tx.commit();
                committed.accumulateAndGet(g, t, Math::max);
            }
        }
    }

    /** One read transaction checked against the model; {@code lastSeen} is this thread's previous state. */
    private static void read(Database db, IsolationLevel level, SplittableRandom rnd, AtomicLongArray committed,
                             long[] lastSeen) {
        long[] floor = new long[GROUPS];
        for (int g = 0; g < GROUPS; g++) {
            floor[g] = committed.get(g);             // commits that returned before this read begins
        }
        try (ReadTx tx = db.beginRead(level)) {
            long[] seen = new long[GROUPS];
            Arrays.fill(seen, Long.MIN_VALUE);
            int rows = 0;
            try (RowCursor c = tx.scan("m")) {
                while (c.hasNext()) {
                    Row r = c.next();
                    int g = (int) (long) (Long) r.get(1);
                    long t = (Long) r.get(2);
                    if (seen[g] != Long.MIN_VALUE && seen[g] != t) {
                        throw new AssertionError("torn read: group " + g + " holds transactions " + seen[g] + " and " + t);
                    }
                    seen[g] = t;
                    rows++;
                }
            }
            if (rows != GROUPS * PER_GROUP) {
                throw new AssertionError("scan saw " + rows + " rows");
            }
            for (int g = 0; g < GROUPS; g++) {
                if (seen[g] < 0) {
                    throw new AssertionError("group " + g + " shows rolled-back transaction " + -seen[g]);
                }
                if (seen[g] < floor[g]) {
                    throw new AssertionError("group " + g + " at " + seen[g] + " after commit " + floor[g] + " returned");
                }
                if (seen[g] < lastSeen[g]) {
                    throw new AssertionError("group " + g + " went back from " + lastSeen[g] + " to " + seen[g]);
                }
            }
            int g = rnd.nextInt(GROUPS);                // the same snapshot through the index and point reads
            try (RowCursor c = tx.scan("m", KeyRange.onField("m_grp").from((long) g).to((long) g))) {
                int n = 0;
                while (c.hasNext()) {
                    Row r = c.next();
                    if ((Long) r.get(2) != seen[g]) {
                        throw new AssertionError("index scan of group " + g + " saw " + r.get(2) + ", table scan " + seen[g]);
                    }
                    n++;
                }
                if (n != PER_GROUP) {
                    throw new AssertionError("index scan of group " + g + " saw " + n + " rows");
                }
            }
            for (int k = 0; k < PER_GROUP; k++) {
                long t = (Long) tx.get("m", rowid(g, k)).get(2);
                if (t != seen[g]) {
                    throw new AssertionError("point read of group " + g + " saw " + t + ", scan " + seen[g]);
                }
            }
            System.arraycopy(seen, 0, lastSeen, 0, GROUPS);
        }
    }
}
