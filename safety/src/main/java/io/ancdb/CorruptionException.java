package io.ancdb;

/** The file is malformed (code 102). Carries the page SQLite found it on, when known. */
public class CorruptionException extends AncDbException {
    private static final long serialVersionUID = 1L;

    private final long page;

    public CorruptionException(int nativeCode, String message, long page) {
        super(ErrorCode.CORRUPTION, nativeCode, message, null);
        this.page = page;
    }

    /** The corrupt page number, or 0 when SQLite did not say. */
    public long page() {
        return page;
    }
}
