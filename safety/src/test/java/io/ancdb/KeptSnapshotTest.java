package io.ancdb;

import io.ancdb.schema.Column;
import io.ancdb.schema.SqlType;
import io.ancdb.schema.TableSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Readers that keep their snapshot between read transactions (WAL, normal
 * locking: the default). A kept snapshot is reused only while nothing
 * committed: a commit by another process is seen by the next read; an idle
 * reader lets its snapshot go, and under continuous reads and writes the WAL
 * stays bounded. No timing assertions: waits are bounded by hang guards only.
 */
class KeptSnapshotTest {
    private static final Duration HANG_GUARD = Duration.ofSeconds(120);
    private static final long FRAME = 4096 + 24;     // a WAL frame: page + frame header
    private static final int AUTOCHECKPOINT = 1000;  // frames (ANC_AUTOCKPT in the shim)

    @TempDir
    Path dir;

    /** WAL under normal locking: where snapshots are kept. */
    private static DatabaseOptions wal() {
        return DatabaseOptions.defaults().withJournalMode(DatabaseOptions.JournalMode.WAL);
    }

    private static Database openTable(Path file, DatabaseOptions options, int rows) {
        Database db = Database.open(file, options);
        db.runWrite(tx -> {
            tx.createTable(TableSpec.of("t", Column.rowid("id"), Column.of("v", SqlType.INTEGER)));
            for (long i = 1; i <= rows; i++) {
                tx.insert("t", i, new Object[] {null, 0L}, OnConflict.FAIL);
            }
        });
        return db;
    }

    private static long value(Database db, long id) {
        return (Long) db.readTx(tx -> tx.get("t", id)).get(1);
    }

    /**
     * The database's first read: it runs on the writer connection (the cold
     * path, see WriterLending), which keeps no snapshot; the reads
     * after it run on reader connections.
     */
    private static void firstRead(Database db) {
        assertEquals(0L, value(db, 1));
        assertEquals(0, db.keptSnapshots(), "the first read ran on the writer connection, which keeps none");
    }

    private static long walBytes(Path file) throws Exception {
        Path wal = file.resolveSibling(file.getFileName() + "-wal");
        return Files.exists(wal) ? Files.size(wal) : 0;
    }

    @Test
    void aCommitByAnotherProcessIsSeenByTheNextReadOfAKeptSnapshot() {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            Path file = dir.resolve("other-process.db");
            try (Database db = openTable(file, wal(), 3)) {
                firstRead(db);
                assertEquals(0L, value(db, 1));
                assertEquals(1, db.keptSnapshots(), "the reader connection kept its snapshot");
                long reused = db.reusedSnapshots();
                assertEquals(0L, value(db, 1));
                assertEquals(reused + 1, db.reusedSnapshots(), "nothing committed: the kept snapshot was reused");
                for (int i = 1; i <= 5; i++) {
                    // the stock shell, another process, commits beside the kept snapshot
                    SqliteShell.run(file, ".timeout 5000\nUPDATE t SET v = " + i + " WHERE id = 1;");
                    reused = db.reusedSnapshots();
                    assertEquals(i, value(db, 1), "the read after the shell's commit " + i);
                    assertEquals(reused, db.reusedSnapshots(), "a changed file is never read through the old snapshot");
                    assertEquals(i, value(db, 1));
                    assertEquals(reused + 1, db.reusedSnapshots(), "unchanged again: reused");
                }
                // and this process's own commits, of course
                db.runWrite(tx -> tx.update("t", 1L, new Object[] {null, 42L}));
                assertEquals(42L, value(db, 1));
            }
            assertEquals("ok", SqliteShell.one(file, "PRAGMA integrity_check;"));
            assertEquals("42", SqliteShell.one(file, "SELECT v FROM t WHERE id = 1;"));
        });
    }

    @Test
    void anIdleReaderLetsItsSnapshotGoSoTheLogRestarts() {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            Path file = dir.resolve("idle.db");
            DatabaseOptions o = wal().withSynchronous(DatabaseOptions.Synchronous.NORMAL);
            try (Database db = openTable(file, o, 100)) {
                firstRead(db);
                value(db, 1);
                assertEquals(1, db.keptSnapshots(), "the reader connection kept its snapshot");
                // A kept snapshot pins its WAL read mark; left idle, it is let go (ReaderPool.IDLE_RELEASE)
                // with no further call from this thread. Bounded wait: a hang guard, not a speed check.
                long guard = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (db.keptSnapshots() > 0 && System.nanoTime() < guard) {
                    Thread.sleep(5);
                }
                assertEquals(0, db.keptSnapshots(), "the idle snapshot was released");
                // Nothing pins the log now: the commit that reaches the auto-checkpoint size copies it
                // all back and the next one restarts it from the beginning.
                int commits = 2 * AUTOCHECKPOINT;
                for (int i = 0; i < commits; i++) {
                    long v = i;
                    db.runWrite(tx -> tx.update("t", 1 + v % 100, new Object[] {null, v}));
                }
                long frames = walBytes(file) / FRAME;
                assertTrue(frames <= AUTOCHECKPOINT + 10, commits + " commits left a WAL of " + frames + " frames");
                assertEquals(commits - 1L, value(db, 1 + (commits - 1) % 100));
            }
            assertEquals("ok", SqliteShell.one(file, "PRAGMA integrity_check;"));
        });
    }

    @Test
    void theLogStaysBoundedUnderContinuousReadsAndWrites() {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            long seed = Long.getLong("ancdb.keptSnapshot.seed", System.nanoTime());
            System.out.println("KeptSnapshotTest: seed " + seed + " (replay with -Dancdb.keptSnapshot.seed=" + seed + ")");
            Path file = dir.resolve("bounded.db");
            DatabaseOptions o = wal().withSynchronous(DatabaseOptions.Synchronous.NORMAL);
            int rows = 200;
            int commits = 8 * AUTOCHECKPOINT;          // one frame each: 8x the auto-checkpoint size
            try (Database db = openTable(file, o, rows)) {
                AtomicBoolean stop = new AtomicBoolean();
                ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
                List<Thread> readers = new ArrayList<>();
                long[] reads = new long[3];
                for (int r = 0; r < reads.length; r++) {
                    int id = r;
                    SplittableRandom rnd = new SplittableRandom(seed + r);
                    readers.add(Thread.ofPlatform().name("reader-" + r).start(() -> {
                        try {
                            while (!stop.get()) {
                                try (ReadTx tx = db.beginRead()) {
                                    tx.get("t", 1 + rnd.nextInt(rows));
                                }
                                reads[id]++;
                            }
                        } catch (Throwable e) {
                            errors.add(e);
                        }
                    }));
                }
                SplittableRandom rnd = new SplittableRandom(seed);
                long most = 0;
                for (int i = 0; i < commits && errors.isEmpty(); i++) {
                    long v = i;
                    long id = 1 + rnd.nextInt(rows);
                    db.runWrite(tx -> tx.update("t", id, new Object[] {null, v}));
                    most = Math.max(most, walBytes(file));
                }
                stop.set(true);
                for (Thread t : readers) {
                    t.join();
                }
                assertTrue(errors.isEmpty(), "reader failed: " + errors.peek());
                long frames = most / FRAME;
                System.out.printf("KeptSnapshotTest: %d commits beside %d+%d+%d reads; largest WAL %d frames, "
                        + "%d reads reused a kept snapshot%n", commits, reads[0], reads[1], reads[2], frames, db.reusedSnapshots());
                // Without restarts the log would hold every commit (8000 frames).
                assertTrue(frames <= 3 * AUTOCHECKPOINT, "the WAL grew to " + frames + " frames (seed " + seed + ")");
                assertEquals("", db.integrityCheck());
            }
            assertEquals("ok", SqliteShell.one(file, "PRAGMA integrity_check;"));
        });
    }
}
