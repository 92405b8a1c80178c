package io.ancdb;

/** An argument, value or type the operation cannot accept (code 1). */
public class InvalidArgumentException extends AncDbException {
    private static final long serialVersionUID = 1L;

    public InvalidArgumentException(String message) {
        super(ErrorCode.INVALID_COMMAND, message);
    }

    public InvalidArgumentException(int nativeCode, String message) {
        super(ErrorCode.INVALID_COMMAND, nativeCode, message, null);
    }
}
