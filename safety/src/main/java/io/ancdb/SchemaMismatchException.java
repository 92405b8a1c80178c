package io.ancdb;

/** A record definition differs from the one already registered under its name (code 1). */
public class SchemaMismatchException extends AncDbException {
    private static final long serialVersionUID = 1L;

    public SchemaMismatchException(String message) {
        super(ErrorCode.INVALID_COMMAND, message);
    }
}
