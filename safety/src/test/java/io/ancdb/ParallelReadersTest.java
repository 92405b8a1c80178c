package io.ancdb;

import io.ancdb.schema.Column;
import io.ancdb.schema.SqlType;
import io.ancdb.schema.TableSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In WAL mode under normal locking (the default) read transactions run in parallel,
 * each on its own connection and snapshot, and neither waits for the writer
 * nor holds it up. SERIALIZABLE keeps its meaning: it keeps this process's
 * writers out while it runs. The waits below are hang guards (a reader that
 * had to wait for the writer would never get there), not speed checks.
 */
class ParallelReadersTest {
    private static final int THREADS = 4;
    private static final long GUARD_S = 30;

    @TempDir
    Path dir;

    private Database open() {
        Database db = Database.open(dir.resolve("parallel.db"), DatabaseOptions.defaults()
                .withJournalMode(DatabaseOptions.JournalMode.WAL).withMaxReaders(THREADS));
        db.runWrite(tx -> {
            tx.createTable(TableSpec.of("t", Column.rowid("id"), Column.of("v", SqlType.INTEGER)));
            tx.insert("t", 1L, new Object[] {null, 1L}, OnConflict.FAIL);
        });
        return db;
    }

    private static long v(ReadTx tx) {
        return (Long) tx.get("t", 1L).get(1);
    }

    @Test
    void readersHoldTheirSnapshotsTogetherWhileTheWriterCommits() {
        assertTimeoutPreemptively(Duration.ofSeconds(2 * GUARD_S), () -> {
            try (Database db = open()) {
                CyclicBarrier allOpen = new CyclicBarrier(THREADS + 1);
                CountDownLatch committed = new CountDownLatch(1);
                List<CompletableFuture<long[]>> readers = new ArrayList<>();
                for (int r = 0; r < THREADS; r++) {
                    CompletableFuture<long[]> f = new CompletableFuture<>();
                    readers.add(f);
                    Thread.ofPlatform().name("reader-" + r).start(() -> {
                        try {
                            long before;
                            long after;
                            try (ReadTx tx = db.beginRead()) {
                                before = v(tx);
                                allOpen.await(GUARD_S, TimeUnit.SECONDS);   // all THREADS read transactions open at once
                                if (!committed.await(GUARD_S, TimeUnit.SECONDS)) {
                                    throw new AssertionError("the writer could not commit beside the open readers");
                                }
                                after = v(tx);                             // still this transaction's snapshot
                            }
                            long fresh = db.readTx(ParallelReadersTest::v);
                            f.complete(new long[] {before, after, fresh});
                        } catch (Throwable e) {
                            f.completeExceptionally(e);
                        }
                    });
                }
                allOpen.await(GUARD_S, TimeUnit.SECONDS);
                db.runWrite(tx -> tx.update("t", 1L, new Object[] {null, 2L}));   // beside four open readers
                committed.countDown();
                for (CompletableFuture<long[]> f : readers) {
                    long[] seen = f.get(GUARD_S, TimeUnit.SECONDS);
                    assertEquals(1L, seen[0]);
                    assertEquals(1L, seen[1], "a reader's snapshot does not move under it");
                    assertEquals(2L, seen[2], "the next read transaction sees the commit");
                }
            }
        });
    }

    @Test
    void readersDoNotWaitForAnOpenWriteTransaction() {
        assertTimeoutPreemptively(Duration.ofSeconds(2 * GUARD_S), () -> {
            try (Database db = open()) {
                try (WriteTx w = db.beginWrite()) {
                    w.update("t", 1L, new Object[] {null, -1L});
                    List<CompletableFuture<Long>> readers = new ArrayList<>();
                    for (int r = 0; r < THREADS; r++) {
                        readers.add(CompletableFuture.supplyAsync(() -> {
                            long sum = 0;
                            for (int i = 0; i < 200; i++) {
                                sum += db.readTx(ParallelReadersTest::v);
                            }
                            return sum;
                        }, task -> Thread.ofPlatform().start(task)));
                    }
                    for (CompletableFuture<Long> f : readers) {
                        assertEquals(200L, f.get(GUARD_S, TimeUnit.SECONDS), "read the last commit, not the open write");
                    }
                    assertTrue(w.isOpen());
                    w.commit();
                }
                assertEquals(-1L, (long) db.readTx(ParallelReadersTest::v));
            }
        });
    }

    @Test
    void serializableStillKeepsThisProcesssWritersOut() {
        assertTimeoutPreemptively(Duration.ofSeconds(2 * GUARD_S), () -> {
            try (Database db = open()) {
                try (ReadTx tx = db.beginRead(IsolationLevel.SERIALIZABLE)) {
                    CompletableFuture<Throwable> writer = CompletableFuture.supplyAsync(() ->
                            assertThrows(TransactionConflictException.class, () -> db.beginWrite(Duration.ofMillis(200))),
                            task -> Thread.ofPlatform().start(task));
                    assertEquals(5, ((TransactionConflictException) writer.get(GUARD_S, TimeUnit.SECONDS)).code());
                    assertEquals(1L, v(tx));
                }
                db.runWrite(tx -> tx.update("t", 1L, new Object[] {null, 3L}));
                assertEquals(3L, (long) db.readTx(ParallelReadersTest::v));
            }
        });
    }
}
