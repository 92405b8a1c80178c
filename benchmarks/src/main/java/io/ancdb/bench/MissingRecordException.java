package io.ancdb.bench;

/** A read found no record where the data set has one (or a check looked for one that must be gone). */
public final class MissingRecordException extends IllegalStateException {
    public MissingRecordException(long key) {
        super("no record " + key);
    }
}
