package io.ancdb.store;

import io.ancdb.Database;
import io.ancdb.ReadTx;
import io.ancdb.typed.RecordTable;

/**
 * A transaction on one database of a store, holding that file's handle for
 * its whole life (the cache never closes a file a transaction borrowed).
 * Confined to the thread that began it, like the transaction inside it.
 */
public abstract sealed class FileTransaction<T extends ReadTx> implements AutoCloseable permits FileRead, FileWrite {
    private final Store store;
    private final Handle handle;
    private final T tx;
    private final long version;
    private boolean released;

    FileTransaction(Store store, Handle handle, T tx, long version) {
        this.store = store;
        this.handle = handle;
        this.tx = tx;
        this.version = version;
    }

    /** The database's name in the store. */
    public String name() {
        return handle.name;
    }

    /** The transaction, for the typed layer ({@code records(s).insert(w.tx(), ...)}) and the row API. */
    public T tx() {
        return tx;
    }

    /**
     * The file's version in this transaction: a read sees the version of its
     * snapshot; a write, the version its commit will make.
     */
    public long version() {
        return version;
    }

    /** The records of schema {@code schema} in this file, or a SchemaNotFoundException. */
    public RecordTable records(String schema) {
        return handle.records(tx, schema);
    }

    /**
     * The file's open database, for layers that keep per-file state on it
     * (e.g. through {@link Database#extension}): valid while this
     * transaction is open. Writing through it directly bypasses the version.
     */
    public Database database() {
        return handle.openDatabase();
    }

    public boolean isOpen() {
        return tx.isOpen();
    }

    /** Ends the transaction (a write not committed is rolled back) and returns the file to the cache. */
    @Override
    public void close() {
        if (released) {
            return;
        }
        // Throws on a thread other than the owner: the transaction then stays open and the
        // file stays borrowed, so the cache cannot close it under the open transaction.
        tx.close();
        released = true;
        store.release(handle);
    }
}
