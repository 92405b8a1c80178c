package io.ancdb;

import io.ancdb.bindings.internal.ancdb_h;
import io.ancdb.internal.NativeErrors;
import io.ancdb.schema.Column;
import io.ancdb.schema.SqlType;
import io.ancdb.schema.TableSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Failures the environment causes get their own error code, never INTERNAL
 * ("a bug"): a file system (here: a VFS) without shared memory for WAL, a
 * read-only file or directory, a record over SQLite's length limit, and the
 * native codes for lock races and permissions.
 */
class EnvironmentErrorsTest {
    @TempDir
    Path dir;

    private static final TableSpec T = TableSpec.of("t", Column.rowid("id"), Column.of("v", SqlType.BLOB));

    /** A rollback journal, so that opening in WAL mode would have to write the header. */
    private static final DatabaseOptions DELETE = DatabaseOptions.defaults().withJournalMode(DatabaseOptions.JournalMode.DELETE);

    private Path withTable(Path file) {
        try (Database db = Database.open(file, DELETE)) {
            db.runWrite(tx -> tx.createTable(T));
        }
        return file;
    }

    /** unix-dotfile and unix-none have no xShmMap: WAL cannot work through them, except under exclusive locking. */
    @Test
    void walWithoutSharedMemoryCannotOpen() {
        for (String vfs : new String[] {"unix-dotfile", "unix-none"}) {
            DatabaseOptions wal = DatabaseOptions.defaults().withJournalMode(DatabaseOptions.JournalMode.WAL).withVfs(vfs);
            AncDbException e = assertThrows(AncDbException.class, () -> Database.open(dir.resolve(vfs + ".db"), wal));
            assertEquals(ErrorCode.CANNOT_OPEN, e.errorCode(), e.getMessage());
            assertTrue(e.getMessage().contains("WAL journal mode is not supported here"), e.getMessage());
            try (Database db = Database.open(dir.resolve(vfs + "-x.db"), wal.withExclusiveLocking(true))) {
                db.runWrite(tx -> tx.createTable(T));      // as the message says: exclusive locking needs no shared memory
            }
            try (Database db = Database.open(dir.resolve(vfs + "-d.db"), wal.withJournalMode(DatabaseOptions.JournalMode.DELETE))) {
                db.runWrite(tx -> tx.createTable(T));
            }
        }
    }

    @Test
    void readOnlyFile() throws Exception {
        Path f = withTable(dir.resolve("ro.db"));
        try (ReadOnly _ = ReadOnly.make(f)) {
            try (Database db = Database.open(f, DELETE)) {
                AncDbException e = assertThrows(AncDbException.class, () -> db.runWrite(tx -> tx.insert("t", 1, new byte[1])));
                assertEquals(ErrorCode.READ_ONLY, e.errorCode(), e.getMessage());
                assertEquals(0L, (long) db.readTx(tx -> tx.count("t")));
            }
            AncDbException e = assertThrows(AncDbException.class, () -> Database.open(f, DatabaseOptions.defaults()
                    .withJournalMode(DatabaseOptions.JournalMode.WAL)));
            assertEquals(ErrorCode.READ_ONLY, e.errorCode(), e.getMessage());
        }
    }

    /** The journal cannot be created: READ_ONLY (SQLite's READONLY_DIRECTORY) or CANNOT_OPEN, as the OS says. */
    @Test
    void readOnlyDirectory() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Path f = withTable(sub.resolve("d.db"));
        try (ReadOnly _ = ReadOnly.make(sub)) {
            try (Database db = Database.open(f, DELETE)) {
                AncDbException e = assertThrows(AncDbException.class, () -> db.runWrite(tx -> tx.insert("t", 1, new byte[1])));
                assertTrue(e.errorCode() == ErrorCode.READ_ONLY || e.errorCode() == ErrorCode.CANNOT_OPEN, e.getMessage());
                assertEquals(0L, (long) db.readTx(tx -> tx.count("t")));
            }
            // WAL (the default) needs its -wal and -shm files beside the database: refused at open
            AncDbException w = assertThrows(AncDbException.class, () -> Database.open(f));
            assertTrue(w.errorCode() == ErrorCode.READ_ONLY || w.errorCode() == ErrorCode.CANNOT_OPEN, w.getMessage());
            AncDbException e = assertThrows(AncDbException.class, () -> Database.open(sub.resolve("new.db")));
            assertEquals(ErrorCode.CANNOT_OPEN, e.errorCode(), e.getMessage());
            assertTrue(e.getMessage().contains("directory exist and are writable"), e.getMessage());
        }
    }

    /** A row over SQLITE_MAX_LENGTH is refused as SQLite's VDBE refuses it (TOOBIG), not written. */
    @Test
    void recordOverSqlitesLengthLimit() {
        Path f = withTable(dir.resolve("big.db"));
        byte[] half = new byte[500_000_001];              // twice in one row: 1 000 000 002 bytes of values
        try (Database db = Database.open(f, DatabaseOptions.defaults().withSynchronous(DatabaseOptions.Synchronous.OFF))) {
            db.runWrite(tx -> tx.createTable(TableSpec.of("two", Column.rowid("id"), Column.of("a", SqlType.BLOB),
                    Column.of("b", SqlType.BLOB))));
            AncDbException e = assertThrows(AncDbException.class,
                    () -> db.runWrite(tx -> tx.insert("two", 1, half, half)));
            assertEquals(ErrorCode.LIMIT_EXCEEDED, e.errorCode(), e.getMessage());
            assertEquals(ancdb_h.ANCDB_TOOBIG, e.nativeCode());
            assertTrue(e.getMessage().contains("over SQLite's limit of 1000000000 bytes"), e.getMessage());
            assertEquals(0L, (long) db.readTx(tx -> tx.count("two")));
            db.runWrite(tx -> tx.insert("two", 1, half, new byte[] {1}));   // just under: written
            assertEquals(1L, (long) db.readTx(tx -> tx.count("two")));
        }
    }

    /** Every environmental native code maps to its own error code; only a bug's is INTERNAL. */
    @Test
    void nativeCodesOfTheEnvironment() {
        Map<Integer, ErrorCode> expected = Map.of(
                ancdb_h.ANCDB_PROTOCOL, ErrorCode.TRANSACTION_CONFLICT,
                ancdb_h.ANCDB_PERM, ErrorCode.READ_ONLY,
                ancdb_h.ANCDB_TOOBIG, ErrorCode.LIMIT_EXCEEDED,
                ancdb_h.ANCDB_READONLY | (6 << 8), ErrorCode.READ_ONLY,    // READONLY_DIRECTORY
                ancdb_h.ANCDB_CANTOPEN, ErrorCode.CANNOT_OPEN,
                ancdb_h.ANCDB_IOERR_FSYNC, ErrorCode.IO_ERROR,
                ancdb_h.ANCDB_IOERR_NOMEM, ErrorCode.OUT_OF_MEMORY,
                ancdb_h.ANCDB_FULL, ErrorCode.DISK_FULL,
                ancdb_h.ANCDB_BUSY, ErrorCode.TRANSACTION_CONFLICT);
        expected.forEach((rc, code) -> {
            AncDbException e = NativeErrors.exception(rc, "commit", null);
            assertEquals(code, e.errorCode(), "native code " + rc);
            assertEquals(rc, e.nativeCode());
        });
        // PROTOCOL is retryable: the same exception type as a busy lock, with the advice in its message
        AncDbException protocol = NativeErrors.exception(ancdb_h.ANCDB_PROTOCOL, "begin read", null);
        assertInstanceOf(TransactionConflictException.class, protocol);
        assertTrue(protocol.getMessage().contains("retry"), protocol.getMessage());
        assertTrue(NativeErrors.exception(ancdb_h.ANCDB_PERM, "begin write", null).getMessage()
                .contains("denied access"));
        assertEquals(ErrorCode.INTERNAL, NativeErrors.exception(ancdb_h.ANCDB_ERROR, "commit", null).errorCode());
        // an I/O error names the system call that failed (SQLite's extended code)
        Map.of(ancdb_h.ANCDB_IOERR_SHORT_READ, "the file ended early",
                ancdb_h.ANCDB_IOERR_FSYNC, "syncing the file to disk failed",
                ancdb_h.ANCDB_IOERR_LOCK, "locking or unlocking the file failed",
                ancdb_h.ANCDB_IOERR_SHMMAP, "the shared-memory file of the WAL failed",
                ancdb_h.ANCDB_IOERR, "an operating-system I/O call failed").forEach((rc, cause) -> {
                    String m = NativeErrors.exception(rc, "commit", null).getMessage();
                    assertTrue(m.endsWith("(" + cause + ")"), m);
                });
        assertNotEquals(ErrorCode.INTERNAL, NativeErrors.exception(ancdb_h.ANCDB_NOTADB, "open", null).errorCode());
    }

    /**
     * A file or directory made unwritable for the duration of a test: by its mode, or, for root (whom the
     * mode does not stop), by the immutable attribute. Fails, never skips, when neither works.
     */
    private record ReadOnly(Path path, boolean immutable) implements AutoCloseable {
        static ReadOnly make(Path p) throws IOException {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "r-xr-xr-x" : "r--r--r--"));
            if (!Files.isWritable(p)) {
                return new ReadOnly(p, false);
            }
            if (chattr("+i", p) != 0 || Files.isWritable(p)) {
                fail("cannot make " + p + " read-only: the mode does not stop this user (root?) and chattr +i failed");
            }
            return new ReadOnly(p, true);
        }

        @Override
        public void close() throws IOException {
            if (immutable) {
                assertEquals(0, chattr("-i", path));
            }
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
        }

        private static int chattr(String flag, Path p) throws IOException {
            Process proc = new ProcessBuilder("chattr", flag, p.toString()).redirectErrorStream(true).start();
            proc.getInputStream().readAllBytes();
            try {
                return proc.waitFor(30, TimeUnit.SECONDS) ? proc.exitValue() : -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
    }
}
