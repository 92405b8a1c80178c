package io.ancdb;

import io.ancdb.internal.NativeDb;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The reader connections of a {@link Database}: at most {@code maxReaders},
 * opened on demand, each serving one read transaction at a time, handed out
 * most recently used first. A thread waits at most the busy timeout for one.
 *
 * <p>Kept snapshots (WAL mode, normal locking): when a read transaction ends
 * its connection may keep the native read transaction open
 * ({@code ancdb_read_end}), and the next read transaction on that
 * connection reuses it if nothing committed since, which the shim checks in
 * shared memory without a system call. A kept snapshot pins its WAL read
 * mark, so a connection left idle for {@link #IDLE_RELEASE} lets it go (one
 * daemon thread for the process does that, {@link SnapshotReleaser}): an idle
 * reader never holds a checkpoint back.
 *
 * <p>The first read of a database may borrow its writer connection
 * ({@link Lender}) while the pool has no connection: a database opened for one
 * read then opens one connection, not two. A borrowed connection goes back to
 * its lender when the read ends, or stays in the pool as an ordinary reader
 * when a write took another connection meanwhile.
 */
final class ReaderPool {
    /** How long an idle reader connection keeps its snapshot. */
    static final Duration IDLE_RELEASE = Duration.ofMillis(100);
    private static final long IDLE_NANOS = IDLE_RELEASE.toNanos();

    /** Lends the writer connection for a read (see the class comment). */
    interface Lender {
        /** The writer connection for one read, or null (a write holds it, or it was lent before). Never blocks. */
        NativeDb lend();

        /** Takes {@code conn} back when its read ended; false when it is no longer the writer: the pool keeps it. */
        boolean takeBack(NativeDb conn);
    }

    /** One pooled connection; its fields are guarded by the pool's lock. */
    static final class Lease {
        final NativeDb conn;
        int cookie;             // schema cookie seen by the read transaction begun last
        Thread owner;           // the thread using it, null while idle or being released
        boolean kept;           // idle with a kept snapshot
        long idleSince;         // System.nanoTime() when it became idle with a kept snapshot
        boolean borrowed;       // the lender's connection, back to it when the read ends

        private Lease(NativeDb conn) {
            this.conn = conn;
        }
    }

    private final Supplier<NativeDb> opener;
    private final Lender lender;
    private final int max;
    private final long waitNanos;
    private final boolean keepSnapshots;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition returned = lock.newCondition();
    private final ArrayDeque<Lease> idle = new ArrayDeque<>();   // head: most recently used
    private final List<Lease> all = new ArrayList<>();
    private int opening;                 // connections being opened outside the lock
    private boolean closing;
    private ScheduledFuture<?> release;  // the pending release of idle snapshots
    private final LongAdder reused = new LongAdder();

    /**
     * @param opener        opens one reader connection
     * @param lender        lends the writer connection to the first read
     * @param max           most connections
     * @param wait          longest wait for a free connection
     * @param keepSnapshots let connections keep their snapshot between read transactions
     */
    ReaderPool(Supplier<NativeDb> opener, Lender lender, int max, Duration wait, boolean keepSnapshots) {
        this.opener = opener;
        this.lender = lender;
        this.max = max;
        this.waitNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), wait.toNanos());
        this.keepSnapshots = keepSnapshots;
    }

    /** A connection with a read transaction begun (a kept one reused when still the newest). */
    Lease begin() {
        Lease l = acquire();
        try {
            l.cookie = l.conn.readBegin();
            if (l.conn.lastReadReused()) {
                reused.increment();
            }
            return l;
        } catch (RuntimeException | Error e) {
            try {
                abandonTransaction(l.conn, e);
            } finally {
                giveBack(l, false, false);
            }
            throw e;
        }
    }

    /** Ends the read transaction of {@code l}, keeping its snapshot if {@code keep} and allowed, and returns it. */
    void end(Lease l, boolean keep) {
        boolean kept = false;
        try {
            // a borrowed writer keeps no snapshot: nothing would release it while idle
            kept = endNative(l.conn, keep && keepSnapshots && !l.borrowed);
        } finally {
            giveBack(l, kept, false);
        }
    }

    /**
     * A connection for the writer, which lent its own to a read that still
     * runs: an idle one taken out of the pool, or a new one.
     */
    NativeDb takeForWriter() {
        lock.lock();
        try {
            Lease l = idle.pollFirst();
            if (l != null) {
                all.remove(l);
                return l.conn;             // a kept snapshot on it ends at the write's begin
            }
        } finally {
            lock.unlock();
        }
        return opener.get();
    }

    /** Adds {@code conn}, a connection with no transaction, as an idle reader (or closes it when closing). */
    void adopt(NativeDb conn) {
        Lease l = new Lease(conn);
        lock.lock();
        try {
            if (!closing) {
                all.add(l);
                giveBack(l, false, false);
                return;
            }
        } finally {
            lock.unlock();
        }
        conn.close();
    }

    /** Read transactions that reused a kept snapshot so far. */
    long reusedSnapshots() {
        return reused.sum();
    }

    /** Idle connections holding a kept snapshot now. */
    int keptSnapshots() {
        return count(idle, l -> l.kept);
    }

    /** Reader connections open now, not counting a borrowed writer connection. */
    int connections() {
        return count(all, l -> !l.borrowed);
    }

    /** Whether {@code t} has a connection of this pool in use. */
    boolean heldBy(Thread t) {
        return count(all, l -> l.owner == t) > 0;
    }

    private int count(Collection<Lease> leases, Predicate<Lease> which) {
        lock.lock();
        try {
            int n = 0;
            for (Lease l : leases) {
                n += which.test(l) ? 1 : 0;
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Refuses new leases, waits up to {@code timeout} for every connection to
     * come back, then closes them all. Returns false (and stays usable) when
     * some did not come back in time.
     */
    boolean close(Duration timeout) {
        lock.lock();
        try {
            closing = true;
            if (release != null) {
                release.cancel(false);
                release = null;
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (idle.size() < all.size() + opening) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    closing = false;
                    scheduleRelease();
                    return false;
                }
                try {
                    returned.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    closing = false;
                    scheduleRelease();
                    return false;
                }
            }
            RuntimeException first = null;
            for (Lease l : all) {
                try {
                    l.conn.close();     // rolls back a kept snapshot
                } catch (RuntimeException e) {
                    first = first == null ? e : first;
                }
            }
            all.clear();
            idle.clear();
            if (first != null) {
                throw first;
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    // --- internals ------------------------------------------------------------------

    private Lease acquire() {
        lock.lock();
        try {
            long deadline = 0;
            while (true) {
                if (closing) {
                    throw new ClosedException("database is closed");
                }
                Lease l = idle.pollFirst();
                if (l != null) {
                    l.owner = Thread.currentThread();
                    return l;
                }
                if (all.isEmpty() && opening == 0) {
                    NativeDb w = lender.lend();
                    if (w != null) {
                        l = new Lease(w);
                        l.borrowed = true;
                        l.owner = Thread.currentThread();
                        all.add(l);
                        return l;
                    }
                }
                if (all.size() + opening < max) {
                    opening++;
                    break;
                }
                // Bounded: a thread nesting more read transactions than maxReaders would wait forever.
                long now = System.nanoTime();
                if (deadline == 0) {
                    deadline = now + waitNanos;
                }
                if (now - deadline >= 0) {
                    throw new TransactionConflictException("all " + max
                            + " reader connections stayed busy for the busy timeout (raise maxReaders?)");
                }
                try {
                    returned.awaitNanos(deadline - now);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TransactionConflictException("interrupted while waiting for a reader connection");
                }
            }
        } finally {
            lock.unlock();
        }
        return openOne();
    }

    /** Opens a connection for a slot reserved in {@code opening}; no lock held during the open. */
    private Lease openOne() {
        NativeDb conn = null;
        try {
            conn = opener.get();
        } finally {
            lock.lock();
            try {
                opening--;
                if (conn == null) {
                    returned.signalAll();     // the slot is free again (and close may be waiting)
                }
            } finally {
                lock.unlock();
            }
        }
        Lease l = new Lease(conn);
        lock.lock();
        try {
            l.owner = Thread.currentThread();
            all.add(l);
        } finally {
            lock.unlock();
        }
        return l;
    }

    /** Ends the native read transaction (or keeps it); after a failure ends whatever is left open. */
    private static boolean endNative(NativeDb conn, boolean keep) {
        try {
            return conn.readEnd(keep);
        } catch (RuntimeException e) {
            abandonTransaction(conn, e);
            throw e;
        }
    }

    /** A connection never returns to the pool inside a transaction: after {@code failure}, end what is left. */
    private static void abandonTransaction(NativeDb conn, Throwable failure) {
        try {
            conn.rollback();
        } catch (RuntimeException again) {
            failure.addSuppressed(again);
        }
    }

    /** Returns {@code l} to the pool: used connections to the head, released ones to the cold end. */
    private void giveBack(Lease l, boolean kept, boolean cold) {
        lock.lock();
        try {
            l.owner = null;
            if (l.borrowed) {
                l.borrowed = false;
                if (lender.takeBack(l.conn)) {
                    all.remove(l);             // the writer's again
                    returned.signalAll();
                    return;
                }
            }
            l.kept = kept;
            if (kept) {
                l.idleSince = System.nanoTime();
                scheduleRelease();
            }
            if (cold) {
                idle.addLast(l);
            } else {
                idle.addFirst(l);
            }
            if (closing) {
                returned.signalAll();
            } else {
                returned.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Arms the release of idle snapshots unless armed (lock held). */
    private void scheduleRelease() {
        if (release == null && !closing) {
            release = SnapshotReleaser.after(IDLE_NANOS, this::releaseIdleSnapshots);
        }
    }

    /** Ends the snapshots kept by connections idle for IDLE_RELEASE; re-arms for the rest. */
    private void releaseIdleSnapshots() {
        List<Lease> expired = new ArrayList<>();
        lock.lock();
        try {
            release = null;
            if (closing) {
                return;                     // close() ends them all
            }
            long now = System.nanoTime();
            long next = Long.MAX_VALUE;
            for (Iterator<Lease> it = idle.iterator(); it.hasNext(); ) {
                Lease l = it.next();
                if (!l.kept) {
                    continue;
                }
                long age = now - l.idleSince;
                if (age >= IDLE_NANOS) {
                    it.remove();            // out of the pool while its transaction ends
                    expired.add(l);
                } else {
                    next = Math.min(next, IDLE_NANOS - age);
                }
            }
            if (next != Long.MAX_VALUE) {
                release = SnapshotReleaser.after(next, this::releaseIdleSnapshots);
            }
        } finally {
            lock.unlock();
        }
        for (Lease l : expired) {
            try {
                endNative(l.conn, false);
            } catch (RuntimeException e) {
                // the next read transaction on it reports the failure again
            } finally {
                giveBack(l, false, true);
            }
        }
    }
}
