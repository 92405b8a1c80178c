package io.ancdb.reliability;

import io.ancdb.AncDbException;
import io.ancdb.Database;
import io.ancdb.DatabaseOptions;
import io.ancdb.ErrorCode;
import io.ancdb.Row;
import io.ancdb.RowCursor;
import io.ancdb.WriteTx;
import io.ancdb.schema.Column;
import io.ancdb.schema.IndexSpec;
import io.ancdb.schema.SqlType;
import io.ancdb.schema.TableSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * I/O faults and power loss through the Java API, on the native "ancdb-fault"
 * VFS: for every Nth call of a kind (every few N, to stay quick; the C test
 * native/tests/fault_test.c sweeps every N) the workload must fail with an
 * {@link AncDbException} whose {@link ErrorCode} is IO_ERROR or DISK_FULL and
 * whose message says what failed; the Database must stay usable, reopen
 * cleanly, pass both integrity checks and hold exactly the acknowledged
 * commits. After a simulated power loss the last acknowledged commit (or the
 * one in flight) must be there. The encrypted sweeps do the same (fewer
 * points) with the cipher VFS stacked over the fault VFS: the faults hit the
 * encrypted pages on their way to and from the disk, and the stock check is
 * the SQLCipher oracle's.
 */
class FaultInjectionTest {
    private static final int ROWS = 24;
    private static final int TXNS = 10;
    private static final long MARKER = 100_000;
    private static final int SPILL_ROWS = 120;

    @TempDir
    Path dir;

    private Path file;
    private int runs;
    private int recovered;
    private byte[] key;                       // the file's raw key in the encrypted sweeps, else null
    private int pointsPerKind = 12;

    @AfterEach
    void disarm() {
        FaultVfs.reset(0, 0);
    }

    /** What the workload saw before it stopped. */
    private static final class Run {
        Database db;
        final TreeMap<Long, String> committed = new TreeMap<>();
        TreeMap<Long, String> pending = new TreeMap<>();
        boolean schema;
        boolean inCommit;
        AncDbException failure;
    }

    /** New options for every open: with the file's key (a DatabaseKey opens once) in the encrypted sweeps. */
    private DatabaseOptions options(DatabaseOptions.JournalMode mode) {
        return EnvKey.keyed(DatabaseOptions.defaults().withJournalMode(mode).withCachePages(10).withMaxReaders(1)
                .withVfs(FaultVfs.NAME), key);
    }

    private void encrypted(int points) {
        key = EnvKey.fromSeed(14);
        pointsPerKind = points;
    }

    private static String value(int t, int i, long id) {
        return "v" + t + "-" + i + "-" + id + "-" + "x".repeat((int) ((id * 37 + t * 101L + i) % 700));
    }

    /** Create a table and an index, then TXNS transactions of puts and deletes; some rolled back after spilling. */
    private Run workload(DatabaseOptions.JournalMode mode) {
        Run r = new Run();
        Random rnd = new Random(7);
        try {
            r.db = Database.open(file, options(mode));
            try (WriteTx tx = r.db.beginWrite()) {
                tx.createTable(TableSpec.of("t", Column.rowid("id"), Column.of("k", SqlType.TEXT), Column.of("v", SqlType.TEXT)));
                tx.createIndex(new IndexSpec("t_k", "t", List.of("k"), false));
                r.inCommit = true;
                tx.commit();
                r.inCommit = false;
            }
            r.schema = true;
            for (int t = 1; t <= TXNS; t++) {
                r.pending = new TreeMap<>(r.committed);
                try (WriteTx tx = r.db.beginWrite()) {
                    if (t % 4 == 0) {
                        // more than the 10-page cache holds: pages spill to the file and grow it, so the
                        // rollback truncates it again (the TRUNCATE kind's calls in DELETE mode)
                        for (int i = 0; i < SPILL_ROWS; i++) {
                            tx.put("t", 1000 + i, 1000L + i, "spill" + i, value(t, i, 1000 + i));
                        }
                        tx.rollback();
                        continue;
                    }
                    int ops = 1 + rnd.nextInt(5);
                    for (int i = 0; i < ops; i++) {
                        long id = 1 + rnd.nextInt(ROWS);
                        if (r.pending.containsKey(id) && rnd.nextInt(4) == 0) {
                            tx.delete("t", id);
                            r.pending.remove(id);
                        } else {
                            String v = value(t, i, id);
                            tx.put("t", id, id, "k" + (id * 7 % ROWS) + "-" + t, v);
                            r.pending.put(id, v);
                        }
                    }
                    r.inCommit = true;
                    tx.commit();
                    r.inCommit = false;
                }
                r.committed.clear();
                r.committed.putAll(r.pending);
            }
            // Closing is part of the workload: in WAL mode the last connection checkpoints and truncates
            // the log here (the TRUNCATE kind's calls in WAL mode), so its faults are injected too.
            r.db.close();
        } catch (AncDbException e) {
            r.failure = e;
        }
        return r;
    }

    private static TreeMap<Long, String> contents(Database db) {
        return db.readTx(tx -> {
            TreeMap<Long, String> m = new TreeMap<>();
            if (tx.catalog().find("t") == null) {
                return m;
            }
            try (RowCursor c = tx.scan("t")) {
                while (c.hasNext()) {
                    Row row = c.next();
                    m.put(row.rowid(), (String) row.get(2));
                }
            }
            return m;
        });
    }

    private void deleteFiles() throws IOException {
        for (String suffix : new String[] {"", "-journal", "-wal", "-shm"}) {
            Files.deleteIfExists(Path.of(file + suffix));
        }
    }

    /** Checks the file through a fresh connection and the sqlite3 shell (the SQLCipher oracle if encrypted). */
    private void checkReopened(DatabaseOptions.JournalMode mode, Map<Long, String> want, String ctx) throws IOException {
        try (Database db = Database.open(file, options(mode))) {
            assertEquals(want, contents(db), ctx + ": contents after reopen");
            assertEquals("", db.integrityCheck(), ctx + ": integrity after reopen");
        }
        stockCheck(ctx);
    }

    private void stockCheck(String ctx) throws IOException {
        assertEquals(List.of("ok"), EnvKey.stockLines(file, key == null ? null : EnvKey.text(key),
                "PRAGMA integrity_check;"), ctx + ": " + (key == null ? "sqlite3" : "the oracle's") + " integrity_check");
        if (key != null && Files.size(file) > 0) {
            byte[] head = Arrays.copyOf(Files.readAllBytes(file), 15);
            assertFalse(new String(head, StandardCharsets.US_ASCII).equals("SQLite format 3"), ctx + ": plaintext file");
        }
    }

    /**
     * One run with the nth call of kind failing: error code, message, recovery, contents. Returns whether the
     * fault fired (a run can see fewer calls of the kind than the clean run did).
     */
    private boolean faultRun(DatabaseOptions.JournalMode mode, FaultVfs.Kind kind, long nth, FaultVfs.Action action)
            throws IOException {
        String ctx = mode + (key == null ? " " : " encrypted ") + kind + " " + action + " #" + nth;
        deleteFiles();
        FaultVfs.reset(FaultVfs.NOSYNC, 0);
        FaultVfs.arm(kind, nth, action, false);
        Run r = workload(mode);
        long injected = FaultVfs.injected();
        FaultVfs.disarm();
        runs++;
        if (injected == 0) {
            if (r.failure != null) {
                throw new AssertionError(ctx + ": failed without a fault", r.failure);
            }
            return false;
        }
        if (r.failure != null) {
            ErrorCode want = action == FaultVfs.Action.FULL ? ErrorCode.DISK_FULL : ErrorCode.IO_ERROR;
            assertEquals(want, r.failure.errorCode(), ctx + ": " + r.failure.getMessage());
            String msg = r.failure.getMessage();
            assertNotNull(msg);
            assertTrue(msg.contains("failed") && (msg.contains("disk I/O error") || msg.contains("full")), ctx + ": " + msg);
            assertTrue(msg.contains(action == FaultVfs.Action.FULL ? "disk is full" : "failed)"), ctx + ": " + msg);
            assertTrue(!msg.contains(dir.toString()), ctx + ": message shows the path: " + msg);
        }
        TreeMap<Long, String> want = new TreeMap<>(r.committed);
        if (r.db != null && !r.db.isClosed()) {
            // Usable in place: the failed transaction is gone, the acknowledged ones are there.
            assertEquals(want, contents(r.db), ctx + ": contents after the failure");
            if (r.schema) {
                r.db.runWrite(tx -> tx.put("t", MARKER, MARKER, "marker", "m"));
                want.put(MARKER, "m");
            }
            r.db.close();
        }
        checkReopened(mode, want, ctx);
        recovered++;
        return true;
    }

    private void sweep(DatabaseOptions.JournalMode mode, FaultVfs.Kind kind, FaultVfs.Action action) throws IOException {
        file = dir.resolve("fault-" + mode + ".db");
        deleteFiles();
        FaultVfs.reset(FaultVfs.NOSYNC, 0);
        Run clean = workload(mode);
        if (clean.failure != null) {
            throw new AssertionError("clean workload failed", clean.failure);
        }
        clean.db.close();
        long calls = FaultVfs.count(kind);
        long step = Math.max(1, calls / pointsPerKind);           // about pointsPerKind points per kind
        int points = 0;
        int fired = 0;
        for (long n = 1; n <= calls; n += step) {
            points++;
            if (faultRun(mode, kind, n, action)) {
                fired++;
            }
        }
        System.out.printf("FaultInjectionTest: %s%s %s %s: %d calls in the clean run, %d points, %d faults fired and"
                + " recovered (all kinds so far: %d runs, %d recoveries)%n", mode, key == null ? "" : " encrypted", kind,
                action, calls, points, fired, runs, recovered);
        // counted per kind: a kind the workload never reaches, or whose faults all miss, tests nothing
        assertTrue(fired > 0, mode + " " + kind + " " + action + ": no fault fired (" + calls + " calls in the clean run, "
                + points + " points tried)");
    }

    @ParameterizedTest
    @EnumSource(DatabaseOptions.JournalMode.class)
    void ioErrorsOnEveryKind(DatabaseOptions.JournalMode mode) throws IOException {
        for (FaultVfs.Kind kind : FaultVfs.Kind.values()) {
            sweep(mode, kind, FaultVfs.Action.IOERR);
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseOptions.JournalMode.class)
    void fullDisk(DatabaseOptions.JournalMode mode) throws IOException {
        sweep(mode, FaultVfs.Kind.WRITE, FaultVfs.Action.FULL);
        sweep(mode, FaultVfs.Kind.SYNC, FaultVfs.Action.FULL);
    }

    @ParameterizedTest
    @EnumSource(DatabaseOptions.JournalMode.class)
    void powerLossKeepsAcknowledgedCommits(DatabaseOptions.JournalMode mode) throws IOException {
        powerLoss(mode, 1);
    }

    @ParameterizedTest
    @EnumSource(DatabaseOptions.JournalMode.class)
    void encryptedIoErrorsAndFullDisk(DatabaseOptions.JournalMode mode) throws IOException {
        encrypted(5);
        for (FaultVfs.Kind kind : FaultVfs.Kind.values()) {
            sweep(mode, kind, FaultVfs.Action.IOERR);
        }
        sweep(mode, FaultVfs.Kind.WRITE, FaultVfs.Action.FULL);
        sweep(mode, FaultVfs.Kind.SYNC, FaultVfs.Action.FULL);
    }

    @ParameterizedTest
    @EnumSource(DatabaseOptions.JournalMode.class)
    void encryptedPowerLossKeepsAcknowledgedCommits(DatabaseOptions.JournalMode mode) throws IOException {
        encrypted(5);
        powerLoss(mode, 2);
    }

    /** A power loss at every {@code stride}-th sync of the workload, plain and torn. */
    private void powerLoss(DatabaseOptions.JournalMode mode, int stride) throws IOException {
        file = dir.resolve("crash-" + mode + ".db");
        deleteFiles();
        FaultVfs.reset(FaultVfs.BUFFER | FaultVfs.NOSYNC, 0);
        Run clean = workload(mode);
        assertEquals(null, clean.failure);
        clean.db.close();
        long syncs = FaultVfs.count(FaultVfs.Kind.SYNC);
        int crashes = 0;
        int inFlightKept = 0;
        for (long n = 1; n <= syncs; n += stride) {
            for (int torn = 0; torn < 2; torn++) {
                String ctx = mode + (key == null ? "" : " encrypted") + " crash at sync #" + n + (torn == 1 ? " torn" : "");
                deleteFiles();
                FaultVfs.reset(FaultVfs.BUFFER | FaultVfs.NOSYNC | (torn == 1 ? FaultVfs.TORN : 0), n * 31 + 7);
                FaultVfs.arm(FaultVfs.Kind.SYNC, n, FaultVfs.Action.CRASH, false);
                Run r = workload(mode);
                if (r.failure == null) {
                    r.db.close();
                    continue;
                }
                crashes++;
                assertEquals(ErrorCode.IO_ERROR, r.failure.errorCode(), ctx);
                if (r.db != null) {
                    try {
                        r.db.close();                // every call fails now: must not hang or crash
                    } catch (AncDbException expected) {
                        // the dead connection may report the failure
                    }
                }
                FaultVfs.reset(FaultVfs.NOSYNC, 0);
                TreeMap<Long, String> got;
                try (Database db = Database.open(file, options(mode))) {
                    got = contents(db);
                    assertEquals("", db.integrityCheck(), ctx);
                }
                if (!got.equals(r.committed)) {
                    if (r.inCommit && got.equals(r.pending)) {
                        inFlightKept++;
                    } else {
                        fail(ctx + ": lost acknowledged data: got " + got.keySet() + ", want " + r.committed.keySet());
                    }
                }
                stockCheck(ctx);
            }
        }
        assertTrue(crashes > 0);
        System.out.printf("FaultInjectionTest: %s%s power loss: %d crashes, 0 acknowledged commits lost, %d in-flight kept%n",
                mode, key == null ? "" : " encrypted", crashes, inFlightKept);
    }

    @Test
    void defaultOpenNeverUsesTheFaultVfs() throws IOException {
        file = dir.resolve("plain.db");
        FaultVfs.reset(0, 0);
        FaultVfs.arm(FaultVfs.Kind.READ, 1, FaultVfs.Action.IOERR, true);
        try (Database db = Database.open(file)) {
            db.runWrite(tx -> tx.createTable(TableSpec.of("a", Column.rowid("id"))));
        }
        assertEquals(0, FaultVfs.injected());
        AncDbException e = assertThrows(AncDbException.class,
                () -> Database.open(dir.resolve("x.db"), DatabaseOptions.defaults().withVfs("no-such-vfs")));
        assertEquals(ErrorCode.CANNOT_OPEN, e.errorCode());
    }
}
