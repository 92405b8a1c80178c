package io.ancdb.store;

import io.ancdb.ClosedException;
import io.ancdb.TransactionConflictException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The store's open files: at most {@code maxOpen} of them, the least
 * recently used idle one closed first when room is needed, every file idle
 * longer than the idle timeout closed by a background sweep, and never a
 * file a transaction has borrowed ({@link #acquire} / {@link #release} count
 * the borrowers).
 *
 * <p>The cache's lock guards only the map and the counts and is never held
 * while a file is opened or closed (that is disk I/O) nor across a
 * transaction. A file being closed still counts against {@code maxOpen}
 * until its descriptors are gone, and its name is not reopened before then.
 */
final class HandleCache implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.ancdb.store");
    private final int maxOpen;
    private final Duration idleTimeout;
    private final Duration waitTimeout;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final LinkedHashMap<String, Handle> handles = new LinkedHashMap<>(64, 0.75f, true);  // LRU first
    private final Set<String> closingNames = new HashSet<>();   // closing or dropping: wait before reopening
    private int closing;                                         // handles out of the map, descriptors still open
    private boolean closed;
    private final ScheduledExecutorService sweeper;

    HandleCache(int maxOpen, Duration idleTimeout, Duration waitTimeout) {
        this.maxOpen = maxOpen;
        this.idleTimeout = idleTimeout;
        this.waitTimeout = waitTimeout;
        if (idleTimeout.isZero()) {
            sweeper = null;
        } else {
            sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ancdb-store-idle");
                t.setDaemon(true);
                return t;
            });
            long period = Math.clamp(idleTimeout.toMillis() / 2, 10, 30_000);
            sweeper.scheduleWithFixedDelay(this::closeIdle, period, period, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Borrows the handle of {@code name} (not necessarily open yet), making
     * room first if the cache is full: closes the least recently used idle
     * file, or waits up to the wait timeout for one to become idle.
     */
    Handle acquire(String name) {
        long deadline = System.nanoTime() + waitTimeout.toNanos();
        while (true) {
            Handle victim;
            lock.lock();
            try {
                victim = null;
                checkOpen();
                if (!closingNames.contains(name)) {
                    Handle h = handles.get(name);               // also marks it most recently used
                    if (h == null && handles.size() + closing < maxOpen) {
                        h = new Handle(name);
                        handles.put(name, h);
                    }
                    if (h != null) {
                        h.refs++;
                        return h;
                    }
                    victim = leastRecentlyUsedIdle();
                    if (victim != null) {
                        retire(victim);
                    }
                }
                if (victim == null) {
                    await(deadline, "all " + maxOpen + " open files of the store stayed in use");
                }
            } finally {
                lock.unlock();
            }
            if (victim != null) {
                closeRetired(victim);
            }
        }
    }

    /** Returns a borrowed handle; the last borrower of a handle that never opened removes it. */
    void release(Handle h) {
        lock.lock();
        try {
            if (h.refs <= 0) {
                throw new IllegalStateException("handle of " + h.name + " released more often than acquired");
            }
            h.refs--;
            if (h.refs == 0) {
                h.idleSinceNanos = System.nanoTime();
                if (handles.get(h.name) == h && !h.isOpen()) {   // get: the release counts as a use
                    handles.remove(h.name);            // its open failed: nothing to keep
                }
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code action} on the handle of {@code name} (null when the file is
     * not open) once no transaction borrows it, with the name barred from
     * reopening until it returns; waits up to the wait timeout for borrowers.
     */
    void exclusively(String name, Consumer<Handle> action) {
        long deadline = System.nanoTime() + waitTimeout.toNanos();
        Handle h;
        lock.lock();
        try {
            while (true) {
                checkOpen();
                h = handles.get(name);
                if (!closingNames.contains(name) && (h == null || h.refs == 0)) {
                    break;
                }
                await(deadline, "database " + StoreNames.quoted(name) + " stayed in use");
            }
            closingNames.add(name);
            if (h != null) {
                handles.remove(name);
                closing++;
            }
        } finally {
            lock.unlock();
        }
        try {
            action.accept(h);
        } finally {
            lock.lock();
            try {
                closingNames.remove(name);
                if (h != null) {
                    closing--;
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Files open (or still closing) now. */
    int openCount() {
        lock.lock();
        try {
            int n = closing;
            for (Handle h : handles.values()) {
                n += h.isOpen() ? 1 : 0;
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** True when the file of {@code name} is open in the cache (tests). */
    boolean isOpen(String name) {
        lock.lock();
        try {
            // not handles.get: in an access-ordered map a look would count as a use
            return handles.values().stream().anyMatch(h -> h.name.equals(name) && h.isOpen());
        } finally {
            lock.unlock();
        }
    }

    /** Closes every file idle for the idle timeout (the sweep; also callable directly). */
    void closeIdle() {
        List<Handle> idle = new ArrayList<>();
        lock.lock();
        try {
            long now = System.nanoTime();
            for (Handle h : handles.values()) {
                if (h.refs == 0 && now - h.idleSinceNanos >= idleTimeout.toNanos()) {
                    idle.add(h);
                }
            }
            idle.forEach(this::retire);
        } finally {
            lock.unlock();
        }
        idle.forEach(this::closeRetired);
    }

    /**
     * Closes every file: refuses new borrowers at once, waits up to the wait
     * timeout for the borrowed ones to come back (then fails, leaving the
     * cache closed to new borrowers and the borrowed files open).
     */
    @Override
    public void close() {
        List<Handle> all;
        lock.lock();
        try {
            closed = true;
            long deadline = System.nanoTime() + waitTimeout.toNanos();
            while (handles.values().stream().anyMatch(h -> h.refs > 0) || closing > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TransactionConflictException("cannot close the store: transactions are still open");
                }
                changed.awaitNanos(left);
            }
            all = new ArrayList<>(handles.values());
            handles.clear();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransactionConflictException("interrupted while closing the store");
        } finally {
            lock.unlock();
        }
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        RuntimeException first = null;
        for (Handle h : all) {
            try {
                h.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    // --- under the lock ------------------------------------------------------------

    private Handle leastRecentlyUsedIdle() {
        for (Iterator<Handle> it = handles.values().iterator(); it.hasNext(); ) {
            Handle h = it.next();
            if (h.refs == 0) {
                return h;
            }
        }
        return null;
    }

    /** Takes an idle handle out of the map; it still counts as open until {@link #closeRetired}. */
    private void retire(Handle h) {
        handles.remove(h.name);
        closingNames.add(h.name);
        closing++;
    }

    private void await(long deadline, String what) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new TransactionConflictException(what + " for " + waitTimeout.toMillis() + " ms");
        }
        try {
            changed.awaitNanos(left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransactionConflictException("interrupted while waiting for a store file");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new ClosedException("store is closed");
        }
    }

    // --- outside the lock ----------------------------------------------------------

    private void closeRetired(Handle h) {
        try {
            h.close();
        } catch (RuntimeException e) {
            // the file is gone from the cache either way; a failed close (an I/O error at
            // the last checkpoint) leaves committed data in the WAL for the next open
            LOG.log(System.Logger.Level.WARNING, "closing store file " + h.name + " failed: " + e.getMessage());
        } finally {
            lock.lock();
            try {
                closing--;
                closingNames.remove(h.name);
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
