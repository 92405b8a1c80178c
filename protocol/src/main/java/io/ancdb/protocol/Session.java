package io.ancdb.protocol;

import io.ancdb.store.VersionConflictException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One client's conversation with the database: a connection of the TCP or
 * stdio transport, or the in-process default session of
 * {@link CommandDispatcher#handle(byte[])}. It keeps the connection's state
 * ({@link SessionState}: whom it acts for, its transaction) and its reused
 * decoder and encoder; each request is decoded, checked against that state
 * and handed to the dispatcher.
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
 * request must be Auth with that token (a Hello, which touches no data, may
 * come before it); anything else (including a malformed request) is answered
 * with status 6 and {@link #closeRequested()} turns true. A wrong token, at
 * any time, does the same.
 *
 * <p>{@code handle} never throws: every failure is an error response.
 */
public final class Session implements AutoCloseable {
    /** A request larger than this is not kept reachable after its response. */
    private static final int RELEASE_AFTER = 64 * 1024;
    private static final String AUTH_FIRST = "unauthorized: the first request must be Auth (cmd 0x30) with the token";

    private final CommandDispatcher dispatcher;
    private final Counters counters;
    private final int maxMessageBytes;
    private final RequestDecoder decoder;
    private final SessionState state;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean closed;
    private byte[] directCopy;

    Session(CommandDispatcher dispatcher) {
        this.dispatcher = dispatcher;
        this.counters = dispatcher.counters();
        this.maxMessageBytes = dispatcher.limits().maxMessageBytes();
        this.decoder = new RequestDecoder(dispatcher.limits(), dispatcher.databases().decodingSchemas());
        this.state = new SessionState(dispatcher.authenticator().initial(), counters);
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
        return state.closeRequested;
    }

    /** True once the session may run every command: it authenticated, or the server has no token. */
    boolean authenticated() {
        return state.principal != Principal.NOBODY && !state.closeRequested;
    }

    /**
     * True while a BeginTx is neither committed nor rolled back, including a
     * transaction the server aborted that the client has not ended yet.
     */
    public boolean inTransaction() {
        return state.transaction.isOpen() || state.transaction.isAborted();
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
            state.transaction.rollbackIfOwned();
            releaseQuietly();
        } finally {
            lock.unlock();
        }
    }

    private void releaseQuietly() {
        try {
            decoder.release();
        } catch (IOException | RuntimeException ignored) {
            // nothing to release
        }
    }

    // --- one request ------------------------------------------------------------------------

    private byte[] run(byte[] bytes, int offset, int length, ByteBuffer direct) {
        lock.lock();
        long started = System.nanoTime();
        try {
            counters.request();
            state.startRequest();
            try {
                refuseWhenEnded();
                if (length < 0) {
                    throw WireError.invalid("no request");
                }
                if (length > maxMessageBytes) {
                    throw WireError.limit("request of " + length + " bytes exceeds the limit of " + maxMessageBytes);
                }
                Request request = direct != null ? decoder.decode(copy(direct), 0, length)
                        : decoder.decode(bytes, offset, length);
                if (!state.principal.mayRun(request)) {
                    state.closeRequested = true;
                    throw new WireError(Status.UNAUTHORIZED, AUTH_FIRST);
                }
                state.transaction.admit(request);
                state.response.begin();
                dispatcher.dispatch(request, state);
                byte[] out = state.response.finish(state.rowsAffected, micros(started), state.version);
                counters.rows(state.rowsTouched);
                return out;
            } catch (Throwable e) {
                return failed(e, started);
            } finally {
                if (length > RELEASE_AFTER) {
                    releaseQuietly();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Refuses every request once the session is closed, refused, or its dispatcher closed. */
    private void refuseWhenEnded() {
        if (closed) {
            state.transaction.rollbackIfOwned();
            throw new WireError(state.closeRequested ? Status.UNAUTHORIZED : Status.INVALID_COMMAND,
                    "the session is closed");
        }
        if (state.closeRequested && !dispatcher.isClosed()) {
            throw new WireError(Status.UNAUTHORIZED, "unauthorized: the session was refused; reconnect");
        }
        if (dispatcher.isClosed()) {
            state.closeRequested = true;
            state.transaction.rollbackIfOwned();
            throw new WireError(Status.MISUSE, "the server is shutting down");
        }
    }

    /** The error response for {@code e}; before authentication every failure is status 6 and ends the session. */
    private byte[] failed(Throwable e, long started) {
        if (e instanceof VirtualMachineError vm && !(e instanceof OutOfMemoryError)
                && !(e instanceof StackOverflowError)) {
            throw vm;
        }
        int status = ErrorMapping.statusOf(e);
        String message = ErrorMapping.messageOf(e);
        ErrorMapping.logIfBug(e);     // the client learns only that it happened; the details stay on the server
        if (state.principal == Principal.NOBODY) {
            state.closeRequested = true;
            if (!(e instanceof WireError w && w.status == Status.UNAUTHORIZED)) {
                message = AUTH_FIRST;
            }
            status = Status.UNAUTHORIZED;
        }
        counters.error();
        long current = e instanceof VersionConflictException v ? v.currentVersion() : -1;
        return state.response.error(status, message, micros(started), current);
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

    private static long micros(long started) {
        return (System.nanoTime() - started) / 1000;
    }
}
