package io.ancdb;

import io.ancdb.internal.NativeDb;
import io.ancdb.schema.Catalog;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An open ANC-DB file: a valid SQLite database read and written through
 * SQLite's B-tree layer.
 *
 * <p>Concurrency: one write transaction at a time, on the writer connection;
 * read transactions on a pool of reader connections ({@link ReaderPool}),
 * each with its own snapshot. In WAL mode under normal locking (the
 * default) reads take no lock in this process: they run in parallel and
 * never wait for the writer. Otherwise a fair {@link ReentrantReadWriteLock}
 * admits many read transactions or one write transaction (fair, so a steady
 * stream of readers cannot starve a writer), because a rollback-journal
 * reader's file lock would stop the writer's commit. SERIALIZABLE reads take
 * the write side in every mode. Under exclusive locking, which lets no second
 * connection in, readers share the writer connection one at a time.
 * Transactions are confined to the thread that began them. {@link #writeTx}
 * calls from many threads share commits ({@link GroupCommit}) unless
 * {@link DatabaseOptions#withGroupCommit} turned that off.
 */
public final class Database implements AutoCloseable {
    private final Path path;
    private final DatabaseOptions options;
    private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock(true);
    private final ReentrantLock writerConnLock = new ReentrantLock(true);
    // The writer connection, lent to the first read and taken back by a write
    // (its locks: writerConnLock, then lendLock inside WriterLending).
    private final WriterLending lending;
    private final GroupCommit groupCommit;    // null: every writeTx commits alone
    // The thread whose writeTx function runs in a group's transaction now (see GroupCommit):
    // it holds the writer connection without holding its locks.
    private volatile Thread turnThread;
    private final LongAdder commits = new LongAdder();
    private final LongAdder committedWrites = new LongAdder();
    private final boolean shareWriter;
    // WAL under normal locking: a reader's snapshot needs no lock against this
    // process's writer, so READ_COMMITTED reads take none.
    private final boolean readsBesideWriter;
    private final ReaderPool readers;     // null when readers share the writer connection
    // Under exclusive locking no other process can change the file and every
    // write of this one goes through the writer connection, so the native read
    // transaction a ReadTx used on the writer may stay open after it closes:
    // until the next write its snapshot is still the newest state, and the next
    // ReadTx reuses it without begin/commit calls into the engine.
    private final boolean lingerReads;
    private boolean lingering;            // guarded by writerConnLock
    private int lingeringCookie;          // guarded by writerConnLock
    private volatile Catalog catalog;
    private volatile boolean closed;
    /** The open write transaction, if any: close() rolls back its own thread's. Guarded by the write lock. */
    private WriteTx openWrite;
    /** Layers built on this database, one instance each (see {@link #extension}). */
    private final Map<Class<?>, Object> extensions = new ConcurrentHashMap<>();
    private final ReentrantLock extensionLock = new ReentrantLock();   // guards making an extension
    // An encrypted file's reader connections open with the raw key (no key
    // derivation), held in native memory only and wiped at close; NULL otherwise.
    private final KeyMaterial readerKey = new KeyMaterial();

    private Database(Path path, DatabaseOptions options, NativeDb writer) {
        this.path = path;
        this.options = options;
        this.lending = new WriterLending(writer, writerConnLock, () -> closed);
        this.shareWriter = options.exclusiveLocking() || options.readOnly();
        this.lingerReads = options.exclusiveLocking();
        this.readsBesideWriter = options.journalMode() == DatabaseOptions.JournalMode.WAL && !shareWriter;
        this.readers = shareWriter ? null : new ReaderPool(this::openReader, lending, options.maxReaders(),
                options.busyTimeout(), readsBesideWriter);
        this.groupCommit = options.groupCommit() && !options.readOnly() ? new GroupCommit(this) : null;
    }

    /** Opens (creating if missing) {@code path} with default options. */
    public static Database open(Path path) {
        return open(path, DatabaseOptions.defaults());
    }

    /** Opens {@code path}. */
    public static Database open(Path path, DatabaseOptions options) {
        if (path == null || options == null) {
            throw new InvalidArgumentException("path and options are required");
        }
        DatabaseKey key = options.key();
        NativeDb w;
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment k = KeyMaterial.keySegment(tmp, key);
            try {
                w = NativeDb.open(path.toString(), options.nativeFlags(false) | NativeDb.OPEN_KEEP_READ,
                        options.cachePages(), (int) options.busyTimeout().toMillis(), options.mmapSize(),
                        options.vfs(), k);
            } finally {
                k.fill((byte) 0);
            }
        } finally {
            if (key != null) {
                key.close();                 // a key opens one file once: wiped now
            }
        }
        Database db = new Database(path, options, w);
        try {
            if (key != null && !db.shareWriter) {
                db.readerKey.exportFrom(w);
            }
            db.catalog = db.readCatalogAtOpen();
        } catch (RuntimeException e) {
            db.readerKey.wipe();
            try {
                w.close();                   // ends the open's read transaction too
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
        return db;
    }

    /**
     * The catalog, read on the writer connection in the read transaction its
     * open left running ({@link NativeDb#OPEN_KEEP_READ}): no reader connection
     * is opened and the file is not locked a second time. Under exclusive
     * locking the transaction then lingers for the next read (see lingerReads).
     * With reader connections it is held for the first read, which borrows the
     * writer connection (see WriterLending) and continues it if still current:
     * open, one read and close lock the file once. Held at most
     * {@link ReaderPool#IDLE_RELEASE} unused (a held rollback-journal
     * transaction keeps its SHARED lock, which stops other processes'
     * commits); otherwise it ends here.
     */
    private Catalog readCatalogAtOpen() {
        int cookie = writer().readBegin();
        Catalog c;
        try {
            c = CatalogLoader.load(writer(), cookie);
        } catch (RuntimeException | Error e) {
            try {
                writer().rollback();
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
        if (lingerReads) {
            lingering = true;
            lingeringCookie = cookie;
        } else if (readers == null) {
            writer().readEnd(false);
        } else if (writer().readHold()) {    // not held (a WAL log due a checkpoint): ended by readHold itself
            lending.holdOpenSnapshot();
        }
        return c;
    }

    /**
     * Gives the file {@code path} a new key, encrypts it ({@code oldKey} null) or
     * decrypts it ({@code newKey} null), in place and crash-safe: the content is
     * copied into {@code <path>-rekey} with the new key, which then replaces the
     * file by an atomic rename, so a crash at any point leaves a file that opens
     * with the old key or the new one, with every committed transaction. The
     * journal mode is kept. The file must not be open anywhere (close every
     * Database on it first). Both keys are wiped afterwards; a wrong old key is
     * NOT_A_DATABASE and changes nothing.
     */
    public static void rekey(Path path, DatabaseKey oldKey, DatabaseKey newKey) {
        KeyMaterial.rekey(path, oldKey, newKey);
    }

    /**
     * This encrypted file's raw key with its salt, as SQLCipher's key text
     * {@code x'<96 hex digits>'}: it opens the file in any SQLCipher 4 tool
     * ({@code PRAGMA key = "x'...'"}) and, as {@link DatabaseKey#passphrase(char[])},
     * here, without the 256,000-iteration key derivation. The array is the
     * caller's to wipe. Waits for open transactions of other threads (the
     * writer connection answers one thread at a time); INVALID_COMMAND for a
     * plaintext file.
     */
    public char[] rawKey() {
        if (options.key() == null) {
            throw new InvalidArgumentException("the database is not encrypted");
        }
        if (rw.getReadHoldCount() > 0 || writesOnThisThread()) {
            throw new MisuseException("close this thread's transactions before asking for the raw key");
        }
        rw.writeLock().lock();
        try (Arena tmp = Arena.ofConfined()) {
            if (closed) {
                throw new ClosedException("database is closed");
            }
            if (readerKey.exported()) {
                // Exported at open for the reader connections: no call on the writer connection, which
                // the first read may have borrowed or the releaser thread be using (one call at a time).
                return readerKey.chars();
            }
            MemorySegment raw = tmp.allocate(128);
            try {
                return KeyMaterial.keyChars(raw, writer().exportKey(raw));
            } finally {
                raw.fill((byte) 0);
            }
        } finally {
            rw.writeLock().unlock();
        }
    }

    /** Creates a new database file; fails if it exists. */
    public static Database create(Path path, DatabaseOptions options) {
        if (java.nio.file.Files.exists(path)) {
            throw new InvalidArgumentException("file already exists");
        }
        return open(path, options.withCreate(true));
    }

    public Path path() {
        return path;
    }

    public DatabaseOptions options() {
        return options;
    }

    /** The schema as of the last transaction that saw it. */
    public Catalog catalog() {
        return catalog;
    }

    public boolean isClosed() {
        return closed;
    }

    // --- transactions -----------------------------------------------------------

    /** Begins a read transaction on this thread (READ_COMMITTED). Close it (try-with-resources). */
    public ReadTx beginRead() {
        return beginRead(IsolationLevel.READ_COMMITTED);
    }

    /** Begins a read transaction with the given isolation (see {@link IsolationLevel}). */
    public ReadTx beginRead(IsolationLevel level) {
        return beginRead(level, null);
    }

    /**
     * As {@link #beginRead(IsolationLevel)}, waiting at most {@code timeout} for
     * this process's writer (null: no limit); then {@link TransactionConflictException}.
     */
    public ReadTx beginRead(IsolationLevel level, java.time.Duration timeout) {
        checkOpen();
        if (writesOnThisThread()) {
            throw new MisuseException("this thread has a write transaction open: read through it");
        }
        if (level == IsolationLevel.READ_UNCOMMITTED
                && (options.journalMode() != DatabaseOptions.JournalMode.WAL || shareWriter)) {
            throw new InvalidArgumentException("READ_UNCOMMITTED needs WAL mode without exclusive locking");
        }
        if (level == IsolationLevel.SERIALIZABLE && rw.getReadHoldCount() > 0) {
            throw new MisuseException("cannot begin a SERIALIZABLE read while this thread holds a read transaction");
        }
        java.util.concurrent.locks.Lock lock = switch (level) {
            case READ_COMMITTED -> readsBesideWriter ? null : rw.readLock();
            case SERIALIZABLE -> rw.writeLock();
            case READ_UNCOMMITTED -> null;
        };
        if (lock != null) {
            acquire(lock, timeout, "read");
        }
        try {
            return readers == null ? beginReadOnWriter(lock) : beginReadOnReader(lock);
        } catch (RuntimeException | Error e) {
            if (lock != null) {
                lock.unlock();
            }
            throw e;
        }
    }

    private ReadTx beginReadOnReader(java.util.concurrent.locks.Lock lock) {
        ReaderPool.Lease lease = readers.begin();
        try {
            return new ReadTx(this, lease.conn, lease, catalogFor(lease.conn, lease.cookie), lock);
        } catch (RuntimeException | Error e) {
            readers.end(lease, false);
            throw e;
        }
    }

    private ReadTx beginReadOnWriter(java.util.concurrent.locks.Lock lock) {
        writerConnLock.lock();
        try {
            int cookie;
            if (lingering) {
                lingering = false;
                cookie = lingeringCookie;
            } else {
                cookie = writer().begin(false);
            }
            return new ReadTx(this, writer(), null, catalogFor(writer(), cookie), lock);
        } catch (RuntimeException | Error e) {
            writerConnLock.unlock();
            throw e;
        }
    }

    /** Begins the write transaction on this thread. Commit or close it. */
    public WriteTx beginWrite() {
        return beginWrite(null);
    }

    /**
     * As {@link #beginWrite()}, waiting at most {@code timeout} for other
     * transactions of this process (null: no limit); then
     * {@link TransactionConflictException}.
     */
    public WriteTx beginWrite(java.time.Duration timeout) {
        checkCanWrite();
        int cookie = lockWriter(timeout);
        try {
            openWrite = new WriteTx(this, writer(), catalogFor(writer(), cookie));
            return openWrite;
        } catch (RuntimeException | Error e) {
            abandonWriter(e);
            throw e;
        }
    }

    /** Why this thread may not begin a write transaction now, thrown; nothing if it may. */
    private void checkCanWrite() {
        checkOpen();
        if (options.readOnly()) {
            throw new AncDbException(ErrorCode.READ_ONLY, "database was opened read-only");
        }
        if (writesOnThisThread()) {
            throw new MisuseException("this thread already has a write transaction open");
        }
        if (rw.getReadHoldCount() > 0) {
            throw new MisuseException("cannot begin a write transaction while this thread holds a read transaction");
        }
    }

    /**
     * Takes the write side of this process's lock and the writer connection
     * and begins the native write transaction; returns its schema cookie.
     */
    private int lockWriter(java.time.Duration timeout) {
        acquire(rw.writeLock(), timeout, "write");
        writerConnLock.lock();
        try {
            checkOpen();                  // closed while this thread waited
            claimWriter();                // ends a lingering or held read, takes the writer back if lent
            return writer().begin(true);
        } catch (RuntimeException | Error e) {
            unlockWriter();
            throw e;
        }
    }

    private void unlockWriter() {
        writerConnLock.unlock();
        rw.writeLock().unlock();
    }

    /** Rolls back the write transaction {@link #lockWriter} began, after {@code cause}, and lets the writer go. */
    private void abandonWriter(Throwable cause) {
        try {
            writer().rollback();
        } catch (RuntimeException again) {
            cause.addSuppressed(again);
        } finally {
            unlockWriter();
        }
    }

    /** Whether this thread has a write transaction open, or runs a turn of a group's. */
    private boolean writesOnThisThread() {
        return rw.isWriteLockedByCurrentThread() || turnThread == Thread.currentThread();
    }

    /** Runs {@code fn} in a read transaction and returns its result. */
    public <T> T readTx(Function<ReadTx, T> fn) {
        return readTx(IsolationLevel.READ_COMMITTED, fn);
    }

    /** Runs {@code fn} in a read transaction of the given isolation and returns its result. */
    public <T> T readTx(IsolationLevel level, Function<ReadTx, T> fn) {
        try (ReadTx tx = beginRead(level)) {
            return fn.apply(tx);
        }
    }

    /**
     * Runs {@code fn} in a write transaction: commits when it returns normally,
     * rolls back when it throws (the exception propagates). Returns once the
     * commit is durable.
     *
     * <p>With group commit (the default, {@link DatabaseOptions#withGroupCommit})
     * calls from many threads that arrive together share one commit and one
     * sync: each runs on its own thread, one after another, in a savepoint of
     * the shared transaction, so it stays atomic and isolated, and one that
     * throws takes back its own writes only. A failed shared commit fails
     * every call of the group (none of their writes is kept), with
     * {@link ErrorCode#TRANSACTION_ABORTED} when another call's writes could
     * not be undone and the whole group was rolled back. Inside {@code fn},
     * {@code tx.commit()} ends the call's part (durable when writeTx returns)
     * and {@code tx.rollback()} takes it back. Explicit transactions
     * ({@link #beginWrite()}) wait for the running group and commit alone.
     */
    public <T> T writeTx(Function<WriteTx, T> fn) {
        return writeTx(null, fn);
    }

    /**
     * As {@link #writeTx(Function)}, waiting at most {@code timeout} (null: no
     * limit) for the writes ahead of it; then {@link TransactionConflictException}.
     */
    public <T> T writeTx(java.time.Duration timeout, Function<WriteTx, T> fn) {
        if (groupCommit != null) {
            checkCanWrite();
            return groupCommit.run(fn, timeout);
        }
        try (WriteTx tx = beginWrite(timeout)) {
            T result = fn.apply(tx);
            if (tx.isOpen()) {
                tx.commit();
            }
            return result;
        }
    }

    /** {@link #writeTx} for code without a result. */
    public void runWrite(Consumer<WriteTx> fn) {
        writeTx(tx -> {
            fn.accept(tx);
            return null;
        });
    }

    /**
     * Commits of write transactions so far and the write transactions they
     * made durable (each {@code writeTx} call or {@code beginWrite}
     * transaction that committed): more transactions than commits is group
     * commit at work.
     */
    public CommitStats commitStats() {
        return new CommitStats(commits.sum(), committedWrites.sum());
    }

    /** {@link #readTx} for code without a result. */
    public void runRead(Consumer<ReadTx> fn) {
        readTx(tx -> {
            fn.accept(tx);
            return null;
        });
    }

    /** SQLite's B-tree integrity check over every table and index: "" when the file is sound. */
    public String integrityCheck() {
        return readTx(tx -> tx.integrityCheck());
    }

    /** Catalog for a transaction that saw schema cookie {@code cookie}. */
    private Catalog catalogFor(NativeDb conn, int cookie) {
        Catalog c = catalog;
        if (c != null && c.cookie() == cookie) {
            return c;
        }
        c = CatalogLoader.load(conn, cookie);
        catalog = c;
        return c;
    }

    void publishCatalog(Catalog c) {
        catalog = c;
    }

    // --- layers built on this database ---------------------------------------------------

    /**
     * The one instance of {@code type} for this database, made by
     * {@code create} on first use: how a layer above the core (the typed
     * layer's {@code Definitions}: record definitions and key generation)
     * keeps one owner per open database without the core knowing it.
     */
    public <T> T extension(Class<T> type, Function<Database, ? extends T> create) {
        Object e = extensions.get(type);
        if (e == null) {
            // Not computeIfAbsent: a layer's constructor may ask for another extension (the
            // protocol's Schemas takes the typed layer's Definitions), and a map must not be
            // updated from inside its own compute (ConcurrentHashMap throws "Recursive update"
            // when the two keys share a bin). A reentrant lock lets the nested call through.
            extensionLock.lock();
            try {
                e = extensions.get(type);
                if (e == null) {
                    e = create.apply(this);
                    extensions.put(type, e);
                }
            } finally {
                extensionLock.unlock();
            }
        }
        return type.cast(e);
    }

    // --- connections ----------------------------------------------------------

    private NativeDb openReader() {
        return NativeDb.open(path.toString(), options.nativeFlags(true), options.cachePages(),
                (int) options.busyTimeout().toMillis(), options.mmapSize(), options.vfs(), readerKey.segment());
    }

    /**
     * Ends a read transaction: a pooled reader's goes back to the pool (its
     * snapshot possibly kept, see {@link ReaderPool}); on the shared writer
     * connection it stays open for the next reader under exclusive locking
     * (see lingerReads), else it ends.
     */
    void endRead(NativeDb conn, ReaderPool.Lease lease, java.util.concurrent.locks.Lock lock, int cookie) {
        try {
            if (lease != null) {
                readers.end(lease, !closed);
            } else if (lingerReads && !closed) {
                lingering = true;
                lingeringCookie = cookie;
            } else {
                conn.commit();
            }
        } finally {
            if (lease == null) {
                writerConnLock.unlock();
            }
            if (lock != null) {
                lock.unlock();
            }
        }
    }

    /**
     * Makes the writer connection ready for a write transaction (writerConnLock
     * held): ends a lingering read on it, and when the first read borrowed it
     * and still runs, gives the write another connection (an idle reader or a
     * new one). The borrowed one stays with its read and then joins the reader
     * pool: a read never holds up a write, and a write begun by the thread of
     * that read gets a connection of its own, never the read's transaction.
     */
    private void claimWriter() {
        if (lingering) {
            lingering = false;
            writer().commit();
        }
        lending.claim(readers);
    }

    /** Whether the open's read transaction is still held for the first read (diagnostics for tests). */
    boolean holdsOpenSnapshot() {
        return lending.holdsOpenSnapshot();
    }

    /** Read transactions that reused a kept snapshot (diagnostics for tests). */
    long reusedSnapshots() {
        return readers == null ? 0 : readers.reusedSnapshots();
    }

    /** Reader connections open now, besides the writer (diagnostics for tests). */
    int readerConnections() {
        return readers == null ? 0 : readers.connections();
    }

    /** Idle reader connections holding a kept snapshot now (diagnostics for tests). */
    int keptSnapshots() {
        return readers == null ? 0 : readers.keptSnapshots();
    }

    void endWrite(WriteTx tx) {
        if (openWrite == tx) {
            openWrite = null;
        }
        unlockWriter();
    }

    /** A write transaction's commit made {@code writes} writes durable. */
    void countCommit(int writes) {
        commits.increment();
        committedWrites.add(writes);
    }

    // --- group commit (see GroupCommit) ------------------------------------------------

    NativeDb writer() {
        return lending.writer();
    }

    /** Begins a group's shared write transaction on this (the leader's) thread; its catalog. */
    Catalog beginGroup(java.time.Duration timeout) {
        int cookie = lockWriter(timeout);
        try {
            return catalogFor(writer(), cookie);
        } catch (RuntimeException | Error e) {
            abandonWriter(e);
            throw e;
        }
    }

    /**
     * Ends a group's transaction on the leader's thread: commits it (then
     * {@code writes} writes are durable and {@code catalog} is the schema) or
     * rolls it back, and lets the writer go. Returns the commit's failure (the
     * transaction is then rolled back) or the rollback's, else null.
     */
    RuntimeException endGroup(boolean commit, int writes, Catalog catalog) {
        try {
            if (commit) {
                writer().commit();
                countCommit(writes);
                publishCatalog(catalog);
            } else {
                writer().rollback();
            }
            return null;
        } catch (RuntimeException failed) {
            if (commit) {
                try {
                    writer().rollback();
                } catch (RuntimeException again) {
                    failed.addSuppressed(again);
                }
            }
            return failed;
        } finally {
            unlockWriter();
        }
    }

    void turnBegins() {
        turnThread = Thread.currentThread();
    }

    void turnEnds() {
        turnThread = null;
    }

    /**
     * Calls of {@link #writeTx} queued for group commit now, waiting for a
     * turn in the running group or to lead the next one (diagnostics: tests
     * use it to form a group of known members without timing).
     */
    public int queuedWrites() {
        return groupCommit == null ? 0 : groupCommit.queued();
    }

    private static void acquire(java.util.concurrent.locks.Lock lock, java.time.Duration timeout, String what) {
        if (timeout == null) {
            lock.lock();
            return;
        }
        try {
            if (!lock.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new TransactionConflictException("another transaction held the database for "
                        + timeout.toMillis() + " ms; the " + what + " transaction was not started");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransactionConflictException("interrupted while waiting to begin a " + what + " transaction");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new ClosedException("database is closed");
        }
    }

    /**
     * Closes the database: waits (up to 30 s) for transactions of other
     * threads to end, then closes every connection. Idempotent. A write
     * transaction of this thread that is still open is rolled back first.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (turnThread == Thread.currentThread()) {
            throw new MisuseException("cannot close the database inside a writeTx function");
        }
        if (rw.getReadHoldCount() > 0 || (readers != null && readers.heldBy(Thread.currentThread()))) {
            throw new MisuseException("close the read transactions of this thread before closing the database");
        }
        closed = true;
        if (rw.isWriteLockedByCurrentThread() && openWrite != null) {
            openWrite.close();          // this thread's own write transaction: roll it back
        }
        boolean locked;
        try {
            locked = rw.writeLock().tryLock(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            locked = false;
        }
        if (!locked) {
            closed = false;          // still usable; close() may be called again
            throw new MisuseException("cannot close: transactions are still open in other threads");
        }
        try {
            // readers beside the writer hold no lock: wait for their connections to come back
            if (readers != null && !readers.close(Duration.ofSeconds(30))) {
                closed = false;
                throw new MisuseException("cannot close: read transactions are still open in other threads");
            }
            writerConnLock.lock();           // a release of the held snapshot may be running
            try {
                writer().close();
            } finally {
                writerConnLock.unlock();
            }
            readerKey.wipe();
        } finally {
            rw.writeLock().unlock();
        }
    }
}
