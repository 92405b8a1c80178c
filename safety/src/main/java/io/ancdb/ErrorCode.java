package io.ancdb;

/**
 * The numeric error codes of ANC-DB, shared by the Java API and the wire
 * protocol. 1-99 are the caller's to fix; 100 and above are internal or
 * environmental (I/O, corruption, full disk...).
 */
public enum ErrorCode {
    INVALID_COMMAND(1, "invalid command or argument"),
    SCHEMA_NOT_FOUND(2, "schema not found"),
    KEY_NOT_FOUND(3, "key not found"),
    CONSTRAINT_VIOLATION(4, "constraint violation"),
    TRANSACTION_CONFLICT(5, "transaction conflict"),
    UNAUTHORIZED(6, "unauthorized"),
    LIMIT_EXCEEDED(7, "limit exceeded"),
    TRANSACTION_ABORTED(8, "transaction aborted"),
    /** A store has no database file of that name (reads never create one). */
    DATABASE_NOT_FOUND(9, "database not found"),
    /** A write expected another version of the file: the other party moved on. */
    VERSION_CONFLICT(10, "version conflict"),
    INTERNAL(100, "internal error"),
    IO_ERROR(101, "I/O error"),
    CORRUPTION(102, "database corruption"),
    DISK_FULL(103, "disk full"),
    READ_ONLY(104, "database is read-only"),
    CANNOT_OPEN(105, "cannot open database file"),
    NOT_A_DATABASE(106, "file is not a database"),
    OUT_OF_MEMORY(107, "out of memory"),
    MISUSE(108, "API misuse");

    private final int code;
    private final String description;

    ErrorCode(int code, String description) {
        this.code = code;
        this.description = description;
    }

    /** The stable numeric code. */
    public int code() {
        return code;
    }

    /** A short English description. */
    public String description() {
        return description;
    }

    /** The code with this number, or {@link #INTERNAL} if none. */
    public static ErrorCode of(int code) {
        for (ErrorCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return INTERNAL;
    }
}
