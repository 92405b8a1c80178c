package io.ancdb.protocol;

import io.ancdb.WriteTx;

/**
 * A session's BeginTx transaction and the thread that began it. The
 * database confines a transaction to that thread, so while it is open the
 * session's other requests must come from there too (Stats and Auth excepted:
 * they do not touch it).
 */
final class OpenTransaction {
    private final Counters counters;
    private WriteTx tx;
    private Thread owner;

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

    /** The open transaction when the calling thread began it, else null. */
    WriteTx ownedHere() {
        return tx != null && Thread.currentThread() == owner ? tx : null;
    }

    /**
     * Lets {@code request} run against this transaction, or refuses it
     * (status 1) when it comes from another thread than the owner's. A
     * transaction that ended underneath is let go first.
     */
    void admit(Request request) {
        if (tx != null && !tx.isOpen()) {
            end();
        }
        if (tx != null && Thread.currentThread() != owner && !(request instanceof Request.GetStats)
                && !(request instanceof Request.Auth)) {
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

    /** Rolls the transaction back when the calling thread owns it (else it stays, see {@link Session#close()}). */
    void rollbackIfOwned() {
        if (ownedHere() == null) {
            return;
        }
        try {
            if (tx.isOpen()) {
                tx.rollback();
            }
        } catch (RuntimeException ignored) {
            // the transaction ends anyway
        } finally {
            end();
        }
    }
}
