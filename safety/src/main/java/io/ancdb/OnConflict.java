package io.ancdb;

/** What an insert does when its key (or a unique index key) already exists. */
public enum OnConflict {
    /** Throw {@link ConstraintViolationException}; nothing changes. */
    FAIL,
    /** Delete the conflicting row(s), then insert. */
    REPLACE,
    /** Keep the existing row; the insert does nothing. */
    IGNORE
}
