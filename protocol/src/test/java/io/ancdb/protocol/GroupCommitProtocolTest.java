package io.ancdb.protocol;

import io.ancdb.AncDbException;
import io.ancdb.CommitStats;
import io.ancdb.ErrorCode;
import io.ancdb.bindings.internal.ancdb_h;
import io.ancdb.Database;
import io.ancdb.DatabaseOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.ancdb.protocol.Msg.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes outside BeginTx go through group commit: the writes of several
 * connections that arrive together share one commit, each atomic on its own.
 * A writer of the Java API holds a group open (its function waits for a
 * latch) while each connection's write queues behind it, one after another
 * ({@link Database#queuedWrites()} says when), so which writes share the
 * commit is known without timing.
 */
@Timeout(120)
class GroupCommitProtocolTest {
    /** Schema T: a u64 key and a string. */
    private static final List<Object> FIELDS = List.of(
            map("name", "id", "type", "u64", "primary_key", true), map("name", "v", "type", "str"));
    private static final long RECORDS = 900;
    private static final long GUARD_S = 60;     // only against hangs: nothing asserts a duration

    @TempDir
    Path dir;

    @Test
    void connectionsWritesShareOneCommitAndAFailedOneTakesBackOnlyItself() throws Exception {
        try (Database db = Database.open(dir.resolve("g.db"), DatabaseOptions.defaults());
             CommandDispatcher d = new CommandDispatcher(db);
             Hold hold = new Hold(db)) {
            Session setup = d.openSession();
            call(setup, map("cmd", 0x20, "schema", "T", "fields", FIELDS)).ok();
            call(setup, map("cmd", 4, "schema", "T", "records", List.of(
                    map("id", 1L, "v", "one"), map("id", 2L, "v", "two"), map("id", 3L, "v", "three")))).ok();
            CommitStats before = db.commitStats();
            Map<?, ?> statsBefore = (Map<?, ?>) call(setup, map("cmd", 0x22)).ok().data();

            hold.begin();
            List<Future<Msg.Resp>> answers = new ArrayList<>();
            answers.add(hold.join(d, map("cmd", 3, "schema", "T", "record", map("id", 10L, "v", "ten"))));
            answers.add(hold.join(d, map("cmd", 4, "schema", "T", "records", List.of(
                    map("id", 20L, "v", "twenty"), map("id", 21L, "v", "twenty-one")))));
            // fails on its second record (key 1 exists): its first record must go too
            answers.add(hold.join(d, map("cmd", 4, "schema", "T", "records", List.of(
                    map("id", 30L, "v", "thirty"), map("id", 1L, "v", "again")))));
            answers.add(hold.join(d, map("cmd", 5, "schema", "T", "key", 2L, "delta", map("v", "TWO"))));
            answers.add(hold.join(d, map("cmd", 6, "schema", "T", "key", 3L)));
            assertEquals(before, db.commitStats(), "nothing commits while the group is held open");
            hold.release();

            assertEquals(10L, answer(answers.get(0)).ok().data());
            assertEquals(List.of(20L, 21L), answer(answers.get(1)).ok().list());
            answer(answers.get(2)).fails(Status.CONSTRAINT_VIOLATION);
            assertEquals(Map.of("id", 2L, "v", "TWO"), answer(answers.get(3)).ok().record());
            assertEquals(1L, answer(answers.get(4)).ok().data());
            hold.done();
            assertEquals(new CommitStats(1, 5), db.commitStats().since(before),
                    "the holder's and four connections' writes (the fifth failed): 5 transactions, one commit");
            Map<?, ?> stats = (Map<?, ?>) call(setup, map("cmd", 0x22)).ok().data();
            assertEquals(1L, (Long) stats.get("commits") - (Long) statsBefore.get("commits"), "Stats: " + stats);
            assertEquals(5L, (Long) stats.get("transactions") - (Long) statsBefore.get("transactions"),
                    "Stats: " + stats);

            Session reader = d.openSession();
            List<Object> ids = new ArrayList<>();
            for (Object r : call(reader, map("cmd", 2, "schema", "T")).ok().list()) {
                ids.add(((Map<?, ?>) r).get("id"));
            }
            assertEquals(List.of(1L, 2L, 10L, 20L, 21L), ids, "the failed batch left nothing, the others all");
            assertEquals("one", call(reader, map("cmd", 1, "schema", "T", "key", 1L)).ok().record().get("v"));
            assertEquals("", db.integrityCheck());
        }
    }

    /** Without group commit every connection's write commits alone (the same writes, one after another). */
    @Test
    void withoutGroupCommitEachWriteCommitsAlone() throws Exception {
        try (Database db = Database.open(dir.resolve("alone.db"), DatabaseOptions.defaults().withGroupCommit(false));
             CommandDispatcher d = new CommandDispatcher(db)) {
            call(d.openSession(), map("cmd", 0x20, "schema", "T", "fields", FIELDS)).ok();
            CommitStats before = db.commitStats();
            ExecutorService threads = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> fs = new ArrayList<>();
                for (int c = 0; c < 4; c++) {
                    long base = 100L * (c + 1);
                    Session s = d.openSession();
                    fs.add(threads.submit(() -> {
                        for (long i = 0; i < 10; i++) {
                            call(s, map("cmd", 3, "schema", "T", "record", map("id", base + i))).ok();
                        }
                    }));
                }
                for (Future<?> f : fs) {
                    f.get(GUARD_S, TimeUnit.SECONDS);
                }
            } finally {
                threads.shutdownNow();
            }
            assertEquals(new CommitStats(40, 40), db.commitStats().since(before));
            assertEquals(0, db.queuedWrites());
        }
    }

    /**
     * A write of the group writes keys between the existing ones (changing pages that existed before
     * its savepoint) and fails on its last record while the fault VFS fails the read that undoing its
     * savepoint needs: the whole group is rolled back, the failing write gets its own status, the
     * other connection's write status 8, and nothing of the group is in the file.
     */
    @Test
    void aWriteThatCannotBeUndoneAbortsItsGroupWithStatusEight() throws Exception {
        FailedCommandInTransactionTest.check(ancdb_h.ancdb_fault_reset(0, 0));   // registers the fault VFS
        try (Database db = Database.open(dir.resolve("abort.db"), DatabaseOptions.defaults().withVfs("ancdb-fault")
                     .withSynchronous(DatabaseOptions.Synchronous.OFF));
             CommandDispatcher d = new CommandDispatcher(db);
             Hold hold = new Hold(db)) {
            Session setup = d.openSession();
            call(setup, map("cmd", 0x20, "schema", "T", "fields", FIELDS)).ok();
            List<Object> base = new ArrayList<>();
            List<Object> between = new ArrayList<>();
            for (long i = 1; i <= RECORDS; i++) {
                base.add(map("id", 10 * i, "v", "x".repeat(100)));
                between.add(map("id", i < RECORDS ? 10 * i + 5 : 10 * i, "v", "y".repeat(100)));   // the last exists
            }
            call(setup, map("cmd", 4, "schema", "T", "records", base)).ok();
            CommitStats before = db.commitStats();

            hold.begin();
            Future<Msg.Resp> member = hold.join(d, map("cmd", 3, "schema", "T", "record", map("id", 3L)));
            Future<Msg.Resp> failing = hold.join(d, map("cmd", 4, "schema", "T", "records", between));
            FailedCommandInTransactionTest.check(ancdb_h.ancdb_fault_arm(ancdb_h.ANCDB_FAULT_READ, 1,
                    ancdb_h.ANCDB_FAULT_IOERR, 0));
            hold.release();
            answer(failing).fails(Status.CONSTRAINT_VIOLATION);
            Msg.Resp aborted = answer(member).fails(Status.TRANSACTION_ABORTED);
            assertTrue(aborted.error().contains("rolled back"), aborted.error());
            FailedCommandInTransactionTest.check(ancdb_h.ancdb_fault_disarm());
            assertTrue(FailedCommandInTransactionTest.injected() >= 1, "the fault VFS failed the savepoint's rollback");
            ExecutionException holder = assertThrows(ExecutionException.class, hold::done);
            assertEquals(ErrorCode.TRANSACTION_ABORTED, ((AncDbException) holder.getCause()).errorCode());

            assertEquals(before, db.commitStats(), "nothing committed");
            Session reader = d.openSession();
            call(reader, map("cmd", 1, "schema", "T", "key", 3L)).fails(Status.KEY_NOT_FOUND);
            call(reader, map("cmd", 1, "schema", "T", "key", 15L)).fails(Status.KEY_NOT_FOUND);
            assertEquals(RECORDS, call(reader, map("cmd", 2, "schema", "T")).ok().list().size());
            call(reader, map("cmd", 3, "schema", "T", "record", map("id", 3L))).ok();   // the next write commits
            assertEquals("", db.integrityCheck());
        } finally {
            FailedCommandInTransactionTest.check(ancdb_h.ancdb_fault_reset(0, 0));
        }
    }

    /** A write that cannot join a group within the lock timeout is answered 5 and leaves nothing. */
    @Test
    void aWriteQueuedPastTheLockTimeoutIsAnsweredFive() throws Exception {
        try (Database db = Database.open(dir.resolve("t.db"), DatabaseOptions.defaults());
             CommandDispatcher d = new CommandDispatcher(db, Limits.defaults().withLockTimeout(Duration.ZERO), null);
             Hold hold = new Hold(db)) {
            Session s = d.openSession();
            call(s, map("cmd", 0x20, "schema", "T", "fields", FIELDS)).ok();
            hold.begin();
            call(s, map("cmd", 3, "schema", "T", "record", map("id", 7L))).fails(Status.TRANSACTION_CONFLICT);
            hold.release();
            hold.done();
            call(s, map("cmd", 1, "schema", "T", "key", 7L)).fails(Status.KEY_NOT_FOUND);
            call(s, map("cmd", 3, "schema", "T", "record", map("id", 7L))).ok();
        }
    }

    /**
     * A group held open by a {@code writeTx} of the Java API ({@link #begin}),
     * which connections' writes join ({@link #join}) until {@link #release}.
     */
    private static final class Hold implements AutoCloseable {
        private final Database db;
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final CountDownLatch inside = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);
        private Future<?> holder;
        private int joined;

        Hold(Database db) {
            this.db = db;
        }

        /** Starts the holder; returns once its function runs (the group is open). */
        void begin() throws InterruptedException {
            holder = threads.submit(() -> db.runWrite(tx -> {
                inside.countDown();
                try {
                    release.await(GUARD_S, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertTrue(inside.await(GUARD_S, TimeUnit.SECONDS), "the holder began");
        }

        /**
         * Sends {@code request} on a new connection, on a thread of its own; returns once the write
         * waits in the group's queue (fails if it was answered instead: it did not join the group).
         */
        Future<Msg.Resp> join(CommandDispatcher d, Object request) throws Exception {
            int want = ++joined;
            Session s = d.openSession();
            Future<Msg.Resp> answer = threads.submit(() -> call(s, request));
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(GUARD_S);
            while (db.queuedWrites() < want) {
                if (answer.isDone()) {
                    throw new AssertionError("write " + want + " did not queue for the group commit: " + answer.get());
                }
                assertTrue(System.nanoTime() < end, "write " + want + " queued");
                Thread.sleep(1);
            }
            return answer;
        }

        void release() {
            release.countDown();
        }

        /** Waits for the holder's write to end (it committed with the group). */
        void done() throws Exception {
            holder.get(GUARD_S, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            release.countDown();
            threads.shutdownNow();
        }
    }

    private static Msg.Resp answer(Future<Msg.Resp> f) throws Exception {
        return f.get(GUARD_S, TimeUnit.SECONDS);
    }

    private static Msg.Resp call(Session s, Object request) {
        return Msg.resp(s.handle(Msg.pack(request)));
    }
}
