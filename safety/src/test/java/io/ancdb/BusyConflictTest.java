package io.ancdb;

import io.ancdb.DatabaseOptions.JournalMode;
import io.ancdb.schema.Column;
import io.ancdb.schema.SqlType;
import io.ancdb.schema.TableSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Another process (the stock sqlite3 shell) holds the file locked: ANC-DB
 * retries for its busy timeout, then fails with TransactionConflictException
 * (code 5), and succeeds once the shell lets go. The elapsed-time checks are
 * lower bounds that show the busy handler retried, never speed goals.
 *
 * <p>Observed behaviour by journal mode:
 * <ul>
 *   <li>DELETE, shell in {@code BEGIN EXCLUSIVE}: even {@code Database.open}
 *       fails (it reads page 1 under a shared lock), and so do
 *       {@code beginRead} and {@code beginWrite} of an already open database.
 *   <li>DELETE, shell in {@code BEGIN IMMEDIATE} (RESERVED lock): reads work,
 *       {@code beginWrite} fails.
 *   <li>DELETE, shell reading (SHARED lock): {@code beginWrite} and the writes
 *       work, {@code commit} fails after the busy timeout and leaves the
 *       transaction open; the same commit succeeds once the shell's read ends.
 *   <li>WAL, shell in {@code BEGIN EXCLUSIVE}: open and reads work (and see
 *       the last committed state), {@code beginWrite} fails.
 *   <li>WAL file that the shell has open, opened with journal mode DELETE
 *       (the default): open fails at once with code 5, without waiting
 *       for the busy timeout (switching out of WAL needs an exclusive lock
 *       that SQLite takes without its busy handler). Opening it with WAL works.
 * </ul>
 */
class BusyConflictTest {
    private static final Duration BUSY = Duration.ofMillis(300);
    private static final long RETRIED_MS = 250;
    private static final Duration HANG_GUARD = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** An interactive sqlite3 shell on {@code file}, fed line by line, its stdin kept open. */
    static final class Shell implements AutoCloseable {
        private final Process p;
        private final Writer in;
        private final BufferedReader out;
        private int marks;

        Shell(Path file) throws IOException {
            p = new ProcessBuilder("sqlite3", "-batch", file.toString()).redirectErrorStream(true).start();
            in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
            out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        }

        /** Runs {@code sql} and waits until the shell has run it; returns its output, failing on any error. */
        List<String> run(String sql) throws IOException {
            String mark = "--done-" + (++marks) + "--";
            in.write(sql + "\nSELECT '" + mark + "';\n");
            in.flush();
            List<String> lines = new ArrayList<>();
            for (String l = out.readLine(); !mark.equals(l); l = out.readLine()) {
                if (l == null) {
                    throw new AssertionError("sqlite3 exited; output so far: " + lines);
                }
                lines.add(l);
            }
            for (String l : lines) {
                if (l.contains("Error") || l.contains("error")) {
                    throw new AssertionError("sqlite3 failed on " + sql + ": " + lines);
                }
            }
            return lines;
        }

        @Override
        public void close() throws Exception {
            try {
                in.write(".quit\n");
                in.close();
            } catch (IOException e) {
                // already gone
            }
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private Path newFile(String name, JournalMode mode) {
        Path file = dir.resolve(name);
        try (Database db = Database.open(file, DatabaseOptions.defaults().withJournalMode(mode))) {
            db.runWrite(tx -> {
                tx.createTable(TableSpec.of("t", Column.rowid("id"), Column.of("x", SqlType.TEXT)));
                tx.insert("t", 1L, new Object[] {null, "one"}, OnConflict.FAIL);
            });
        }
        return file;
    }

    private static DatabaseOptions busyOptions(JournalMode mode) {
        return DatabaseOptions.defaults().withJournalMode(mode).withBusyTimeout(BUSY);
    }

    /** Runs {@code e}, expects code 5 after at least {@link #RETRIED_MS} of retrying; returns the exception. */
    private static TransactionConflictException conflictAfterRetrying(String what, Executable e) {
        return conflict(what, e, RETRIED_MS);
    }

    private static TransactionConflictException conflict(String what, Executable e, long minMs) {
        long t0 = System.nanoTime();
        TransactionConflictException x = assertThrows(TransactionConflictException.class, e, what);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(5, x.code(), what);
        assertEquals(ErrorCode.TRANSACTION_CONFLICT, x.errorCode(), what);
        assertEquals(5, x.nativeCode() & 0xff, what + ": native SQLITE_BUSY, got " + x.nativeCode());
        assertTrue(ms >= minMs, what + " gave up after " + ms + " ms: it should retry for the busy timeout");
        System.out.println("BusyConflictTest: " + what + " -> code 5 after " + ms + " ms");
        return x;
    }

    static long count(Database db) {
        return db.readTx(tx -> tx.count("t"));
    }

    @Test
    void deleteModeExclusiveLockBlocksOpenThenOpenSucceeds() {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            Path file = newFile("excl.db", JournalMode.DELETE);
            try (Shell sh = new Shell(file)) {
                sh.run("BEGIN EXCLUSIVE;");
                sh.run("INSERT INTO t VALUES(2, 'two');");
                conflictAfterRetrying("open under the shell's EXCLUSIVE lock",
                        () -> Database.open(file, busyOptions(JournalMode.DELETE)).close());
                sh.run("COMMIT;");
                try (Database db = Database.open(file, busyOptions(JournalMode.DELETE))) {
                    assertEquals(2, count(db), "sees the shell's committed row");
                    db.runWrite(tx -> tx.insert("t", 3L, new Object[] {null, "three"}, OnConflict.FAIL));
                }
                assertEquals(List.of("3"), sh.run("SELECT count(*) FROM t;"));
            }
            assertEquals(List.of("ok"), ScanOracleTest.shell(file, "PRAGMA integrity_check"));
        });
    }

    @Test
    void deleteModeExclusiveLockBlocksReadsAndWritesOfAnOpenDatabase() {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            Path file = newFile("excl-open.db", JournalMode.DELETE);
            try (Database db = Database.open(file, busyOptions(JournalMode.DELETE));
                 Shell sh = new Shell(file)) {
                assertEquals(1, count(db));
                sh.run("BEGIN EXCLUSIVE;");
                conflictAfterRetrying("beginWrite", db::beginWrite);
                conflictAfterRetrying("beginRead", db::beginRead);
                // a failed begin leaves nothing held: this thread may try again, other threads too
                conflictAfterRetrying("beginWrite again", db::beginWrite);
                sh.run("INSERT INTO t VALUES(2, 'two'); COMMIT;");
                assertEquals(2, count(db));
                try (WriteTx tx = db.beginWrite()) {
                    tx.insert("t", 3L, new Object[] {null, "three"}, OnConflict.FAIL);
                    tx.commit();
                }
                assertEquals(List.of("1|one", "2|two", "3|three"), sh.run("SELECT * FROM t ORDER BY id;"));
                assertEquals("", db.integrityCheck());
            }
        });
    }

    @Test
    void deleteModeReservedLockBlocksOnlyTheWriter() {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            Path file = newFile("reserved.db", JournalMode.DELETE);
            try (Database db = Database.open(file, busyOptions(JournalMode.DELETE));
                 Shell sh = new Shell(file)) {
                sh.run("BEGIN IMMEDIATE; INSERT INTO t VALUES(2, 'two');");
                assertEquals(1, count(db), "readers go on, and do not see the shell's uncommitted row");
                conflictAfterRetrying("beginWrite under RESERVED", db::beginWrite);
                sh.run("COMMIT;");
                assertEquals(2, count(db));
                db.runWrite(tx -> tx.delete("t", 1));
                assertEquals(List.of("2|two"), sh.run("SELECT * FROM t;"));
            }
        });
    }

    @Test
    void deleteModeCommitWaitsForAShellReaderAndCanBeRetried() {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            Path file = newFile("shared.db", JournalMode.DELETE);
            try (Database db = Database.open(file, busyOptions(JournalMode.DELETE));
                 Shell sh = new Shell(file)) {
                sh.run("BEGIN; SELECT count(*) FROM t;");          // holds a SHARED lock
                WriteTx tx = db.beginWrite();
                try {
                    tx.insert("t", 2L, new Object[] {null, "two"}, OnConflict.FAIL);
                    conflictAfterRetrying("commit beside a shell reader", tx::commit);
                    assertTrue(tx.isOpen(), "a commit that failed on a lock leaves the transaction open");
                    assertEquals(2, tx.count("t"), "and its changes in place");
                    assertEquals(List.of("1"), sh.run("SELECT count(*) FROM t;"), "the shell still reads the old state");
                    sh.run("COMMIT;");
                    tx.commit();
                } finally {
                    tx.close();
                }
                assertEquals(2, count(db));
                assertEquals(List.of("2"), sh.run("SELECT count(*) FROM t;"));
            }
            assertEquals(List.of("ok"), ScanOracleTest.shell(file, "PRAGMA integrity_check"));
        });
    }

    @Test
    void deleteModeCommitRolledBackAfterConflictLeavesNoTrace() {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            Path file = newFile("shared-rb.db", JournalMode.DELETE);
            try (Database db = Database.open(file, busyOptions(JournalMode.DELETE));
                 Shell sh = new Shell(file)) {
                sh.run("BEGIN; SELECT count(*) FROM t;");
                try (WriteTx tx = db.beginWrite()) {
                    tx.insert("t", 2L, new Object[] {null, "two"}, OnConflict.FAIL);
                    conflictAfterRetrying("commit beside a shell reader", tx::commit);
                    tx.rollback();
                }
                sh.run("COMMIT;");
                assertEquals(1, count(db));
                assertEquals(List.of("1|one"), sh.run("SELECT * FROM t;"));
                db.runWrite(tx -> tx.insert("t", 5L, new Object[] {null, "five"}, OnConflict.FAIL));
                assertEquals(List.of("1|one", "5|five"), sh.run("SELECT * FROM t ORDER BY id;"));
            }
        });
    }

    @Test
    void walModeExclusiveLockBlocksOnlyTheWriter() {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            Path file = newFile("wal.db", JournalMode.WAL);
            try (Shell sh = new Shell(file)) {
                assertEquals(List.of("wal"), sh.run("PRAGMA journal_mode;"));
                sh.run("BEGIN EXCLUSIVE; INSERT INTO t VALUES(2, 'two');");
                // unlike DELETE mode, open and reads go ahead beside the shell's write transaction
                try (Database db = Database.open(file, busyOptions(JournalMode.WAL))) {
                    assertEquals(1, count(db), "reads the last committed state");
                    assertNotNull(db.readTx(tx -> tx.get("t", 1)));
                    conflictAfterRetrying("beginWrite beside the shell's WAL write lock", db::beginWrite);
                    assertEquals(1, count(db), "still readable after the failed begin");
                    sh.run("COMMIT;");
                    assertEquals(2, count(db));
                    db.runWrite(tx -> tx.insert("t", 3L, new Object[] {null, "three"}, OnConflict.FAIL));
                    assertEquals(List.of("3"), sh.run("SELECT count(*) FROM t;"));
                    // and the other way round: ANC-DB writing, the shell's write fails at once (its busy timeout is 0)
                    try (WriteTx tx = db.beginWrite()) {
                        tx.insert("t", 4L, new Object[] {null, "four"}, OnConflict.FAIL);
                        assertEquals(List.of("3"), sh.run("SELECT count(*) FROM t;"), "shell reads beside ANC-DB's writer");
                        List<String> refused = runExpectingError(sh, "INSERT INTO t VALUES(9, 'nine');");
                        assertTrue(refused.toString().contains("locked"), "shell was refused: " + refused);
                        tx.commit();
                    }
                    assertEquals(List.of("4"), sh.run("SELECT count(*) FROM t;"));
                }
            }
            assertEquals(List.of("ok"), ScanOracleTest.shell(file, "PRAGMA integrity_check"));
            assertTrue(Files.exists(file));
        });
    }

    @Test
    void walModeFileOpenedInDeleteModeWhileTheShellUsesIt() {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            Path file = newFile("wal-switch.db", JournalMode.WAL);
            try (Shell sh = new Shell(file)) {
                sh.run("SELECT count(*) FROM t;");    // the shell's connection now holds the WAL open
                // switching the file back to DELETE needs exclusive access, which the shell denies. As with
                // SQLite's own PRAGMA journal_mode, this fails at once: the busy timeout does not apply.
                TransactionConflictException e = conflict("open asking for DELETE mode while another process has the WAL file open",
                        () -> Database.open(file, busyOptions(JournalMode.DELETE)).close(), 0);
                System.out.println("BusyConflictTest: DELETE-mode open of a WAL file in use: " + e.getMessage());
                // asking for WAL (what the file is) works beside the shell
                try (Database db = Database.open(file, busyOptions(JournalMode.WAL))) {
                    assertEquals(1, count(db));
                }
            }
            // once the shell is gone the switch works
            try (Database db = Database.open(file, busyOptions(JournalMode.DELETE))) {
                assertEquals(1, count(db));
            }
            assertEquals(List.of("delete"), ScanOracleTest.shell(file, "PRAGMA journal_mode"));
        });
    }

    /** Runs a statement that should fail; returns the shell's output (with the error). */
    private static List<String> runExpectingError(Shell sh, String sql) throws IOException {
        try {
            List<String> out = sh.run(sql);
            throw new IllegalStateException("expected the shell to fail on " + sql + ", got " + out);
        } catch (AssertionError e) {
            return List.of(e.getMessage());
        }
    }
}
