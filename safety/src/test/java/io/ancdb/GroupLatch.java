package io.ancdb;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Forms a group commit of known members, in a known order, without timing:
 * the leader's {@code writeTx} function holds its group open (waiting for
 * {@link #release()}) while the callers meant to join it queue one after
 * another ({@link #join} returns once its caller is in the queue). On
 * release the leader's function returns and the queued callers run their
 * turns in the order they joined, then share one commit.
 */
public final class GroupLatch implements AutoCloseable {
    private static final long GUARD_MS = 60_000;      // only against hangs: no test asserts a duration

    private final Database db;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final CountDownLatch leaderInside = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private int joined;

    public GroupLatch(Database db) {
        this.db = db;
    }

    /** Starts the leader, which runs {@code fn} and then waits for {@link #release()}; returns once it is inside. */
    public <T> Future<T> lead(Function<WriteTx, T> fn) {
        return lead(fn, tx -> { });
    }

    /** As {@link #lead(Function)}, running {@code afterRelease} in the leader's function once released. */
    public <T> Future<T> lead(Function<WriteTx, T> fn, java.util.function.Consumer<WriteTx> afterRelease) {
        Future<T> f = threads.submit(() -> db.writeTx(tx -> {
            T r = fn.apply(tx);
            leaderInside.countDown();
            await(release);
            afterRelease.accept(tx);
            return r;
        }));
        await(leaderInside);
        return f;
    }

    /** Starts a caller of {@code writeTx(fn)}; returns once it waits in the queue for its turn. */
    public <T> Future<T> join(Function<WriteTx, T> fn) {
        int want = ++joined;
        Future<T> f = threads.submit(() -> db.writeTx(fn));
        waitUntil(() -> db.queuedWrites() >= want, "caller " + want + " to queue");
        return f;
    }

    /** Starts {@code task} on a thread of its own (for callers that do not queue: explicit transactions). */
    public <T> Future<T> start(java.util.concurrent.Callable<T> task) {
        return threads.submit(task);
    }

    /** Lets the leader's function return: the group runs its turns and commits. */
    public void release() {
        release.countDown();
    }

    /** The outcome of a caller, waiting for it (bounded only against hangs). */
    public static <T> T outcome(Future<T> f) throws Exception {
        try {
            return f.get(GUARD_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            throw e;
        }
    }

    /** The rowids of {@code table}, as a read transaction sees them. */
    public static java.util.List<Long> rowids(Database db, String table) {
        return db.readTx(tx -> {
            java.util.List<Long> out = new java.util.ArrayList<>();
            try (RowCursor c = tx.scan(table)) {
                c.forEachRemaining(r -> out.add(r.rowid()));
            }
            return out;
        });
    }

    /** Polls {@code condition} until it holds (bounded only against hangs). */
    public static void waitUntil(java.util.function.BooleanSupplier condition, String what) {
        long end = System.nanoTime() + Duration.ofMillis(GUARD_MS).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    private static void await(CountDownLatch l) {
        try {
            if (!l.await(GUARD_MS, TimeUnit.MILLISECONDS)) {
                throw new AssertionError("group latch timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    @Override
    public void close() {
        release.countDown();
        threads.shutdownNow();
    }
}
