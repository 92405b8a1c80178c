package io.ancdb;

import io.ancdb.DatabaseOptions.JournalMode;
import io.ancdb.schema.Column;
import io.ancdb.schema.IndexSpec;
import io.ancdb.schema.SqlType;
import io.ancdb.schema.TableSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.ancdb.GroupLatch.outcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Group commit, shown deterministically: {@link GroupLatch} holds a group
 * open until the callers meant to join it are queued, so which writes share
 * a commit is known without timing. The seeded many-thread test against a
 * serial model is {@link GroupCommitModelTest}; faults and kill -9 are in
 * {@code reliability}.
 */
class GroupCommitTest {
    private static final String T = "t";

    @TempDir
    Path dir;

    private Database open(String name, JournalMode mode, boolean group) {
        Database db = Database.open(dir.resolve(name), DatabaseOptions.defaults().withJournalMode(mode)
                .withGroupCommit(group));
        db.runWrite(tx -> {
            tx.createTable(TableSpec.of(T, Column.rowid("id"), Column.of("v", SqlType.TEXT),
                    Column.of("tag", SqlType.TEXT)));
            tx.createIndex(new IndexSpec("t_tag", T, List.of("tag"), true));
        });
        return db;
    }

    /** Inserts rows {@code ids} (tag "tag-id") and returns the first id. */
    private static Long insert(WriteTx tx, long... ids) {
        for (long id : ids) {
            tx.insert(T, id, new Object[] {id, "v" + id, "tag-" + id}, OnConflict.FAIL);
        }
        return ids[0];
    }



    @ParameterizedTest
    @EnumSource(JournalMode.class)
    void writesThatArriveTogetherShareOneCommit(JournalMode mode) throws Exception {
        try (Database db = open("g.db", mode, true); GroupLatch g = new GroupLatch(db)) {
            CommitStats before = db.commitStats();
            List<Future<Long>> calls = new ArrayList<>();
            calls.add(g.lead(tx -> insert(tx, 1, 2)));
            for (long m = 1; m <= 7; m++) {
                long base = m * 10;
                calls.add(g.join(tx -> insert(tx, base, base + 1)));
            }
            g.release();
            for (int i = 0; i < calls.size(); i++) {
                assertEquals(i == 0 ? 1L : i * 10L, outcome(calls.get(i)));
            }
            assertEquals(new CommitStats(1, 8), db.commitStats().since(before), "8 writes, one commit");
            assertEquals(16, GroupLatch.rowids(db, T).size());
        }
    }

    @Test
    void withoutGroupCommitEveryWriteCommitsAlone() throws Exception {
        try (Database db = open("alone.db", JournalMode.WAL, false)) {
            assertEquals(0, db.queuedWrites());
            CommitStats before = db.commitStats();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long base = 1000L * (t + 1);
                fs.add(pool.submit(() -> {
                    for (long i = 0; i < 20; i++) {
                        long id = base + i;
                        db.runWrite(tx -> insert(tx, id));
                    }
                }));
            }
            for (Future<?> f : fs) {
                outcome(f);
            }
            pool.shutdown();
            assertEquals(new CommitStats(80, 80), db.commitStats().since(before));
            assertEquals(80, GroupLatch.rowids(db, T).size());
        }
    }

    @Test
    void aWriteThatFailsTakesBackOnlyItsOwnWrites() throws Exception {
        IllegalStateException thrown = new IllegalStateException("the function gives up after writing");
        try (Database db = open("fail.db", JournalMode.WAL, true); GroupLatch g = new GroupLatch(db)) {
            CommitStats before = db.commitStats();
            Future<Long> lead = g.lead(tx -> insert(tx, 1));
            Future<Long> ok1 = g.join(tx -> insert(tx, 10, 11));
            Future<Long> threw = g.join(tx -> {
                insert(tx, 20, 21);
                throw thrown;
            });
            Future<Long> duplicate = g.join(tx -> {
                insert(tx, 30);
                tx.insert(T, 31, new Object[] {31L, "v", "tag-1"}, OnConflict.FAIL);   // the leader's tag
                return 30L;
            });
            Future<Long> rolledBack = g.join(tx -> {
                insert(tx, 35);
                tx.rollback();               // its own part only
                return 35L;
            });
            Future<Long> ok2 = g.join(tx -> insert(tx, 40));
            g.release();
            assertEquals(1L, outcome(lead));
            assertEquals(10L, outcome(ok1));
            assertSame(thrown, assertThrows(IllegalStateException.class, () -> outcome(threw)));
            assertThrows(ConstraintViolationException.class, () -> outcome(duplicate));
            assertEquals(35L, outcome(rolledBack));
            assertEquals(40L, outcome(ok2));
            assertEquals(List.of(1L, 10L, 11L, 40L), GroupLatch.rowids(db, T));
            assertEquals(new CommitStats(1, 3), db.commitStats().since(before), "three writes kept, one commit");
            assertEquals("", db.integrityCheck());
        }
        assertEquals(List.of("ok", "4", "4"), SqliteShell.lines(dir.resolve("fail.db"),
                "PRAGMA integrity_check; SELECT count(*) FROM t; SELECT count(*) FROM t INDEXED BY t_tag WHERE tag > '';"));
    }

    @Test
    void aLeaderThatFailsLeavesTheQueuedWritesToTheNextGroup() throws Exception {
        try (Database db = open("leader.db", JournalMode.WAL, true); GroupLatch g = new GroupLatch(db)) {
            CommitStats before = db.commitStats();
            Future<Long> lead = g.lead(tx -> {
                insert(tx, 1);
                tx.savepoint("left open");
                insert(tx, 2);
                return 1L;
            });
            Future<Long> m1 = g.join(tx -> insert(tx, 10));
            Future<Long> m2 = g.join(tx -> insert(tx, 20));
            g.release();
            assertEquals(1L, outcome(lead));
            assertEquals(10L, outcome(m1));
            assertEquals(20L, outcome(m2));
            assertEquals(new CommitStats(1, 3), db.commitStats().since(before), "a savepoint left open is kept");

            before = db.commitStats();
            try (GroupLatch next = new GroupLatch(db)) {
                Future<Long> failing = next.lead(tx -> insert(tx, 3), tx -> {
                    throw new IllegalStateException("the leader fails after its writes");
                });
                Future<Long> m3 = next.join(tx -> insert(tx, 30));
                Future<Long> m4 = next.join(tx -> insert(tx, 40));
                next.release();
                assertThrows(IllegalStateException.class, () -> outcome(failing));
                assertEquals(30L, outcome(m3));
                assertEquals(40L, outcome(m4));
            }
            assertEquals(List.of(1L, 2L, 10L, 20L, 30L, 40L), GroupLatch.rowids(db, T));
            assertEquals(new CommitStats(1, 2), db.commitStats().since(before), "the members, in the next group");
        }
    }

    @Test
    void anExplicitTransactionWaitsForTheRunningGroupAndCommitsAlone() throws Exception {
        try (Database db = open("explicit.db", JournalMode.WAL, true); GroupLatch g = new GroupLatch(db)) {
            CommitStats before = db.commitStats();
            // a group running: an explicit transaction waits for its commit, then sees all of it
            Future<Long> lead = g.lead(tx -> insert(tx, 1));
            Future<Long> member = g.join(tx -> insert(tx, 2));
            Future<Integer> explicit = g.start(() -> {
                try (WriteTx tx = db.beginWrite()) {
                    int seen = (int) tx.count(T);
                    insert(tx, 3);
                    tx.commit();
                    return seen;
                }
            });
            g.release();
            assertEquals(1L, outcome(lead));
            assertEquals(2L, outcome(member));
            assertEquals(2, outcome(explicit), "the explicit transaction began after the group's commit");
            assertEquals(new CommitStats(2, 3), db.commitStats().since(before));
        }
    }

    @Test
    void writesArrivingDuringAnExplicitTransactionFormOneGroupAfterIt() throws Exception {
        try (Database db = open("after.db", JournalMode.DELETE, true)) {
            CommitStats before = db.commitStats();
            ExecutorService pool = Executors.newCachedThreadPool();
            List<Future<Long>> calls = new ArrayList<>();
            try (WriteTx tx = db.beginWrite()) {
                insert(tx, 100);
                for (long i = 1; i <= 6; i++) {
                    long id = i;
                    calls.add(pool.submit(() -> db.writeTx(w -> insert(w, id))));
                }
                // the first waits for the writer as the next group's leader, the others queue behind it
                GroupLatch.waitUntil(() -> db.queuedWrites() == 5, "five writes to queue");
                assertEquals(1, tx.count(T), "nothing of the waiting writes is in the explicit transaction");
                tx.commit();
            }
            for (int i = 0; i < calls.size(); i++) {
                assertEquals(i + 1L, outcome(calls.get(i)));
            }
            pool.shutdown();
            assertEquals(new CommitStats(2, 7), db.commitStats().since(before), "the explicit commit, then one for the six");
        }
    }

    @Test
    void aWriteThatWaitsPastItsTimeoutLeavesTheQueue() throws Exception {
        try (Database db = open("timeout.db", JournalMode.WAL, true); GroupLatch g = new GroupLatch(db)) {
            Future<Long> lead = g.lead(tx -> insert(tx, 1));
            Future<Long> late = g.start(() -> db.writeTx(Duration.ofMillis(30), tx -> insert(tx, 2)));
            assertThrows(TransactionConflictException.class, () -> outcome(late));
            assertEquals(0, db.queuedWrites());
            Future<Long> member = g.join(tx -> insert(tx, 3));
            g.release();
            assertEquals(1L, outcome(lead));
            assertEquals(3L, outcome(member));
            assertEquals(List.of(1L, 3L), GroupLatch.rowids(db, T));
        }
    }

    @Test
    void insideItsTurnAWriteIsConfinedToItsThreadAndTransaction() throws Exception {
        try (Database db = open("misuse.db", JournalMode.WAL, true); GroupLatch g = new GroupLatch(db)) {
            ThreadLocal<String> local = ThreadLocal.withInitial(() -> "unset");
            List<Class<?>> refused = new ArrayList<>();
            Future<Long> lead = g.lead(tx -> insert(tx, 1));
            Future<WriteTx> member = g.start(() -> {
                local.set("the caller's");
                return db.writeTx(tx -> {
                    assertEquals("the caller's", local.get(), "the function runs on the caller's thread");
                    refused.add(misuse(() -> db.writeTx(inner -> insert(inner, 9))));
                    refused.add(misuse(() -> db.beginWrite()));
                    refused.add(misuse(() -> db.beginRead()));
                    refused.add(misuse(() -> {
                        db.close();
                        return null;
                    }));
                    try (ExecutorService other = Executors.newSingleThreadExecutor()) {
                        Future<?> f = other.submit(() -> insert(tx, 8));
                        refused.add(misuse(() -> outcome(f)));
                    }
                    insert(tx, 2);
                    return tx;
                });
            });
            GroupLatch.waitUntil(() -> db.queuedWrites() == 1, "the member to queue");
            g.release();
            assertEquals(1L, outcome(lead));
            WriteTx escaped = outcome(member);
            assertEquals(List.of(MisuseException.class, MisuseException.class, MisuseException.class,
                    MisuseException.class, MisuseException.class), refused);
            assertThrows(ClosedException.class, () -> outcome(g.start(() -> insert(escaped, 7))));
            assertEquals(List.of(1L, 2L), GroupLatch.rowids(db, T));
            assertFalse(db.isClosed());
        }
    }

    /** The exception class {@code call} throws (through an ExecutionException too). */
    private static Class<?> misuse(java.util.concurrent.Callable<?> call) {
        try {
            call.call();
            return null;
        } catch (Exception e) {
            return e.getClass();
        }
    }

    @Test
    void schemaChangesFollowTheTurnsThatKeepThem() throws Exception {
        Path file = dir.resolve("ddl.db");
        try (Database db = open("ddl.db", JournalMode.WAL, true); GroupLatch g = new GroupLatch(db)) {
            TableSpec x = TableSpec.of("x", Column.rowid("id"), Column.of("v", SqlType.TEXT));
            TableSpec y = TableSpec.of("y", Column.rowid("id"), Column.of("v", SqlType.TEXT));
            Future<Long> lead = g.lead(tx -> {
                tx.createTable(x);
                return 0L;
            });
            Future<Long> usesX = g.join(tx -> tx.insert("x", 1L, "one"));
            Future<Long> createsYAndFails = g.join(tx -> {
                tx.createTable(y);
                tx.insert("y", 1L, "gone");
                throw new IllegalStateException("undo y");
            });
            Future<Long> usesY = g.join(tx -> tx.insert("y", 2L, "never"));
            g.release();
            assertEquals(0L, outcome(lead));
            assertEquals(1L, outcome(usesX));
            assertThrows(IllegalStateException.class, () -> outcome(createsYAndFails));
            assertThrows(SchemaNotFoundException.class, () -> outcome(usesY));
            assertNotNull(db.catalog().find("x"));
            assertNull(db.catalog().find("y"));
        }
        try (Database db = Database.open(file)) {
            assertEquals(1L, (long) db.readTx(tx -> tx.count("x")));
            assertNull(db.catalog().find("y"));
        }
        assertEquals(List.of("ok", "t", "t_tag", "x"), SqliteShell.lines(file,
                "PRAGMA integrity_check; SELECT name FROM sqlite_schema ORDER BY name;"));
    }

    @Test
    void callsFromOneThreadAfterAnotherStillCommitAndReturnTheirResults() {
        try (Database db = open("serial.db", JournalMode.WAL, true)) {
            CommitStats before = db.commitStats();
            for (long i = 1; i <= 5; i++) {
                long id = i;
                assertEquals(Long.valueOf(id), db.writeTx(tx -> insert(tx, id)));
            }
            RuntimeException e = assertThrows(ConstraintViolationException.class,
                    () -> db.writeTx(tx -> insert(tx, 3)));
            assertInstanceOf(AncDbException.class, e);
            assertEquals(new CommitStats(5, 5), db.commitStats().since(before), "alone, each call is its own group");
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), GroupLatch.rowids(db, T));
        }
    }
}
