package io.ancdb.store;

import io.ancdb.Database;
import io.ancdb.ReadTx;
import io.ancdb.SchemaNotFoundException;
import io.ancdb.schema.DefinedRecord;
import io.ancdb.typed.DefinitionJson;
import io.ancdb.typed.RecordTable;
import io.ancdb.typed.Snowflake;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    /** Record tables resolved in this file, by schema name (a definition never changes under its name). */
    final Map<String, RecordTable> tables = new ConcurrentHashMap<>();

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

    /** The records of {@code schema} as transaction {@code tx} of this file sees them; cached per name. */
    RecordTable records(ReadTx tx, Snowflake ids, String schema) {
        RecordTable t = tables.get(schema);
        if (t != null) {
            return t;
        }
        DefinedRecord r = tx.catalog().record(schema);
        if (r == null) {
            throw new SchemaNotFoundException("database " + StoreNames.quoted(name) + " has no schema " + schema);
        }
        t = new RecordTable(DefinitionJson.decode(r.json()), r.id(), ids);
        tables.put(schema, t);
        return t;
    }

    boolean isOpen() {
        return db != null;
    }

    /** Closes the database (the cache calls this only when no transaction borrows it). */
    void close() {
        lifecycle.lock();
        try {
            Database d = db;
            db = null;
            tables.clear();
            schemaGeneration = -1;
            if (d != null) {
                d.close();
            }
        } finally {
            lifecycle.unlock();
        }
    }
}
