package io.ancdb;

import io.ancdb.schema.Column;
import io.ancdb.schema.SqlType;
import io.ancdb.schema.TableSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What each isolation level waits for and excludes, observed without clocks:
 * a zero timeout asks "would this have to wait?" ({@code tryLock}), and
 * latches order the threads. The 30 s bounds only keep a broken build from
 * hanging the suite.
 */
@Timeout(120)
class IsolationTest {
    private static final Duration NO_WAIT = Duration.ZERO;
    private static final long HANG_GUARD_S = 30;

    @TempDir
    Path dir;

    private final ExecutorService other = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        other.shutdownNow();
    }

    private Database open(DatabaseOptions.JournalMode mode) {
        Database db = Database.open(dir.resolve("iso-" + mode + ".db"), DatabaseOptions.defaults().withJournalMode(mode));
        db.runWrite(tx -> {
            tx.createTable(TableSpec.of("t", Column.rowid("id"), Column.of("v", SqlType.TEXT)));
            tx.put("t", 1, 1L, "committed");
        });
        return db;
    }

    /** Runs {@code work} on the other thread (transactions belong to their thread); its exception is rethrown. */
    private <T> T onOtherThread(java.util.concurrent.Callable<T> work) throws Exception {
        try {
            return other.submit(work).get(HANG_GUARD_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** SERIALIZABLE keeps writers out while it runs; they get in after it. READ_COMMITTED readers (WAL) read beside it. */
    @Test
    void serializableKeepsAWriterOutWhileItRuns() throws Exception {
        try (Database db = open(DatabaseOptions.JournalMode.WAL)) {
            try (ReadTx serial = db.beginRead(IsolationLevel.SERIALIZABLE)) {
                assertEquals("committed", serial.get("t", 1).get(1));
                assertThrows(TransactionConflictException.class, () -> onOtherThread(() -> {
                    try (WriteTx w = db.beginWrite(NO_WAIT)) {
                        return w;
                    }
                }));
                // READ_COMMITTED readers in WAL take no lock in this process: they read beside it
                assertEquals("committed", onOtherThread(() -> {
                    try (ReadTx r = db.beginRead(IsolationLevel.READ_COMMITTED, NO_WAIT)) {
                        return r.get("t", 1).get(1);
                    }
                }));
            }
            // once it ended, the same writer gets in at once
            onOtherThread(() -> {
                try (WriteTx w = db.beginWrite(NO_WAIT)) {
                    w.put("t", 2, 2L, "after");
                    w.commit();
                }
                return null;
            });
            assertEquals("after", db.readTx(tx -> tx.get("t", 2).get(1)));
            // READ_COMMITTED, by contrast, lets other readers in beside it
            try (ReadTx rc = db.beginRead(IsolationLevel.READ_COMMITTED)) {
                assertEquals("committed", onOtherThread(() -> {
                    try (ReadTx r = db.beginRead(IsolationLevel.READ_COMMITTED, NO_WAIT)) {
                        return r.get("t", 1).get(1);
                    }
                }));
                assertEquals("committed", rc.get("t", 1).get(1));
            }
        }
    }

    /**
     * READ_UNCOMMITTED (WAL) does not wait for a writer in the middle of its transaction, and still reads only
     * committed data; in WAL under normal locking neither does READ_COMMITTED (see the DELETE case below).
     */
    @Test
    void readUncommittedDoesNotWaitForAWriter() throws Exception {
        try (Database db = open(DatabaseOptions.JournalMode.WAL)) {
            CountDownLatch written = new CountDownLatch(1);
            CountDownLatch readerDone = new CountDownLatch(1);
            Future<Boolean> writer = other.submit(() -> {
                try (WriteTx w = db.beginWrite()) {
                    w.put("t", 1, 1L, "uncommitted");
                    w.put("t", 3, 3L, "new");
                    written.countDown();
                    // the transaction stays open until the reader on the test thread has finished
                    boolean readerFinished = readerDone.await(HANG_GUARD_S, TimeUnit.SECONDS);
                    w.commit();
                    return readerFinished;
                }
            });
            assertTrue(written.await(HANG_GUARD_S, TimeUnit.SECONDS));
            try (ReadTx r = db.beginRead(IsolationLevel.READ_COMMITTED, NO_WAIT)) {   // WAL: beside the writer too
                assertEquals("committed", r.get("t", 1).get(1));
                assertNull(r.get("t", 3));
            }
            try (ReadTx r = db.beginRead(IsolationLevel.READ_UNCOMMITTED, NO_WAIT)) {
                assertEquals("committed", r.get("t", 1).get(1));
                assertNull(r.get("t", 3));
            }
            try (ReadTx r = db.beginRead(IsolationLevel.READ_UNCOMMITTED)) {   // no timeout: must not wait either
                assertEquals("committed", r.get("t", 1).get(1));
            }
            readerDone.countDown();
            assertTrue(writer.get(HANG_GUARD_S, TimeUnit.SECONDS), "the writer was still open while the reads ran");
            assertEquals("uncommitted", db.readTx(IsolationLevel.READ_UNCOMMITTED, tx -> tx.get("t", 1).get(1)));
        }
    }

    /** With a rollback journal READ_COMMITTED waits for this process's writer, and SERIALIZABLE keeps it out. */
    @Test
    void readCommittedWaitsForTheWriterInDeleteMode() throws Exception {
        try (Database db = open(DatabaseOptions.JournalMode.DELETE)) {
            CountDownLatch written = new CountDownLatch(1);
            CountDownLatch readerDone = new CountDownLatch(1);
            Future<Boolean> writer = other.submit(() -> {
                try (WriteTx w = db.beginWrite()) {
                    w.put("t", 1, 1L, "uncommitted");
                    written.countDown();
                    boolean readerFinished = readerDone.await(HANG_GUARD_S, TimeUnit.SECONDS);
                    w.commit();
                    return readerFinished;
                }
            });
            assertTrue(written.await(HANG_GUARD_S, TimeUnit.SECONDS));
            assertThrows(TransactionConflictException.class,
                    () -> db.beginRead(IsolationLevel.READ_COMMITTED, NO_WAIT).close());
            readerDone.countDown();
            assertTrue(writer.get(HANG_GUARD_S, TimeUnit.SECONDS));
            try (ReadTx serial = db.beginRead(IsolationLevel.SERIALIZABLE)) {
                assertEquals("uncommitted", serial.get("t", 1).get(1));
                assertThrows(TransactionConflictException.class, () -> onOtherThread(() -> {
                    try (ReadTx r = db.beginRead(IsolationLevel.READ_COMMITTED, NO_WAIT)) {
                        return r;
                    }
                }));
            }
        }
    }

    @Test
    void readUncommittedNeedsWal() {
        try (Database db = open(DatabaseOptions.JournalMode.DELETE)) {
            assertThrows(InvalidArgumentException.class, () -> db.beginRead(IsolationLevel.READ_UNCOMMITTED));
        }
    }
}
