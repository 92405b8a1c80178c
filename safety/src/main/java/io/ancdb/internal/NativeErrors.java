package io.ancdb.internal;

import io.ancdb.AncDbException;
import io.ancdb.ClosedException;
import io.ancdb.ConstraintViolationException;
import io.ancdb.CorruptionException;
import io.ancdb.ErrorCode;
import io.ancdb.InvalidArgumentException;
import io.ancdb.MisuseException;
import io.ancdb.TransactionConflictException;
import io.ancdb.bindings.internal.ancdb_h;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place where native result codes become exceptions. Native codes
 * follow SQLite's numbering (ancdb.h): the low byte is the primary code, the
 * rest SQLite's extended code (which system call failed, for I/O errors).
 * Every code the environment can cause (a lock race, a permission, a full
 * disk, a file system without shared memory for WAL) has its own error code;
 * INTERNAL is left for what only a bug can cause.
 */
public final class NativeErrors {
    public static final int OK = ancdb_h.ANCDB_OK;
    public static final int BUSY = ancdb_h.ANCDB_BUSY;
    public static final int LOCKED = ancdb_h.ANCDB_LOCKED;
    public static final int DONE = ancdb_h.ANCDB_DONE;

    private static final Pattern PAGE = Pattern.compile("page (\\d+)");

    private NativeErrors() {
    }

    /** The ANC-DB error code for native result code {@code rc}. */
    public static ErrorCode errorCode(int rc) {
        return switch (rc & 0xff) {
            // PROTOCOL: a WAL lock race SQLite gave up retrying; like a busy lock, it passes when retried
            case ancdb_h.ANCDB_BUSY, ancdb_h.ANCDB_LOCKED, ancdb_h.ANCDB_PROTOCOL -> ErrorCode.TRANSACTION_CONFLICT;
            case ancdb_h.ANCDB_NOMEM -> ErrorCode.OUT_OF_MEMORY;
            case ancdb_h.ANCDB_READONLY, ancdb_h.ANCDB_PERM -> ErrorCode.READ_ONLY;
            case ancdb_h.ANCDB_IOERR -> rc == ancdb_h.ANCDB_IOERR_NOMEM ? ErrorCode.OUT_OF_MEMORY : ErrorCode.IO_ERROR;
            case ancdb_h.ANCDB_CORRUPT -> ErrorCode.CORRUPTION;
            case ancdb_h.ANCDB_FULL -> ErrorCode.DISK_FULL;
            case ancdb_h.ANCDB_CANTOPEN -> ErrorCode.CANNOT_OPEN;
            case ancdb_h.ANCDB_TOOBIG -> ErrorCode.LIMIT_EXCEEDED;
            case ancdb_h.ANCDB_CONSTRAINT -> ErrorCode.CONSTRAINT_VIOLATION;
            case ancdb_h.ANCDB_MISMATCH, ancdb_h.ANCDB_RANGE -> ErrorCode.INVALID_COMMAND;
            case ancdb_h.ANCDB_MISUSE -> ErrorCode.MISUSE;
            case ancdb_h.ANCDB_NOTADB -> ErrorCode.NOT_A_DATABASE;
            default -> ErrorCode.INTERNAL;
        };
    }

    /**
     * The exception for native result code {@code rc}.
     *
     * @param op what was being done, for the message ("commit", "open"...)
     * @param detail the native layer's message, may be null
     */
    public static AncDbException exception(int rc, String op, String detail) {
        String msg = op + " failed: " + (detail == null || detail.isEmpty() ? "native code " + rc : detail);
        ErrorCode code = errorCode(rc);
        String cause = cause(rc);
        if (cause != null) {
            msg += " (" + cause + ")";
        }
        return switch (code) {
            case TRANSACTION_CONFLICT -> new TransactionConflictException(rc, msg);
            case CONSTRAINT_VIOLATION -> new ConstraintViolationException(rc, msg);
            case INVALID_COMMAND -> new InvalidArgumentException(rc, msg);
            case MISUSE -> new MisuseException(rc, msg);
            case CORRUPTION -> new CorruptionException(rc, msg, pageOf(detail));
            default -> new AncDbException(code, rc, msg, null);
        };
    }

    /**
     * The open of {@code path} with {@code flags} failed with {@code rc}. An
     * ERROR from asking for WAL is the shim refusing a VFS or file system that
     * has no shared memory for the WAL index: the file cannot be opened as
     * asked (CANNOT_OPEN), which is not a bug.
     */
    static AncDbException openFailure(int rc, int flags, String detail) {
        if (rc == ancdb_h.ANCDB_ERROR && (flags & ancdb_h.ANCDB_OPEN_WAL) != 0
                && (flags & ancdb_h.ANCDB_OPEN_KEEP_JOURNAL) == 0) {
            return new AncDbException(ErrorCode.CANNOT_OPEN, rc, "open failed: WAL journal mode is not supported"
                    + " here: the VFS or file system offers no shared memory for the WAL index (open it in DELETE"
                    + " mode, or with exclusive locking)", null);
        }
        return exception(rc, "open", detail);
    }

    /**
     * What went wrong in the environment, for the codes it causes (for I/O
     * errors SQLite's extended code names the system call); null for others.
     */
    static String cause(int rc) {
        return switch (rc & 0xff) {
            case ancdb_h.ANCDB_FULL -> "the disk is full or the file reached its size limit";
            case ancdb_h.ANCDB_IOERR -> ioCause(rc);
            case ancdb_h.ANCDB_PROTOCOL -> "another connection raced for the WAL locks; retry";
            case ancdb_h.ANCDB_PERM -> "the operating system denied access to the file";
            case ancdb_h.ANCDB_CANTOPEN -> "the database, its journal or its WAL could not be opened or created:"
                    + " check that the file and its directory exist and are writable";
            case ancdb_h.ANCDB_TOOBIG -> "a string, blob or record is over SQLite's length limit";
            default -> null;
        };
    }

    private static String ioCause(int rc) {
        return switch (rc) {
            case ancdb_h.ANCDB_IOERR_READ -> "reading the file failed";
            case ancdb_h.ANCDB_IOERR_SHORT_READ -> "the file ended early";
            case ancdb_h.ANCDB_IOERR_WRITE -> "writing the file failed";
            case ancdb_h.ANCDB_IOERR_FSYNC -> "syncing the file to disk failed";
            case ancdb_h.ANCDB_IOERR_DIR_FSYNC -> "syncing the directory failed";
            case ancdb_h.ANCDB_IOERR_TRUNCATE -> "truncating the file failed";
            case ancdb_h.ANCDB_IOERR_FSTAT -> "reading the file size failed";
            case ancdb_h.ANCDB_IOERR_UNLOCK, ancdb_h.ANCDB_IOERR_RDLOCK, ancdb_h.ANCDB_IOERR_CHECKRESERVEDLOCK,
                 ancdb_h.ANCDB_IOERR_LOCK -> "locking or unlocking the file failed";
            case ancdb_h.ANCDB_IOERR_DELETE -> "deleting the journal failed";
            case ancdb_h.ANCDB_IOERR_ACCESS -> "checking a file failed";
            case ancdb_h.ANCDB_IOERR_CLOSE -> "closing the file failed";
            case ancdb_h.ANCDB_IOERR_SHMOPEN, ancdb_h.ANCDB_IOERR_SHMSIZE, ancdb_h.ANCDB_IOERR_SHMLOCK,
                 ancdb_h.ANCDB_IOERR_SHMMAP -> "the shared-memory file of the WAL failed";
            case ancdb_h.ANCDB_IOERR_SEEK -> "seeking in the file failed";
            default -> "an operating-system I/O call failed";
        };
    }

    /** Exception for use of a closed or ended handle. */
    public static ClosedException closed(String what) {
        return new ClosedException(what + " is closed");
    }

    private static long pageOf(String detail) {
        if (detail == null) {
            return 0;
        }
        Matcher m = PAGE.matcher(detail);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
