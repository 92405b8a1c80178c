package io.ancdb.analytics;

import io.ancdb.ReadTx;
import io.ancdb.typed.RecordTable;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The files of a store as analytics reads them: the names the caller may
 * read, and one consistent snapshot of each. Two kinds: {@link PlainStoreSource}
 * (through {@link io.ancdb.store.Store}, as the local owner or as one party of
 * a token file) and {@link KeyedStoreSource} (an encrypted store whose files
 * all open with one store key, until the Store derives per-file keys itself).
 */
public interface StoreSource extends AutoCloseable {
    /** The store directory. */
    Path directory();

    /** The names of the databases the caller may read, in ASCII order. */
    List<String> names();

    /**
     * Runs {@code fn} on one read snapshot of database {@code name}; every
     * read inside {@code fn} sees that snapshot.
     */
    <T> T read(String name, Function<Snapshot, T> fn);

    /** True when the files are encrypted (what analytics writes out of them is not). */
    boolean encrypted();

    @Override
    void close();

    /** One read transaction of one file: its version, its schemas and their records. */
    interface Snapshot {
        String name();

        /** The file's version in this snapshot (its {@code PRAGMA user_version}). */
        long version();

        ReadTx tx();

        /** The record schemas this snapshot holds, by name. */
        default List<String> schemaNames() {
            return tx().catalog().records().stream().map(r -> r.name()).toList();
        }

        /** The records of {@code schema} in this snapshot, or null when the file lacks it. */
        RecordTable records(String schema);
    }
}
