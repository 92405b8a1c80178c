package io.ancdb;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one daemon thread of the process that lets idle snapshots go: those
 * reader connections keep ({@link ReaderPool}) and the one a database holds
 * from its open for its first read ({@link Database}). Created on first use,
 * so a process that never keeps a snapshot starts no thread.
 */
final class SnapshotReleaser {
    private SnapshotReleaser() {
    }

    private static final class Holder {
        static final ScheduledThreadPoolExecutor EXECUTOR = executor();

        private static ScheduledThreadPoolExecutor executor() {
            ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "ancdb-snapshot-release");
                t.setDaemon(true);
                return t;
            });
            ex.setRemoveOnCancelPolicy(true);
            return ex;
        }
    }

    /** Runs {@code task} on the releaser thread after {@code nanos}. */
    static ScheduledFuture<?> after(long nanos, Runnable task) {
        return Holder.EXECUTOR.schedule(task, nanos, TimeUnit.NANOSECONDS);
    }

    // --- releases at a fixed delay, one timer for all ------------------------------------

    private record Due(long at, Runnable release) {
    }

    private static final long DELAY = ReaderPool.IDLE_RELEASE.toNanos();
    private static final ConcurrentLinkedQueue<Due> DUE = new ConcurrentLinkedQueue<>();   // in deadline order
    private static final AtomicBoolean ARMED = new AtomicBoolean();

    /**
     * Runs {@code release} on the releaser thread {@link ReaderPool#IDLE_RELEASE}
     * (or a little more) from now. For a call at every open: scheduling a task
     * wakes the releaser thread each time (measured: more than the whole
     * open), so the releases share one armed task that handles every release
     * due when it runs, and adding one is a queue append. A release must do
     * nothing when what it releases is gone or taken already.
     */
    static void releaseLater(Runnable release) {
        DUE.add(new Due(System.nanoTime() + DELAY, release));
        if (ARMED.compareAndSet(false, true)) {
            after(DELAY, SnapshotReleaser::runDue);
        }
    }

    private static void runDue() {
        long now = System.nanoTime();
        for (Due d = DUE.peek(); d != null && d.at() - now <= 0; d = DUE.peek()) {
            DUE.poll();
            try {
                d.release().run();
            } catch (RuntimeException e) {
                // a release that fails leaves its snapshot to the next transaction, which reports it
            }
        }
        Due next = DUE.peek();
        if (next != null) {
            after(Math.max(0, next.at() - now), SnapshotReleaser::runDue);
            return;
        }
        ARMED.set(false);
        if (!DUE.isEmpty() && ARMED.compareAndSet(false, true)) {     // added while we disarmed
            after(DELAY, SnapshotReleaser::runDue);
        }
    }
}
