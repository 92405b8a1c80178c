package io.ancdb.protocol;

import io.ancdb.protocol.FuzzWire.Answer;
import io.ancdb.protocol.FuzzWire.WireFailure;
import io.ancdb.protocol.HostileMessages.Hostile;
import io.ancdb.protocol.HostileMessages.Kind;

import java.io.IOException;
import java.util.HexFormat;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * One fuzzing connection: sends hostile messages one write at a time until
 * the run's quota is used up, and checks that the server answers each with
 * exactly the responses {@link FramePrediction} expects and closes the
 * connection exactly when it must (a framing error, a refused Auth), then
 * reconnects. UNAUTHENTICATED messages go to a fresh connection that never
 * authenticated: they must be refused and the connection closed.
 */
final class FuzzConnection {
    /** How long the server may take to close a connection it must close (it lingers 250 ms). */
    private static final int CLOSE_WAIT_MS = 10_000;

    private final String host;
    private final int port;
    private final String token;
    private final Limits limits;
    private final HostileMessages messages;
    private final FuzzTally tally;
    private final WireErrorAudit audit;
    private final BooleanSupplier abort;
    private final Random random;

    FuzzConnection(String host, int port, String token, Limits limits, HostileMessages messages, long seed,
                   FuzzTally tally, WireErrorAudit audit, BooleanSupplier abort) {
        this.host = host;
        this.port = port;
        this.token = token;
        this.limits = limits;
        this.messages = messages;
        this.tally = tally;
        this.audit = audit;
        this.abort = abort;
        this.random = new Random(seed);
    }

    /** Runs until the quota is used up; throws on the first broken expectation (with the message in hex). */
    void run() throws IOException {
        FuzzWire w = null;
        try {
            while (!abort.getAsBoolean() && tally.claim()) {
                Hostile h = messages.next(random);
                tally.sent(h.kind());
                try {
                    if (h.kind() == Kind.UNAUTHENTICATED) {
                        unauthenticated(h.bytes());
                        continue;
                    }
                    if (h.kind() == Kind.ABANDONED) {
                        abandon(h.bytes());
                        continue;
                    }
                    if (w == null) {
                        w = FuzzWire.authenticated(host, port, token, audit);
                        tally.connections.increment();
                    }
                    if (!exchange(w, h.bytes(), h.kind() == Kind.FRAGMENTED, h.status())) {
                        w.close();
                        w = null;
                    }
                } catch (WireFailure | IOException e) {
                    throw new WireFailure(h.kind() + " message " + HexFormat.of().formatHex(h.bytes(), 0,
                            Math.min(h.bytes().length, 400)) + ": " + e);
                }
            }
        } finally {
            if (w != null) {
                w.close();
            }
        }
    }

    /**
     * Sends one hostile message on an authenticated connection; returns false when the server closed it.
     * {@code status}, unless -1, is the status the answer to a single message must have.
     */
    private boolean exchange(FuzzWire w, byte[] bytes, boolean fragmented, int status) throws IOException {
        FramePrediction p = FramePrediction.of(bytes, limits);
        if (fragmented) {
            sendInPieces(w, bytes);
        } else {
            w.send(bytes);
        }
        if (p.ending() == FramePrediction.Ending.TRUNCATED) {
            w.socket.shutdownOutput();        // the server waits for the rest of the message: tell it there is none
        }
        int expected = p.responses();
        for (int i = 0; i < expected; i++) {
            Answer a = w.answer();
            tally.response(a.status());
            checkStatus(a);
            if (a.status() == Status.UNAUTHORIZED) {   // a wrong Auth: the server closes after this response
                expectClose(w, "refused Auth");
                return false;
            }
            if (i == expected - 1 && p.ending() == FramePrediction.Ending.BROKEN && a.status() != p.brokenStatus()) {
                throw new WireFailure("framing error answered " + a + ", expected status " + p.brokenStatus());
            }
            if (i == expected - 1 && p.ending() == FramePrediction.Ending.TRUNCATED
                    && a.status() != Status.INVALID_COMMAND) {
                throw new WireFailure("truncated message answered " + a + ", expected status 1");
            }
            if (status >= 0 && expected == 1 && p.ending() == FramePrediction.Ending.CLEAN && a.status() != status) {
                throw new WireFailure("answered " + a + ", expected status " + status);
            }
        }
        if (p.ending() == FramePrediction.Ending.BROKEN) {
            expectClose(w, p.brokenStatus() == Status.LIMIT_EXCEEDED ? "framing: over a limit" : "framing: malformed");
            return false;
        }
        if (p.ending() == FramePrediction.Ending.TRUNCATED) {
            expectClose(w, "framing: truncated, then half-closed");
            return false;
        }
        return true;
    }

    /** Writes {@code bytes} 1 to 16 bytes at a time, now and then pausing so the server reads a partial message. */
    private void sendInPieces(FuzzWire w, byte[] bytes) throws IOException {
        for (int at = 0; at < bytes.length; ) {
            int n = Math.min(bytes.length - at, 1 + random.nextInt(16));
            w.send(java.util.Arrays.copyOfRange(bytes, at, at + n));
            at += n;
            if (random.nextInt(8) == 0) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
        }
    }

    /** A fresh connection sends requests and resets (RST) at once, leaving the server answers nobody reads. */
    private void abandon(byte[] bytes) throws IOException {
        try (FuzzWire w = FuzzWire.authenticated(host, port, token, audit)) {
            tally.connections.increment();
            w.send(bytes);
            w.socket.setSoLinger(true, 0);
        }
        tally.closed("client reset without reading");
    }

    /** A fresh connection whose first request is not a valid Auth: one refusal, then a close. */
    private void unauthenticated(byte[] bytes) throws IOException {
        FramePrediction p = FramePrediction.of(bytes, limits);
        try (FuzzWire w = new FuzzWire(host, port, audit)) {
            tally.connections.increment();
            w.send(bytes);
            if (p.ending() == FramePrediction.Ending.TRUNCATED && p.messages() == 0) {
                w.socket.shutdownOutput();
            }
            Answer a = w.answer();
            tally.response(a.status());
            int want = p.messages() > 0 ? Status.UNAUTHORIZED
                    : p.ending() == FramePrediction.Ending.BROKEN ? p.brokenStatus() : Status.INVALID_COMMAND;
            if (a.status() != want) {
                throw new WireFailure("unauthenticated request answered " + a + ", expected status " + want);
            }
            expectClose(w, "unauthenticated: refused");
        }
    }

    private static void checkStatus(Answer a) {
        if (a.status() >= 100) {
            throw new WireFailure("internal error answered: " + a);
        }
    }

    private void expectClose(FuzzWire w, String reason) throws IOException {
        if (!w.closedByServer(CLOSE_WAIT_MS)) {
            throw new WireFailure("the server did not close the connection after: " + reason);
        }
        tally.closed(reason);
    }
}
