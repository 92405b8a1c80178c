package io.ancdb.store;

import io.ancdb.DatabaseOptions;
import io.ancdb.InvalidArgumentException;

import java.time.Duration;

/**
 * How a {@link Store} opens and keeps its files. Immutable; derive variants
 * with the {@code with*} methods.
 *
 * @param fileOptions  how each database file is opened (journal mode, sync, cache, readers)
 * @param maxOpen      at most this many files open at once (see {@link Descriptors#defaultMaxOpen})
 * @param idleTimeout  a file unused this long is closed (ZERO: only when the cache needs room)
 * @param waitTimeout  how long a caller waits when every open file is in use, or to drop a
 *                     file still in use; then {@link io.ancdb.TransactionConflictException}
 * @param masterKey    the master key of an encrypted store (every file gets a key derived from
 *                     it), null for a plaintext store; see {@link #withMasterKey}
 */
public record StoreOptions(DatabaseOptions fileOptions, int maxOpen, Duration idleTimeout, Duration waitTimeout,
                           MasterKey masterKey) {
    public StoreOptions {
        if (fileOptions == null || idleTimeout == null || waitTimeout == null) {
            throw new InvalidArgumentException("fileOptions, idleTimeout and waitTimeout are required");
        }
        if (maxOpen < 1 || idleTimeout.isNegative() || waitTimeout.isNegative()) {
            throw new InvalidArgumentException("maxOpen must be >= 1, timeouts >= 0");
        }
        if (fileOptions.exclusiveLocking()) {
            // a one-shot process must be able to use a file while a server has it cached
            throw new InvalidArgumentException("store files are shared between processes: exclusive locking is not allowed");
        }
        if (fileOptions.readOnly()) {
            throw new InvalidArgumentException("store files are opened read-write");
        }
        if (fileOptions.key() != null) {
            // a DatabaseKey opens one file once and is wiped; one key for every file would also let
            // one leaked file key open them all: each file's key is derived from the master key
            throw new InvalidArgumentException(
                    "store files cannot share one DatabaseKey: give the store a master key (withMasterKey)");
        }
    }

    /**
     * WAL, synchronous FULL, one reader connection and a 256-page (1 MiB)
     * cache per connection (pair files are small and many), maxOpen from the
     * process's descriptor limit, a 60 s idle timeout, 5 s waits.
     */
    public static StoreOptions defaults() {
        return withFiles(DatabaseOptions.defaults().withJournalMode(DatabaseOptions.JournalMode.WAL)
                .withSynchronous(DatabaseOptions.Synchronous.FULL).withMaxReaders(1).withCachePages(256));
    }

    /** These file options with the default cache size for them (from the descriptor limit) and timeouts. */
    public static StoreOptions withFiles(DatabaseOptions fileOptions) {
        return new StoreOptions(fileOptions, Descriptors.defaultMaxOpen(fileOptions),
                Duration.ofSeconds(60), Duration.ofSeconds(5), null);
    }

    public StoreOptions withFileOptions(DatabaseOptions o) {
        return new StoreOptions(o, maxOpen, idleTimeout, waitTimeout, masterKey);
    }

    public StoreOptions withMaxOpen(int n) {
        return new StoreOptions(fileOptions, n, idleTimeout, waitTimeout, masterKey);
    }

    public StoreOptions withIdleTimeout(Duration d) {
        return new StoreOptions(fileOptions, maxOpen, d, waitTimeout, masterKey);
    }

    public StoreOptions withWaitTimeout(Duration d) {
        return new StoreOptions(fileOptions, maxOpen, idleTimeout, d, masterKey);
    }

    /**
     * An encrypted store: every database file, and the store's schema file,
     * is encrypted (SQLCipher 4 format) with its own key, derived from
     * {@code key} with HKDF-SHA256 and the file's name. {@link Store#open}
     * wipes the key once it has derived what the store needs (a master key
     * opens one store once); null: a plaintext store.
     */
    public StoreOptions withMasterKey(MasterKey key) {
        return new StoreOptions(fileOptions, maxOpen, idleTimeout, waitTimeout, key);
    }
}
