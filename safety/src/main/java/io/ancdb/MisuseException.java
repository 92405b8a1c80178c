package io.ancdb;

/** An operation in the wrong state: write in a read transaction, a handle from the wrong thread... (code 108). */
public class MisuseException extends AncDbException {
    private static final long serialVersionUID = 1L;

    public MisuseException(String message) {
        super(ErrorCode.MISUSE, message);
    }

    public MisuseException(int nativeCode, String message) {
        super(ErrorCode.MISUSE, nativeCode, message, null);
    }
}
