package io.ancdb.analytics;

import io.ancdb.AncDbException;
import io.ancdb.ErrorCode;

/** One file of the store could not be loaded: carries its name and, as code, the cause's code. */
public final class FileLoadException extends AncDbException {
    private static final long serialVersionUID = 1L;

    private final String db;

    FileLoadException(String db, Throwable cause) {
        super(cause instanceof AncDbException a ? a.errorCode() : ErrorCode.INTERNAL, 0,
                "database " + db + ": " + reason(cause), cause);
        this.db = db;
    }

    /** The name of the file that failed. */
    public String db() {
        return db;
    }

    /** A one-line reason: the ANC-DB error with its code, or the exception's message. */
    static String reason(Throwable t) {
        String m = t.getMessage();
        return t instanceof AncDbException ? m : t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
