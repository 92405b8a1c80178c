package io.ancdb;

/** A unique or primary-key constraint would be violated (code 4). */
public class ConstraintViolationException extends AncDbException {
    private static final long serialVersionUID = 1L;

    public ConstraintViolationException(String message) {
        super(ErrorCode.CONSTRAINT_VIOLATION, message);
    }

    public ConstraintViolationException(int nativeCode, String message) {
        super(ErrorCode.CONSTRAINT_VIOLATION, nativeCode, message, null);
    }
}
