package io.ancdb.protocol;

import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Map;

/**
 * A raw connection for the network fuzzer and the soak: bytes out, whole
 * responses in, each checked for the response shape (a map of exactly
 * status, data, meta, error) with its error message audited.
 */
final class FuzzWire implements AutoCloseable {
    static final int READ_TIMEOUT_MS = 30_000;
    private static final List<String> SHAPE = List.of("status", "data", "meta", "error");

    /** A response that breaks the contract, or a server that stops answering. */
    static final class WireFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WireFailure(String message) {
            super(message);
        }
    }

    /** One decoded response. */
    record Answer(int status, Object data, String error, long rowsAffected) {
    }

    final Socket socket;
    private final OutputStream out;
    private final MessageUnpacker in;
    private final WireErrorAudit audit;

    FuzzWire(String host, int port, WireErrorAudit audit) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 10_000);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        out = socket.getOutputStream();
        in = MessagePack.newDefaultUnpacker(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
        this.audit = audit;
    }

    /** Connects and authenticates (when {@code token} is not null). */
    static FuzzWire authenticated(String host, int port, String token, WireErrorAudit audit) throws IOException {
        FuzzWire w = new FuzzWire(host, port, audit);
        if (token != null) {
            Answer a = w.call(Msg.pack(Msg.map("cmd", 0x30, "token", token)));
            if (a.status() != 0) {
                w.close();
                throw new WireFailure("Auth with the right token answered " + a);
            }
        }
        return w;
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    Answer call(byte[] request) throws IOException {
        send(request);
        return answer();
    }

    /** The next response; fails on EOF, a malformed response or a leaking error message. */
    Answer answer() throws IOException {
        if (!in.hasNext()) {
            throw new WireFailure("the server closed the connection where a response was due");
        }
        Object o = TransportCodec.read(in);
        if (!(o instanceof Map<?, ?> m) || !SHAPE.equals(List.copyOf(m.keySet()))) {
            throw new WireFailure("not a response map {status, data, meta, error}: " + o);
        }
        if (!(m.get("status") instanceof Long status) || !(m.get("meta") instanceof Map<?, ?> meta)
                || !(meta.get("rows_affected") instanceof Long rows) || !(meta.get("execution_time_us") instanceof Long)) {
            throw new WireFailure("malformed response fields: " + o);
        }
        Object error = m.get("error");
        if (status == 0 ? error != null : !(error instanceof String)) {
            throw new WireFailure("status " + status + " with error " + error);
        }
        if (error != null) {
            String leak = audit.check((String) error);
            if (leak != null) {
                throw new WireFailure("error message " + leak + ": " + error);
            }
        }
        return new Answer(status.intValue(), m.get("data"), (String) error, rows);
    }

    /** True when the server closes the connection (EOF or reset) within {@code ms}; false if more data came. */
    boolean closedByServer(int ms) throws IOException {
        socket.setSoTimeout(ms);
        try {
            return !in.hasNext();
        } catch (SocketException e) {
            return true;
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(READ_TIMEOUT_MS);
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
