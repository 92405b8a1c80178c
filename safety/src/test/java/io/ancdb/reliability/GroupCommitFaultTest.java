package io.ancdb.reliability;

import io.ancdb.AncDbException;
import io.ancdb.CommitStats;
import io.ancdb.Database;
import io.ancdb.DatabaseOptions;
import io.ancdb.DatabaseOptions.JournalMode;
import io.ancdb.ErrorCode;
import io.ancdb.GroupLatch;
import io.ancdb.OnConflict;
import io.ancdb.SqliteShell;
import io.ancdb.WriteTx;
import io.ancdb.schema.Column;
import io.ancdb.schema.SqlType;
import io.ancdb.schema.TableSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

import static io.ancdb.GroupLatch.outcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Group commit under faults, on the "ancdb-fault" VFS: a shared commit whose
 * sync fails fails every caller of the group (no caller returned before the
 * commit, none of their writes is visible, then or after reopening); a
 * write whose savepoint cannot be rolled back aborts its whole group
 * (TRANSACTION_ABORTED for the others, nothing of the group kept), while
 * callers queued behind it commit in the next group.
 */
class GroupCommitFaultTest {
    private static final String T = "t";
    private static final int RECORDS = 900;

    @TempDir
    Path dir;

    @AfterEach
    void disarm() {
        FaultVfs.reset(0, 0);
    }

    private Database open(Path file, boolean faulty) {
        DatabaseOptions o = DatabaseOptions.defaults();
        return Database.open(file, faulty ? o.withVfs(FaultVfs.NAME) : o);
    }

    private static Long insert(WriteTx tx, long id) {
        tx.insert(T, id, new Object[] {id, new byte[100]}, OnConflict.FAIL);
        return id;
    }


    private static void createTable(Database db) {
        db.runWrite(tx -> tx.createTable(TableSpec.of(T, Column.rowid("id"), Column.of("v", SqlType.BLOB))));
    }

    @ParameterizedTest
    @EnumSource(JournalMode.class)
    void aFailedSyncFailsEveryCallerOfTheGroup(JournalMode mode) throws Exception {
        FaultVfs.reset(0, 0);
        Path file = dir.resolve("sync-" + mode + ".db");
        try (Database db = Database.open(file, DatabaseOptions.defaults().withJournalMode(mode).withVfs(FaultVfs.NAME));
             GroupLatch g = new GroupLatch(db)) {
            createTable(db);
            db.writeTx(tx -> insert(tx, 1));
            CommitStats before = db.commitStats();
            List<Future<Long>> calls = new ArrayList<>();
            calls.add(g.lead(tx -> insert(tx, 10)));
            for (long m = 11; m <= 15; m++) {
                long id = m;
                calls.add(g.join(tx -> insert(tx, id)));
            }
            FaultVfs.arm(FaultVfs.Kind.SYNC, 1, FaultVfs.Action.IOERR, false);   // the group's commit: its first sync
            g.release();
            for (Future<Long> call : calls) {
                AncDbException e = assertThrows(AncDbException.class, () -> outcome(call));
                assertEquals(ErrorCode.IO_ERROR, e.errorCode(), e.getMessage());
            }
            assertEquals(1, FaultVfs.injected(), "one sync failed");
            assertEquals(before, db.commitStats(), "nothing counted as committed");
            assertEquals(List.of(1L), GroupLatch.rowids(db, T), "nothing of the group is visible");
            db.writeTx(tx -> insert(tx, 2));                   // the database goes on
            assertEquals(List.of(1L, 2L), GroupLatch.rowids(db, T));
        }
        FaultVfs.reset(0, 0);
        try (Database db = open(file, false)) {
            assertEquals(List.of(1L, 2L), GroupLatch.rowids(db, T), "after reopening too");
            assertEquals("", db.integrityCheck());
        }
        assertEquals(List.of("ok", "2"), SqliteShell.lines(file, "PRAGMA integrity_check; SELECT count(*) FROM t;"));
    }

    /**
     * The third caller writes keys between the existing ones (changing pages
     * that existed before its savepoint, whose old images undoing it must
     * read back) and throws while the fault VFS fails that read.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aSavepointThatCannotBeUndoneAbortsTheGroup(boolean persistentFault) throws Exception {
        FaultVfs.reset(0, 0);
        Path file = dir.resolve("undo-" + persistentFault + ".db");
        IllegalStateException thrown = new IllegalStateException("fails after writing between the existing keys");
        try (Database db = open(file, true); GroupLatch g = new GroupLatch(db)) {
            createTable(db);
            db.runWrite(tx -> {
                for (long i = 1; i <= RECORDS; i++) {
                    insert(tx, 10 * i);
                }
            });
            CommitStats before = db.commitStats();
            Future<Long> lead = g.lead(tx -> insert(tx, 3));
            Future<Long> member = g.join(tx -> insert(tx, 4));
            Future<Long> failing = g.join(tx -> {
                for (long i = 1; i < RECORDS; i++) {
                    insert(tx, 10 * i + 5);
                }
                FaultVfs.arm(FaultVfs.Kind.READ, 1, FaultVfs.Action.IOERR, persistentFault);
                throw thrown;
            });
            // queued behind the failing write: not admitted to the aborted group, it commits in the next
            Future<Long> next = persistentFault ? null : g.join(tx -> insert(tx, 6));
            g.release();
            for (Future<Long> f : List.of(lead, member)) {
                AncDbException e = assertThrows(AncDbException.class, () -> outcome(f));
                assertEquals(ErrorCode.TRANSACTION_ABORTED, e.errorCode(), e.getMessage());
            }
            IllegalStateException own = assertThrows(IllegalStateException.class, () -> outcome(failing));
            assertSame(thrown, own, "the failing write gets its own exception");
            assertTrue(own.getSuppressed().length == 1
                    && own.getSuppressed()[0] instanceof AncDbException a && a.errorCode() == ErrorCode.TRANSACTION_ABORTED,
                    "with the abort attached");
            assertTrue(FaultVfs.injected() >= 1, "the fault VFS failed the savepoint's rollback");
            FaultVfs.disarm();
            List<Long> want = new ArrayList<>();
            for (long i = 1; i <= RECORDS; i++) {
                want.add(10 * i);
            }
            if (next != null) {
                assertEquals(6L, outcome(next));
                want.add(0, 6L);
                assertEquals(new CommitStats(1, 1), db.commitStats().since(before), "only the next group committed");
            } else {
                assertEquals(before, db.commitStats(), "nothing committed");
            }
            assertEquals(want, GroupLatch.rowids(db, T), "nothing of the aborted group is visible");
            assertEquals("", db.integrityCheck());
        }
        FaultVfs.reset(0, 0);
        try (Database db = open(file, false)) {
            assertEquals(RECORDS + (persistentFault ? 0 : 1), GroupLatch.rowids(db, T).size());
        }
        assertEquals(List.of("ok"), SqliteShell.lines(file, "PRAGMA integrity_check;"));
    }

}
