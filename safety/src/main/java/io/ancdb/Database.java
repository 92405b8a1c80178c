package io.ancdb;

import io.ancdb.internal.NativeCursor;
import io.ancdb.internal.NativeDb;
import io.ancdb.record.RecordCodec;
import io.ancdb.schema.Catalog;
import io.ancdb.schema.DefinedRecord;
import io.ancdb.schema.IndexSpec;
import io.ancdb.typed.DefinitionJson;
import io.ancdb.typed.RecordDefinition;
import io.ancdb.schema.SchemaEntry;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An open ANC-DB file: a valid SQLite database read and written through
 * SQLite's B-tree layer.
 *
 * <p>Concurrency: a fair {@link ReentrantReadWriteLock} admits many read
 * transactions or one write transaction at a time (fair, so a steady stream
 * of readers cannot starve a writer). Read transactions run on a pool of
 * reader connections; the write transaction on the writer connection. Under
 * exclusive locking, which lets no second connection in, readers share the
 * writer connection one at a time. Transactions are confined to the thread
 * that began them.
 */
public final class Database implements AutoCloseable {
    private final Path path;
    private final DatabaseOptions options;
    private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock(true);
    private final ReentrantLock writerConnLock = new ReentrantLock(true);
    private final NativeDb writer;
    private final boolean shareWriter;
    private final BlockingQueue<NativeDb> idleReaders;
    // Under exclusive locking no other process can change the file and every
    // write of this one goes through the writer connection, so the native read
    // transaction a ReadTx used on the writer may stay open after it closes:
    // until the next write its snapshot is still the newest state, and the next
    // ReadTx reuses it without begin/commit calls into the engine.
    private final boolean lingerReads;
    private boolean lingering;            // guarded by writerConnLock
    private int lingeringCookie;          // guarded by writerConnLock
    private final List<NativeDb> allReaders = new ArrayList<>();
    private volatile Catalog catalog;
    private volatile boolean closed;
    private final io.ancdb.typed.Snowflake ids =
            new io.ancdb.typed.Snowflake(Integer.getInteger("ancdb.machine.id", 0));
    // An encrypted file's reader connections open with the raw key (no key
    // derivation), held in native memory only and wiped at close; NULL otherwise.
    private Arena keyArena;
    private MemorySegment readerKey = MemorySegment.NULL;

    private Database(Path path, DatabaseOptions options, NativeDb writer) {
        this.path = path;
        this.options = options;
        this.writer = writer;
        this.shareWriter = options.exclusiveLocking() || options.readOnly();
        this.lingerReads = options.exclusiveLocking();
        this.idleReaders = new ArrayBlockingQueue<>(options.maxReaders());
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
            MemorySegment k = keySegment(tmp, key);
            try {
                w = NativeDb.open(path.toString(), options.nativeFlags(false), options.cachePages(),
                        (int) options.busyTimeout().toMillis(), options.mmapSize(), options.vfs(), k);
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
                db.keyArena = Arena.ofShared();
                MemorySegment raw = db.keyArena.allocate(128);
                db.readerKey = raw.asSlice(0, w.exportKey(raw));
            }
            db.catalog = db.readTx(ReadTx::catalog);
        } catch (RuntimeException e) {
            db.wipeReaderKey();
            w.close();
            throw e;
        }
        return db;
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
        if (path == null) {
            throw new InvalidArgumentException("path is required");
        }
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment o = keySegment(tmp, oldKey);
            MemorySegment n = keySegment(tmp, newKey);
            try {
                NativeDb.rekey(path.toString(), null, o, n);
            } finally {
                o.fill((byte) 0);
                n.fill((byte) 0);
            }
        } finally {
            if (oldKey != null) {
                oldKey.close();
            }
            if (newKey != null) {
                newKey.close();
            }
        }
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
        if (rw.getReadHoldCount() > 0 || rw.isWriteLockedByCurrentThread()) {
            throw new MisuseException("close this thread's transactions before asking for the raw key");
        }
        rw.writeLock().lock();
        try (Arena tmp = Arena.ofConfined()) {
            if (closed) {
                throw new ClosedException("database is closed");
            }
            MemorySegment raw = tmp.allocate(128);
            try {
                int n = writer.exportKey(raw);
                char[] out = new char[n];
                for (int i = 0; i < n; i++) {
                    out[i] = (char) raw.get(ValueLayout.JAVA_BYTE, i);
                }
                return out;
            } finally {
                raw.fill((byte) 0);
            }
        } finally {
            rw.writeLock().unlock();
        }
    }

    /** The key text in native memory of {@code arena} (the caller wipes it), or an empty segment. */
    private static MemorySegment keySegment(Arena arena, DatabaseKey key) {
        if (key == null) {
            return MemorySegment.NULL;
        }
        byte[] text = key.text();
        MemorySegment k = arena.allocate(text.length);
        MemorySegment.copy(text, 0, k, ValueLayout.JAVA_BYTE, 0, text.length);
        return k;
    }

    private void wipeReaderKey() {
        if (keyArena != null) {
            readerKey.fill((byte) 0);
            readerKey = MemorySegment.NULL;
            keyArena.close();
            keyArena = null;
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
        if (rw.isWriteLockedByCurrentThread()) {
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
            case READ_COMMITTED -> rw.readLock();
            case SERIALIZABLE -> rw.writeLock();
            case READ_UNCOMMITTED -> null;
        };
        if (lock != null) {
            acquire(lock, timeout, "read");
        }
        NativeDb conn = null;
        try {
            conn = acquireReader();
            int cookie;
            if (conn == writer && lingering) {
                lingering = false;
                cookie = lingeringCookie;
            } else {
                cookie = conn.begin(false);
            }
            Catalog cat = catalogFor(conn, cookie);
            return new ReadTx(this, conn, cat, lock);
        } catch (RuntimeException | Error e) {
            if (conn != null) {
                releaseReader(conn);
            }
            if (lock != null) {
                lock.unlock();
            }
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
        checkOpen();
        if (options.readOnly()) {
            throw new AncDbException(ErrorCode.READ_ONLY, "database was opened read-only");
        }
        if (rw.isWriteLockedByCurrentThread()) {
            throw new MisuseException("this thread already has a write transaction open");
        }
        if (rw.getReadHoldCount() > 0) {
            throw new MisuseException("cannot begin a write transaction while this thread holds a read transaction");
        }
        acquire(rw.writeLock(), timeout, "write");
        writerConnLock.lock();
        try {
            endLingeringRead();
            int cookie = writer.begin(true);
            return new WriteTx(this, writer, catalogFor(writer, cookie));
        } catch (RuntimeException | Error e) {
            writerConnLock.unlock();
            rw.writeLock().unlock();
            throw e;
        }
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
     * rolls back when it throws (the exception propagates).
     */
    public <T> T writeTx(Function<WriteTx, T> fn) {
        try (WriteTx tx = beginWrite()) {
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
        c = loadCatalog(conn, cookie);
        catalog = c;
        return c;
    }

    static Catalog loadCatalog(NativeDb conn, int cookie) {
        List<SchemaEntry> entries = new ArrayList<>();
        try (NativeCursor cur = NativeCursor.open(conn, 1, false, 0)) {
            for (boolean ok = cur.first(); ok; ok = cur.next()) {
                Object[] v = decodeAt(cur, 5, "sqlite_schema", 1);
                if (v.length < 5) {
                    continue;
                }
                entries.add(new SchemaEntry(cur.rowid(), (String) v[0], (String) v[1], (String) v[2],
                        v[3] == null ? 0 : ((Long) v[3]).intValue(), (String) v[4]));
            }
        } catch (ClassCastException e) {
            throw new CorruptionException(11, "sqlite_schema holds a row of the wrong shape (page 1)", 1);
        }
        Catalog plain = Catalog.build(cookie, entries);
        io.ancdb.schema.TableInfo reg = plain.find(DefinedRecord.TABLE);
        if (reg == null) {
            return plain;
        }
        List<DefinedRecord> records = new ArrayList<>();
        Map<String, List<String[]>> tagIndexes = new HashMap<>();
        try (NativeCursor cur = NativeCursor.open(conn, reg.root(), false, 0)) {
            for (boolean ok = cur.first(); ok; ok = cur.next()) {
                Object[] v = decodeAt(cur, 3, DefinedRecord.TABLE, reg.root());
                if (v.length < 3 || !(v[1] instanceof String name) || !(v[2] instanceof String json)) {
                    throw new CorruptionException(11, "ancdb_schemas holds a row of the wrong shape"
                            + CorruptionException.rootedAt(reg.root()), reg.root());
                }
                records.add(new DefinedRecord(cur.rowid(), name, json));
                RecordDefinition def;
                try {
                    def = DefinitionJson.decode(json);
                } catch (CorruptionException e) {
                    throw e.locatedIn("row " + cur.rowid() + " of " + DefinedRecord.TABLE, reg.root());
                }
                for (IndexSpec is : def.toIndexSpecs()) {
                    if (def.isMultiValued(is.name())) {
                        tagIndexes.computeIfAbsent(def.name(), k -> new ArrayList<>())
                                .add(new String[] {is.name(), is.columns().get(0)});
                    }
                }
            }
        }
        return plain.withTagIndexes(tagIndexes, records);
    }

    private static Object[] decodeAt(NativeCursor cur, int maxFields, String table, int root) {
        try {
            return RecordCodec.decode(cur.payload(), maxFields);
        } catch (CorruptionException e) {
            throw e.locatedIn("row " + cur.rowid() + " of " + table, root);
        }
    }

    void publishCatalog(Catalog c) {
        catalog = c;
    }

    // --- record definitions -------------------------------------------------------------

    /**
     * Registers {@code def} (creating its table and indexes on first use) and
     * returns its records. The same definition again is a no-op; a different
     * one under the same name is a {@link SchemaMismatchException}.
     */
    public io.ancdb.typed.RecordTable define(RecordDefinition def) {
        long id = writeTx(tx -> tx.defineSchema(def));
        return new io.ancdb.typed.RecordTable(def, id, ids);
    }

    /** Registers the definition of Java record type {@code type} (see its annotations). */
    public <T extends Record> io.ancdb.typed.TypedTable<T> register(Class<T> type) {
        io.ancdb.typed.RecordMapper<T> mapper = io.ancdb.typed.RecordMapper.of(type);
        return new io.ancdb.typed.TypedTable<>(define(mapper.definition()), mapper);
    }

    /** The registered records named {@code name}, or a SchemaNotFoundException. */
    public io.ancdb.typed.RecordTable records(String name) {
        DefinedRecord r = catalog().record(name);
        if (r == null) {
            r = readTx(tx -> tx.catalog().record(name));   // another connection may have defined it
        }
        if (r == null) {
            throw new SchemaNotFoundException("no record schema named " + name);
        }
        return new io.ancdb.typed.RecordTable(DefinitionJson.decode(r.json()), r.id(), ids);
    }

    /** The registered records with numeric id {@code id}, or a SchemaNotFoundException. */
    public io.ancdb.typed.RecordTable records(long id) {
        DefinedRecord r = catalog().record(id);
        if (r == null) {
            r = readTx(tx -> tx.catalog().record(id));
        }
        if (r == null) {
            throw new SchemaNotFoundException("no record schema with id " + id);
        }
        return new io.ancdb.typed.RecordTable(DefinitionJson.decode(r.json()), r.id(), ids);
    }

    // --- connections ----------------------------------------------------------

    private NativeDb acquireReader() {
        if (shareWriter) {
            writerConnLock.lock();
            return writer;
        }
        NativeDb c = idleReaders.poll();
        if (c != null) {
            return c;
        }
        synchronized (allReaders) {
            if (allReaders.size() < options.maxReaders()) {
                c = NativeDb.open(path.toString(), options.nativeFlags(true), options.cachePages(),
                        (int) options.busyTimeout().toMillis(), options.mmapSize(), options.vfs(), readerKey);
                allReaders.add(c);
                return c;
            }
        }
        try {
            // Bounded: a thread nesting more read transactions than maxReaders would wait forever.
            NativeDb got = idleReaders.poll(Math.max(1, options.busyTimeout().toMillis()), TimeUnit.MILLISECONDS);
            if (got == null) {
                throw new TransactionConflictException("all " + options.maxReaders()
                        + " reader connections stayed busy for the busy timeout (raise maxReaders?)");
            }
            return got;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransactionConflictException("interrupted while waiting for a reader connection");
        }
    }

    void releaseReader(NativeDb conn) {
        if (conn == writer) {
            writerConnLock.unlock();
        } else {
            idleReaders.offer(conn);
        }
    }

    /** Ends a read transaction on {@code conn} (or leaves it open for the next reader, see lingerReads). */
    void endRead(NativeDb conn, java.util.concurrent.locks.Lock lock, int cookie) {
        try {
            if (conn == writer && lingerReads && !closed) {
                lingering = true;
                lingeringCookie = cookie;
            } else {
                conn.commit();
            }
        } finally {
            releaseRead(conn, lock);
        }
    }

    private void endLingeringRead() {
        if (lingering) {
            lingering = false;
            writer.commit();
        }
    }

    void releaseRead(NativeDb conn, java.util.concurrent.locks.Lock lock) {
        releaseReader(conn);
        if (lock != null) {
            lock.unlock();
        }
    }

    void endWrite() {
        writerConnLock.unlock();
        rw.writeLock().unlock();
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
        if (rw.getReadHoldCount() > 0) {
            throw new MisuseException("close the read transactions of this thread before closing the database");
        }
        closed = true;
        WriteTx own = WriteTx.openOnThisThread(this);
        if (own != null) {
            own.close();
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
            RuntimeException first = null;
            synchronized (allReaders) {
                for (NativeDb r : allReaders) {
                    try {
                        r.close();
                    } catch (RuntimeException e) {
                        first = first == null ? e : first;
                    }
                }
                allReaders.clear();
            }
            writer.close();
            wipeReaderKey();
            if (first != null) {
                throw first;
            }
        } finally {
            rw.writeLock().unlock();
        }
    }
}
