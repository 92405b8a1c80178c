package io.ancdb.protocol;

import io.ancdb.Database;
import io.ancdb.DatabaseOptions;
import io.ancdb.IsolationLevel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs MessagePack requests against a {@link Database}: the in-process API
 * and the engine under the stdio and TCP transports.
 *
 * <p>Each connection gets a {@link Session} ({@link #openSession()}), which
 * holds its transaction and its authentication state. {@link #handle(byte[])}
 * runs a request in the dispatcher's own default session, for in-process
 * use: like every session it handles one request at a time and, while a
 * BeginTx transaction is open, must be driven by the thread that began it
 * (other threads get status 1). Use one session per thread when threads
 * need their own transactions.
 *
 * <p>Requests, responses, status codes and commands are described in
 * {@link Request}, {@link Response}, {@link Status} and {@link Command}.
 * Reads outside a transaction use READ_UNCOMMITTED (non-blocking) when the
 * database is in WAL mode without exclusive locking, else READ_COMMITTED.
 */
public final class CommandDispatcher implements AutoCloseable {
    final Database db;
    final Limits limits;
    final byte[] tokenHash;
    final Schemas schemas;
    final IsolationLevel readLevel;
    final LongAdder requests = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder rows = new LongAdder();
    final AtomicInteger openTransactions = new AtomicInteger();
    volatile boolean closed;
    private final Session defaultSession;

    /** A dispatcher with default limits and no authentication. */
    public CommandDispatcher(Database db) {
        this(db, Limits.defaults(), null);
    }

    /**
     * @param db        the open database (not closed by {@link #close()})
     * @param limits    request bounds and the lock wait
     * @param authToken the token every session must present first (Auth), or null for none
     */
    public CommandDispatcher(Database db, Limits limits, String authToken) {
        if (db == null || limits == null) {
            throw new NullPointerException("db and limits are required");
        }
        if (authToken != null && authToken.isEmpty()) {
            throw new IllegalArgumentException("the auth token must not be empty (null: no authentication)");
        }
        this.db = db;
        this.limits = limits;
        this.tokenHash = authToken == null ? null : sha256(authToken.getBytes(StandardCharsets.UTF_8));
        this.schemas = new Schemas(db);
        DatabaseOptions o = db.options();
        this.readLevel = o.journalMode() == DatabaseOptions.JournalMode.WAL && !o.exclusiveLocking() && !o.readOnly()
                ? IsolationLevel.READ_UNCOMMITTED : IsolationLevel.READ_COMMITTED;
        this.defaultSession = new Session(this);
    }

    /** A new session (one per connection). Close it when the connection ends. */
    public Session openSession() {
        return new Session(this);
    }

    /** Runs one request in the default session; never throws. */
    public byte[] handle(byte[] request) {
        return defaultSession.handle(request);
    }

    /** Runs the request in the remaining bytes of {@code request} (consumed) in the default session. */
    public ByteBuffer handle(ByteBuffer request) {
        return defaultSession.handle(request);
    }

    public Limits limits() {
        return limits;
    }

    public Database database() {
        return db;
    }

    /** The counters (the Stats command returns the same). */
    public Stats stats() {
        return stats(db.catalog().records().size());
    }

    Stats stats(int schemaCount) {
        long size;
        try {
            size = Files.size(db.path());
        } catch (IOException | RuntimeException e) {
            size = 0;
        }
        return new Stats(requests.sum(), errors.sum(), rows.sum(), openTransactions.get(), size, schemaCount);
    }

    /**
     * Stops taking requests (every session then answers status 108 and asks
     * to be closed) and closes the default session, rolling back its
     * transaction when called on the thread that began it. Sessions of the
     * transports are closed by the transports. The database stays open.
     */
    @Override
    public void close() {
        closed = true;
        defaultSession.close();
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
