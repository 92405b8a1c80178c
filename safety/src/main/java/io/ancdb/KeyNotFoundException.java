package io.ancdb;

/** No record has the given key (code 3). */
public class KeyNotFoundException extends AncDbException {
    private static final long serialVersionUID = 1L;

    public KeyNotFoundException(String message) {
        super(ErrorCode.KEY_NOT_FOUND, message);
    }

    public KeyNotFoundException(int nativeCode, String message) {
        super(ErrorCode.KEY_NOT_FOUND, nativeCode, message, null);
    }
}
