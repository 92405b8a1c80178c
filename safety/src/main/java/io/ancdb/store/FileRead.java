package io.ancdb.store;

import io.ancdb.ReadTx;

/** A read transaction on one database of a store: one consistent snapshot and its version. */
public final class FileRead extends FileTransaction<ReadTx> {
    FileRead(Store store, Handle handle, ReadTx tx, long version) {
        super(store, handle, tx, version);
    }
}
