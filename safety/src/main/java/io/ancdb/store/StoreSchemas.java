package io.ancdb.store;

import io.ancdb.Database;
import io.ancdb.DatabaseOptions;
import io.ancdb.schema.DefinedRecord;
import io.ancdb.typed.DefinitionJson;
import io.ancdb.typed.Definitions;
import io.ancdb.typed.RecordDefinition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The store's own schemas: the record definitions every database file of the
 * store gets. They live in the ANC-DB file {@value #FILE} in the store
 * directory (its {@code ancdb_schemas} table), a name no database name maps
 * to (names never begin with a dot).
 *
 * <p>The file uses a rollback journal, so every change rewrites the file
 * itself: its modification time, size and inode tell whether another process
 * changed it, and one {@code stat} per write keeps every process's view
 * current without opening the file.
 */
final class StoreSchemas {
    static final String FILE = ".ancdb-store.db";

    private final Path file;
    private final DatabaseOptions options;
    private final StoreKeys keys;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Snapshot current = new Snapshot(List.of(), null, 0);

    /** The definitions as of one state of the file; {@code stamp} null: no file. */
    record Snapshot(List<RecordDefinition> definitions, Stamp stamp, long generation) {
    }

    private record Stamp(Object fileKey, long modifiedNanos, long size) {
    }

    StoreSchemas(Path dir, DatabaseOptions fileOptions, StoreKeys keys) {
        this.file = dir.resolve(FILE);
        this.options = options(fileOptions);
        this.keys = keys;
    }

    /** How the schema file opens, given how the store's database files do. */
    static DatabaseOptions options(DatabaseOptions fileOptions) {
        return fileOptions.withJournalMode(DatabaseOptions.JournalMode.DELETE).withMaxReaders(1);
    }

    /**
     * The store's definitions, re-read first if another process changed them,
     * with a generation number that changes whenever they do (callers compare
     * it with the one they applied).
     */
    Snapshot current() {
        return fresh();
    }

    /** Adds {@code def} to the store (the same definition again is a no-op; a different one under its name is refused). */
    void define(RecordDefinition def) {
        lock.lock();
        try {
            try (Database db = Database.open(file, keys.options(options.withCreate(true), FILE))) {
                Definitions.of(db).define(def);
            }
            reload(stamp());
        } finally {
            lock.unlock();
        }
    }

    private Snapshot fresh() {
        Snapshot s = current;
        Stamp now = stamp();
        if (Objects.equals(now, s.stamp())) {
            return s;
        }
        lock.lock();
        try {
            return reload(stamp());
        } finally {
            lock.unlock();
        }
    }

    private Snapshot reload(Stamp stamp) {
        Snapshot old = current;
        if (Objects.equals(stamp, old.stamp())) {
            return old;
        }
        List<RecordDefinition> defs = new ArrayList<>();
        if (stamp != null) {
            try (Database db = Database.open(file, keys.options(options.withReadOnly(true), FILE))) {
                for (DefinedRecord r : db.catalog().records()) {
                    defs.add(DefinitionJson.decode(r.json()));
                }
            }
        }
        Snapshot s = new Snapshot(List.copyOf(defs), stamp,
                defs.equals(old.definitions()) ? old.generation() : old.generation() + 1);
        current = s;
        return s;
    }

    private Stamp stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(a.fileKey(), a.lastModifiedTime().toInstant().getEpochSecond() * 1_000_000_000L
                    + a.lastModifiedTime().toInstant().getNano(), a.size());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw StoreFiles.failure("cannot read the store's schema file", e);
        }
    }
}
