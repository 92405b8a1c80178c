package io.ancdb.protocol;

import io.ancdb.Database;
import io.ancdb.DatabaseOptions;
import io.ancdb.bindings.internal.ancdb_h;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.ancdb.protocol.Msg.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A command that fails inside BeginTx and whose savepoint cannot be rolled
 * back (the fault VFS fails the read of the journal that undoing it needs):
 * the whole transaction is rolled back, the client is told (status 8), and a
 * later CommitTx answers that the transaction was aborted instead of
 * committing the failed command's partial writes.
 */
class FailedCommandInTransactionTest {
    private static final String FAULT_VFS = "ancdb-fault";
    private static final List<Object> FIELDS = List.of(
            map("name", "id", "type", "u64", "primary_key", true),
            map("name", "v", "type", "bytes"));

    @TempDir
    Path dir;

    @AfterEach
    void disarm() {
        check(ancdb_h.ancdb_fault_reset(0, 0));
    }

    /** Records with keys 10, 20, ... 10 * RECORDS, 100 bytes each. */
    private static final int RECORDS = 900;

    @Test
    void aSavepointThatCannotBeUndoneAbortsTheTransaction() {
        runAbortedTransaction(false);
    }

    @Test
    void evenWhenTheWholeRollbackFailsToo() {
        runAbortedTransaction(true);
    }

    private void runAbortedTransaction(boolean persistentFault) {
        try (Database db = open("t.db"); CommandDispatcher dispatcher = new CommandDispatcher(db)) {
            Session s = loaded(dispatcher);
            call(s, map("cmd", 0x10)).ok();
            call(s, map("cmd", 3, "schema", "T", "record", map("id", 3L))).ok();
            Msg.Resp failed = failBatchWithUndoFault(s, persistentFault);
            assertTrue(failed.error().contains("rolled back"), failed.error());
            assertTrue(s.inTransaction(), "the session stays in its (aborted) transaction until it ends it");

            // every command but CommitTx / RollbackTx is refused until the client ends the transaction
            call(s, map("cmd", 3, "schema", "T", "record", map("id", 4L))).fails(Status.TRANSACTION_ABORTED);
            call(s, map("cmd", 1, "schema", "T", "key", 3L)).fails(Status.TRANSACTION_ABORTED);
            call(s, map("cmd", 0x10)).fails(Status.TRANSACTION_ABORTED);
            Msg.Resp commit = call(s, map("cmd", 0x11)).fails(Status.TRANSACTION_ABORTED);
            assertTrue(commit.error().contains("nothing was committed"), commit.error());
            assertFalse(s.inTransaction());
            call(s, map("cmd", 0x11)).fails(Status.INVALID_COMMAND);   // ended: no transaction open

            // nothing of the transaction is in the file: not the failed batch, not the write before it
            Session reader = dispatcher.openSession();
            call(reader, map("cmd", 1, "schema", "T", "key", 15L)).fails(Status.KEY_NOT_FOUND);
            call(reader, map("cmd", 1, "schema", "T", "key", 3L)).fails(Status.KEY_NOT_FOUND);
            call(reader, map("cmd", 1, "schema", "T", "key", 4L)).fails(Status.KEY_NOT_FOUND);
            assertEquals(RECORDS, call(reader, map("cmd", 2, "schema", "T")).ok().list().size());
            assertEquals(0L, dispatcher.stats().openTransactions());

            // the session goes on: a new transaction commits
            call(s, map("cmd", 0x10)).ok();
            call(s, map("cmd", 3, "schema", "T", "record", map("id", 5L))).ok();
            call(s, map("cmd", 0x11)).ok();
            call(reader, map("cmd", 1, "schema", "T", "key", 5L)).ok();
            assertEquals("", db.integrityCheck());
            s.close();
            reader.close();
        }
    }

    @Test
    void rollbackTxEndsAnAbortedTransaction() {
        try (Database db = open("r.db"); CommandDispatcher dispatcher = new CommandDispatcher(db)) {
            Session s = loaded(dispatcher);
            call(s, map("cmd", 0x10)).ok();
            failBatchWithUndoFault(s, false);
            call(s, map("cmd", 0x12)).ok();
            assertFalse(s.inTransaction());
            call(s, map("cmd", 1, "schema", "T", "key", 15L)).fails(Status.KEY_NOT_FOUND);
            assertEquals("", db.integrityCheck());
            s.close();
        }
    }

    private Database open(String name) {
        check(ancdb_h.ancdb_fault_reset(0, 0));        // registers the fault VFS
        return Database.open(dir.resolve(name), DatabaseOptions.defaults().withVfs(FAULT_VFS)
                .withSynchronous(DatabaseOptions.Synchronous.OFF));
    }

    /** A session on schema T holding the RECORDS records. */
    private static Session loaded(CommandDispatcher dispatcher) {
        Session s = dispatcher.openSession();
        call(s, map("cmd", 0x20, "schema", "T", "fields", FIELDS)).ok();
        List<Object> base = new ArrayList<>();
        for (int i = 1; i <= RECORDS; i++) {
            base.add(map("id", 10L * i, "v", new byte[100]));
        }
        call(s, map("cmd", 4, "schema", "T", "records", base)).ok();
        return s;
    }

    /**
     * Inside the session's transaction, a batch of new keys between the existing ones (so existing
     * pages change, and undoing them reads the journal) that fails on its last record (an existing
     * key: the batch is written in key order) while the fault VFS fails the next read: the read that
     * rolling back the command's savepoint needs. Returns the (status 8) response.
     */
    private static Msg.Resp failBatchWithUndoFault(Session s, boolean persistentFault) {
        List<Object> batch = new ArrayList<>();
        for (int i = 1; i < RECORDS; i++) {
            batch.add(map("id", 10L * i + 5, "v", new byte[100]));
        }
        batch.add(map("id", 10L * RECORDS));
        check(ancdb_h.ancdb_fault_arm(ancdb_h.ANCDB_FAULT_READ, 1, ancdb_h.ANCDB_FAULT_IOERR,
                persistentFault ? 1 : 0));
        Msg.Resp failed = call(s, map("cmd", 4, "schema", "T", "records", batch));
        check(ancdb_h.ancdb_fault_disarm());
        assertTrue(injected() >= 1, "the fault VFS failed the savepoint's rollback");
        return failed.fails(Status.TRANSACTION_ABORTED);
    }

    private static Msg.Resp call(Session s, Object request) {
        return Msg.resp(s.handle(Msg.pack(request)));
    }

    /** Faults the VFS injected since its last reset. */
    static long injected() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.JAVA_LONG);
            check(ancdb_h.ancdb_fault_count(0, out));
            return out.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    /** Fails unless a fault VFS control call returned 0. */
    static void check(int rc) {
        if (rc != 0) {
            throw new IllegalStateException("fault VFS control returned " + rc);
        }
    }
}
