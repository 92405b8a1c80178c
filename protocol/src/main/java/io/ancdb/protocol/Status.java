package io.ancdb.protocol;

import io.ancdb.ErrorCode;

import java.util.Locale;

/**
 * The {@code status} of a response (public wire contract): 0 is success,
 * every other status is the number of an {@link ErrorCode} (the one table of
 * error numbers, shared with the Java API). 1-99 are the client's to act on;
 * 100 and above are internal or environmental.
 */
public final class Status {
    private Status() {
    }

    public static final int SUCCESS = 0;
    public static final int INVALID_COMMAND = ErrorCode.INVALID_COMMAND.code();
    public static final int SCHEMA_NOT_FOUND = ErrorCode.SCHEMA_NOT_FOUND.code();
    public static final int KEY_NOT_FOUND = ErrorCode.KEY_NOT_FOUND.code();
    public static final int CONSTRAINT_VIOLATION = ErrorCode.CONSTRAINT_VIOLATION.code();
    public static final int TRANSACTION_CONFLICT = ErrorCode.TRANSACTION_CONFLICT.code();
    public static final int UNAUTHORIZED = ErrorCode.UNAUTHORIZED.code();
    public static final int LIMIT_EXCEEDED = ErrorCode.LIMIT_EXCEEDED.code();
    /** The server rolled back the session's BeginTx transaction (a failed command could not be undone). */
    public static final int TRANSACTION_ABORTED = ErrorCode.TRANSACTION_ABORTED.code();
    public static final int INTERNAL = ErrorCode.INTERNAL.code();
    public static final int IO_ERROR = ErrorCode.IO_ERROR.code();
    public static final int CORRUPTION = ErrorCode.CORRUPTION.code();
    public static final int DISK_FULL = ErrorCode.DISK_FULL.code();
    public static final int READ_ONLY = ErrorCode.READ_ONLY.code();
    public static final int CANNOT_OPEN = ErrorCode.CANNOT_OPEN.code();
    public static final int NOT_A_DATABASE = ErrorCode.NOT_A_DATABASE.code();
    public static final int OUT_OF_MEMORY = ErrorCode.OUT_OF_MEMORY.code();
    public static final int MISUSE = ErrorCode.MISUSE.code();

    /**
     * "Success"; below 100 the {@link ErrorCode} name in camel case
     * ("InvalidCommand", ... "LimitExceeded"); from 100 the {@link ErrorCode}
     * name ("IO_ERROR"); "Status" + the number when there is no such code.
     */
    public static String name(int status) {
        if (status == SUCCESS) {
            return "Success";
        }
        ErrorCode code = ErrorCode.of(status);
        if (code.code() != status) {
            return "Status" + status;
        }
        return status >= 100 ? code.name() : camelCase(code.name());
    }

    private static String camelCase(String constant) {
        StringBuilder sb = new StringBuilder(constant.length());
        for (String word : constant.split("_")) {
            sb.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }
}
