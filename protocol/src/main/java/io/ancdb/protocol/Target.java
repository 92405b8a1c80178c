package io.ancdb.protocol;

import io.ancdb.Database;
import io.ancdb.DatabaseOptions;
import io.ancdb.IsolationLevel;

import java.io.IOException;
import java.nio.file.Files;

/**
 * The database a command runs against, with its schema cache and the
 * isolation of reads outside a transaction: READ_UNCOMMITTED (never waits for
 * a writer) in WAL mode without exclusive locking, else READ_COMMITTED.
 * {@link Databases} begins each command's transaction on it.
 */
record Target(Database database, Schemas schemas, IsolationLevel readLevel, String name) {

    /** serve --db's one database (no name). */
    static Target of(Database db) {
        DatabaseOptions o = db.options();
        boolean walShared = o.journalMode() == DatabaseOptions.JournalMode.WAL && !o.exclusiveLocking()
                && !o.readOnly();
        return new Target(db, new Schemas(db), walShared ? IsolationLevel.READ_UNCOMMITTED
                : IsolationLevel.READ_COMMITTED, null);
    }

    /**
     * File {@code name} of a store, open as {@code db}. Its schema cache lives
     * on the open database (one per open file, gone when the store's cache
     * closes the file); reads are the store's own (READ_COMMITTED snapshots).
     */
    static Target ofStoreFile(Database db, String name) {
        return new Target(db, db.extension(Schemas.class, Schemas::new), IsolationLevel.READ_COMMITTED, name);
    }

    /** Bytes of the database file, 0 when it cannot be read. */
    long fileSize() {
        try {
            return Files.size(database.path());
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
