package io.ancdb;

import io.ancdb.DatabaseOptions.JournalMode;
import io.ancdb.schema.Column;
import io.ancdb.schema.SqlType;
import io.ancdb.schema.TableSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One writer moving money between accounts while readers check that the total
 * never changes: readers never see half a transaction, the writer always gets
 * through. No timing assertions: the timeouts only guard against hangs.
 */
class ConcurrencyTest {
    private static final int ACCOUNTS = 10;
    private static final long START = 1_000;
    private static final long TOTAL = ACCOUNTS * START;
    private static final Duration HANG_GUARD = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    static Stream<Arguments> modes() {
        return Stream.of(
                Arguments.of(JournalMode.DELETE, IsolationLevel.READ_COMMITTED),
                Arguments.of(JournalMode.DELETE, IsolationLevel.SERIALIZABLE),
                Arguments.of(JournalMode.WAL, IsolationLevel.READ_COMMITTED),
                Arguments.of(JournalMode.WAL, IsolationLevel.READ_UNCOMMITTED));   // readers beside the writer
    }

    private Database openBank(JournalMode mode, String name) {
        Database db = Database.open(dir.resolve(name), DatabaseOptions.defaults().withJournalMode(mode)
                .withSynchronous(DatabaseOptions.Synchronous.OFF));
        db.runWrite(tx -> {
            tx.createTable(TableSpec.of("acct", Column.rowid("id"), Column.of("bal", SqlType.INTEGER)));
            for (long i = 1; i <= ACCOUNTS; i++) {
                tx.insert("acct", i, new Object[] {null, START}, OnConflict.FAIL);
            }
        });
        return db;
    }

    /** The writer: {@code n} transactions, each a few transfers; one in ten is rolled back instead. */
    private static int transfer(Database db, long seed, int n) {
        Random rnd = new Random(seed);
        int committed = 0;
        for (int i = 0; i < n; i++) {
            try (WriteTx tx = db.beginWrite()) {
                int moves = 1 + rnd.nextInt(4);
                for (int m = 0; m < moves; m++) {
                    long from = 1 + rnd.nextInt(ACCOUNTS);
                    long to = 1 + rnd.nextInt(ACCOUNTS);
                    long amount = rnd.nextInt(200);
                    long fb = (Long) tx.get("acct", from).get(1);
                    tx.update("acct", from, new Object[] {null, fb - amount});
                    if (rnd.nextInt(3) == 0) {
                        Thread.yield();     // a reader beside the writer would see the half-done move now
                    }
                    long tb = (Long) tx.get("acct", to).get(1);
                    tx.update("acct", to, new Object[] {null, tb + amount});
                }
                if (rnd.nextInt(10) == 0) {
                    tx.rollback();
                } else {
                    tx.commit();
                    committed++;
                }
            }
        }
        return committed;
    }

    /** One read transaction: the total by scan, then again by point reads; both must be the constant. */
    private static void readOnce(Database db, IsolationLevel level) {
        try (ReadTx tx = db.beginRead(level)) {
            long sum = 0;
            long[] seen = new long[ACCOUNTS + 1];
            int rows = 0;
            try (RowCursor c = tx.scan("acct")) {
                while (c.hasNext()) {
                    Row r = c.next();
                    seen[(int) r.rowid()] = (Long) r.get(1);
                    sum += (Long) r.get(1);
                    rows++;
                }
            }
            if (rows != ACCOUNTS || sum != TOTAL) {
                throw new AssertionError("scan saw " + rows + " accounts summing to " + sum + " (expected " + TOTAL + ")");
            }
            for (long i = ACCOUNTS; i >= 1; i--) {
                long b = (Long) tx.get("acct", i).get(1);
                if (b != seen[(int) i]) {
                    throw new AssertionError("account " + i + " changed inside one read transaction: "
                            + seen[(int) i] + " then " + b);
                }
            }
            if (tx.count("acct") != ACCOUNTS) {
                throw new AssertionError("count changed inside one read transaction");
            }
        }
    }

    @ParameterizedTest(name = "{0} journal, {1} readers")
    @MethodSource("modes")
    void readersNeverSeeHalfATransfer(JournalMode mode, IsolationLevel level) {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            try (Database db = openBank(mode, "bank.db")) {
                AtomicBoolean writerDone = new AtomicBoolean();
                ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
                AtomicLong reads = new AtomicLong();
                List<Thread> readers = new ArrayList<>();
                for (int r = 0; r < 4; r++) {
                    Thread t = new Thread(() -> {
                        try {
                            long mine = 0;
                            // at least a few reads each, even if the writer is quick
                            while (!writerDone.get() || mine < 5) {
                                readOnce(db, level);
                                mine++;
                            }
                            reads.addAndGet(mine);
                        } catch (Throwable e) {
                            errors.add(e);
                        }
                    }, "reader-" + r);
                    readers.add(t);
                    t.start();
                }
                CompletableFuture<Integer> writer = new CompletableFuture<>();
                Thread w = new Thread(() -> {
                    try {
                        writer.complete(transfer(db, 99, 300));
                    } catch (Throwable e) {
                        writer.completeExceptionally(e);
                    } finally {
                        writerDone.set(true);
                    }
                }, "writer");
                w.start();
                int committed = writer.get();
                for (Thread t : readers) {
                    t.join();
                }
                if (!errors.isEmpty()) {
                    AssertionError e = new AssertionError(errors.size() + " reader(s) failed (writer seed 99): " + errors.peek());
                    errors.forEach(e::addSuppressed);
                    throw e;
                }
                assertTrue(committed > 200, "the writer committed its transactions: " + committed);
                readOnce(db, IsolationLevel.READ_COMMITTED);
                assertTrue(reads.get() >= 20, "readers ran: " + reads.get());
                assertEquals("", db.integrityCheck());
                System.out.printf("ConcurrencyTest %s/%s: %d commits, %d reads%n", mode, level, committed, reads.get());
            }
        });
    }

    @ParameterizedTest(name = "{0} journal, {1} readers")
    @MethodSource("modes")
    void fiftyVirtualThreadReadersBesideTheWriter(JournalMode mode, IsolationLevel level) {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            try (Database db = openBank(mode, "bank-vt.db");
                 ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor()) {
                AtomicBoolean writerDone = new AtomicBoolean();
                List<Future<Long>> readers = new ArrayList<>();
                for (int r = 0; r < 50; r++) {
                    readers.add(vts.submit(() -> {
                        long n = 0;
                        while (!writerDone.get() || n < 2) {
                            readOnce(db, level);
                            n++;
                            // Virtual threads are not time-sliced: readers looping without ever blocking
                            // (an uncontended read never parks) would keep both carriers of this 2-core
                            // machine to themselves, and the writer's thread could wait seconds to be
                            // scheduled at all. A real reader does other work between reads; yield instead.
                            Thread.yield();
                        }
                        return n;
                    }));
                }
                Future<Integer> writer = vts.submit(() -> {
                    try {
                        return transfer(db, 7, 150);
                    } finally {
                        writerDone.set(true);
                    }
                });
                int committed = writer.get();
                long reads = 0;
                for (Future<Long> f : readers) {
                    reads += f.get();      // rethrows a reader's assertion failure
                }
                assertTrue(committed > 100, "writer committed " + committed);
                assertTrue(reads >= 100, "reads: " + reads);
                readOnce(db, IsolationLevel.READ_COMMITTED);
                System.out.printf("ConcurrencyTest virtual threads %s/%s: %d commits, %d reads%n", mode, level, committed, reads);
            }
        });
    }

    static Stream<JournalMode> journalModes() {
        return Stream.of(JournalMode.DELETE, JournalMode.WAL);
    }

    @Test
    void readTransactionIsRefusedOnAnotherThread() {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            try (Database db = openBank(JournalMode.DELETE, "confined.db")) {
                ReadTx tx = db.beginRead();
                RowCursor c = tx.scan("acct");
                for (Runnable r : List.<Runnable>of(() -> tx.get("acct", 1), () -> tx.count("acct"),
                        () -> tx.scan("acct"), c::hasNext, tx::close)) {
                    CompletableFuture<Throwable> f = new CompletableFuture<>();
                    Thread t = new Thread(() -> {
                        try {
                            r.run();
                            f.complete(null);
                        } catch (Throwable e) {
                            f.complete(e);
                        }
                    });
                    t.start();
                    Throwable e = f.get();
                    assertTrue(e instanceof MisuseException, "expected MisuseException, got " + e);
                    assertEquals(108, ((MisuseException) e).code());
                }
                // virtual threads too
                try (ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor()) {
                    Future<?> f = vts.submit(() -> tx.get("acct", 2));
                    Throwable e = assertThrows(java.util.concurrent.ExecutionException.class, f::get).getCause();
                    assertTrue(e instanceof MisuseException, "expected MisuseException, got " + e);
                }
                assertTrue(tx.isOpen(), "refused calls leave the transaction usable by its owner");
                assertEquals(ACCOUNTS, tx.count("acct"));
                int n = 0;
                while (c.hasNext()) {
                    c.next();
                    n++;
                }
                assertEquals(ACCOUNTS, n);
                tx.close();
                // the writer is not blocked by the (now closed) reader
                db.runWrite(w -> w.update("acct", 1, new Object[] {null, START}));
            }
        });
    }

    /**
     * The lock is fair: readers that keep beginning and ending short read
     * transactions, always overlapping, do not starve the writer. (In WAL mode
     * readers take no lock at all, so the writer simply goes ahead.)
     */
    @ParameterizedTest(name = "{0} journal")
    @MethodSource("journalModes")
    void writerIsNotStarvedByASteadyStreamOfReaders(JournalMode mode) {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            try (Database db = openBank(mode, "fair.db")) {
                AtomicBoolean stop = new AtomicBoolean();
                AtomicLong readerTx = new AtomicLong();
                CountDownLatch allReading = new CountDownLatch(4);
                ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
                List<Thread> readers = new ArrayList<>();
                for (int r = 0; r < 4; r++) {
                    int id = r;
                    Thread t = new Thread(() -> {
                        try {
                            boolean first = true;
                            while (!stop.get()) {
                                try (ReadTx tx = db.beginRead()) {
                                    if (first) {
                                        allReading.countDown();
                                        first = false;
                                    }
                                    tx.get("acct", 1 + id);
                                    Thread.sleep(2);      // readers overlap: there is always one inside
                                }
                                readerTx.incrementAndGet();
                            }
                        } catch (Throwable e) {
                            errors.add(e);
                        }
                    }, "steady-reader-" + r);
                    readers.add(t);
                    t.start();
                }
                allReading.await();
                final int writes = 25;
                long readsBefore = readerTx.get();
                for (int i = 0; i < writes; i++) {
                    long v = i;
                    db.runWrite(tx -> tx.update("acct", 1, new Object[] {null, START + v}));
                }
                long readsDuring = readerTx.get() - readsBefore;
                // the readers kept going afterwards as well
                long mark = readerTx.get();
                while (readerTx.get() < mark + 8 && errors.isEmpty()) {
                    Thread.sleep(1);
                }
                stop.set(true);
                for (Thread t : readers) {
                    t.join();
                }
                assertTrue(errors.isEmpty(), "reader failed: " + errors.peek());
                if (mode == JournalMode.DELETE) {     // WAL: the writes need not wait for any read to end
                    assertTrue(readsDuring > 0, "readers were admitted between the writes");
                }
                assertEquals(START + writes - 1, (Long) db.readTx(tx -> tx.get("acct", 1)).get(1));
                System.out.printf("ConcurrencyTest fairness %s: %d writes completed while readers ran %d read transactions%n",
                        mode, writes, readsDuring);
            }
        });
    }
}
