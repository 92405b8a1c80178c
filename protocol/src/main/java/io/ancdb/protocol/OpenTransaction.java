package io.ancdb.protocol;

import io.ancdb.WriteTx;

/**
 * A session's BeginTx transaction and the thread that began it. The
 * database confines a transaction to that thread, so while it is open the
 * session's other requests must come from there too (Stats, Auth and Hello
 * excepted: they do not touch it).
 *
 * <p>A transaction can also be <em>aborted</em>: the server rolled it back
 * because a command failed and its changes could not be undone. The client
 * has not ended it yet, so it may still send writes it believes to be part of
 * it: until CommitTx (answered status 8: nothing was committed) or RollbackTx
 * every other command is refused with status 8 instead of running outside
 * the transaction.
 */
final class OpenTransaction {
    private final Counters counters;
    private Begun<WriteTx> begun;
    private WriteTx tx;
    private Thread owner;
    /** Why the server rolled the transaction back, while the client has not ended it; else null. */
    private String abortedBecause;

    OpenTransaction(Counters counters) {
        this.counters = counters;
    }

    /** The open transaction, or null. */
    WriteTx current() {
        return tx;
    }

    boolean isOpen() {
        return tx != null;
    }

    /** The database the open transaction is on (null when none is open). */
    Target target() {
        return begun == null ? null : begun.target;
    }

    /** The version the open transaction's commit will make (Begun.NO_VERSION: none). */
    long version() {
        return begun == null ? Begun.NO_VERSION : begun.version();
    }

    /** The open transaction with what it runs on (null when none is open). */
    Begun<WriteTx> begun() {
        return begun;
    }

    boolean isAborted() {
        return abortedBecause != null;
    }

    /** The open transaction when the calling thread began it, else null. */
    WriteTx ownedHere() {
        return tx != null && Thread.currentThread() == owner ? tx : null;
    }

    /**
     * Lets {@code request} run against this transaction, or refuses it: status
     * 8 while the transaction is aborted (CommitTx and RollbackTx end it),
     * status 1 from another thread than the owner's. A transaction that ended
     * underneath is let go first.
     */
    void admit(Request request) {
        if (tx != null && !tx.isOpen()) {
            closeQuietly();
        }
        if (request instanceof Request.GetStats || request instanceof Request.Auth || request instanceof Request.Hello) {
            return;
        }
        if (abortedBecause != null && !(request instanceof Request.CommitTx)
                && !(request instanceof Request.RollbackTx)) {
            throw new WireError(Status.TRANSACTION_ABORTED, "the transaction was rolled back after " + abortedBecause
                    + "; end it with RollbackTx (or CommitTx) before anything else");
        }
        if (tx != null && Thread.currentThread() != owner) {
            throw WireError.invalid("this session's transaction was begun on another thread; a session with an"
                    + " open transaction must be used from the thread that began it");
        }
        if (tx != null) {
            admitInside(request);
        }
    }

    /** A command inside the transaction names its database or none, and expects no version of its own. */
    private void admitInside(Request request) {
        String db = request.db();
        String name = begun.target.name();
        if (db != null && !db.equals(name) || request instanceof Request.RangeScan r && r.acrossFiles()) {
            throw WireError.invalid("this session's transaction is on " + (name == null ? "the server's file"
                    : "database \"" + Messages.clip(name) + "\"") + ": a command inside it names that db or none");
        }
        if (request.expectVersion() != Request.ANY_VERSION && !(request instanceof Request.BeginTx)) {
            throw WireError.invalid("expect_version goes on BeginTx: a write inside a transaction cannot expect"
                    + " a version of its own");
        }
    }

    void begin(Begun<WriteTx> w) {
        begun = w;
        tx = w.tx;
        owner = Thread.currentThread();
        counters.transactionBegun();
    }

    /** Forgets the transaction (committed or rolled back). */
    void end() {
        begun = null;
        tx = null;
        owner = null;
        counters.transactionEnded();
    }

    /** Rolls the whole transaction back (a failure to do so ends it all the same) and remembers why. */
    void abort(String reason) {
        rollbackQuietly();
        abortedBecause = reason;
    }

    /** Ends an aborted transaction (the client's CommitTx or RollbackTx): why it was aborted, or null if it was not. */
    String endAborted() {
        String reason = abortedBecause;
        abortedBecause = null;
        return reason;
    }

    /** Rolls the transaction back when the calling thread owns it (else it stays, see {@link Session#close()}). */
    void rollbackIfOwned() {
        abortedBecause = null;
        if (ownedHere() != null) {
            rollbackQuietly();
        }
    }

    private void rollbackQuietly() {
        try {
            if (tx.isOpen()) {
                begun.rollback();
            }
        } catch (RuntimeException ignored) {
            // the transaction ends anyway (the next one recovers the file from its journal)
        } finally {
            closeQuietly();
        }
    }

    /** Ends the transaction and gives its file back (to a store's cache), whatever state it is in. */
    private void closeQuietly() {
        try {
            begun.close();
        } catch (RuntimeException ignored) {
            // it ended already; closing only gives the file back
        } finally {
            end();
        }
    }
}
