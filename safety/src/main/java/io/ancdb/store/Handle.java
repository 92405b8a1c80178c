package io.ancdb.store;

import io.ancdb.Database;
import io.ancdb.ReadTx;
import io.ancdb.SchemaNotFoundException;
import io.ancdb.typed.Definitions;
import io.ancdb.typed.RecordTable;

import java.util.concurrent.locks.ReentrantLock;

/**
 * One store file in the {@link HandleCache}: its open {@link Database}
 * (opened on first use, by whoever borrows it first), the reference count
 * of the transactions that borrowed it, and what the store keeps per file.
 */
final class Handle {
    /** Opens the database of a name; {@code create}: make the file when missing. */
    interface Opener {
        Database open(String name, boolean create);
    }

    final String name;
    // Opening and closing the Database take this lock, never the cache's: opening
    // one file (disk I/O) must not hold up borrowers of the others.
    private final ReentrantLock lifecycle = new ReentrantLock();
    private volatile Database db;
    /** The store-schema generation applied to the file (guarded by {@link #lifecycle}). */
    private long schemaGeneration = -1;

    // guarded by the cache's lock
    int refs;
    long idleSinceNanos;

    Handle(String name) {
        this.name = name;
    }

    /** The open database, opening it first if nobody has. */
    Database database(Opener opener, boolean create) {
        Database d = db;
        if (d != null) {
            return d;
        }
        lifecycle.lock();
        try {
            if (db == null) {
                db = opener.open(name, create);
            }
            return db;
        } finally {
            lifecycle.unlock();
        }
    }

    /** Runs {@code apply} once per new {@code generation} of the store's schemas, one thread at a time. */
    void applySchemas(long generation, Runnable apply) {
        lifecycle.lock();
        try {
            if (schemaGeneration != generation) {
                apply.run();
                schemaGeneration = generation;
            }
        } finally {
            lifecycle.unlock();
        }
    }

    /**
     * The records of {@code schema} as transaction {@code tx} of this file
     * sees them (the file's own {@link Definitions}: one key generator per
     * open file), or a SchemaNotFoundException. Called only while a
     * transaction borrows the handle, so the database is open.
     */
    RecordTable records(ReadTx tx, String schema) {
        RecordTable t = Definitions.of(db).find(tx, schema);
        if (t == null) {
            throw new SchemaNotFoundException("database " + StoreNames.quoted(name) + " has no schema " + schema);
        }
        return t;
    }

    boolean isOpen() {
        return db != null;
    }

    /** The open database; called only while a transaction borrows the handle, so it is open. */
    Database openDatabase() {
        return db;
    }

    /** Closes the database (the cache calls this only when no transaction borrows it). */
    void close() {
        lifecycle.lock();
        try {
            Database d = db;
            db = null;
            schemaGeneration = -1;
            if (d != null) {
                d.close();
            }
        } finally {
            lifecycle.unlock();
        }
    }
}
