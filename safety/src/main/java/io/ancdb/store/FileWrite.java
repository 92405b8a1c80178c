package io.ancdb.store;

import io.ancdb.WriteTx;

/**
 * A write transaction on one database of a store. It began with the file's
 * version raised by one (so a rollback takes the raise back with the rest);
 * {@link #commit()} makes its changes and the new version durable together.
 */
public final class FileWrite extends FileTransaction<WriteTx> {
    FileWrite(Store store, Handle handle, WriteTx tx, long version) {
        super(store, handle, tx, version);
    }

    /** Commits; returns the file's new version. On failure the transaction stays open: retry or close. */
    public long commit() {
        tx().commit();
        close();
        return version();
    }

    /** Discards every change (the version too). */
    public void rollback() {
        close();
    }
}
