package io.ancdb.protocol;

import io.ancdb.MisuseException;
import io.ancdb.ReadTx;
import io.ancdb.WriteTx;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Function;

/**
 * Transaction boundaries of every command: the handler of BeginTx, CommitTx
 * and RollbackTx, and the one way a read ({@link #read}) or a write
 * ({@link #write}) runs. Inside a session's BeginTx every command runs in
 * that transaction, each write in a savepoint of its own; outside it a read
 * runs in a read transaction and a write in an auto-commit transaction
 * (on serve --db's file under group commit, one that writes arriving
 * together from many sessions share). Every wait for the database lock is
 * bounded by the lock timeout (then status 5). Each transaction is begun on
 * the database the request names ({@link Databases}), and the session learns
 * its {@link Target} and, for a file of a store, its version (the answer's
 * {@code meta.version}). Shared by the sessions of a dispatcher; keeps no
 * state of its own.
 */
final class Transactions {
    private static final String SAVEPOINT = "ancdb_protocol_command";

    /** The part of a read command that runs inside its transaction. */
    interface ReadBody {
        void run(ReadTx tx) throws IOException;
    }

    private final Duration lockTimeout;
    private final Databases databases;

    Transactions(Duration lockTimeout, Databases databases) {
        this.lockTimeout = lockTimeout;
        this.databases = databases;
    }

    /** Runs {@code body} in the session's transaction, or in a read transaction of its own. */
    void read(SessionState session, ReadBody body) throws IOException {
        WriteTx own = session.transaction.current();
        if (own != null) {
            body.run(own);
            return;
        }
        try (Begun<ReadTx> r = databases.beginRead(session.request.db(), session.principal, lockTimeout)) {
            session.on(r.target, r.version());
            body.run(r.tx);
        }
    }

    /**
     * Runs {@code body} as one atomic write: in a savepoint of the session's
     * transaction (released at the end), or in a write transaction of its own
     * ({@link #autoCommit}). When it fails it leaves no trace: the savepoint
     * is rolled back (the session's transaction goes on), or its own write.
     * A savepoint that cannot be rolled back would leave part of the failed
     * command in the session's transaction, for a later CommitTx to commit:
     * then the whole transaction is rolled back and aborted (status 8).
     */
    <T> T write(SessionState session, Function<WriteTx, T> body) {
        WriteTx own = session.transaction.current();
        if (own == null) {
            return autoCommit(session, body);
        }
        own.savepoint(SAVEPOINT);
        try {
            T result = body.apply(own);
            own.release(SAVEPOINT);
            return result;
        } catch (Throwable failure) {
            if (!undoSavepoint(own)) {
                throw abort(session, failure);
            }
            throw failure;
        }
    }

    /**
     * A write outside BeginTx. On serve --db's file: {@link io.ancdb.Database#writeTx},
     * so writes of many sessions that arrive together share one commit (group
     * commit, unless the database was opened without it), each in a savepoint
     * of its own; it returns once the commit is durable. The wait for the
     * writes ahead is bounded by the lock timeout (status 5); a write of the
     * same group whose changes could not be undone rolls the whole group back
     * (status 8). On a file of a store: a write transaction of its own,
     * committed at the end (its commit raises the file's version, the
     * answer's {@code meta.version}, after checking {@code expect_version});
     * a failure rolls it back. (Store files do not share commits: each commit
     * is one file's, and files are written in turns.)
     */
    private <T> T autoCommit(SessionState session, Function<WriteTx, T> body) {
        Target fixed = databases.fixedTarget();
        if (fixed != null) {
            session.on(fixed, Begun.NO_VERSION);
            return groupCommit(fixed, body);
        }
        Begun<WriteTx> begun = beginWrite(session);
        session.on(begun.target, begun.version());
        try {
            T result = body.apply(begun.tx);
            session.on(begun.target, begun.commit());
            return result;
        } catch (Throwable failure) {
            closeQuietly(begun);
            throw failure;
        }
    }

    private static void closeQuietly(Begun<WriteTx> tx) {
        try {
            tx.close();
        } catch (RuntimeException ignored) {
            // the original failure is the one to report; closing ends the transaction anyway
        }
    }

    private <T> T groupCommit(Target target, Function<WriteTx, T> body) {
        boolean[] ran = new boolean[1];   // set on this thread: writeTx runs body on its caller's thread
        try {
            return target.database().writeTx(lockTimeout, tx -> {
                ran[0] = true;
                return body.apply(tx);
            });
        } catch (MisuseException e) {
            if (ran[0]) {
                throw e;
            }
            throw Databases.busyOnThisThread();
        }
    }

    /** Rolls the command's savepoint back; false when that failed (the transaction may hold part of it). */
    private static boolean undoSavepoint(WriteTx tx) {
        try {
            tx.rollbackTo(SAVEPOINT);
            tx.release(SAVEPOINT);
            return true;
        } catch (RuntimeException undoFailed) {
            return false;
        }
    }

    /** Rolls back the session's whole transaction after {@code failure}; the error to answer. */
    private static WireError abort(SessionState session, Throwable failure) {
        ErrorMapping.logIfBug(failure);
        String reason = "a failed command (" + ErrorMapping.messageOf(failure) + ") whose changes could not be undone";
        session.transaction.abort(reason);
        return new WireError(Status.TRANSACTION_ABORTED, "the transaction was rolled back: " + reason
                + "; nothing of it will be committed; end it with RollbackTx (or CommitTx)");
    }

    // --- BeginTx, CommitTx, RollbackTx --------------------------------------------------------

    void beginTx(SessionState session) throws IOException {
        if (session.transaction.isOpen()) {
            throw WireError.invalid("a transaction is already open in this session: CommitTx or RollbackTx first");
        }
        Begun<WriteTx> begun = beginWrite(session);
        session.transaction.begin(begun);
        session.on(begun.target, begun.version());
        session.response.packer().packNil();
    }

    /** Commits the session's transaction; an aborted one is ended with status 8 (nothing was committed). */
    void commitTx(SessionState session) throws IOException {
        String aborted = session.transaction.endAborted();
        if (aborted != null) {
            throw new WireError(Status.TRANSACTION_ABORTED, "CommitTx: nothing was committed: the transaction was"
                    + " rolled back after " + aborted);
        }
        finish(session, "CommitTx", true);
    }

    /** Rolls back the session's transaction; an aborted one is ended (it was rolled back already). */
    void rollbackTx(SessionState session) throws IOException {
        if (session.transaction.endAborted() != null) {
            session.response.packer().packNil();
            return;
        }
        finish(session, "RollbackTx", false);
    }

    /** Commits or rolls back the session's transaction; a failed commit leaves it open (retry or roll back). */
    private static void finish(SessionState session, String command, boolean commit) throws IOException {
        Begun<WriteTx> tx = session.transaction.begun();
        if (tx == null) {
            throw WireError.invalid(command + ": no transaction is open (BeginTx first)");
        }
        try {
            if (commit) {
                session.on(tx.target, tx.commit());
            } else {
                tx.rollback();
            }
        } finally {
            if (!tx.tx.isOpen()) {
                session.transaction.end();
            }
        }
        session.response.packer().packNil();
    }

    // --- beginning ----------------------------------------------------------------------------

    private Begun<WriteTx> beginWrite(SessionState session) {
        return databases.beginWrite(session.request.db(), session.request.expectVersion(), session.principal,
                lockTimeout);
    }
}
