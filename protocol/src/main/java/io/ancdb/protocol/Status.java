package io.ancdb.protocol;

import io.ancdb.ErrorCode;

/**
 * The {@code status} of a response (public wire contract). 0 is success;
 * 1-7 are the client's to act on; 100 and above are internal or environmental
 * and carry the numbers of {@link ErrorCode}.
 */
public final class Status {
    private Status() {
    }

    public static final int SUCCESS = 0;
    public static final int INVALID_COMMAND = 1;
    public static final int SCHEMA_NOT_FOUND = 2;
    public static final int KEY_NOT_FOUND = 3;
    public static final int CONSTRAINT_VIOLATION = 4;
    public static final int TRANSACTION_CONFLICT = 5;
    public static final int UNAUTHORIZED = 6;
    public static final int LIMIT_EXCEEDED = 7;
    public static final int INTERNAL = 100;
    public static final int IO_ERROR = 101;
    public static final int CORRUPTION = 102;
    public static final int DISK_FULL = 103;
    public static final int READ_ONLY = 104;
    public static final int CANNOT_OPEN = 105;
    public static final int NOT_A_DATABASE = 106;
    public static final int OUT_OF_MEMORY = 107;
    public static final int MISUSE = 108;

    /** "Success", "InvalidCommand", ... "LimitExceeded", or the {@link ErrorCode} name for 100+. */
    public static String name(int status) {
        return switch (status) {
            case SUCCESS -> "Success";
            case INVALID_COMMAND -> "InvalidCommand";
            case SCHEMA_NOT_FOUND -> "SchemaNotFound";
            case KEY_NOT_FOUND -> "KeyNotFound";
            case CONSTRAINT_VIOLATION -> "ConstraintViolation";
            case TRANSACTION_CONFLICT -> "TransactionConflict";
            case UNAUTHORIZED -> "Unauthorized";
            case LIMIT_EXCEEDED -> "LimitExceeded";
            default -> status >= 100 ? ErrorCode.of(status).name() : "Status" + status;
        };
    }
}
