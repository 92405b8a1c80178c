package io.ancdb;

/**
 * Every error ANC-DB raises: an unchecked exception carrying an
 * {@link ErrorCode} and, when it came from the native layer, the native
 * (SQLite-compatible) result code.
 */
public class AncDbException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode errorCode;
    private final int nativeCode;

    public AncDbException(ErrorCode errorCode, String message) {
        this(errorCode, 0, message, null);
    }

    public AncDbException(ErrorCode errorCode, int nativeCode, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
        this.nativeCode = nativeCode;
    }

    /** The ANC-DB error code. */
    public ErrorCode errorCode() {
        return errorCode;
    }

    /** The numeric ANC-DB code (same as {@code errorCode().code()}). */
    public int code() {
        return errorCode.code();
    }

    /** The native result code (SQLite numbering), or 0 if not native. */
    public int nativeCode() {
        return nativeCode;
    }

    /** The message without the "[code NAME] " prefix that {@link #getMessage()} adds (for a response or a UI). */
    public String bareMessage() {
        return super.getMessage();
    }

    @Override
    public String getMessage() {
        return "[" + errorCode.code() + " " + errorCode.name() + "] " + super.getMessage();
    }
}
