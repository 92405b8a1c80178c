package io.ancdb.protocol;

import java.io.IOException;

/**
 * A request stream that cannot be read on: a value over a {@link Limits}
 * bound, nesting too deep, the reserved byte 0xc1, or the stream ending in
 * the middle of a message. There is no way to find the start of the next
 * message, so the transport answers once with {@link #status()} and
 * {@link #getMessage()} and closes the connection.
 */
public final class ProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public ProtocolException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The response status to send: 1 InvalidCommand (malformed) or 7 LimitExceeded. */
    public int status() {
        return status;
    }
}
