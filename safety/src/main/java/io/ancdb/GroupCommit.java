package io.ancdb;

import io.ancdb.schema.Catalog;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Group commit: {@link Database#writeTx} calls that arrive together share one
 * write transaction of the writer connection and one commit (one fsync).
 *
 * <p>Callers queue. The first to find no group running leads one: it takes
 * the locks a {@code beginWrite} takes (they are owned by a thread, so one
 * thread, the leader, holds them from begin to commit), begins the native
 * write transaction and runs its own function, with no savepoint: its turn
 * is the first, so when it fails the whole transaction is rolled back and
 * the queued callers form the next group (a lone writer pays nothing for
 * group commit). Otherwise it gives each queued caller a turn, one at a time
 * and in arrival order: the caller runs its function on its own thread
 * (transactions are confined to their thread, and user code may rely on
 * thread-locals) inside a savepoint of its own, released when the function
 * returns and rolled back when it throws, so a failure takes back that
 * caller's writes only. When nobody waits any more, or the group reached
 * {@link #MAX_WRITES} writes, the leader commits once and then tells every
 * member the outcome: no caller returns before the commit is durable; a
 * failed commit (rolled back) fails every member whose function succeeded. A turn whose savepoint cannot be rolled
 * back (or begun, or released) leaves the transaction in an unknown state:
 * the group is aborted, rolled back whole, and every member gets an error
 * ({@link ErrorCode#TRANSACTION_ABORTED} unless its own function failed).
 * Callers that arrive while the leader commits form the next group: the
 * leader hands the lead to the first of them when it is done.
 */
final class GroupCommit {
    /**
     * Writes per shared commit at most: bounds how many later turns an early
     * member waits for (and a DELETE-mode reader, which waits for the whole group).
     */
    static final int MAX_WRITES = 256;

    private final Database db;
    private final ReentrantLock gate = new ReentrantLock();
    private final ArrayDeque<Caller> queue = new ArrayDeque<>();   // guarded by gate
    private boolean leading;                                       // a leader runs a group; guarded by gate

    private enum Phase { QUEUED, LEAD, TURN, TURN_DONE, DONE }

    /** One writeTx call. Fields other than its outcome are guarded by gate. */
    private static final class Caller {
        final Condition wake;
        Phase phase = Phase.QUEUED;
        Group group;
        Object result;
        Throwable failure;

        Caller(Condition wake) {
            this.wake = wake;
        }
    }

    /** The shared transaction of one group, run by its leader. */
    private final class Group {
        private final Condition turnDone = gate.newCondition();
        private final List<Caller> members = new ArrayList<>();
        private Catalog catalog;    // as the kept turns left it
        private int kept;
        private AncDbException aborted;
        private boolean rolledBack;                // the leader's turn rolled the whole transaction back
        private RuntimeException commitFailure;    // the commit's (or the rollback's), set by the leader at the end

        private Group(Catalog catalog) {
            this.catalog = catalog;
        }

        private boolean admitting() {
            return aborted == null && members.size() + 1 < MAX_WRITES;
        }

        /** Rolls the whole group back at its end: {@code cause} left the transaction in an unknown state. */
        private AncDbException abort(RuntimeException cause) {
            if (aborted == null) {
                aborted = new AncDbException(ErrorCode.TRANSACTION_ABORTED, 0,
                        "a write of this group commit could not be undone (" + cause.getMessage()
                                + "): the whole group was rolled back", cause);
            }
            return aborted;
        }
    }

    /**
     * A caller's turn in a group: its savepoint (level 0 for the leader's
     * turn, which has none). {@link WriteTx} ends it instead of committing or
     * rolling back the shared transaction.
     */
    final class Turn {
        private final Group group;
        private final int level;

        private Turn(Group group, int level) {
            this.group = group;
            this.level = level;
        }

        /**
         * Keeps the turn's writes for the shared commit; {@code outermost} is
         * the level of the outermost savepoint the function left open (0: none).
         */
        void keep(Catalog catalog, int outermost) {
            if (group.aborted != null) {
                throw group.aborted;
            }
            int release = level > 0 ? level : outermost;   // ends every savepoint inside too
            if (release > 0) {
                try {
                    db.writer().savepointRelease(release);
                } catch (RuntimeException e) {
                    throw group.abort(e);
                }
            }
            group.catalog = catalog;
            group.kept++;
        }

        /** Takes the turn's writes back (the leader's: the whole transaction, which then ends). */
        void undo() {
            if (group.aborted != null) {
                return;                     // the whole transaction will be rolled back
            }
            try {
                if (level == 0) {
                    db.writer().rollback();
                    group.rolledBack = true;
                } else {
                    db.writer().savepointRollback(level);
                    db.writer().savepointRelease(level);
                }
            } catch (RuntimeException e) {
                throw group.abort(e);
            }
        }
    }

    GroupCommit(Database db) {
        this.db = db;
    }

    /**
     * Runs {@code fn} as one write of a group and returns its result once the
     * group's commit is durable. {@code timeout} (null: none) bounds the wait
     * for a turn or for the locks, then {@link TransactionConflictException}.
     */
    <T> T run(Function<WriteTx, T> fn, Duration timeout) {
        long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
        Caller me = new Caller(gate.newCondition());
        gate.lock();
        try {
            if (!leading) {
                leading = true;
                me.phase = Phase.LEAD;
            } else {
                queue.add(me);
                awaitCall(me, timeout == null ? -1 : deadline);
            }
        } finally {
            gate.unlock();
        }
        if (me.phase == Phase.LEAD) {
            lead(me, fn, timeout == null ? null : Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        } else {
            takeTurn(me, fn);
        }
        return outcome(me);
    }

    /** Waits (gate held) until {@code me} leads or has a turn; out of the queue when {@code deadline} passes. */
    private void awaitCall(Caller me, long deadline) {
        boolean interrupted = false;
        try {
            while (me.phase == Phase.QUEUED) {
                if (deadline < 0) {
                    me.wake.awaitUninterruptibly();
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    queue.remove(me);
                    throw new TransactionConflictException("other writes held the database for longer than the"
                            + " timeout; this write transaction was not started");
                }
                try {
                    me.wake.awaitNanos(left);
                } catch (InterruptedException e) {
                    interrupted = true;
                    queue.remove(me);
                    throw new TransactionConflictException("interrupted while waiting to begin a write transaction");
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void lead(Caller me, Function<WriteTx, ?> fn, Duration timeout) {
        Group g;
        try {
            g = new Group(db.beginGroup(timeout));
        } catch (RuntimeException | Error e) {
            handOver();
            throw e;
        }
        try {
            runTurn(g, me, fn, true);
            if (!g.rolledBack) {
                admitQueued(g);
            }
        } finally {
            // whatever happened above, the members are told and the lead passes on
            g.commitFailure = db.endGroup(g.kept > 0 && g.aborted == null && !g.rolledBack, g.kept, g.catalog);
            gate.lock();
            try {
                for (Caller m : g.members) {
                    settle(g, m, true);
                    m.phase = Phase.DONE;
                    m.wake.signal();
                }
            } finally {
                gate.unlock();
            }
            handOver();
        }
        settle(g, me, false);
    }

    /** Gives each queued caller a turn, one at a time, while the group admits them. */
    private void admitQueued(Group g) {
        gate.lock();
        try {
            Caller next;
            while (g.admitting() && (next = queue.poll()) != null) {
                next.group = g;
                next.phase = Phase.TURN;
                g.members.add(next);
                next.wake.signal();
                while (next.phase == Phase.TURN) {
                    g.turnDone.awaitUninterruptibly();
                }
            }
        } finally {
            gate.unlock();
        }
    }

    /** Passes the lead to the first queued caller, or lets the next caller lead. */
    private void handOver() {
        gate.lock();
        try {
            Caller next = queue.poll();
            if (next == null) {
                leading = false;
            } else {
                next.phase = Phase.LEAD;
                next.wake.signal();
            }
        } finally {
            gate.unlock();
        }
    }

    /** A member's side: its turn on this thread, then the wait for the group's outcome. */
    private void takeTurn(Caller me, Function<WriteTx, ?> fn) {
        runTurn(me.group, me, fn, false);
        gate.lock();
        try {
            me.phase = Phase.TURN_DONE;
            me.group.turnDone.signal();
            while (me.phase != Phase.DONE) {
                me.wake.awaitUninterruptibly();
            }
        } finally {
            gate.unlock();
        }
    }

    /** Runs {@code fn} in the group's transaction (a member's in a savepoint), on this thread. */
    private void runTurn(Group g, Caller c, Function<WriteTx, ?> fn, boolean leader) {
        db.turnBegins();
        try {
            Turn turn;
            try {
                turn = new Turn(g, leader ? 0 : db.writer().savepointBegin());
            } catch (RuntimeException e) {
                c.failure = g.abort(e);
                return;
            }
            WriteTx tx = new WriteTx(db, db.writer(), g.catalog, turn);
            try {
                c.result = fn.apply(tx);
                if (tx.isOpen()) {
                    tx.commit();
                }
            } catch (Throwable t) {
                c.failure = t;
                if (tx.isOpen()) {
                    try {
                        tx.rollback();
                    } catch (RuntimeException again) {
                        t.addSuppressed(again);
                    }
                }
            }
        } finally {
            db.turnEnds();
        }
    }

    /**
     * Gives {@code c} the group's verdict: its own failure stands; else an
     * aborted group or a failed commit fails it. A member gets an exception of
     * its own (with the group's failure as its cause); the leader, whose
     * thread made the commit, the failure itself.
     */
    private static void settle(Group g, Caller c, boolean member) {
        if (c.failure != null) {
            return;
        }
        AncDbException groupFailure = g.aborted;
        RuntimeException failure = groupFailure != null ? groupFailure : g.commitFailure;
        if (failure == null) {
            return;
        }
        if (!member) {
            c.failure = failure;
        } else if (failure instanceof AncDbException e) {
            c.failure = new AncDbException(e.errorCode(), e.nativeCode(), "the group commit this write shared failed: "
                    + e.bareMessage(), e);
        } else {
            c.failure = new AncDbException(ErrorCode.INTERNAL, 0, "the group commit this write shared failed: "
                    + failure, failure);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T outcome(Caller c) {
        Throwable f = c.failure;
        if (f == null) {
            return (T) c.result;
        }
        if (f instanceof RuntimeException r) {
            throw r;
        }
        if (f instanceof Error e) {
            throw e;
        }
        throw new AncDbException(ErrorCode.INTERNAL, 0, "write function failed: " + f, f);   // sneaky checked
    }

    /** Callers waiting for a turn or the lead (diagnostics for tests). */
    int queued() {
        gate.lock();
        try {
            return queue.size();
        } finally {
            gate.unlock();
        }
    }
}
