package io.ancdb.protocol;

import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** Small helpers shared by the transports: stderr logging and socket closing. */
final class Transport {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private Transport() {
    }

    /** One line on stderr (never stdout: the stdio transport's responses go there). */
    static void log(String line) {
        System.err.println(TIME.format(LocalTime.now()) + " ancdb: " + line);
    }

    static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException | RuntimeException ignored) {
            // closing: nothing left to do
        }
    }

    /**
     * Half-closes {@code sock}'s output (the peer sees EOF after everything
     * written), discards what the peer still sends for at most {@code ms}
     * milliseconds (at most 1 MiB), then closes. Closing outright while unread
     * input is pending makes the kernel send a reset, which can destroy the
     * last response before the peer reads it.
     */
    static void lingeringClose(Socket sock, int ms) {
        try {
            sock.shutdownOutput();
            sock.setSoTimeout(ms);
            InputStream in = sock.getInputStream();
            byte[] buf = new byte[8192];
            long deadline = System.nanoTime() + ms * 1_000_000L;
            long total = 0;
            while (total < (1 << 20) && System.nanoTime() < deadline) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                total += n;
            }
        } catch (IOException ignored) {
            // timeout or reset: close anyway
        } finally {
            closeQuietly(sock);
        }
    }

    /**
     * Bounds what a connection that has not authenticated yet can cost: while
     * armed, at most {@code maxBytes} may be read (the first request on a
     * server with a token must be a small Auth) and all of them must arrive
     * before {@code deadlineMs} has passed since arming. Over the byte budget a
     * read throws {@link ProtocolException} (LimitExceeded); past the deadline
     * it throws {@link SocketTimeoutException}. {@link #disarm()} lifts both
     * and restores the connection's idle timeout.
     */
    static final class FirstRequestGuard extends FilterInputStream {
        static final String LATE = "no complete first request in time";
        private final Socket sock;
        private final int idleTimeoutMs;
        private final long deadline;
        private long budget;
        private boolean armed = true;

        FirstRequestGuard(Socket sock, InputStream in, long maxBytes, int deadlineMs, int idleTimeoutMs) {
            super(in);
            this.sock = sock;
            this.budget = maxBytes;
            this.deadline = System.nanoTime() + deadlineMs * 1_000_000L;
            this.idleTimeoutMs = idleTimeoutMs;
        }

        void disarm() throws IOException {
            if (armed) {
                armed = false;
                sock.setSoTimeout(idleTimeoutMs);
            }
        }

        private SocketTimeoutException late(SocketTimeoutException e) {
            return armed ? new SocketTimeoutException(LATE) : e;
        }

        private int allow(int len) throws IOException {
            if (!armed) {
                return len;
            }
            if (budget <= 0) {
                throw new ProtocolException(Status.LIMIT_EXCEEDED,
                        "the first request on this server must be Auth (cmd 0x30); this one is too large");
            }
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                throw new SocketTimeoutException(LATE);
            }
            sock.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
            return (int) Math.min(len, budget);
        }

        @Override
        public int read() throws IOException {
            allow(1);
            int b;
            try {
                b = in.read();
            } catch (SocketTimeoutException e) {
                throw late(e);
            }
            if (armed && b >= 0) {
                budget--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int n;
            try {
                n = in.read(b, off, allow(len));
            } catch (SocketTimeoutException e) {
                throw late(e);
            }
            if (armed && n > 0) {
                budget -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            if (n <= 0) {
                return 0;
            }
            byte[] b = new byte[(int) Math.min(n, 8192)];
            return Math.max(0, read(b, 0, b.length));
        }
    }
}
