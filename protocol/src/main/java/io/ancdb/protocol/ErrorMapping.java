package io.ancdb.protocol;

import io.ancdb.AncDbException;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageSizeException;

import java.io.IOException;

/**
 * The one place a failure becomes a response status and an error message,
 * for sessions and for both transports: {@link WireError} and
 * {@link ProtocolException} carry their status, an {@link AncDbException} its
 * code, malformed MessagePack is InvalidCommand (a length over 2^31 - 1
 * LimitExceeded), running out of memory OutOfMemory, and anything else is a
 * bug: status 100 with a message that says only that (the details go to the
 * server's standard error).
 */
final class ErrorMapping {
    static final String BUG = "internal error (a bug: the server's standard error has the details)";

    private ErrorMapping() {
    }

    static int statusOf(Throwable e) {
        return switch (e) {
            case WireError w -> w.status;
            case ProtocolException p -> p.status();
            case AncDbException a -> a.code();
            case MessageSizeException m -> Status.LIMIT_EXCEEDED;
            case MessagePackException m -> Status.INVALID_COMMAND;
            case IOException io -> Status.INVALID_COMMAND;
            case OutOfMemoryError oom -> Status.OUT_OF_MEMORY;
            default -> Status.INTERNAL;
        };
    }

    /** The message of {@code e} as sent (see {@link Messages#sanitize}). */
    static String messageOf(Throwable e) {
        return Messages.sanitize(switch (e) {
            case WireError w -> w.getMessage();
            case ProtocolException p -> p.getMessage();
            case AncDbException a -> a.bareMessage();
            case MessageInsufficientBufferException m -> "truncated request: the message ends inside a value";
            case MessageSizeException m -> "a length in the request exceeds 2^31 - 1";
            case MessagePackException m -> "malformed MessagePack: " + m.getMessage();
            case IOException io -> "malformed MessagePack: " + io.getMessage();
            case OutOfMemoryError oom -> "out of memory";
            default -> BUG;
        });
    }

    /** True for a failure no request should cause: the server logs it, since the response omits it. */
    static boolean isBug(Throwable e) {
        return statusOf(e) == Status.INTERNAL && !(e instanceof AncDbException) && !(e instanceof WireError);
    }

    /** Logs {@code e} with the top of its stack on stderr when it is a bug. */
    static void logIfBug(Throwable e) {
        if (!isBug(e)) {
            return;
        }
        StringBuilder sb = new StringBuilder("internal error handling a request: ").append(e);
        StackTraceElement[] st = e.getStackTrace();
        for (int i = 0; i < Math.min(8, st.length); i++) {
            sb.append("\n    at ").append(st[i]);
        }
        Transport.log(sb.toString());
    }

    /** A complete error response for {@code e}, outside any session (the transports' framing errors). */
    static byte[] response(Throwable e) {
        return new Response().error(statusOf(e), messageOf(e), 0);
    }
}
