package io.ancdb.protocol;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The TCP transport: one virtual thread and one {@link Session} per
 * connection, requests answered in order.
 *
 * <p>Each connection reads requests with a {@link MessageReader} over a
 * buffered stream and writes responses to a buffered stream, flushed
 * whenever no more input is already buffered (so pipelined requests are
 * answered in one write). A {@link ProtocolException} (a stream that cannot
 * be resynchronised: a length past the limits, nesting too deep, bytes that
 * are no MessagePack, EOF inside a message) gets one error response, then
 * the connection is closed. When the session asks to close (an
 * unauthenticated request on a server with a token) the connection is closed
 * after the response. Whenever the connection ends the session is closed on
 * the connection's own thread, which rolls back its open transaction.
 *
 * <p>{@link #stop()} stops accepting, closes every connection and waits (up
 * to {@link #STOP_WAIT}) for their threads to close their sessions. The
 * caller then closes the dispatcher and the database.
 */
public final class TcpServer {
    /** How long {@link #stop()} waits for connection threads. */
    static final Duration STOP_WAIT = Duration.ofSeconds(10);
    private static final int BUFFER = 64 * 1024;
    /** After an error response: how long to drain the client's unread input before closing. */
    private static final int LINGER_MS = 250;
    /**
     * With a token: bytes a connection may send before it has authenticated
     * (Auth is tiny), and how long it has to send its first request (the idle
     * timeout instead, when that is shorter). Bounds
     * the memory and the connection slot an unauthenticated client can hold.
     */
    static final int FIRST_REQUEST_BYTES = 64 * 1024;
    static final Duration FIRST_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final CommandDispatcher dispatcher;
    private final Limits limits;
    private final InetSocketAddress bindAddress;
    private final int maxConnections;
    private final int idleTimeoutMs;
    private final boolean authRequired;
    private final int firstRequestMs;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();
    private volatile ServerSocket listener;
    private volatile boolean stopping;

    /**
     * @param maxConnections connections served at once; one more is answered LimitExceeded and closed
     * @param idleTimeout    a connection idle (or stalled mid-message) this long is closed; ZERO = never
     * @param authRequired   the dispatcher has a token: what a connection sends until it has
     *                       authenticated (an Auth, perhaps after a Hello) must be small
     *                       ({@link #FIRST_REQUEST_BYTES}) and sent within {@link #FIRST_REQUEST_TIMEOUT}
     *                       (or the idle timeout, when shorter)
     */
    public TcpServer(CommandDispatcher dispatcher, Limits limits, String host, int port,
                     int maxConnections, Duration idleTimeout, boolean authRequired) throws IOException {
        if (port < 0 || port > 65535 || maxConnections < 1 || idleTimeout.isNegative()) {
            throw new IllegalArgumentException("port 0..65535, maxConnections >= 1, idleTimeout >= 0");
        }
        this.dispatcher = dispatcher;
        this.limits = limits;
        this.bindAddress = new InetSocketAddress(InetAddress.getByName(host), port);
        this.maxConnections = maxConnections;
        this.idleTimeoutMs = (int) Math.min(Integer.MAX_VALUE, idleTimeout.toMillis());
        this.authRequired = authRequired;
        Duration first = idleTimeout.isZero() || idleTimeout.compareTo(FIRST_REQUEST_TIMEOUT) > 0
                ? FIRST_REQUEST_TIMEOUT : idleTimeout;
        this.firstRequestMs = (int) first.toMillis();
    }

    /** Binds the listening socket; returns the bound address (its port when 0 was asked). */
    public InetSocketAddress bind() throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(bindAddress, 128);
        listener = s;
        return (InetSocketAddress) s.getLocalSocketAddress();
    }

    /** Accepts connections until {@link #stop()}; returns then. */
    public void acceptLoop() {
        ServerSocket s = listener;
        if (s == null) {
            throw new IllegalStateException("bind() first");
        }
        while (!stopping) {
            Socket sock;
            try {
                sock = s.accept();
            } catch (IOException e) {
                if (stopping || s.isClosed()) {
                    break;
                }
                Transport.log("accept failed: " + e.getMessage());
                continue;
            }
            Connection c = new Connection(ids.incrementAndGet(), sock);
            if (connections.size() >= maxConnections) {
                Thread.ofVirtual().name("ancdb-refuse-" + c.id).start(c::refuse);
                continue;
            }
            connections.add(c);
            if (stopping) {   // raced with stop(): it may have missed this one
                connections.remove(c);
                Transport.closeQuietly(sock);
                break;
            }
            c.thread = Thread.ofVirtual().name("ancdb-conn-" + c.id).start(c::run);
        }
    }

    /** Connections being served now. */
    public int connectionCount() {
        return connections.size();
    }

    /**
     * Stops accepting, closes every connection and waits for their threads
     * (which roll back open transactions). Idempotent.
     *
     * @return true if every connection thread ended within {@link #STOP_WAIT}
     */
    public boolean stop() {
        stopping = true;
        ServerSocket s = listener;
        if (s != null) {
            Transport.closeQuietly(s);
        }
        for (Connection c : connections) {
            c.abort();
        }
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        for (Connection c : connections) {
            Thread t = c.thread;
            long left = deadline - System.nanoTime();
            if (t != null && left > 0) {
                try {
                    t.join(Duration.ofNanos(left));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return connections.isEmpty();
    }

    private final class Connection {
        final long id;
        final Socket sock;
        final String remote;
        volatile Thread thread;

        Connection(long id, Socket sock) {
            this.id = id;
            this.sock = sock;
            this.remote = String.valueOf(sock.getRemoteSocketAddress());
        }

        void abort() {
            Transport.closeQuietly(sock);
        }

        void refuse() {
            Transport.log("conn " + id + " from " + remote + " refused: " + maxConnections + " connections open");
            try {
                sock.setSoTimeout(LINGER_MS);
                OutputStream out = sock.getOutputStream();
                out.write(ErrorMapping.response(WireError.limit("too many connections")));
                out.flush();
                Transport.lingeringClose(sock, LINGER_MS);
            } catch (IOException e) {
                Transport.closeQuietly(sock);
            }
        }

        void run() {
            long requests = 0;
            String reason = "client closed the connection";
            boolean linger = false;
            Session session = null;
            Transport.log("conn " + id + " open from " + remote);
            try {
                sock.setTcpNoDelay(true);
                sock.setSoTimeout(idleTimeoutMs);
                session = dispatcher.openSession();
                InputStream raw = sock.getInputStream();
                Transport.FirstRequestGuard guard = null;
                if (authRequired) {
                    guard = new Transport.FirstRequestGuard(sock, raw, FIRST_REQUEST_BYTES,
                            firstRequestMs, idleTimeoutMs);
                    raw = guard;
                }
                InputStream in = new BufferedInputStream(raw, BUFFER);
                OutputStream out = new BufferedOutputStream(sock.getOutputStream(), BUFFER);
                MessageReader reader = new MessageReader(in, limits);
                while (true) {
                    byte[] request;
                    try {
                        request = reader.next();
                    } catch (ProtocolException e) {
                        out.write(ErrorMapping.response(e));
                        out.flush();
                        reason = "protocol error: " + e.getMessage();
                        linger = true;
                        break;
                    }
                    if (request == null) {
                        break;
                    }
                    requests++;
                    out.write(session.handle(request));
                    if (guard != null && session.authenticated()) {
                        guard.disarm();   // authenticated (a Hello before Auth is not): full limits from here on
                        guard = null;
                    }
                    if (session.closeRequested()) {
                        out.flush();
                        reason = "closed by the server after a refused request";
                        linger = true;
                        break;
                    }
                    if (!reader.hasBufferedInput() && in.available() == 0) {
                        out.flush();   // nothing pipelined behind this request: send what we have
                    }
                }
            } catch (SocketTimeoutException e) {
                reason = Transport.FirstRequestGuard.LATE.equals(e.getMessage()) ? e.getMessage() : "idle timeout";
            } catch (SocketException e) {
                reason = stopping ? "server stopping" : "connection reset: " + e.getMessage();
            } catch (IOException e) {
                reason = stopping ? "server stopping" : "i/o error: " + e.getMessage();
            } catch (RuntimeException | Error e) {
                reason = "internal error: " + e;
            } finally {
                if (session != null) {
                    try {
                        session.close();
                    } catch (RuntimeException e) {
                        Transport.log("conn " + id + ": closing the session failed: " + e);
                    }
                }
                if (linger && !stopping) {
                    Transport.lingeringClose(sock, LINGER_MS);
                } else {
                    Transport.closeQuietly(sock);
                }
                connections.remove(this);
                Transport.log("conn " + id + " closed (" + remote + "): " + requests + " requests, " + reason);
            }
        }
    }
}
