package io.ancdb.reliability;

import io.ancdb.Database;
import io.ancdb.DatabaseOptions;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The child JVM of the group-commit kill -9 lanes: opens the file (group
 * commit on, synchronous FULL), reports how many operation rows it holds,
 * then runs {@link GroupKillWorkload#THREADS} threads, each making one
 * {@code writeTx} call after another, until it is killed. Progress on stdout,
 * one flushed line per event: {@code open}, {@code start N} (rows besides
 * row 1; -1 without the schema), {@code begin 0} / {@code ack 0} around the
 * schema, and per call {@code begin t i} before it, {@code ack t i} after it
 * returned, {@code fail t i} after it failed as planned. A call failing
 * otherwise is a bug: its stack trace goes to stderr and the child exits 4.
 *
 * <p>Usage: {@code GroupKillChild <db> <DELETE|WAL> <seed> <gen> <maxCalls|-1> <maxSeconds>}
 * ({@code gen}: this child's number, part of every operation's keys); exits 0
 * after {@code maxCalls} calls per thread, 3 when {@code maxSeconds} pass.
 * {@code GroupKillChild train <dir>}: a short run in both journal modes.
 */
public final class GroupKillChild {
    private static final ReentrantLock OUT = new ReentrantLock();

    private GroupKillChild() {
    }

    public static void main(String[] args) throws Exception {
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        if (args[0].equals("train")) {
            for (DatabaseOptions.JournalMode m : DatabaseOptions.JournalMode.values()) {
                Path db = Path.of(args[1]).resolve("train-group-" + m + ".db");
                run(db, m, 1, 1, 30, 60, out);
                run(db, m, 1, 2, 30, 60, out);        // a reopen with data in it
                GroupKillCheck.readState(db, m);     // the parent's reads, for its own warm-up only
            }
            return;
        }
        System.exit(run(Path.of(args[0]), DatabaseOptions.JournalMode.valueOf(args[1]), Long.parseLong(args[2]),
                Long.parseLong(args[3]), Long.parseLong(args[4]), Long.parseLong(args[5]), out));
    }

    static DatabaseOptions options(DatabaseOptions.JournalMode mode) {
        return DatabaseOptions.defaults().withJournalMode(mode).withSynchronous(DatabaseOptions.Synchronous.FULL)
                .withGroupCommit(true).withMaxReaders(1);
    }

    private static int run(Path file, DatabaseOptions.JournalMode mode, long seed, long gen, long maxCalls,
                           long maxSeconds, OutputStream out) throws Exception {
        long deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
        line(out, "open");
        try (Database db = Database.open(file, options(mode))) {
            long rows = GroupKillCheck.rows(db);
            line(out, "start " + rows);
            if (rows < 0) {
                line(out, "begin 0");
                db.runWrite(GroupKillWorkload::createSchema);
                line(out, "ack 0");
            }
            List<Thread> threads = new ArrayList<>();
            AtomicInteger exit = new AtomicInteger();
            for (int t = 0; t < GroupKillWorkload.THREADS; t++) {
                int thread = t;
                threads.add(Thread.ofPlatform().name("writer-" + t).start(() -> {
                    for (long i = 0; maxCalls < 0 || i < maxCalls; i++) {
                        if (System.nanoTime() > deadline) {
                            exit.set(3);
                            return;
                        }
                        call(db, GroupKillWorkload.op(seed, gen, thread, i), thread, i, out);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            return exit.get();
        }
    }

    private static void call(Database db, GroupKillWorkload.Op op, int thread, long i, OutputStream out) {
        line(out, "begin " + thread + " " + i);
        try {
            db.runWrite(tx -> GroupKillWorkload.run(tx, op));
        } catch (RuntimeException e) {
            if (!GroupKillWorkload.plannedFailure(op, e)) {
                e.printStackTrace();
                System.exit(4);
            }
            line(out, "fail " + thread + " " + i);
            return;
        }
        line(out, "ack " + thread + " " + i);
    }

    /** One line, written whole (threads share stdout). */
    private static void line(OutputStream out, String line) {
        OUT.lock();
        try {
            ChildJvm.writeLine(out, line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            OUT.unlock();
        }
    }
}
