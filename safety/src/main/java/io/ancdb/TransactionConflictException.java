package io.ancdb;

/** The file stayed locked by another connection or process past the busy timeout, or the transaction cannot proceed (code 5). */
public class TransactionConflictException extends AncDbException {
    private static final long serialVersionUID = 1L;

    public TransactionConflictException(String message) {
        super(ErrorCode.TRANSACTION_CONFLICT, message);
    }

    public TransactionConflictException(int nativeCode, String message) {
        super(ErrorCode.TRANSACTION_CONFLICT, nativeCode, message, null);
    }
}
