package io.ancdb.store;

import io.ancdb.AncDbException;
import io.ancdb.ErrorCode;

/**
 * A write expected the file at one version and found it at another: another
 * writer committed in between (code 10). Nothing was written. Distinct from
 * {@link io.ancdb.TransactionConflictException} (code 5, "retry later"):
 * retrying this write unchanged would overwrite the other party's turn, so
 * the caller re-reads at {@link #currentVersion()} first.
 */
public class VersionConflictException extends AncDbException {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final long expectedVersion;
    private final long currentVersion;

    public VersionConflictException(String name, long expectedVersion, long currentVersion) {
        super(ErrorCode.VERSION_CONFLICT, "database " + StoreNames.quoted(name) + " is at version " + currentVersion
                + ", the write expected " + expectedVersion);
        this.name = name;
        this.expectedVersion = expectedVersion;
        this.currentVersion = currentVersion;
    }

    public String name() {
        return name;
    }

    /** The version the refused write expected. */
    public long expectedVersion() {
        return expectedVersion;
    }

    /** The file's version when the write was refused (0: the file does not exist). */
    public long currentVersion() {
        return currentVersion;
    }
}
