package io.ancdb.internal;

import io.ancdb.AncDbException;
import io.ancdb.ClosedException;
import io.ancdb.ConstraintViolationException;
import io.ancdb.CorruptionException;
import io.ancdb.ErrorCode;
import io.ancdb.InvalidArgumentException;
import io.ancdb.MisuseException;
import io.ancdb.TransactionConflictException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place where native result codes become exceptions. Native codes
 * follow SQLite's numbering (ancdb.h): the low byte is the primary code.
 */
public final class NativeErrors {
    public static final int OK = 0;
    public static final int BUSY = 5;
    public static final int LOCKED = 6;
    public static final int DONE = 101;

    private static final Pattern PAGE = Pattern.compile("page (\\d+)");

    private NativeErrors() {
    }

    /** The ANC-DB error code for native result code {@code rc}. */
    public static ErrorCode errorCode(int rc) {
        return switch (rc & 0xff) {
            case 5, 6 -> ErrorCode.TRANSACTION_CONFLICT;        // BUSY, LOCKED
            case 7 -> ErrorCode.OUT_OF_MEMORY;
            case 8 -> ErrorCode.READ_ONLY;
            case 10 -> rc == (10 | (12 << 8)) ? ErrorCode.OUT_OF_MEMORY : ErrorCode.IO_ERROR;
            case 11 -> ErrorCode.CORRUPTION;
            case 13 -> ErrorCode.DISK_FULL;
            case 14 -> ErrorCode.CANNOT_OPEN;
            case 19 -> ErrorCode.CONSTRAINT_VIOLATION;
            case 20, 25 -> ErrorCode.INVALID_COMMAND;           // MISMATCH, RANGE
            case 21 -> ErrorCode.MISUSE;
            case 26 -> ErrorCode.NOT_A_DATABASE;
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
        String io = ioCause(rc);
        if (io != null) {
            msg += " (" + io + ")";
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
     * What failed, for I/O error and full-disk codes (SQLite's extended
     * codes name the system call); null for other codes.
     */
    static String ioCause(int rc) {
        if ((rc & 0xff) == 13) {
            return "the disk is full or the file reached its size limit";
        }
        if ((rc & 0xff) != 10) {
            return null;
        }
        return switch (rc >>> 8) {
            case 1 -> "reading the file failed";
            case 2 -> "the file ended early";
            case 3 -> "writing the file failed";
            case 4 -> "syncing the file to disk failed";
            case 5 -> "syncing the directory failed";
            case 6 -> "truncating the file failed";
            case 7 -> "reading the file size failed";
            case 8, 9, 14, 15 -> "locking or unlocking the file failed";
            case 10 -> "deleting the journal failed";
            case 13 -> "checking a file failed";
            case 16 -> "closing the file failed";
            case 18, 19, 20, 21 -> "the shared-memory file of the WAL failed";
            case 22 -> "seeking in the file failed";
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
