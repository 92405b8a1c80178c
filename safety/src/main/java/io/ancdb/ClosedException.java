package io.ancdb;

/** A database, transaction or cursor was used after it was closed or ended (code 108). */
public class ClosedException extends AncDbException {
    private static final long serialVersionUID = 1L;

    public ClosedException(String message) {
        super(ErrorCode.MISUSE, message);
    }

    public ClosedException(int nativeCode, String message) {
        super(ErrorCode.MISUSE, nativeCode, message, null);
    }
}
