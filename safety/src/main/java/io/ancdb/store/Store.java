package io.ancdb.store;

import io.ancdb.AncDbException;
import io.ancdb.Database;
import io.ancdb.DatabaseOptions;
import io.ancdb.ErrorCode;
import io.ancdb.InvalidArgumentException;
import io.ancdb.IsolationLevel;
import io.ancdb.KeyRange;
import io.ancdb.ReadTx;
import io.ancdb.WriteTx;
import io.ancdb.schema.DefinedRecord;
import io.ancdb.typed.Definitions;
import io.ancdb.typed.RecordDefinition;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A directory of ANC-DB files addressed by name: one small database per
 * trading pair, say ({@link PairNames#pair}). Each file is a plain SQLite
 * database {@code <dir>/<name>.db} (names: {@link StoreNames}).
 *
 * <ul>
 *   <li><b>Schemas</b> defined on the store ({@link #define}) go into every
 *   file, when the file is created and, for a file that exists, at its next
 *   write; a file may also hold schemas of its own ({@link #define(String,
 *   RecordDefinition)}).</li>
 *   <li><b>Creation</b>: a write creates a missing file; a read, stats or
 *   scan of a missing file is a {@link DatabaseNotFoundException} (code 9)
 *   and creates nothing.</li>
 *   <li><b>Versions</b>: each file has a version, 0 before its first write,
 *   raised by one by every write transaction of the store and kept in the
 *   file's {@code PRAGMA user_version}. A write may expect a version: if the
 *   file moved on, it is refused with {@link VersionConflictException} (code
 *   10). The check runs when the write transaction begins, under the file's
 *   write lock, which no other writer (thread or process) can take before
 *   this one commits or rolls back: checking at begin is as strong as
 *   checking at commit, and refuses before any work is done.</li>
 *   <li><b>Open files</b>: at most {@link StoreOptions#maxOpen()}, the least
 *   recently used idle one closed first (see {@link HandleCache}). Each file
 *   has its own locks: writers of different files run in parallel and a
 *   reader never waits for the writer of another file.</li>
 * </ul>
 */
public final class Store implements AutoCloseable {
    /** {@code expectVersion} meaning "whatever the version". */
    public static final long ANY_VERSION = -1;
    /** The largest version; the next write after it makes version 1 (0 always means "never written"). */
    public static final long MAX_VERSION = 0xFFFF_FFFFL;
    /** The most names one {@link #list} page holds. */
    public static final int MAX_PAGE = 10_000;

    private final StoreOptions options;
    private final StoreFiles files;
    private final StoreKeys keys;
    private final StoreSchemas schemas;
    private final HandleCache cache;
    private final boolean syncDirectory;

    private Store(StoreFiles files, StoreOptions options, StoreKeys keys) {
        this.options = options;
        this.files = files;
        this.keys = keys;
        this.schemas = new StoreSchemas(files.dir(), options.fileOptions(), keys);
        this.cache = new HandleCache(options.maxOpen(), options.idleTimeout(), options.waitTimeout());
        this.syncDirectory = syncs(options);
    }

    private static boolean syncs(StoreOptions options) {
        return options.fileOptions().synchronous() != DatabaseOptions.Synchronous.OFF;
    }

    /** Opens the store in {@code dir} (created if missing) with {@link StoreOptions#defaults()}. */
    public static Store open(Path dir) {
        return open(dir, StoreOptions.defaults());
    }

    /**
     * Opens the store in {@code dir} (created if missing). With a master key
     * ({@link StoreOptions#withMasterKey}) the key is checked first and then
     * wiped: a wrong master key, a master key for a plaintext store or none
     * for an encrypted one is NOT_A_DATABASE (106), and nothing is written.
     */
    public static Store open(Path dir, StoreOptions options) {
        if (options == null) {
            throw new InvalidArgumentException("options are required");
        }
        StoreFiles files = new StoreFiles(StoreFiles.prepare(dir));
        StoreKeys keys = StoreUnlock.unlock(files, options.masterKey(), StoreSchemas.options(options.fileOptions()),
                options.fileOptions(), syncs(options));
        Store s = new Store(files, options, keys);
        try {
            s.schemas.current();              // an unreadable schema file fails the open, not a later write
            s.files.removeStaleCreations();
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    public Path directory() {
        return files.dir();
    }

    public StoreOptions options() {
        return options;
    }

    // --- schemas ------------------------------------------------------------------

    /**
     * Defines {@code def} for every file of the store (kept in the store's
     * schema file). The same definition again is a no-op; a different one
     * under an existing name is a {@link io.ancdb.SchemaMismatchException}.
     */
    public void define(RecordDefinition def) {
        schemas.define(def);
    }

    /** The store's schemas, in definition order. */
    public List<RecordDefinition> schemas() {
        return schemas.current().definitions();
    }

    /**
     * Defines {@code def} in database {@code name} only (created if missing,
     * with the store's schemas). Defining a schema does not raise the
     * file's version: versions count writes of data.
     */
    public void define(String name, RecordDefinition def) {
        StoreNames.requireValid(name);
        Handle h = cache.acquire(name);
        try {
            Definitions.of(writable(h, ANY_VERSION)).define(def);
        } finally {
            cache.release(h);
        }
    }

    // --- transactions -----------------------------------------------------------

    /**
     * Begins a read of database {@code name}: one committed snapshot and its
     * version. In WAL mode it never waits for a writer, not even this file's.
     *
     * @throws DatabaseNotFoundException when the store has no such file
     */
    public FileRead beginRead(String name) {
        return borrow(name, h -> {
            ReadTx tx = h.database(this::openFile, false)
                    .beginRead(IsolationLevel.READ_COMMITTED, options.fileOptions().busyTimeout());
            return closingOnFailure(tx, t -> new FileRead(this, h, t, t.userVersion()));
        });
    }

    /** Begins a write of database {@code name} (created if missing), whatever its version. */
    public FileWrite beginWrite(String name) {
        return beginWrite(name, ANY_VERSION);
    }

    /**
     * Begins a write of database {@code name} if it is at version
     * {@code expectVersion} ({@link #ANY_VERSION}: any). Expecting 0 means
     * "never written" and creates the file; expecting more of a missing file
     * is a conflict at version 0 and creates nothing.
     *
     * @throws VersionConflictException when the file is at another version
     */
    public FileWrite beginWrite(String name, long expectVersion) {
        if (expectVersion < ANY_VERSION || expectVersion > MAX_VERSION) {
            throw new InvalidArgumentException("expectVersion must be " + ANY_VERSION + " (any) or within 0 .. "
                    + MAX_VERSION + ", got " + expectVersion);
        }
        return borrow(name, h -> {
            WriteTx tx = writable(h, expectVersion).beginWrite(options.fileOptions().busyTimeout());
            return closingOnFailure(tx, t -> {
                long current = t.userVersion();
                if (expectVersion != ANY_VERSION && expectVersion != current) {
                    throw new VersionConflictException(name, expectVersion, current);
                }
                long next = current == MAX_VERSION ? 1 : current + 1;
                t.setUserVersion(next);
                return new FileWrite(this, h, t, next);
            });
        });
    }

    /** Runs {@code fn} in a read of database {@code name} and returns its result. */
    public <T> T read(String name, Function<FileRead, T> fn) {
        try (FileRead r = beginRead(name)) {
            return fn.apply(r);
        }
    }

    /** Runs {@code fn} in a write of {@code name} (any version), commits, and returns the new version. */
    public long write(String name, Consumer<FileWrite> fn) {
        return write(name, ANY_VERSION, fn);
    }

    /**
     * Runs {@code fn} in a write of {@code name} expecting {@code expectVersion},
     * commits when it returns (rolls back when it throws), and returns the new version.
     */
    public long write(String name, long expectVersion, Consumer<FileWrite> fn) {
        try (FileWrite w = beginWrite(name, expectVersion)) {
            fn.accept(w);
            return w.commit();
        }
    }

    // --- files ------------------------------------------------------------------

    /** True when the store holds database {@code name}. */
    public boolean exists(String name) {
        return files.exists(StoreNames.requireValid(name));
    }

    /**
     * One page of the store's database names in ASCII order: those matching
     * {@code glob} ({@code *} any run, {@code ?} one character; null: all)
     * and after {@code after} (null: from the first), at most {@code limit}.
     * One pass over the directory per page.
     */
    public ListPage list(String glob, String after, int limit) {
        return list(glob, after, limit, n -> true);
    }

    ListPage list(String glob, String after, int limit, Predicate<String> filter) {
        StoreNames.requireValidGlob(glob);
        if (after != null) {
            StoreNames.requireValid(after);
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw new InvalidArgumentException("limit must be within 1 .. " + MAX_PAGE + ", got " + limit);
        }
        List<String> names = files.names(glob, after, limit, filter);
        boolean more = names.size() > limit;
        List<String> page = more ? names.subList(0, limit) : names;
        return new ListPage(List.copyOf(page), more ? page.getLast() : null);
    }

    /** Size, version and schemas of database {@code name}; DatabaseNotFoundException when missing. */
    public FileStats stats(String name) {
        return read(name, r -> new FileStats(name, StoreFiles.size(files.file(name)), files.walSize(name),
                r.version(), r.tx().catalog().records().stream().map(DefinedRecord::name).toList()));
    }

    /**
     * Deletes database {@code name} and its side files; false when there was
     * none. Waits up to {@link StoreOptions#waitTimeout()} for this process's
     * transactions on the file to end, then fails with
     * {@link io.ancdb.TransactionConflictException}; no new one begins
     * meanwhile. (Other processes' use of the file is not seen: in a
     * deployment one process drops files.)
     */
    public boolean drop(String name) {
        StoreNames.requireValid(name);
        boolean[] existed = {false};
        cache.exclusively(name, h -> {
            if (h != null) {
                h.close();
            }
            existed[0] = files.delete(name, syncDirectory);
        });
        return existed[0];
    }

    /** Files open now (for monitoring and tests). */
    public int openFiles() {
        return cache.openCount();
    }

    /** True when database {@code name} is open in the handle cache now (tests). */
    boolean isOpen(String name) {
        return cache.isOpen(name);
    }

    /** Closes the files idle for the idle timeout now, instead of at the next background sweep. */
    public void closeIdle() {
        cache.closeIdle();
    }

    // --- cross-file scans --------------------------------------------------------------

    /**
     * Scans schema {@code schema} of every database in {@code names} over
     * {@code range} and merges the rows by the scanned index (ties by
     * database name; within one database its own order), up to the range's
     * limit in all. Files without the schema count as empty; a missing file
     * is a DatabaseNotFoundException. Close the scan (it holds every file
     * until its rows are consumed).
     */
    public MergedScan scan(List<String> names, String schema, KeyRange range) {
        names.forEach(StoreNames::requireValid);
        return MergedScan.open(this, names, schema, range, false);
    }

    /** {@link #scan(List, String, KeyRange)} over every database matching {@code glob}. */
    public MergedScan scan(String glob, String schema, KeyRange range) {
        return scan(glob, schema, range, n -> true);
    }

    MergedScan scan(String glob, String schema, KeyRange range, Predicate<String> filter) {
        StoreNames.requireValidGlob(glob);
        List<String> names = files.names(glob, null, options.maxOpen(), filter);
        if (names.size() > options.maxOpen()) {
            throw new AncDbException(ErrorCode.LIMIT_EXCEEDED, "the pattern matches more than the "
                    + options.maxOpen() + " files the store may hold open at once");
        }
        return MergedScan.open(this, names, schema, range, true);
    }

    /**
     * The raw key of encrypted database {@code name} with its salt, as
     * SQLCipher's key text {@code x'<64 hex digits of the key><32 of the
     * salt>'} (a {@code char[]} for you to wipe): it opens the file in any
     * SQLCipher 4 tool ({@code PRAGMA key = "x'...'"}) and nothing else of the
     * store. INVALID_COMMAND for a plaintext store; DatabaseNotFoundException
     * when the store has no such file.
     */
    public char[] rawKey(String name) {
        StoreNames.requireValid(name);
        if (!keys.encrypted()) {
            throw new InvalidArgumentException("the store is not encrypted");
        }
        byte[] salt = StoreFiles.head(files.file(name), StoreKeys.SALT_BYTES);
        if (salt == null) {
            throw new DatabaseNotFoundException(name);
        }
        if (salt.length < StoreKeys.SALT_BYTES || StoreKeys.plaintext(salt)) {
            throw StoreKeys.notADatabase("database " + StoreNames.quoted(name) + " is not an encrypted database");
        }
        return keys.rawKeyText(StoreNames.fileName(name), salt);
    }

    /** Closes every file, waiting up to the wait timeout for open transactions, and wipes the store's keys. */
    @Override
    public void close() {
        try {
            cache.close();
        } finally {
            keys.close();
        }
    }

    // --- internals ----------------------------------------------------------------------

    void release(Handle h) {
        cache.release(h);
    }

    /** Borrows the handle of {@code name} for the transaction {@code begin} starts; returns it if that fails. */
    private <T> T borrow(String name, Function<Handle, T> begin) {
        StoreNames.requireValid(name);
        Handle h = cache.acquire(name);
        try {
            return begin.apply(h);
        } catch (RuntimeException | Error e) {
            cache.release(h);
            throw e;
        }
    }

    /** {@code wrap(tx)}, closing (rolling back) {@code tx} when that fails. */
    private static <X extends ReadTx, T> T closingOnFailure(X tx, Function<X, T> wrap) {
        try {
            return wrap.apply(tx);
        } catch (RuntimeException | Error e) {
            tx.close();
            throw e;
        }
    }

    /** The open database of a borrowed handle, ready for writing: created if allowed, with the store's schemas. */
    private Database writable(Handle h, long expectVersion) {
        Database db;
        try {
            db = h.database(this::openFile, expectVersion <= 0);
        } catch (DatabaseNotFoundException e) {
            throw new VersionConflictException(h.name, expectVersion, 0);
        }
        StoreSchemas.Snapshot wanted = schemas.current();
        h.applySchemas(wanted.generation(), () -> {
            for (RecordDefinition def : wanted.definitions()) {
                if (db.catalog().record(def.name()) == null) {
                    Definitions.of(db).define(def);
                }
            }
        });
        return db;
    }

    private Database openFile(String name, boolean create) {
        Path file = files.file(name);
        if (!Files.exists(file)) {
            if (!create) {
                throw new DatabaseNotFoundException(name);
            }
            // made complete under another name first: a reader never finds the file without the store's schemas
            List<RecordDefinition> defs = schemas.current().definitions();
            // prepared with a rollback journal: closing it then leaves no WAL to checkpoint; the
            // first open under its name switches it to the store's journal mode
            DatabaseOptions prepare = options.fileOptions().withCreate(true)
                    .withJournalMode(DatabaseOptions.JournalMode.DELETE);
            files.create(name, tmp -> {
                // keyed with the name's key: the file keeps it under its name
                try (Database db = Database.open(tmp, keys.options(prepare, StoreNames.fileName(name)))) {
                    defs.forEach(Definitions.of(db)::define);
                }
            }, syncDirectory);
        }
        try {
            return Database.open(file, keys.options(options.fileOptions().withCreate(false), StoreNames.fileName(name)));
        } catch (AncDbException e) {
            if (e.errorCode() == ErrorCode.CANNOT_OPEN && !Files.exists(file)) {
                throw new DatabaseNotFoundException(name);      // dropped between the check and the open
            }
            throw e;
        }
    }
}
