package io.ancdb.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into MessagePack messages: {@link #next()} returns the
 * exact bytes of the next complete value, without decoding it.
 *
 * <p>It scans headers only (type byte, lengths, element counts) while
 * copying bytes into a growable buffer, and refuses a message as soon as a
 * header shows it would break a {@link Limits} bound: more than
 * {@code maxMessageBytes} in all, a str over {@code maxStringBytes}, a bin or
 * ext over {@code maxBinaryBytes}, an array over {@code maxArrayLength}, a map
 * over {@code maxMapSize}, or nesting deeper than {@code maxDepth}. A length
 * is never trusted: the buffer grows with the bytes that actually arrive, so
 * a bin32 header claiming 4 GiB is refused from its 5 header bytes and a
 * claim within the limits costs memory only as its payload comes in.
 *
 * <p>A stream that cannot be read on raises {@link ProtocolException}: a
 * limit (status 7), the reserved byte 0xc1 or the stream ending inside a
 * message (status 1). The reader is then unusable: send one error response
 * and close the connection. {@code null} means a clean end of stream between
 * messages.
 *
 * <p>Not thread-safe; one reader per connection. It reads ahead from
 * {@code in} (in chunks, into its own buffer), so it must be the only reader
 * of that stream; {@link #hasBufferedInput()} says whether bytes of a further
 * message are already buffered.
 */
public final class MessageReader {
    private static final int INITIAL = 8 * 1024;
    private static final int CHUNK = 64 * 1024;
    /** A buffer grown beyond this is given back once it holds no large message. */
    private static final int KEEP = 1 << 20;

    private final InputStream in;
    private final Limits limits;
    private final long[] remaining;   // values still to scan, per nesting level
    private byte[] buf = new byte[INITIAL];
    private int start;                 // first byte of the message being scanned
    private int pos;                   // next byte to scan
    private int end;                   // end of the bytes read so far
    private boolean eof;
    private ProtocolException broken;

    public MessageReader(InputStream in, Limits limits) {
        if (in == null || limits == null) {
            throw new NullPointerException("in and limits are required");
        }
        this.in = in;
        this.limits = limits;
        this.remaining = new long[limits.maxDepth() + 1];
    }

    /** True when bytes after the last returned message are already buffered (a pipelined request). */
    public boolean hasBufferedInput() {
        return end > pos;
    }

    /**
     * The bytes of the next MessagePack value, or null at a clean end of stream.
     *
     * @throws ProtocolException the stream is broken or over a limit: answer and close
     * @throws IOException       reading {@code in} failed
     */
    public byte[] next() throws IOException {
        if (broken != null) {
            throw broken;
        }
        try {
            return scan();
        } catch (ProtocolException e) {
            broken = e;
            throw e;
        }
    }

    private byte[] scan() throws IOException {
        release();
        start = pos;
        if (end == pos && !fill(1)) {
            return null;                               // EOF between messages
        }
        int level = 0;
        remaining[0] = 1;
        while (true) {
            while (remaining[level] == 0) {
                if (level == 0) {
                    byte[] msg = Arrays.copyOfRange(buf, start, pos);
                    start = pos;
                    return msg;
                }
                level--;
            }
            remaining[level]--;
            int b = byteAt();
            if (b <= 0x7f || b >= 0xe0 || (b >= 0xc0 && b <= 0xc3 && b != 0xc1)) {
                continue;                              // fixint, nil, false, true
            }
            if (b <= 0x8f) {                           // fixmap
                level = open(level, 2L * (b & 0x0f), b & 0x0f, true);
            } else if (b <= 0x9f) {                    // fixarray
                level = open(level, b & 0x0f, b & 0x0f, false);
            } else if (b <= 0xbf) {                    // fixstr
                payload(b & 0x1f, limits.maxStringBytes(), "str");
            } else {
                switch (b) {
                    case 0xc1 -> throw new ProtocolException(Status.INVALID_COMMAND,
                            "malformed MessagePack: reserved byte 0xc1");
                    case 0xc4 -> payload(length(1), limits.maxBinaryBytes(), "bin");
                    case 0xc5 -> payload(length(2), limits.maxBinaryBytes(), "bin");
                    case 0xc6 -> payload(length(4), limits.maxBinaryBytes(), "bin");
                    case 0xc7 -> ext(length(1));
                    case 0xc8 -> ext(length(2));
                    case 0xc9 -> ext(length(4));
                    case 0xca, 0xce, 0xd2 -> payload(4, Integer.MAX_VALUE, "number");
                    case 0xcb, 0xcf, 0xd3 -> payload(8, Integer.MAX_VALUE, "number");
                    case 0xcc, 0xd0 -> payload(1, Integer.MAX_VALUE, "number");
                    case 0xcd, 0xd1 -> payload(2, Integer.MAX_VALUE, "number");
                    case 0xd4 -> payload(2, Integer.MAX_VALUE, "ext");
                    case 0xd5 -> payload(3, Integer.MAX_VALUE, "ext");
                    case 0xd6 -> payload(5, Integer.MAX_VALUE, "ext");
                    case 0xd7 -> payload(9, Integer.MAX_VALUE, "ext");
                    case 0xd8 -> payload(17, Integer.MAX_VALUE, "ext");
                    case 0xd9 -> payload(length(1), limits.maxStringBytes(), "str");
                    case 0xda -> payload(length(2), limits.maxStringBytes(), "str");
                    case 0xdb -> payload(length(4), limits.maxStringBytes(), "str");
                    case 0xdc -> {
                        long n = length(2);
                        level = open(level, n, n, false);
                    }
                    case 0xdd -> {
                        long n = length(4);
                        level = open(level, n, n, false);
                    }
                    case 0xde -> {
                        long n = length(2);
                        level = open(level, 2 * n, n, true);
                    }
                    case 0xdf -> {
                        long n = length(4);
                        level = open(level, 2 * n, n, true);
                    }
                    default -> throw new IllegalStateException("unreachable: 0x" + Integer.toHexString(b));
                }
            }
        }
    }

    /** A container with {@code values} values ({@code n} elements or entries) opens under {@code level}. */
    private int open(int level, long values, long n, boolean map) throws ProtocolException {
        int depth = level + 1;
        if (depth > limits.maxDepth()) {
            throw new ProtocolException(Status.LIMIT_EXCEEDED, "message nested deeper than " + limits.maxDepth()
                    + " levels");
        }
        if (map ? n > limits.maxMapSize() : n > limits.maxArrayLength()) {
            throw new ProtocolException(Status.LIMIT_EXCEEDED, (map ? "map of " : "array of ") + n
                    + (map ? " entries exceeds the limit of " + limits.maxMapSize()
                           : " elements exceeds the limit of " + limits.maxArrayLength()));
        }
        if (values > (long) limits.maxMessageBytes() - (pos - start)) {   // every value takes a byte at least
            throw tooLarge();
        }
        if (values == 0) {
            return level;
        }
        remaining[depth] = values;
        return depth;
    }

    private void ext(long len) throws IOException {
        if (len > limits.maxBinaryBytes()) {
            throw new ProtocolException(Status.LIMIT_EXCEEDED, "ext value of " + len
                    + " bytes exceeds the limit of " + limits.maxBinaryBytes());
        }
        payload(len + 1, Long.MAX_VALUE, "ext");           // the type byte, then the data
    }

    /** Skips {@code len} payload bytes (copying them into the message), reading as they arrive. */
    private void payload(long len, long limit, String what) throws IOException {
        if (len > limit) {
            throw new ProtocolException(Status.LIMIT_EXCEEDED, what + " value of " + len
                    + " bytes exceeds the limit of " + limit);
        }
        if (len > (long) limits.maxMessageBytes() - (pos - start)) {
            throw tooLarge();
        }
        int left = (int) len;
        while (left > 0) {
            if (end == pos && !fill(Math.min(left, CHUNK))) {
                throw truncated();
            }
            int take = Math.min(left, end - pos);
            pos += take;
            left -= take;
        }
    }

    /** An unsigned big-endian length of {@code k} bytes. */
    private long length(int k) throws IOException {
        long v = 0;
        for (int i = 0; i < k; i++) {
            v = (v << 8) | byteAt();
        }
        return v;
    }

    private int byteAt() throws IOException {
        if (pos - start >= limits.maxMessageBytes()) {
            throw tooLarge();
        }
        if (end == pos && !fill(1)) {
            throw truncated();
        }
        return buf[pos++] & 0xff;
    }

    /** Reads at least one more byte (up to the free space, at least {@code want}); false at EOF. */
    private boolean fill(int want) throws IOException {
        if (eof) {
            return false;
        }
        if (buf.length - end < want) {
            if (start > 0) {                           // move the message in progress to the front
                System.arraycopy(buf, start, buf, 0, end - start);
                pos -= start;
                end -= start;
                start = 0;
            }
            if (buf.length - end < want) {
                // the bytes of one message never exceed maxMessageBytes (checked before every read), and
                // this runs only when all buffered bytes belong to the message in progress
                long cap = Math.max((long) buf.length * 2, (long) end + want);
                cap = Math.min(cap, limits.maxMessageBytes());
                buf = Arrays.copyOf(buf, (int) Math.max(cap, (long) end + want));
            }
        }
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) {
            eof = true;
            return false;
        }
        end += n;
        return true;
    }

    /** Between messages: drops consumed bytes and gives back a buffer grown for a large message. */
    private void release() {
        int left = end - pos;
        if (buf.length > KEEP && left <= INITIAL) {
            byte[] small = new byte[INITIAL];
            System.arraycopy(buf, pos, small, 0, left);
            buf = small;
            pos = 0;
            end = left;
        } else if (pos == end) {
            pos = 0;
            end = 0;
        }
        start = pos;
    }

    private ProtocolException tooLarge() {
        return new ProtocolException(Status.LIMIT_EXCEEDED, "message exceeds the limit of "
                + limits.maxMessageBytes() + " bytes");
    }

    private static ProtocolException truncated() {
        return new ProtocolException(Status.INVALID_COMMAND, "truncated message: the stream ended inside a value");
    }
}
