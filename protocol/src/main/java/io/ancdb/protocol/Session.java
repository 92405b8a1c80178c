package io.ancdb.protocol;

import io.ancdb.AncDbException;
import io.ancdb.KeyRange;
import io.ancdb.MisuseException;
import io.ancdb.ReadTx;
import io.ancdb.WriteTx;
import io.ancdb.typed.FieldDef;
import io.ancdb.typed.FieldType;
import io.ancdb.typed.RecordCursor;
import io.ancdb.typed.Inserted;
import io.ancdb.typed.RecordDefinition;
import io.ancdb.typed.RecordTable;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageSizeException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One client's conversation with the database: a connection of the TCP or
 * stdio transport, or the in-process default session of
 * {@link CommandDispatcher#handle(byte[])}. It owns a reused decoder and
 * encoder, its authentication state and its transaction.
 *
 * <p><b>Transactions.</b> BeginTx opens the write transaction and keeps it in
 * the session until CommitTx or RollbackTx; meanwhile every command of the
 * session runs inside it (reads included), and each write command is atomic
 * within it (a savepoint: a failed command leaves no trace, the transaction
 * stays open). Without BeginTx each write command is a transaction of its own
 * and each read runs in a read transaction (non-blocking in WAL mode).
 * Waiting for the database lock is bounded by {@link Limits#lockTimeout()}
 * (then status 5). {@link #close()} rolls back an open transaction.
 *
 * <p><b>Threads.</b> Requests are handled one at a time (concurrent calls
 * wait for each other). The database confines a transaction to the thread
 * that began it, so while a transaction is open the session must be driven by
 * that thread: a request from another thread is answered with status 1 and
 * the transaction is left alone, and {@link #close()} can roll it back only on
 * that thread (from another thread the transaction stays open until the
 * owning thread calls {@link #handle} or {@link #close()} again). The
 * transports drive each session from one thread.
 *
 * <p><b>Authentication.</b> When the dispatcher has a token, the first
 * request must be Auth with that token; anything else (including a malformed
 * request) is answered with status 6 and {@link #closeRequested()} turns
 * true. A wrong token, at any time, does the same.
 *
 * <p>{@code handle} never throws: every failure is an error response.
 */
public final class Session implements AutoCloseable {
    private static final String SAVEPOINT = "ancdb_protocol_command";
    /** A request larger than this is not kept reachable after its response. */
    private static final int RELEASE_AFTER = 64 * 1024;
    private static final byte[] K_ID = Response.str("id");
    private static final byte[] K_NAME = Response.str("name");
    private static final byte[] K_FIELDS = Response.str("fields");
    private static final byte[] K_COMPOSITE = Response.str("composite_indexes");
    private static final byte[] K_TYPE = Response.str("type");
    private static final byte[] K_PRIMARY_KEY = Response.str("primary_key");
    private static final byte[] K_INDEXED = Response.str("indexed");
    private static final byte[] K_COMPRESSED = Response.str("compressed");

    private final CommandDispatcher d;
    private final Request req;
    private final Response res = new Response();
    private final ReentrantLock lock = new ReentrantLock();
    private boolean authenticated;
    private volatile boolean closeRequested;
    private volatile boolean closed;
    private WriteTx tx;
    private Thread txOwner;
    private long rowsAffected;
    private long rowsTouched;
    private byte[] directCopy;

    Session(CommandDispatcher d) {
        this.d = d;
        this.req = new Request(d.limits, d.schemas);
        this.authenticated = d.tokenHash == null;
    }

    /** Handles one request (the bytes of one MessagePack value); returns the response bytes. */
    public byte[] handle(byte[] request) {
        if (request == null) {
            return run(null, 0, -1, null);
        }
        return run(request, 0, request.length, null);
    }

    /** Handles the request in {@code length} bytes of {@code request} from {@code offset}. */
    public byte[] handle(byte[] request, int offset, int length) {
        if (request == null || offset < 0 || length < 0 || offset > request.length - length) {
            return run(null, 0, -1, null);
        }
        return run(request, offset, length, null);
    }

    /**
     * Handles the request in the remaining bytes of {@code request} (which are
     * consumed: its position moves to its limit); returns a buffer over the
     * response.
     */
    public ByteBuffer handle(ByteBuffer request) {
        if (request == null) {
            return ByteBuffer.wrap(run(null, 0, -1, null));
        }
        byte[] out;
        if (request.hasArray()) {
            out = run(request.array(), request.arrayOffset() + request.position(), request.remaining(), null);
        } else {
            out = run(null, 0, request.remaining(), request);
        }
        request.position(request.limit());
        return ByteBuffer.wrap(out);
    }

    /**
     * True once the session refused to go on (authentication failed, or the
     * dispatcher closed): the transport sends the response it has and closes
     * the connection.
     */
    public boolean closeRequested() {
        return closeRequested;
    }

    /** True while a BeginTx is neither committed nor rolled back. */
    public boolean inTransaction() {
        return tx != null;
    }

    /**
     * Ends the session: rolls back its open transaction (on the thread that
     * began it; see the class comment). Idempotent.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            if (tx != null && Thread.currentThread() == txOwner) {
                rollbackQuietly();
            }
            releaseQuietly();
        } finally {
            lock.unlock();
        }
    }

    private void releaseQuietly() {
        try {
            req.release();
        } catch (IOException | RuntimeException ignored) {
            // nothing to release
        }
    }

    // --- one request ------------------------------------------------------------------------

    private byte[] run(byte[] b, int off, int len, ByteBuffer direct) {
        lock.lock();
        long t0 = System.nanoTime();
        try {
            d.requests.increment();
            rowsAffected = 0;
            rowsTouched = 0;
            try {
                if (closed) {
                    if (tx != null && Thread.currentThread() == txOwner) {
                        rollbackQuietly();
                    }
                    throw new WireError(closeRequested ? Status.UNAUTHORIZED : Status.INVALID_COMMAND,
                            "the session is closed");
                }
                if (closeRequested && !d.closed) {
                    throw new WireError(Status.UNAUTHORIZED, "unauthorized: the session was refused; reconnect");
                }
                if (d.closed) {
                    closeRequested = true;
                    if (tx != null && Thread.currentThread() == txOwner) {
                        rollbackQuietly();
                    }
                    throw new WireError(Status.MISUSE, "the server is shutting down");
                }
                if (len < 0) {
                    throw WireError.invalid("no request");
                }
                if (len > d.limits.maxMessageBytes()) {
                    throw WireError.limit("request of " + len + " bytes exceeds the limit of "
                            + d.limits.maxMessageBytes());
                }
                if (direct != null) {
                    req.parse(copy(direct), 0, len);
                } else {
                    req.parse(b, off, len);
                }
                byte[] out = execute(t0);
                d.rows.add(rowsTouched);
                return out;
            } catch (Throwable e) {
                if (e instanceof VirtualMachineError && !(e instanceof OutOfMemoryError)
                        && !(e instanceof StackOverflowError)) {
                    throw (VirtualMachineError) e;
                }
                int status = statusOf(e);
                String message = messageOf(e, status);
                if (status == Status.INTERNAL && !(e instanceof AncDbException) && !(e instanceof WireError)) {
                    logBug(e);   // the client learns only that it happened; the details stay on the server
                }
                if (!authenticated) {
                    closeRequested = true;
                    status = Status.UNAUTHORIZED;
                    if (!(e instanceof WireError w && w.status == Status.UNAUTHORIZED)) {
                        message = "unauthorized: the first request must be Auth (cmd 0x30) with the token";
                    }
                }
                d.errors.increment();
                return res.error(status, Messages.sanitize(message), micros(t0));
            } finally {
                if (len > RELEASE_AFTER) {
                    releaseQuietly();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The bytes of a direct buffer, in a reused array (msgpack-core cannot wrap a direct buffer on this JDK
     * without reflective access to JDK internals).
     */
    private byte[] copy(ByteBuffer direct) {
        int n = direct.remaining();
        if (directCopy == null || directCopy.length < n || (directCopy.length > (1 << 20) && n <= (1 << 16))) {
            directCopy = new byte[Math.max(n, 1024)];
        }
        direct.get(direct.position(), directCopy, 0, n);
        return directCopy;
    }

    private byte[] execute(long t0) throws IOException {
        if (!authenticated && req.cmd != Command.AUTH) {
            closeRequested = true;
            throw new WireError(Status.UNAUTHORIZED,
                    "unauthorized: the first request must be Auth (cmd 0x30) with the token");
        }
        if (!req.hasCmd) {
            throw WireError.invalid("the request has no cmd");
        }
        if (tx != null && !tx.isOpen()) {
            dropTx();
        }
        int cmd = req.cmd < 0 || req.cmd > 0xff ? -1 : (int) req.cmd;
        if (tx != null && Thread.currentThread() != txOwner && cmd != Command.STATS && cmd != Command.AUTH) {
            throw WireError.invalid("this session's transaction was begun on another thread; a session with an"
                    + " open transaction must be used from the thread that began it");
        }
        res.begin();
        switch (cmd) {
            case Command.DIRECT_READ -> directRead();
            case Command.RANGE_SCAN -> rangeScan();
            case Command.ATOMIC_WRITE -> atomicWrite();
            case Command.BATCH_WRITE -> batchWrite();
            case Command.ATOMIC_UPDATE -> atomicUpdate();
            case Command.DELETE -> delete();
            case Command.BEGIN_TX -> beginTx();
            case Command.COMMIT_TX -> commitTx();
            case Command.ROLLBACK_TX -> rollbackTx();
            case Command.DEFINE_SCHEMA -> defineSchema();
            case Command.LIST_SCHEMAS -> listSchemas();
            case Command.STATS -> stats();
            case Command.AUTH -> auth();
            default -> throw WireError.invalid("unknown command " + (req.cmd >= 0 && req.cmd <= 0xffff
                    ? String.format("0x%02x", req.cmd) : Long.toString(req.cmd)));
        }
        return res.finish(rowsAffected, micros(t0));
    }

    // --- commands ---------------------------------------------------------------------------

    private void directRead() throws IOException {
        requireKey("DirectRead");
        ReadTx t = beginRead();
        try {
            Schemas.Entry e = schema(t, "DirectRead");
            checkKey(e, req.key);
            Map<String, Object> rec = e.table.get(t, req.key);
            if (rec == null) {
                throw new WireError(Status.KEY_NOT_FOUND, "no " + e.name() + " record with key " + describeKey(e, req.key));
            }
            res.record(e, rec);
            rowsTouched = 1;
        } finally {
            endRead(t);
        }
    }

    private void rangeScan() throws IOException {
        ReadTx t = beginRead();
        try {
            Schemas.Entry e = schema(t, "RangeScan");
            KeyRange range = WireRange.of(req, e, t);
            long max = d.limits.maxMessageBytes();
            int at = res.beginArray();
            int n = 0;
            try (RecordCursor<Map<String, Object>> c = e.table.scan(t, range)) {
                while (c.hasNext()) {
                    res.record(e, c.next());
                    n++;
                    if (res.size() > max) {
                        throw WireError.limit("the response would exceed " + max
                                + " bytes: narrow the range or give a smaller limit (" + n + " records so far)");
                    }
                }
            }
            res.endArray(at, n);
            rowsTouched = n;
        } finally {
            endRead(t);
        }
    }

    private void atomicWrite() throws IOException {
        if (req.record == null) {
            throw WireError.invalid("AtomicWrite needs record: a map of field name to value");
        }
        WriteTx w = beginWrite();
        Schemas.Entry e;
        Inserted<Object> done;
        try {
            e = schema(w, "AtomicWrite");
            checkUnsigned(e, req.record);
            done = e.table.insert(w, req.record, req.onConflict);
            commitWrite(w);
        } catch (Throwable x) {
            abortWrite(w);
            throw x;
        }
        res.fieldValue(e.pk(), done.key());
        rowsAffected = done.written() ? 1 : 0;
        rowsTouched = rowsAffected;
    }

    private void batchWrite() throws IOException {
        List<Map<String, Object>> records = req.records;
        if (records == null) {
            throw WireError.invalid("BatchWrite needs records: an array of maps");
        }
        if (records.size() > d.limits.maxBatch()) {
            throw WireError.limit("a batch of " + records.size() + " records exceeds the limit of "
                    + d.limits.maxBatch());
        }
        WriteTx w = beginWrite();
        Schemas.Entry e;
        List<Inserted<Object>> done;
        try {
            e = schema(w, "BatchWrite");
            for (Map<String, Object> r : records) {
                checkUnsigned(e, r);
            }
            done = e.table.insertBatch(w, records, req.onConflict);
            commitWrite(w);
        } catch (Throwable x) {
            abortWrite(w);
            throw x;
        }
        MessagePacker p = res.packer();
        p.packArrayHeader(done.size());
        int written = 0;
        for (Inserted<Object> r : done) {
            res.fieldValue(e.pk(), r.key());
            written += r.written() ? 1 : 0;
        }
        rowsAffected = written;
        rowsTouched = rowsAffected;
    }

    private void atomicUpdate() throws IOException {
        requireKey("AtomicUpdate");
        if (req.delta == null) {
            throw WireError.invalid("AtomicUpdate needs delta: a map of field name to new value");
        }
        WriteTx w = beginWrite();
        Schemas.Entry e;
        Map<String, Object> rec;
        try {
            e = schema(w, "AtomicUpdate");
            checkKey(e, req.key);
            checkUnsigned(e, req.delta);
            rec = e.table.update(w, req.key, req.delta);
            commitWrite(w);
        } catch (Throwable x) {
            abortWrite(w);
            throw x;
        }
        res.record(e, rec);
        rowsAffected = 1;
        rowsTouched = 1;
    }

    private void delete() throws IOException {
        requireKey("Delete");
        WriteTx w = beginWrite();
        boolean deleted;
        try {
            Schemas.Entry e = schema(w, "Delete");
            checkKey(e, req.key);
            deleted = e.table.delete(w, req.key);
            commitWrite(w);
        } catch (Throwable x) {
            abortWrite(w);
            throw x;
        }
        res.packer().packInt(deleted ? 1 : 0);
        rowsAffected = deleted ? 1 : 0;
        rowsTouched = rowsAffected;
    }

    private void beginTx() throws IOException {
        if (tx != null) {
            throw WireError.invalid("a transaction is already open in this session: CommitTx or RollbackTx first");
        }
        tx = beginWriteTx();
        txOwner = Thread.currentThread();
        d.openTransactions.incrementAndGet();
        res.packer().packNil();
    }

    private void commitTx() throws IOException {
        if (tx == null) {
            throw WireError.invalid("CommitTx: no transaction is open (BeginTx first)");
        }
        try {
            tx.commit();
        } finally {
            if (!tx.isOpen()) {
                dropTx();
            }
        }
        res.packer().packNil();
    }

    private void rollbackTx() throws IOException {
        if (tx == null) {
            throw WireError.invalid("RollbackTx: no transaction is open (BeginTx first)");
        }
        try {
            tx.rollback();
        } finally {
            dropTx();
        }
        res.packer().packNil();
    }

    private void defineSchema() throws IOException {
        if (!(req.schema instanceof String name)) {
            throw WireError.invalid("DefineSchema needs schema: the name of the schema (a string)");
        }
        RecordDefinition def = definition(name);
        Schemas.Entry known = d.schemas.cached(name);
        if (known != null && known.def.equals(def)) {
            res.packer().packLong(known.id());
            return;
        }
        WriteTx w = beginWrite();
        long id;
        try {
            id = d.schemas.definitions().define(w, def).id();
            commitWrite(w);
        } catch (Throwable x) {
            abortWrite(w);
            throw x;
        }
        if (w != tx) {
            d.schemas.committed(id);
        }
        res.packer().packLong(id);
    }

    private void listSchemas() throws IOException {
        ReadTx t = beginRead();
        try {
            List<RecordTable> all = d.schemas.definitions().all(t);
            MessagePacker p = res.packer();
            p.packArrayHeader(all.size());
            for (RecordTable r : all) {
                RecordDefinition def = r.definition();
                p.packMapHeader(4);
                res.key(K_ID);
                p.packLong(r.id());
                res.key(K_NAME);
                p.packString(def.name());
                res.key(K_FIELDS);
                p.packArrayHeader(def.fields().size());
                for (FieldDef f : def.fields()) {
                    p.packMapHeader(5);
                    res.key(K_NAME);
                    p.packString(f.name());
                    res.key(K_TYPE);
                    p.packString(f.type().wireName());
                    res.key(K_PRIMARY_KEY);
                    p.packBoolean(f.primaryKey());
                    res.key(K_INDEXED);
                    p.packBoolean(f.indexed());
                    res.key(K_COMPRESSED);
                    p.packBoolean(f.compressed());
                }
                res.key(K_COMPOSITE);
                p.packArrayHeader(def.compositeIndexes().size());
                for (List<String> ci : def.compositeIndexes()) {
                    p.packArrayHeader(ci.size());
                    for (String s : ci) {
                        p.packString(s);
                    }
                }
            }
        } finally {
            endRead(t);
        }
    }

    private void stats() throws IOException {
        int schemas = tx != null && Thread.currentThread() == txOwner
                ? tx.catalog().records().size() : d.db.catalog().records().size();
        Stats s = d.stats(schemas);
        MessagePacker p = res.packer();
        p.packMapHeader(6);
        p.packString("requests");
        p.packLong(s.requests());
        p.packString("errors");
        p.packLong(s.errors());
        p.packString("rows");
        p.packLong(s.rows());
        p.packString("open_transactions");
        p.packLong(s.openTransactions());
        p.packString("file_size");
        p.packLong(s.fileSize());
        p.packString("schemas");
        p.packLong(s.schemas());
    }

    private void auth() throws IOException {
        if (d.tokenHash != null) {
            byte[] given = req.token;
            if (given == null || !MessageDigest.isEqual(CommandDispatcher.sha256(given), d.tokenHash)) {
                closeRequested = true;
                authenticated = false;
                throw new WireError(Status.UNAUTHORIZED, "unauthorized: wrong token");
            }
        }
        authenticated = true;
        res.packer().packNil();
    }

    // --- transactions -------------------------------------------------------------------------

    private ReadTx beginRead() {
        if (tx != null) {
            return tx;
        }
        try {
            return d.db.beginRead(d.readLevel, d.limits.lockTimeout());
        } catch (MisuseException e) {
            throw busyOnThisThread();
        }
    }

    private void endRead(ReadTx t) {
        if (t != tx) {
            t.close();
        }
    }

    /** The session's transaction inside a savepoint, or a new auto-commit transaction. */
    private WriteTx beginWrite() {
        if (tx != null) {
            tx.savepoint(SAVEPOINT);
            return tx;
        }
        return beginWriteTx();
    }

    private WriteTx beginWriteTx() {
        try {
            return d.db.beginWrite(d.limits.lockTimeout());
        } catch (MisuseException e) {
            throw busyOnThisThread();
        }
    }

    private void commitWrite(WriteTx w) {
        if (w == tx) {
            w.release(SAVEPOINT);
        } else {
            w.commit();
        }
    }

    private void abortWrite(WriteTx w) {
        try {
            if (w == tx) {
                if (w.isOpen()) {
                    w.rollbackTo(SAVEPOINT);
                    w.release(SAVEPOINT);
                }
            } else {
                w.close();
            }
        } catch (RuntimeException ignored) {
            // the original failure is the one to report
        }
    }

    private void rollbackQuietly() {
        try {
            if (tx.isOpen()) {
                tx.rollback();
            }
        } catch (RuntimeException ignored) {
            // the transaction ends anyway
        } finally {
            dropTx();
        }
    }

    private void dropTx() {
        tx = null;
        txOwner = null;
        d.openTransactions.decrementAndGet();
    }

    /** Another session driven by this same thread holds a transaction: waiting here would never end. */
    private static WireError busyOnThisThread() {
        return new WireError(Status.TRANSACTION_CONFLICT, "another session on this thread holds a transaction"
                + " of this database: it must end before this request can run");
    }

    // --- helpers --------------------------------------------------------------------------------

    private Schemas.Entry schema(ReadTx t, String command) {
        if (req.schema == null) {
            throw WireError.invalid(command + " needs schema: a schema name or numeric id");
        }
        return req.entry != null ? req.entry : d.schemas.resolve(req.schema, t);
    }

    private void requireKey(String command) {
        if (!req.hasKey) {
            throw WireError.invalid(command + " needs key: the record's primary key");
        }
    }

    /** A u64 value on the wire is a non-negative integer (the typed API's Long "unsigned bits" are not). */
    private static void checkUnsigned(Schemas.Entry e, Map<String, Object> record) {
        if (record == null) {
            return;
        }
        for (Map.Entry<String, Object> f : record.entrySet()) {
            if (f.getValue() instanceof Long l && l < 0) {
                FieldDef def = e.field(f.getKey());
                if (def != null && def.type() == FieldType.U64) {
                    throw WireError.invalid("field " + def.name() + " (u64): negative value " + l);
                }
            }
        }
    }

    private static void checkKey(Schemas.Entry e, Object key) {
        if (key instanceof Long l && l < 0 && e.pk().type() == FieldType.U64) {
            throw WireError.invalid("key of " + e.name() + " (u64): negative value " + l);
        }
    }

    private RecordDefinition definition(String name) {
        if (!(req.fields instanceof List<?> list) || list.isEmpty()) {
            throw WireError.invalid("DefineSchema needs fields: [{name, type, primary_key?, indexed?, compressed?}]");
        }
        List<FieldDef> fields = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                throw WireError.invalid("fields[" + i + "] must be a map {name, type, primary_key?, indexed?, compressed?}");
            }
            if (!(m.get("name") instanceof String fname)) {
                throw WireError.invalid("fields[" + i + "].name must be a string");
            }
            if (!(m.get("type") instanceof String type)) {
                throw WireError.invalid("fields[" + i + "].type must be one of u64, i64, f64, bool, str, bytes,"
                        + " f32vec, i8vec, strlist");
            }
            fields.add(new FieldDef(fname, FieldType.fromWireName(type), flag(m, "primary_key", i),
                    flag(m, "indexed", i), flag(m, "compressed", i)));
        }
        List<List<String>> composite = new ArrayList<>();
        if (req.compositeIndexes != null) {
            if (!(req.compositeIndexes instanceof List<?> cis)) {
                throw WireError.invalid("composite_indexes must be an array of arrays of field names");
            }
            for (Object ci : cis) {
                if (!(ci instanceof List<?> names)) {
                    throw WireError.invalid("composite_indexes must be an array of arrays of field names");
                }
                List<String> l = new ArrayList<>(names.size());
                for (Object n : names) {
                    if (!(n instanceof String s)) {
                        throw WireError.invalid("composite_indexes must be an array of arrays of field names");
                    }
                    l.add(s);
                }
                composite.add(l);
            }
        }
        return new RecordDefinition(name, fields, composite);
    }

    private static boolean flag(Map<?, ?> m, String key, int i) {
        Object v = m.get(key);
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Long l && (l == 0 || l == 1)) {
            return l == 1;
        }
        throw WireError.invalid("fields[" + i + "]." + key + " must be a boolean");
    }

    private static String describeKey(Schemas.Entry e, Object key) {
        if (key instanceof Long l && e.pk().type() == FieldType.U64) {
            return Long.toUnsignedString(l);
        }
        if (key instanceof String s) {
            return "\"" + Messages.clip(s) + "\"";
        }
        if (key instanceof byte[] b) {
            return "<" + b.length + " bytes>";
        }
        return Messages.clip(String.valueOf(key));
    }

    private static long micros(long t0) {
        return (System.nanoTime() - t0) / 1000;
    }

    static int statusOf(Throwable e) {
        if (e instanceof WireError w) {
            return w.status;
        }
        if (e instanceof AncDbException a) {
            return a.code();
        }
        if (e instanceof MessageSizeException) {
            return Status.LIMIT_EXCEEDED;
        }
        if (e instanceof MessagePackException || e instanceof IOException) {
            return Status.INVALID_COMMAND;
        }
        if (e instanceof OutOfMemoryError) {
            return Status.OUT_OF_MEMORY;
        }
        return Status.INTERNAL;
    }

    static String messageOf(Throwable e, int status) {
        if (e instanceof WireError || e instanceof AncDbException) {
            return e.getMessage();
        }
        if (e instanceof MessageInsufficientBufferException) {
            return "truncated request: the message ends inside a value";
        }
        if (e instanceof MessageSizeException) {
            return "a length in the request exceeds 2^31 - 1";
        }
        if (e instanceof MessagePackException || e instanceof IOException) {
            return "malformed MessagePack: " + e.getMessage();
        }
        if (e instanceof OutOfMemoryError) {
            return "out of memory";
        }
        return "internal error (a bug: the server's standard error has the details)";
    }

    /** An unexpected throwable (a bug) on stderr, with the top of its stack, since the response omits it. */
    private static void logBug(Throwable e) {
        StringBuilder sb = new StringBuilder("internal error handling a request: ").append(e);
        StackTraceElement[] st = e.getStackTrace();
        for (int i = 0; i < Math.min(8, st.length); i++) {
            sb.append("\n    at ").append(st[i]);
        }
        Transport.log(sb.toString());
    }
}
