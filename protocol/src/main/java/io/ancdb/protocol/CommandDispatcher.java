package io.ancdb.protocol;

import io.ancdb.Database;
import io.ancdb.store.Store;
import io.ancdb.store.TokenFile;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Runs MessagePack requests against a {@link Database}, or against the
 * files of a {@link Store} named by each request's {@code db}: the
 * in-process API and the engine under the stdio and TCP transports. It hands each decoded
 * {@link Request} to its handler ({@link #dispatch}): reads, writes,
 * schemas, transactions, admin.
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
    private final Databases databases;
    private final Limits limits;
    private final Authenticator authenticator;
    private final Counters counters = new Counters();
    private final Transactions transactions;
    private final ReadCommands reads;
    private final WriteCommands writes;
    private final SchemaCommands schemaCommands;
    private final AdminCommands admin;
    private final StoreCommands storeCommands;
    private final Session defaultSession;
    private volatile boolean closed;

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
        this(db == null ? null : new OneFile(db), limits, new Authenticator(authToken));
    }

    /**
     * A dispatcher over the files of {@code store}: every command on data
     * names its file ({@code db}). Locks are waited for as the store's file
     * options say (their busy timeout).
     *
     * @param store      the open store (not closed by {@link #close()})
     * @param limits     request bounds
     * @param adminToken a token that authenticates an administrator (read-write), or null
     * @param tokens     the store's token file (parties and administrators), or null
     */
    public CommandDispatcher(Store store, Limits limits, String adminToken, TokenFile tokens) {
        this(store == null ? null : new StoreDatabases(store), limits, new Authenticator(adminToken, tokens));
    }

    private CommandDispatcher(Databases databases, Limits limits, Authenticator authenticator) {
        if (databases == null || limits == null) {
            throw new NullPointerException("the database (or store) and limits are required");
        }
        this.authenticator = authenticator;
        this.limits = limits;
        this.databases = databases;
        this.transactions = new Transactions(limits.lockTimeout(), databases);
        this.reads = new ReadCommands(transactions, limits);
        this.writes = new WriteCommands(transactions);
        this.schemaCommands = new SchemaCommands(transactions, databases);
        this.admin = new AdminCommands(counters, authenticator, databases);
        this.storeCommands = databases instanceof StoreDatabases s ? new StoreCommands(s, limits) : null;
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

    /** serve --db's database; null for a store. */
    public Database database() {
        Target t = databases.fixedTarget();
        return t == null ? null : t.database();
    }

    /** The counters (the Stats command returns the same). */
    public Stats stats() {
        return admin.snapshot(null);
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

    // --- for sessions ---------------------------------------------------------------------------

    boolean isClosed() {
        return closed;
    }

    Counters counters() {
        return counters;
    }

    Authenticator authenticator() {
        return authenticator;
    }

    /** Where requests find their database. */
    Databases databases() {
        return databases;
    }

    /**
     * Runs {@code request} for {@code session}, writing its data into the
     * session's response. The request's database is known here only for
     * serve --db (and inside a transaction); a store file's is learnt as the
     * command's transaction begins on the file its {@code db} names.
     */
    /**
     * True for the commands that run in a session's open transaction (on its
     * file, answering its version); the others are about the server, the
     * store or the session, or end the transaction without a version
     * (RollbackTx).
     */
    private static boolean runsInTransaction(Request request) {
        return !(request instanceof Request.GetStats || request instanceof Request.Auth
                || request instanceof Request.Hello || request instanceof Request.ListDatabases
                || request instanceof Request.DatabaseStats || request instanceof Request.DropDatabase
                || request instanceof Request.RollbackTx);
    }

    void dispatch(Request request, SessionState session) throws IOException {
        databases.admit(request);
        session.request = request;
        if (session.transaction.isOpen() && runsInTransaction(request)) {
            session.on(session.transaction.target(), session.transaction.version());
        } else {
            session.on(databases.fixedTarget(), Begun.NO_VERSION);
        }
        if (request instanceof Request.RangeScan r && r.acrossFiles()) {
            storeCommands.scan(r, session);
            return;
        }
        switch (request) {
            case Request.DirectRead r -> reads.directRead(r, session);
            case Request.RangeScan r -> reads.rangeScan(r, session);
            case Request.AtomicWrite r -> writes.atomicWrite(r, session);
            case Request.BatchWrite r -> writes.batchWrite(r, session);
            case Request.AtomicUpdate r -> writes.atomicUpdate(r, session);
            case Request.Delete r -> writes.delete(r, session);
            case Request.BeginTx _ -> transactions.beginTx(session);
            case Request.CommitTx _ -> transactions.commitTx(session);
            case Request.RollbackTx _ -> transactions.rollbackTx(session);
            case Request.DefineSchema r -> schemaCommands.defineSchema(r, session);
            case Request.ListSchemas _ -> schemaCommands.listSchemas(session);
            case Request.GetStats _ -> admin.stats(session);
            case Request.ListDatabases r -> storeCommands.listDatabases(r, session);
            case Request.DatabaseStats r -> storeCommands.databaseStats(r, session);
            case Request.DropDatabase r -> storeCommands.dropDatabase(r, session);
            case Request.Auth r -> admin.auth(r, session);
            case Request.Hello r -> admin.hello(r, session);
        }
    }
}
