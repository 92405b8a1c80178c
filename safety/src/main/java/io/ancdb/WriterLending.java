package io.ancdb;

import io.ancdb.internal.NativeDb;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * A database's writer connection and its lending: to the first read of the
 * database when no write holds it, and the open's read transaction held on it
 * for that read. Lock order, as in {@link Database}: the database's
 * writerConnLock first, then lendLock; never the other way.
 */
final class WriterLending implements ReaderPool.Lender {
    private final ReentrantLock writerConnLock;   // the Database's
    private final BooleanSupplier closed;          // whether the Database is closed
    // The connection write transactions use. It changes only when a write
    // begins while the first read borrowed it (see claim): guarded by
    // writerConnLock, read by close() and rawKey() under the write side of rw.
    private NativeDb writer;
    // The first read of a database may run on the writer connection when no
    // reader connection exists yet (ReaderPool.Lender): guarded by lendLock.
    private final ReentrantLock lendLock = new ReentrantLock();
    private boolean writerLent;           // a read runs on the writer connection now
    private boolean writerLentBefore;     // lent once: later reads go to the pool
    // The open's read transaction, held on the writer for the first read (the
    // cold path: open, one read, close locks the file once): guarded by
    // lendLock. Ended by that read, a write, close, or after IDLE_RELEASE.
    private boolean openSnapshotHeld;

    WriterLending(NativeDb writer, ReentrantLock writerConnLock, BooleanSupplier closed) {
        this.writer = writer;
        this.writerConnLock = writerConnLock;
        this.closed = closed;
    }

    NativeDb writer() {
        return writer;
    }

    /** At open, before the database is shared: the open's read transaction is held for the first read. */
    void holdOpenSnapshot() {
        openSnapshotHeld = true;
        SnapshotReleaser.releaseLater(this::releaseHeldSnapshot);
    }

    /**
     * Ends the open's read transaction if no read took it and no write ended
     * it (on the releaser thread, {@link ReaderPool#IDLE_RELEASE} after open).
     */
    private void releaseHeldSnapshot() {
        if (!writerConnLock.tryLock()) {
            return;                          // a write has the writer: its begin ended the transaction
        }
        try {
            lendLock.lock();
            try {
                if (!openSnapshotHeld || writerLent || closed.getAsBoolean()) {
                    return;
                }
                openSnapshotHeld = false;
            } finally {
                lendLock.unlock();
            }
            writer.readEnd(false);
        } catch (RuntimeException e) {
            // the writer's next transaction meets the same failure and reports it
        } finally {
            writerConnLock.unlock();
        }
    }

    /**
     * The lending part of Database.claimWriter (writerConnLock held): the
     * write's begin ends the held snapshot, and when the first read borrowed
     * the writer and still runs, the write gets another connection from
     * {@code readers}.
     */
    void claim(ReaderPool readers) {
        boolean lent;
        lendLock.lock();
        try {
            openSnapshotHeld = false;        // the write's begin ends it
            lent = writerLent;
        } finally {
            lendLock.unlock();
        }
        if (!lent) {
            return;
        }
        NativeDb fresh = readers.takeForWriter();
        lendLock.lock();
        try {
            if (writerLent) {
                writer = fresh;              // the read's connection becomes a reader when it ends
                writerLent = false;
                fresh = null;
            }
        } finally {
            lendLock.unlock();
        }
        if (fresh != null) {
            readers.adopt(fresh);            // the read ended meanwhile: keep the connection for later reads
        }
    }

    /**
     * Lends the writer connection to the first read of this database when no
     * write holds it: the cold path (open, one read, close) then opens one
     * connection instead of two. Only once: later reads use the pool, whose
     * connections keep their snapshots between reads.
     */
    @Override
    public NativeDb lend() {
        if (!writerConnLock.tryLock()) {
            return null;                 // a write transaction has it
        }
        try {
            lendLock.lock();
            try {
                if (writerLentBefore || closed.getAsBoolean()) {
                    return null;
                }
                writerLent = true;
                writerLentBefore = true;
                openSnapshotHeld = false;        // the read continues it (or renews it if stale)
                return writer;
            } finally {
                lendLock.unlock();
            }
        } finally {
            writerConnLock.unlock();
        }
    }

    @Override
    public boolean takeBack(NativeDb conn) {
        lendLock.lock();
        try {
            if (writerLent && conn == writer) {
                writerLent = false;
                return true;
            }
            return false;
        } finally {
            lendLock.unlock();
        }
    }

    /** Whether the open's read transaction is still held for the first read (diagnostics for tests). */
    boolean holdsOpenSnapshot() {
        lendLock.lock();
        try {
            return openSnapshotHeld;
        } finally {
            lendLock.unlock();
        }
    }
}
