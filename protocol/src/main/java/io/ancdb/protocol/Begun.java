package io.ancdb.protocol;

import io.ancdb.ReadTx;
import io.ancdb.WriteTx;
import io.ancdb.store.FileTransaction;
import io.ancdb.store.FileWrite;

/**
 * A transaction begun for one command (or for a BeginTx) and what it runs
 * on: the database's {@link Target} and, for a file of a store, its
 * {@link FileTransaction}, which keeps the file open in the store's cache
 * and knows the file's version. Ending it (commit, rollback, close) ends
 * both. Confined to the thread that began it, like the transaction.
 */
final class Begun<T extends ReadTx> implements AutoCloseable {
    /** The version of a database that has none (serve --db's file). */
    static final long NO_VERSION = -1;

    final T tx;
    final Target target;
    private final FileTransaction<?> file;

    private Begun(T tx, Target target, FileTransaction<?> file) {
        this.tx = tx;
        this.target = target;
        this.file = file;
    }

    /** A transaction on a database of its own (serve --db). */
    static <T extends ReadTx> Begun<T> of(T tx, Target target) {
        return new Begun<>(tx, target, null);
    }

    /** A transaction on a file of a store. */
    @SuppressWarnings("unchecked")
    static <T extends ReadTx> Begun<T> of(FileTransaction<? extends T> file) {
        return new Begun<>((T) file.tx(), Target.ofStoreFile(file.database(), file.name()), file);
    }

    /** The file's version: a read's snapshot's; a write's, the one its commit makes. NO_VERSION: none. */
    long version() {
        return file == null ? NO_VERSION : file.version();
    }

    /** Commits a write; returns the file's new version (NO_VERSION: none). On failure it stays open. */
    long commit() {
        if (file instanceof FileWrite w) {
            return w.commit();
        }
        ((WriteTx) tx).commit();
        return NO_VERSION;
    }

    /** Discards a write. */
    void rollback() {
        if (file != null) {
            file.close();
        } else {
            ((WriteTx) tx).rollback();
        }
    }

    /** Ends the transaction (a write not committed is rolled back) and gives the file back. */
    @Override
    public void close() {
        if (file != null) {
            file.close();
        } else {
            tx.close();
        }
    }
}
