package io.ancdb;

import java.time.Duration;

/**
 * How to open a database. Immutable; derive variants with the {@code with*}
 * methods: {@code DatabaseOptions.defaults().withJournalMode(JournalMode.WAL)}.
 *
 * @param journalMode       WAL (default) or DELETE (rollback journal)
 * @param synchronous       how hard to sync: OFF, NORMAL, FULL (default), EXTRA
 * @param cachePages        page cache per connection, in pages (4 KiB each by default)
 * @param readOnly          open without write access
 * @param create            create the file when missing
 * @param exclusiveLocking  hold the file lock for the life of the connection: no
 *                          other process can use the file, reads skip lock system calls
 * @param busyTimeout       how long to wait for a lock held by another process
 * @param mmapSize          bytes of the file to memory-map (0 = none)
 * @param maxReaders        connections for concurrent read transactions
 * @param vfs               name of a registered SQLite VFS to open the file through, null
 *                          for the default (tests use "ancdb-fault", see {@link #withVfs})
 * @param key               the file's key (encrypted at rest, SQLCipher 4 format), null for a
 *                          plaintext file; see {@link #withKey(DatabaseKey)}
 * @param groupCommit       {@code writeTx} calls from many threads share commits (default on);
 *                          see {@link #withGroupCommit(boolean)}
 */
public record DatabaseOptions(JournalMode journalMode, Synchronous synchronous, int cachePages,
                              boolean readOnly, boolean create, boolean exclusiveLocking,
                              Duration busyTimeout, long mmapSize, int maxReaders, String vfs,
                              DatabaseKey key, boolean groupCommit) {

    public enum JournalMode { DELETE, WAL }

    public enum Synchronous { OFF, NORMAL, FULL, EXTRA }

    public DatabaseOptions {
        if (journalMode == null || synchronous == null || busyTimeout == null) {
            throw new InvalidArgumentException("journalMode, synchronous and busyTimeout are required");
        }
        if (cachePages < 0 || mmapSize < 0 || maxReaders < 1 || busyTimeout.isNegative()
                || busyTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new InvalidArgumentException("cachePages, mmapSize must be >= 0, maxReaders >= 1, busyTimeout in range");
        }
        if (readOnly && create) {
            throw new InvalidArgumentException("readOnly and create exclude each other");
        }
        if (vfs != null && (vfs.isEmpty() || vfs.indexOf('\0') >= 0)) {
            throw new InvalidArgumentException("vfs must be null or a non-empty name");
        }
    }

    /** The options with group commit on. */
    public DatabaseOptions(JournalMode journalMode, Synchronous synchronous, int cachePages,
                           boolean readOnly, boolean create, boolean exclusiveLocking,
                           Duration busyTimeout, long mmapSize, int maxReaders, String vfs, DatabaseKey key) {
        this(journalMode, synchronous, cachePages, readOnly, create, exclusiveLocking, busyTimeout, mmapSize,
                maxReaders, vfs, key, true);
    }

    /** The options without a VFS name (the default VFS) and without a key. */
    public DatabaseOptions(JournalMode journalMode, Synchronous synchronous, int cachePages,
                           boolean readOnly, boolean create, boolean exclusiveLocking,
                           Duration busyTimeout, long mmapSize, int maxReaders) {
        this(journalMode, synchronous, cachePages, readOnly, create, exclusiveLocking, busyTimeout, mmapSize,
                maxReaders, null, null);
    }

    /** The options without a key (a plaintext file). */
    public DatabaseOptions(JournalMode journalMode, Synchronous synchronous, int cachePages,
                           boolean readOnly, boolean create, boolean exclusiveLocking,
                           Duration busyTimeout, long mmapSize, int maxReaders, String vfs) {
        this(journalMode, synchronous, cachePages, readOnly, create, exclusiveLocking, busyTimeout, mmapSize,
                maxReaders, vfs, null);
    }

    /**
     * The fast and durable default: WAL journal with synchronous FULL (every
     * commit is synced before it returns: nothing acknowledged is lost on
     * power failure), normal locking (the sqlite3 shell or another process may
     * open the file meanwhile), 2000-page cache, create if missing, 5 s busy
     * timeout, one reader connection per core (at least 2), group commit.
     * DELETE journal and exclusive locking remain options.
     */
    public static DatabaseOptions defaults() {
        return new DatabaseOptions(JournalMode.WAL, Synchronous.FULL, 2000, false, true, false,
                Duration.ofSeconds(5), 0, DefaultReaders.COUNT, null, null, true);
    }

    /**
     * The default number of reader connections: one per core, at least 2. Asked
     * once per process: {@code availableProcessors()} is a system call
     * (sched_getaffinity), and a process opening many files would otherwise pay it at each open.
     */
    private static final class DefaultReaders {
        static final int COUNT = Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    public DatabaseOptions withJournalMode(JournalMode m) {
        return new DatabaseOptions(m, synchronous, cachePages, readOnly, create, exclusiveLocking, busyTimeout, mmapSize, maxReaders, vfs, key, groupCommit);
    }

    public DatabaseOptions withSynchronous(Synchronous s) {
        return new DatabaseOptions(journalMode, s, cachePages, readOnly, create, exclusiveLocking, busyTimeout, mmapSize, maxReaders, vfs, key, groupCommit);
    }

    public DatabaseOptions withCachePages(int n) {
        return new DatabaseOptions(journalMode, synchronous, n, readOnly, create, exclusiveLocking, busyTimeout, mmapSize, maxReaders, vfs, key, groupCommit);
    }

    public DatabaseOptions withReadOnly(boolean ro) {
        return new DatabaseOptions(journalMode, synchronous, cachePages, ro, !ro && create, exclusiveLocking, busyTimeout, mmapSize, maxReaders, vfs, key, groupCommit);
    }

    public DatabaseOptions withCreate(boolean c) {
        return new DatabaseOptions(journalMode, synchronous, cachePages, readOnly, c, exclusiveLocking, busyTimeout, mmapSize, maxReaders, vfs, key, groupCommit);
    }

    public DatabaseOptions withExclusiveLocking(boolean x) {
        return new DatabaseOptions(journalMode, synchronous, cachePages, readOnly, create, x, busyTimeout, mmapSize, maxReaders, vfs, key, groupCommit);
    }

    public DatabaseOptions withBusyTimeout(Duration d) {
        return new DatabaseOptions(journalMode, synchronous, cachePages, readOnly, create, exclusiveLocking, d, mmapSize, maxReaders, vfs, key, groupCommit);
    }

    public DatabaseOptions withMmapSize(long bytes) {
        return new DatabaseOptions(journalMode, synchronous, cachePages, readOnly, create, exclusiveLocking, busyTimeout, bytes, maxReaders, vfs, key, groupCommit);
    }

    public DatabaseOptions withMaxReaders(int n) {
        return new DatabaseOptions(journalMode, synchronous, cachePages, readOnly, create, exclusiveLocking, busyTimeout, mmapSize, n, vfs, key, groupCommit);
    }

    /**
     * Opens the file through the SQLite VFS registered as {@code name} (null:
     * the default). Meant for tests: the native library's "ancdb-fault" VFS
     * injects I/O errors and power loss once armed (registered by the first
     * {@code ancdb_fault_*} call); opening fails with CANNOT_OPEN for an
     * unknown name.
     */
    public DatabaseOptions withVfs(String name) {
        return new DatabaseOptions(journalMode, synchronous, cachePages, readOnly, create, exclusiveLocking, busyTimeout, mmapSize, maxReaders, name, key, groupCommit);
    }

    /**
     * Opens an encrypted file (or creates one) with {@code key}: SQLCipher 4's
     * default format, readable by any SQLCipher 4 tool with the same key (README,
     * "Encryption at rest"). Needs OpenSSL's libcrypto at run time. The key is
     * wiped once {@link Database#open} used it; a wrong key is NOT_A_DATABASE.
     * Memory-mapped I/O is off for encrypted files.
     */
    public DatabaseOptions withKey(DatabaseKey key) {
        return new DatabaseOptions(journalMode, synchronous, cachePages, readOnly, create, exclusiveLocking, busyTimeout, mmapSize, maxReaders, vfs, key, groupCommit);
    }

    /**
     * Group commit (default on): {@link Database#writeTx} calls from many
     * threads that arrive together share one commit and one sync, each in a
     * savepoint of its own (atomic and isolated; a failure takes back its own
     * writes only), and none returns before the shared commit is durable.
     * Off: every call commits alone. Explicit transactions
     * ({@link Database#beginWrite()}) always commit alone.
     */
    public DatabaseOptions withGroupCommit(boolean on) {
        return new DatabaseOptions(journalMode, synchronous, cachePages, readOnly, create, exclusiveLocking, busyTimeout, mmapSize, maxReaders, vfs, key, on);
    }

    /** {@link #withKey(DatabaseKey)} with a passphrase (copied; wipe your array when done). */
    public DatabaseOptions withKey(char[] passphrase) {
        return withKey(DatabaseKey.passphrase(passphrase));
    }

    /** {@link #withKey(DatabaseKey)} with a raw key of 32 bytes, or 48 with the salt (copied). */
    public DatabaseOptions withRawKey(byte[] rawKey) {
        return withKey(DatabaseKey.raw(rawKey));
    }

    /** The ancdb_open flags word for these options. */
    int nativeFlags(boolean forReader) {
        int f = 0;
        if (readOnly) {
            f |= 0x0001;
        } else if (create && !forReader) {
            f |= 0x0002;
        }
        if (journalMode == JournalMode.WAL) {
            f |= 0x0004;
        }
        if (exclusiveLocking) {
            f |= 0x0008;
        }
        f |= switch (synchronous) {
            case OFF -> 0x0010;
            case NORMAL -> 0x0020;
            case FULL -> 0x0030;
            case EXTRA -> 0x0040;
        };
        if (forReader) {
            f |= 0x0080;   // readers keep the journal mode the writer chose
        }
        return f;
    }
}
