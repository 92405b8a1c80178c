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
            end();
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
    }

    void begin(WriteTx w) {
        tx = w;
        owner = Thread.currentThread();
        counters.transactionBegun();
    }

    /** Forgets the transaction (committed or rolled back). */
    void end() {
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
                tx.rollback();
            }
        } catch (RuntimeException ignored) {
            // the transaction ends anyway (the next one recovers the file from its journal)
        } finally {
            end();
        }
    }
}
